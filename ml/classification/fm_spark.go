package classification

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
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

// sparkFMCData is the schema of Spark's FMClassificationModel data:
// Data(intercept: Double, linear: Vector, factors: Matrix) in
// FMClassifier.scala's writer.
func sparkFMCData() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "intercept", Type: arrow.PrimitiveTypes.Float64},
		{Name: "linear", Type: ml.SparkVectorType(), Nullable: true},
		{Name: "factors", Type: ml.SparkMatrixType(), Nullable: true},
	}, nil)
}

// WriteSparkData implements ml.SparkWriter: one row of intercept (0 when
// not fitted), linear (dense; an empty sparse vector when fitLinear is
// false, as Spark's splitCoefficients makes it) and factors (a
// numFeatures × factorSize dense matrix, row-major as Spark's).
func (m *FMClassificationModel) WriteSparkData(dir string) error {
	d, k := m.D, m.K
	var lin any = m.Coef[d*k : d*k+d]
	if !m.FitLinear.Get(m.Params()) {
		sv, err := linalg.Sparse(d, nil, nil)
		if err != nil {
			return err
		}
		lin = sv
	}
	fac := ml.SparkMatrix{NumRows: d, NumCols: k, Values: m.Coef[:d*k], Transposed: true}
	return ml.WriteSparkRows(dir, "data", sparkFMCData(), []any{m.Coef[d*k+d], lin, fac})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.classification.FMClassificationModel), which
// Spark's FMClassificationModel.load reads.
func (m *FMClassificationModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*FMClassificationModel)(nil)

// loadSparkFMClassificationModel reads Spark's layout: one row of
// intercept, linear (a vector of numFeatures, dense or sparse) and factors
// (a numFeatures × factorSize matrix, dense or sparse, either order).
func loadSparkFMClassificationModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	data, err := ml.ReadSparkData(ctx, dir, "data")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer data.Release()
	if data.NumRows() != 1 {
		return nil, fmt.Errorf("%s: model data has %d rows, want 1", md.UID, data.NumRows())
	}
	b, err := data.Float64("intercept", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	lin, err := data.Vector("linear", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	fac, err := data.Matrix("factors", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	d, k := lin.Size(), fac.NumCols
	if d == 0 || k == 0 || fac.NumRows != d {
		return nil, fmt.Errorf("%s: model data: %d linear weights and a %d×%d factors matrix, want numFeatures × factorSize factors", md.UID, d, fac.NumRows, fac.NumCols)
	}
	coef := make([]float64, 0, d*k+d+1)
	for _, r := range fac.Rows() {
		coef = append(coef, r...)
	}
	coef = append(append(coef, lin.ToArray()...), b)
	m := newFMClassificationModel(md.UID, coef, d, k)
	return m, md.ApplySparkParams(m.Params())
}
