package regression

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// SparkParams implements ml.SparkWriter: the params of Spark's
// IsotonicRegressionModel.
func (m *IsotonicRegressionModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "labelCol", "predictionCol", "weightCol", "isotonic", "featureIndex"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *IsotonicRegressionModel) SparkExtra() map[string]any { return nil }

// sparkIsotonicData is the schema of Spark's IsotonicRegressionModel data:
// Data(boundaries: Array[Double], predictions: Array[Double], isotonic:
// Boolean) in IsotonicRegression.scala's writer (arrays of non-null
// doubles).
func sparkIsotonicData() *arrow.Schema {
	doubles := arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float64})
	return arrow.NewSchema([]arrow.Field{
		{Name: "boundaries", Type: doubles, Nullable: true},
		{Name: "predictions", Type: doubles, Nullable: true},
		{Name: "isotonic", Type: arrow.FixedWidthTypes.Boolean},
	}, nil)
}

// WriteSparkData implements ml.SparkWriter: one row of boundaries,
// predictions and the direction of the fit (the isotonic param).
func (m *IsotonicRegressionModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", sparkIsotonicData(), []any{m.bounds, m.preds, m.isotonic.Get(m.Params())})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.regression.IsotonicRegressionModel), which Spark's
// IsotonicRegressionModel.load reads.
func (m *IsotonicRegressionModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*IsotonicRegressionModel)(nil)

// loadSparkIsotonicRegressionModel reads Spark's layout: one row of
// boundaries (non-decreasing), predictions (as many, non-decreasing when
// isotonic, else non-increasing, as mllib's model requires) and isotonic.
func loadSparkIsotonicRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := ml.ReadSparkRow(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	bounds, err := d.Float64s("boundaries", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	preds, err := d.Float64s("predictions", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	iso, err := d.Bool("isotonic", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if err := checkIsotonic(md.UID, bounds, preds); err != nil {
		return nil, fmt.Errorf("model data: %w", err)
	}
	for i := 1; i < len(preds); i++ {
		if (iso && !(preds[i-1] <= preds[i])) || (!iso && !(preds[i-1] >= preds[i])) {
			return nil, fmt.Errorf("%s: model data: predictions %v and %v (at %d) are not monotone as isotonic=%v says", md.UID, preds[i-1], preds[i], i, iso)
		}
	}
	m := newIsotonicRegressionModel(md.UID, bounds, preds)
	return m, md.ApplySparkParams(m.Params())
}
