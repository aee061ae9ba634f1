// Package evaluation holds gspark's model evaluators with Spark ML's names,
// defaults and metric definitions: RegressionEvaluator,
// BinaryClassificationEvaluator, MulticlassClassificationEvaluator and
// ClusteringEvaluator. Each reads the DataFrame once with
// frame.AggregatePartitions (per-partition statistics merged in partition
// order). Rows whose label, prediction or weight is null are skipped.
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

// Evaluator computes a metric of a transformed DataFrame (a model's
// predictions next to the labels), as Spark's Evaluator.
type Evaluator interface {
	// UID returns the evaluator's unique identifier.
	UID() string
	// Params returns the evaluator's params.
	Params() *param.Params
	// Evaluate computes the metric named by the metricName param.
	Evaluate(ctx context.Context, df *frame.DataFrame) (float64, error)
	// IsLargerBetter reports whether a larger metric means a better model.
	IsLargerBetter() bool
	// CopyEvaluator returns a copy with extra applied to its params.
	CopyEvaluator(extra param.ParamMap) (Evaluator, error)
}

// welford accumulates a weighted mean and sum of squared deviations, merged
// with Chan's formula so results do not depend on the partitioning beyond
// rounding.
type welford struct {
	w, mean, m2 float64
}

func (a *welford) add(x, w float64) {
	if w == 0 {
		return
	}
	a.w += w
	d := x - a.mean
	a.mean += w * d / a.w
	a.m2 += w * d * (x - a.mean)
}

func (a *welford) merge(b welford) {
	if b.w == 0 {
		return
	}
	if a.w == 0 {
		*a = b
		return
	}
	w := a.w + b.w
	d := b.mean - a.mean
	a.mean += d * b.w / w
	a.m2 += b.m2 + d*d*a.w*b.w/w
	a.w = w
}

// numericCol reads column name of batch b as float64 (nulls as NaN).
func numericCol(b arrow.RecordBatch, uid, name string) ([]float64, arrow.Array, error) {
	i := ml.FieldIndex(b.Schema(), name)
	if i < 0 {
		return nil, nil, fmt.Errorf("%s: column %q does not exist", uid, name)
	}
	arr := b.Column(i)
	v, err := ml.Float64Column(arr, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: column %q: %w", uid, name, err)
	}
	return v, arr, nil
}

// weights returns the weights of batch b (nil: all 1) and checks them.
func weightsOf(b arrow.RecordBatch, uid, name string) ([]float64, arrow.Array, error) {
	if name == "" {
		return nil, nil, nil
	}
	w, arr, err := numericCol(b, uid, name)
	if err != nil {
		return nil, nil, err
	}
	for i, v := range w {
		if arr.IsNull(i) {
			continue
		}
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("%s: weight column %q has an invalid weight %v", uid, name, v)
		}
	}
	return w, arr, nil
}

func checkCols(df *frame.DataFrame, uid string, cols map[string][]ml.ColumnKind) error {
	if err := df.Err(); err != nil {
		return err
	}
	for c, kinds := range cols {
		if c == "" {
			continue
		}
		if _, err := ml.CheckColumn(df.Schema(), uid, c, kinds...); err != nil {
			return err
		}
	}
	return nil
}

func nullAt(arr arrow.Array, i int) bool { return arr != nil && arr.IsNull(i) }
