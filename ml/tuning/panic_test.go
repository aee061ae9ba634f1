package tuning

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/optim/optimtest"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/regression"
)

// panicky is a user's estimator whose Fit panics.
type panicky struct{ *regression.LinearRegression }

func (p panicky) Copy(extra param.ParamMap) (ml.Stage, error) {
	st, err := p.LinearRegression.Copy(extra)
	if err != nil {
		return nil, err
	}
	return panicky{st.(*regression.LinearRegression)}, nil
}

func (panicky) Fit(context.Context, *frame.DataFrame) (ml.Model, error) {
	panic("fit exploded")
}

// TestEstimatorPanicIsAnError: a panic in the estimator a validator fits
// on its goroutines becomes an internal error returned by the fit, with
// every parallelism.
func TestEstimatorPanicIsAnError(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "diabetes.csv", 2)
	grid := NewParamGridBuilder().AddGrid("regParam", 0.0, 1.0).Build()
	est := panicky{regression.NewLinearRegression()}
	for _, par := range []int{1, 2} {
		cv := NewCrossValidator().SetEstimator(est).SetEstimatorParamMaps(grid).
			SetEvaluator(evaluation.NewRegressionEvaluator()).SetNumFolds(2).SetParallelism(par)
		tvs := NewTrainValidationSplit().SetEstimator(est).SetEstimatorParamMaps(grid).
			SetEvaluator(evaluation.NewRegressionEvaluator()).SetParallelism(par)
		for _, v := range []ml.Estimator{cv, tvs} {
			m, err := v.Fit(ctx, df)
			if !errors.Is(err, exec.ErrInternal) {
				t.Fatalf("%s parallelism %d: got model %v, error %v; want an internal error", v.UID(), par, m, err)
			}
			if !strings.Contains(err.Error(), "fit exploded") || !strings.Contains(err.Error(), v.UID()) {
				t.Errorf("%s: error %q names neither the panic nor the validator", v.UID(), err)
			}
		}
	}
}
