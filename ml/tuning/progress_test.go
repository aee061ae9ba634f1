package tuning

import (
	"reflect"
	"testing"

	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/optim/optimtest"
	"github.com/gspark/gspark/ml/progress"
	"github.com/gspark/gspark/ml/regression"
)

// TestCrossValidatorReportsFolds: one "fold" event per fold, in order.
func TestCrossValidatorReportsFolds(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "diabetes.csv", 2)
	var folds []progress.Event
	pctx := progress.WithFunc(ctx, func(e progress.Event) {
		if e.Unit == "fold" {
			folds = append(folds, e)
		}
	})
	cv := NewCrossValidator().SetEstimator(regression.NewLinearRegression()).
		SetEstimatorParamMaps(NewParamGridBuilder().AddGrid("regParam", 0.0, 1.0).Build()).
		SetEvaluator(evaluation.NewRegressionEvaluator()).SetNumFolds(4).SetSeed(7)
	if _, err := cv.FitCV(pctx, df); err != nil {
		t.Fatal(err)
	}
	want := []progress.Event{{Unit: "fold", Done: 1, Total: 4}, {Unit: "fold", Done: 2, Total: 4}, {Unit: "fold", Done: 3, Total: 4}, {Unit: "fold", Done: 4, Total: 4}}
	if !reflect.DeepEqual(folds, want) {
		t.Fatalf("fold events %v, want %v", folds, want)
	}
}
