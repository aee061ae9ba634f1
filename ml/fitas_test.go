package ml_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/optim/optimtest"
	"github.com/gspark/gspark/ml/regression"
)

// TestFitAs fits a typed estimator through FitModel, an untyped one
// through Fit, and refuses a model of the wrong type.
func TestFitAs(t *testing.T) {
	ctx := context.Background()
	mem := exectest.Alloc(t)
	s := frame.NewSession(frame.WithAllocator(mem))
	df := optimtest.Labeled(t, s, mem, "diabetes.csv", 2)

	lm, err := ml.FitAs[*regression.LinearRegressionModel](ctx, regression.NewLinearRegression(), df)
	if err != nil || lm == nil {
		t.Fatalf("FitAs linear: %v", err)
	}
	direct, err := regression.NewLinearRegression().FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if lm.Intercept() != direct.Intercept() {
		t.Fatalf("intercepts differ: %v and %v", lm.Intercept(), direct.Intercept())
	}
	sm, err := ml.FitAs[*feature.StandardScalerModel](ctx, feature.NewStandardScaler().SetInputCol("features").SetOutputCol("scaled"), df)
	if err != nil || sm == nil {
		t.Fatalf("FitAs scaler: %v", err)
	}
	_, err = ml.FitAs[*classification.NaiveBayesModel](ctx, regression.NewLinearRegression(), df)
	if err == nil || !strings.Contains(err.Error(), "not a *classification.NaiveBayesModel") {
		t.Fatalf("wrong model type: %v", err)
	}
}
