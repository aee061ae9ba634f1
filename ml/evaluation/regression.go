package evaluation

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// RegressionEvaluator evaluates regression predictions with metricName
// "rmse" (default), "mse", "mae", "r2" or "var" (explained variance,
// Σw(prediction − mean(label))²/Σw, as Spark's RegressionMetrics). r2 is
// 1 − SSerr/SStot with SStot = Σw(label − mean(label))².
type RegressionEvaluator struct {
	ml.StageBase
	labelCol, predictionCol, weightCol, metricName param.Param[string]
}

// NewRegressionEvaluator returns an evaluator with Spark's defaults.
func NewRegressionEvaluator() *RegressionEvaluator {
	return newRegressionEvaluator(param.UID("regEval"))
}

func newRegressionEvaluator(uid string) *RegressionEvaluator {
	e := &RegressionEvaluator{StageBase: ml.NewStageBase(uid)}
	ps := e.Params()
	e.labelCol = param.Define(ps, "labelCol", "label column name", param.WithDefault("label"))
	e.predictionCol = param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction"))
	e.weightCol = param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)")
	e.metricName = param.Define(ps, "metricName", "metric: rmse, mse, r2, mae or var", param.WithDefault("rmse"),
		param.WithValidator(param.OneOf("rmse", "mse", "r2", "mae", "var")))
	return e
}

// SetLabelCol sets the label column.
func (e *RegressionEvaluator) SetLabelCol(c string) *RegressionEvaluator {
	e.labelCol.Set(e.Params(), c)
	return e
}

// SetPredictionCol sets the prediction column.
func (e *RegressionEvaluator) SetPredictionCol(c string) *RegressionEvaluator {
	e.predictionCol.Set(e.Params(), c)
	return e
}

// SetWeightCol sets the weight column.
func (e *RegressionEvaluator) SetWeightCol(c string) *RegressionEvaluator {
	e.weightCol.Set(e.Params(), c)
	return e
}

// SetMetricName sets the metric.
func (e *RegressionEvaluator) SetMetricName(m string) *RegressionEvaluator {
	e.metricName.Set(e.Params(), m)
	return e
}

// MetricName returns the metric evaluated.
func (e *RegressionEvaluator) MetricName() string { return e.metricName.Get(e.Params()) }

// IsLargerBetter is true for r2 and var, false for the error metrics.
func (e *RegressionEvaluator) IsLargerBetter() bool {
	m := e.MetricName()
	return m == "r2" || m == "var"
}

// CopyEvaluator implements Evaluator.
func (e *RegressionEvaluator) CopyEvaluator(extra param.ParamMap) (Evaluator, error) {
	b, err := e.CopyBase(extra)
	c := *e
	c.StageBase = b
	return &c, err
}

type regStats struct {
	y, p            welford
	sse, sae, count float64
}

// RegressionMetrics holds every metric RegressionEvaluator knows.
type RegressionMetrics struct {
	RMSE, MSE, MAE, R2, ExplainedVariance float64
	Count                                 float64 // sum of weights
}

// Metrics computes all the regression metrics in one pass.
func (e *RegressionEvaluator) Metrics(ctx context.Context, df *frame.DataFrame) (*RegressionMetrics, error) {
	if err := e.CheckParams(); err != nil {
		return nil, err
	}
	ps := e.Params()
	uid, lc, pc, wc := e.UID(), e.labelCol.Get(ps), e.predictionCol.Get(ps), e.weightCol.Get(ps)
	if err := checkCols(df, uid, map[string][]ml.ColumnKind{lc: {ml.Numeric}, pc: {ml.Numeric}, wc: {ml.Numeric}}); err != nil {
		return nil, err
	}
	parts, err := frame.AggregatePartitions(ctx, df, func(int) *regStats { return &regStats{} },
		func(acc *regStats, b arrow.RecordBatch) (*regStats, error) {
			ys, ya, err := numericCol(b, uid, lc)
			if err != nil {
				return nil, err
			}
			ps, pa, err := numericCol(b, uid, pc)
			if err != nil {
				return nil, err
			}
			ws, wa, err := weightsOf(b, uid, wc)
			if err != nil {
				return nil, err
			}
			for i := range ys {
				if ya.IsNull(i) || pa.IsNull(i) || nullAt(wa, i) {
					continue
				}
				w := 1.0
				if ws != nil {
					w = ws[i]
				}
				d := ys[i] - ps[i]
				acc.y.add(ys[i], w)
				acc.p.add(ps[i], w)
				acc.sse += w * d * d
				acc.sae += w * math.Abs(d)
				acc.count++
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	var t regStats
	for _, p := range parts {
		t.y.merge(p.y)
		t.p.merge(p.p)
		t.sse += p.sse
		t.sae += p.sae
		t.count += p.count
	}
	if t.y.w <= 0 {
		return nil, fmt.Errorf("%s: no rows to evaluate (all labels or predictions null, or the input is empty)", uid)
	}
	W := t.y.w
	dm := t.p.mean - t.y.mean
	m := &RegressionMetrics{MSE: t.sse / W, MAE: t.sae / W, Count: W,
		R2:                1 - t.sse/t.y.m2,
		ExplainedVariance: (t.p.m2 + W*dm*dm) / W}
	m.RMSE = math.Sqrt(m.MSE)
	return m, nil
}

// Evaluate implements Evaluator.
func (e *RegressionEvaluator) Evaluate(ctx context.Context, df *frame.DataFrame) (float64, error) {
	m, err := e.Metrics(ctx, df)
	if err != nil {
		return 0, err
	}
	switch e.MetricName() {
	case "mse":
		return m.MSE, nil
	case "mae":
		return m.MAE, nil
	case "r2":
		return m.R2, nil
	case "var":
		return m.ExplainedVariance, nil
	}
	return m.RMSE, nil
}
