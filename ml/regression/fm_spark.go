package regression

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
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

// sparkFMData is the schema of Spark's FMRegressionModel and
// FMClassificationModel data: Data(intercept: Double, linear: Vector,
// factors: Matrix) in FMRegressor.scala's and FMClassifier.scala's writers.
func sparkFMData() *arrow.Schema {
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
func (m *FMRegressionModel) WriteSparkData(dir string) error {
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
	return ml.WriteSparkRows(dir, "data", sparkFMData(), []any{m.Coef[d*k+d], lin, fac})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.regression.FMRegressionModel), which Spark's
// FMRegressionModel.load reads.
func (m *FMRegressionModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*FMRegressionModel)(nil)

// readSparkFM reads the one row of Spark's FM model data as full
// coefficients (factors row-major, linear, intercept), numFeatures and
// factorSize.
func readSparkFM(ctx context.Context, dir string) ([]float64, int, int, error) {
	data, err := ml.ReadSparkData(ctx, dir, "data")
	if err != nil {
		return nil, 0, 0, err
	}
	defer data.Release()
	if data.NumRows() != 1 {
		return nil, 0, 0, fmt.Errorf("model data has %d rows, want 1", data.NumRows())
	}
	b, err := data.Float64("intercept", 0)
	if err != nil {
		return nil, 0, 0, err
	}
	lin, err := data.Vector("linear", 0)
	if err != nil {
		return nil, 0, 0, err
	}
	fac, err := data.Matrix("factors", 0)
	if err != nil {
		return nil, 0, 0, err
	}
	d, k := lin.Size(), fac.NumCols
	if d == 0 || k == 0 || fac.NumRows != d {
		return nil, 0, 0, fmt.Errorf("model data: %d linear weights and a %d×%d factors matrix, want numFeatures × factorSize factors", d, fac.NumRows, fac.NumCols)
	}
	coef := make([]float64, 0, d*k+d+1)
	for _, r := range fac.Rows() {
		coef = append(coef, r...)
	}
	return append(append(coef, lin.ToArray()...), b), d, k, nil
}

// loadSparkFMRegressionModel reads Spark's layout (see readSparkFM).
func loadSparkFMRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	coef, d, k, err := readSparkFM(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newFMRegressionModel(md.UID, coef, d, k)
	return m, md.ApplySparkParams(m.Params())
}
