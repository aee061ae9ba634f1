package regression

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// SparkParams implements ml.SparkWriter: the params of Spark 2.4's
// AFTSurvivalRegressionModel. maxBlockSizeInMB (Spark 3.1) is left out so
// that Spark 2.4 reads the metadata too; a later Spark takes its default.
func (m *AFTSurvivalRegressionModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "labelCol", "predictionCol", "censorCol", "quantilesCol",
		"quantileProbabilities", "fitIntercept", "maxIter", "tol", "aggregationDepth"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *AFTSurvivalRegressionModel) SparkExtra() map[string]any { return nil }

// sparkAFTData is the schema of Spark's AFTSurvivalRegressionModel data:
// Data(coefficients: Vector, intercept: Double, scale: Double) in
// AFTSurvivalRegression.scala's writer.
func sparkAFTData() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "coefficients", Type: ml.SparkVectorType(), Nullable: true},
		{Name: "intercept", Type: arrow.PrimitiveTypes.Float64},
		{Name: "scale", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
}

// WriteSparkData implements ml.SparkWriter: one row of coefficients
// (dense), intercept and scale.
func (m *AFTSurvivalRegressionModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", sparkAFTData(), []any{m.coef, m.intercept, m.scale})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.regression.AFTSurvivalRegressionModel), which
// Spark's AFTSurvivalRegressionModel.load reads.
func (m *AFTSurvivalRegressionModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*AFTSurvivalRegressionModel)(nil)

// loadSparkAFTSurvivalRegressionModel reads Spark's layout: one row of
// coefficients (a dense or sparse vector), intercept and scale (> 0).
func loadSparkAFTSurvivalRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := ml.ReadSparkRow(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	coef, err := d.Vector("coefficients", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	b, err := d.Float64("intercept", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	scale, err := d.Float64("scale", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if !(scale > 0) || math.IsInf(scale, 0) {
		return nil, fmt.Errorf("%s: model data field scale is %v, want a positive finite number", md.UID, scale)
	}
	m := newAFTSurvivalRegressionModel(md.UID, coef.ToArray(), b, scale)
	return m, md.ApplySparkParams(m.Params())
}
