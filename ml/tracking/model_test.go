package tracking

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/optim/optimtest"
	"github.com/gspark/gspark/ml/regression"
	"github.com/gspark/gspark/ml/tuning"
)

// TestLogCrossValidatedModel records a cross-validated l-bfgs linear
// regression: the average metric of each grid point by step, the grid's
// params, the best index, the best model's params and its objective
// history by iteration.
func TestLogCrossValidatedModel(t *testing.T) {
	ctx := context.Background()
	mem := exectest.Alloc(t)
	sess := frame.NewSession(frame.WithAllocator(mem))
	df := optimtest.Labeled(t, sess, mem, "diabetes.csv", 2)
	grid := tuning.NewParamGridBuilder().AddGrid("regParam", 0.0, 1.0).Build()
	cv := tuning.NewCrossValidator().SetEstimator(regression.NewLinearRegression().SetSolver("l-bfgs").SetMaxIter(20)).
		SetEstimatorParamMaps(grid).SetEvaluator(evaluation.NewRegressionEvaluator()).SetNumFolds(2).SetSeed(7)
	m, err := cv.FitCV(ctx, df)
	must(t, err)

	s, err := Open(filepath.Join(t.TempDir(), "mlruns"))
	must(t, err)
	r, err := s.StartRun(ctx, "diabetes", "cv")
	must(t, err)
	must(t, LogCrossValidation(r, m, grid))
	must(t, r.End(StatusFinished))
	got, err := s.Run(r.ID())
	must(t, err)

	avg := got.Metrics[m.UID()+".avgMetrics"]
	if len(avg) != 2 {
		t.Fatalf("avgMetrics history %+v, want one value per grid point", avg)
	}
	for i, v := range m.AvgMetrics() {
		if avg[i].Step != int64(i) || avg[i].Value != v {
			t.Errorf("avgMetrics[%d] = %+v, want %v at step %d", i, avg[i], v, i)
		}
	}
	if got.Params[m.UID()+".grid.0.regParam"] != "0.0" || got.Params[m.UID()+".grid.1.regParam"] != "1.0" {
		t.Errorf("grid params %v", got.Params)
	}
	best := m.BestModel().(*regression.LinearRegressionModel)
	if got.Params[m.UID()+".bestIndex"] != string(rune('0'+m.BestIndex())) {
		t.Errorf("bestIndex = %q, want %d", got.Params[m.UID()+".bestIndex"], m.BestIndex())
	}
	if got.Params[best.UID()+".solver"] != "l-bfgs" || got.Params[best.UID()+".maxIter"] != "20" {
		t.Errorf("best model params %v", got.Params)
	}
	hist := best.Summary().ObjectiveHistory
	obj := got.Metrics[best.UID()+".objectiveHistory"]
	if len(hist) < 2 || len(obj) != len(hist) {
		t.Fatalf("objective history: logged %d values, model has %d", len(obj), len(hist))
	}
	for i := range hist {
		if obj[i].Step != int64(i) || obj[i].Value != hist[i] {
			t.Errorf("objectiveHistory[%d] = %+v, want %v at step %d", i, obj[i], hist[i], i)
		}
	}
}
