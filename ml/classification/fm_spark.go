package classification

import (
	"context"
	"fmt"

	"github.com/gspark/gspark/ml"
)

// SparkParams implements ml.SparkWriter: the params of Spark's
// FMClassificationModel (weightCol and thresholds, which Spark's has
// without defaults and gspark's lacks, are not written).
func (m *FMClassificationModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol", "probabilityCol",
		"factorSize", "fitIntercept", "fitLinear", "regParam", "miniBatchFraction", "initStd", "maxIter", "stepSize", "tol",
		"solver", "seed"}}
}

// SparkExtra implements ml.SparkWriter (Spark's writer adds no keys to the
// metadata: numClasses is always 2 and numFeatures the size of linear).
func (m *FMClassificationModel) SparkExtra() map[string]any { return nil }

// SparkVersion implements ml.SparkVersioner: FMClassificationModel came
// with Spark 3.0.
func (m *FMClassificationModel) SparkVersion() string { return "3.0.0" }

// WriteSparkData implements ml.SparkWriter: Spark's one row of intercept,
// linear and factors (see ml.WriteSparkFM).
func (m *FMClassificationModel) WriteSparkData(dir string) error {
	return ml.WriteSparkFM(dir, m.Coef, m.D, m.K, m.FitLinear.Get(m.Params()))
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.classification.FMClassificationModel), which
// Spark's FMClassificationModel.load reads.
func (m *FMClassificationModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*FMClassificationModel)(nil)

// loadSparkFMClassificationModel reads Spark's layout (see ml.ReadSparkFM).
func loadSparkFMClassificationModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	coef, d, k, err := ml.ReadSparkFM(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newFMClassificationModel(md.UID, coef, d, k)
	return m, md.ApplySparkParams(m.Params())
}
