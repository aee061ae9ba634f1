package regression

import (
	"context"
	"fmt"

	"github.com/gspark/gspark/ml"
)

// SparkParams implements ml.SparkWriter: the params of Spark's
// FMRegressionModel (weightCol, which Spark's has without a default and
// gspark's lacks, is not written).
func (m *FMRegressionModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "labelCol", "predictionCol", "factorSize", "fitIntercept",
		"fitLinear", "regParam", "miniBatchFraction", "initStd", "maxIter", "stepSize", "tol", "solver", "seed"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *FMRegressionModel) SparkExtra() map[string]any { return nil }

// SparkVersion implements ml.SparkVersioner: FMRegressionModel came with
// Spark 3.0.
func (m *FMRegressionModel) SparkVersion() string { return "3.0.0" }

// WriteSparkData implements ml.SparkWriter: Spark's one row of intercept,
// linear and factors (see ml.WriteSparkFM).
func (m *FMRegressionModel) WriteSparkData(dir string) error {
	return ml.WriteSparkFM(dir, m.Coef, m.D, m.K, m.FitLinear.Get(m.Params()))
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.regression.FMRegressionModel), which Spark's
// FMRegressionModel.load reads.
func (m *FMRegressionModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*FMRegressionModel)(nil)

// loadSparkFMRegressionModel reads Spark's layout (see ml.ReadSparkFM).
func loadSparkFMRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	coef, d, k, err := ml.ReadSparkFM(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newFMRegressionModel(md.UID, coef, d, k)
	return m, md.ApplySparkParams(m.Params())
}
