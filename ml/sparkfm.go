package ml

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

// sparkFMSchema is the schema of the data of Spark's FMRegressionModel and
// FMClassificationModel: Data(intercept: Double, linear: Vector, factors:
// Matrix) in FMRegressor.scala's and FMClassifier.scala's writers.
func sparkFMSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "intercept", Type: arrow.PrimitiveTypes.Float64},
		{Name: "linear", Type: SparkVectorType(), Nullable: true},
		{Name: "factors", Type: SparkMatrixType(), Nullable: true},
	}, nil)
}

// WriteSparkFM writes the data of a factorization machine with d features
// and k factors in Spark's layout under dir/data: one row of intercept,
// linear (dense; an empty sparse vector when fitLinear is false, as Spark's
// splitCoefficients makes it) and factors (a d × k dense matrix, row-major
// as Spark's). coef holds the factors row by row, then the linear weights,
// then the intercept, as gspark's FM models keep them.
func WriteSparkFM(dir string, coef []float64, d, k int, fitLinear bool) error {
	if len(coef) != d*k+d+1 {
		return fmt.Errorf("factorization machine: %d coefficients for %d features and %d factors", len(coef), d, k)
	}
	var lin any = coef[d*k : d*k+d]
	if !fitLinear {
		sv, err := linalg.Sparse(d, nil, nil)
		if err != nil {
			return err
		}
		lin = sv
	}
	fac := SparkMatrix{NumRows: d, NumCols: k, Values: coef[:d*k], Transposed: true}
	return WriteSparkRows(dir, "data", sparkFMSchema(), []any{coef[d*k+d], lin, fac})
}

// ReadSparkFM reads the one row of a Spark FM model's data (linear a vector
// of numFeatures, dense or sparse; factors a numFeatures × factorSize
// matrix, dense or sparse, in either order) as gspark's coefficients
// (factors row-major, linear, intercept), numFeatures and factorSize.
func ReadSparkFM(ctx context.Context, dir string) (coef []float64, d, k int, err error) {
	data, err := ReadSparkRow(ctx, dir)
	if err != nil {
		return nil, 0, 0, err
	}
	defer data.Release()
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
	d, k = lin.Size(), fac.NumCols
	if d == 0 || k == 0 || fac.NumRows != d {
		return nil, 0, 0, fmt.Errorf("model data: %d linear weights and a %d×%d factors matrix, want numFeatures × factorSize factors", d, fac.NumRows, fac.NumCols)
	}
	coef = make([]float64, 0, d*k+d+1)
	for _, r := range fac.Rows() {
		coef = append(coef, r...)
	}
	return append(append(coef, lin.ToArray()...), b), d, k, nil
}
