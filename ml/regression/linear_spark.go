package regression

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// registerSparkLinear adds the loader of LinearRegressionModel directories
// in Spark's layout.
func registerSparkLinear(r *ml.Registry) {
	r.Register(sparkPrefix+"LinearRegressionModel", loadSparkLinearRegressionModel)
}

// SparkClassName implements ml.SparkWriter.
func (m *LinearRegressionModel) SparkClassName() string {
	return sparkPrefix + "LinearRegressionModel"
}

// SparkParams implements ml.SparkWriter: the params of Spark 2.4's
// LinearRegressionModel; aggregationDepth, loss and epsilon (Spark's own)
// with Spark's defaults, the squared-error loss gspark fits.
// maxBlockSizeInMB (Spark 3.1) is left out so that Spark 2.4 reads the
// metadata too.
func (m *LinearRegressionModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{
		Shared: []string{"featuresCol", "labelCol", "predictionCol", "weightCol", "solver", "maxIter",
			"regParam", "elasticNetParam", "tol", "fitIntercept", "standardization"},
		Defaults: map[string]any{"aggregationDepth": 2, "loss": "squaredError", "epsilon": 1.35},
	}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *LinearRegressionModel) SparkExtra() map[string]any { return nil }

// sparkLinearRegressionData is the schema of Spark's
// LinearRegressionModel data: Data(intercept: Double, coefficients:
// Vector, scale: Double) in LinearRegression.scala's writer.
func sparkLinearRegressionData() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "intercept", Type: arrow.PrimitiveTypes.Float64},
		{Name: "coefficients", Type: ml.SparkVectorType(), Nullable: true},
		{Name: "scale", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
}

// WriteSparkData implements ml.SparkWriter: one row of intercept,
// coefficients (dense) and scale (1, as Spark's squared-error fits have).
func (m *LinearRegressionModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", sparkLinearRegressionData(), []any{m.intercept, m.coef, 1.0})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.regression.LinearRegressionModel), which Spark's
// LinearRegressionModel.load reads.
func (m *LinearRegressionModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*LinearRegressionModel)(nil)

// loadSparkLinearRegressionModel reads Spark's layout: one row of
// intercept and coefficients (and, from Spark 2.3, scale, which only
// Huber fits use and predictions do not).
func loadSparkLinearRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := ml.ReadSparkRow(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	b, err := d.Float64("intercept", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	coef, err := d.Vector("coefficients", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newLinearRegressionModel(md.UID, coef.ToArray(), b)
	return m, md.ApplySparkParams(m.Params())
}
