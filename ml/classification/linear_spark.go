package classification

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// registerSparkLinear adds the loaders of LogisticRegressionModel,
// LinearSVCModel and NaiveBayesModel directories in Spark's layout.
func registerSparkLinear(r *ml.Registry) {
	r.Register(sparkPrefix+"LogisticRegressionModel", loadSparkLogisticRegressionModel)
	r.Register(sparkPrefix+"LinearSVCModel", loadSparkLinearSVCModel)
	r.Register(sparkPrefix+"NaiveBayesModel", loadSparkNaiveBayesModel)
}

// readSparkOneRow opens dir/data and checks it holds one row.
func readSparkOneRow(ctx context.Context, dir string, md *ml.Metadata) (*ml.SparkData, error) {
	d, err := ml.ReadSparkData(ctx, dir, "data")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if d.NumRows() != 1 {
		d.Release()
		return nil, fmt.Errorf("%s: model data has %d rows, want 1", md.UID, d.NumRows())
	}
	return d, nil
}

// SparkClassName implements ml.SparkWriter.
func (m *LogisticRegressionModel) SparkClassName() string {
	return sparkPrefix + "LogisticRegressionModel"
}

// SparkParams implements ml.SparkWriter: the params of Spark 2.4's
// LogisticRegressionModel, with aggregationDepth (Spark's own) at its
// default; the bounds on coefficients, which have no default, are not
// written.
func (m *LogisticRegressionModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{
		Shared: []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol", "probabilityCol", "weightCol",
			"family", "maxIter", "regParam", "elasticNetParam", "tol", "threshold", "thresholds", "fitIntercept", "standardization"},
		Defaults: map[string]any{"aggregationDepth": 2},
	}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *LogisticRegressionModel) SparkExtra() map[string]any { return nil }

// sparkLogisticData is the schema of Spark's LogisticRegressionModel data
// since Spark 2.1: Data(numClasses: Int, numFeatures: Int,
// interceptVector: Vector, coefficientMatrix: Matrix, isMultinomial:
// Boolean) in LogisticRegression.scala's writer.
func sparkLogisticData() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "numClasses", Type: arrow.PrimitiveTypes.Int32},
		{Name: "numFeatures", Type: arrow.PrimitiveTypes.Int32},
		{Name: "interceptVector", Type: ml.SparkVectorType(), Nullable: true},
		{Name: "coefficientMatrix", Type: ml.SparkMatrixType(), Nullable: true},
		{Name: "isMultinomial", Type: arrow.FixedWidthTypes.Boolean},
	}, nil)
}

// WriteSparkData implements ml.SparkWriter: one row; the coefficient
// matrix is dense with a row per coefficient set (one for a binomial
// model), stored row-major as Spark builds it.
func (m *LogisticRegressionModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", sparkLogisticData(),
		[]any{m.NumClasses(), m.NumFeatures(), m.icpt, ml.SparkMatrixRows(m.coef), m.multinomial})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.classification.LogisticRegressionModel), which
// Spark's LogisticRegressionModel.load reads.
func (m *LogisticRegressionModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*LogisticRegressionModel)(nil)

// loadSparkLogisticRegressionModel reads Spark's layout since 2.1 (the
// coefficient matrix dense or sparse, either orientation).
func loadSparkLogisticRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := readSparkOneRow(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	defer d.Release()
	if !slices.Contains(d.Columns(), "coefficientMatrix") {
		return loadSparkLogisticRegression20(d, md)
	}
	k, err := d.Int("numClasses", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	nf, err := d.Int("numFeatures", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	icpt, err := d.Vector("interceptVector", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	coef, err := d.Matrix("coefficientMatrix", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	multi, err := d.Bool("isMultinomial", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	sets := 1
	if multi {
		sets = int(k)
	}
	if k < 2 || coef.NumRows != sets || coef.NumCols != int(nf) || icpt.Size() != sets {
		return nil, fmt.Errorf("%s: model data: %d classes (multinomial %v), %d features, a %d×%d coefficient matrix and %d intercepts",
			md.UID, k, multi, nf, coef.NumRows, coef.NumCols, icpt.Size())
	}
	m := newLogisticRegressionModel(md.UID, coef.Rows(), icpt.ToArray(), multi)
	return m, md.ApplySparkParams(m.Params())
}

// loadSparkLogisticRegression20 reads the layout of Spark 2.0 and before,
// binomial only: Data(numClasses: Int, numFeatures: Int, intercept:
// Double, coefficients: Vector).
func loadSparkLogisticRegression20(d *ml.SparkData, md *ml.Metadata) (ml.Stage, error) {
	b, err := d.Float64("intercept", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	coef, err := d.Vector("coefficients", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newLogisticRegressionModel(md.UID, [][]float64{coef.ToArray()}, []float64{b}, false)
	return m, md.ApplySparkParams(m.Params())
}

// SparkClassName implements ml.SparkWriter.
func (m *LinearSVCModel) SparkClassName() string { return sparkPrefix + "LinearSVCModel" }

// SparkParams implements ml.SparkWriter: the params of Spark 2.4's
// LinearSVCModel, aggregationDepth (Spark's own) at its default.
func (m *LinearSVCModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{
		Shared: []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol", "weightCol",
			"maxIter", "regParam", "tol", "threshold", "fitIntercept", "standardization"},
		Defaults: map[string]any{"aggregationDepth": 2},
	}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *LinearSVCModel) SparkExtra() map[string]any { return nil }

// sparkSVCData is the schema of Spark's LinearSVCModel data:
// Data(coefficients: Vector, intercept: Double) in LinearSVC.scala's
// writer.
func sparkSVCData() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "coefficients", Type: ml.SparkVectorType(), Nullable: true},
		{Name: "intercept", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
}

// WriteSparkData implements ml.SparkWriter: one row of coefficients
// (dense) and intercept.
func (m *LinearSVCModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", sparkSVCData(), []any{m.coef, m.intercept})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.classification.LinearSVCModel).
func (m *LinearSVCModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*LinearSVCModel)(nil)

func loadSparkLinearSVCModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := readSparkOneRow(ctx, dir, md)
	if err != nil {
		return nil, err
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
	m := newLinearSVCModel(md.UID, coef.ToArray(), b)
	return m, md.ApplySparkParams(m.Params())
}

// SparkClassName implements ml.SparkWriter.
func (m *NaiveBayesModel) SparkClassName() string { return sparkPrefix + "NaiveBayesModel" }

// SparkVersion implements ml.SparkVersioner: the data has Spark 3.0's
// sigma column, which Spark 3 reads only from metadata of version 3 or
// later (Spark 2.4 reads pi and theta of the same files).
func (m *NaiveBayesModel) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's
// NaiveBayesModel.
func (m *NaiveBayesModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol", "probabilityCol",
		"weightCol", "modelType", "smoothing", "thresholds"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *NaiveBayesModel) SparkExtra() map[string]any { return nil }

// sparkNBData is the schema of Spark's NaiveBayesModel data since 3.0:
// Data(pi: Vector, theta: Matrix, sigma: Matrix) in NaiveBayes.scala's
// writer (2.4 has pi and theta).
func sparkNBData() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "pi", Type: ml.SparkVectorType(), Nullable: true},
		{Name: "theta", Type: ml.SparkMatrixType(), Nullable: true},
		{Name: "sigma", Type: ml.SparkMatrixType(), Nullable: true},
	}, nil)
}

// WriteSparkData implements ml.SparkWriter: one row of log priors, θ (a
// row per class) and the gaussian variances (a 0×0 matrix for the other
// model types, as Spark writes).
func (m *NaiveBayesModel) WriteSparkData(dir string) error {
	sigma := ml.SparkMatrix{}
	if m.kind == "gaussian" {
		sigma = ml.SparkMatrixRows(m.sigma)
	}
	return ml.WriteSparkRows(dir, "data", sparkNBData(), []any{m.pi, ml.SparkMatrixRows(m.theta), sigma})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.classification.NaiveBayesModel).
func (m *NaiveBayesModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

var _ ml.SparkWriter = (*NaiveBayesModel)(nil)

// loadSparkNaiveBayesModel reads Spark's layout (pi and theta; sigma for
// gaussian models, Spark 3.0 and later). The model type is the modelType
// param Spark saved.
func loadSparkNaiveBayesModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := readSparkOneRow(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	defer d.Release()
	pi, err := d.Vector("pi", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	theta, err := d.Matrix("theta", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	probe := newNaiveBayesModel(md.UID, "multinomial", nil, nil, nil)
	if err := md.ApplySparkParams(probe.Params()); err != nil {
		return nil, err
	}
	kind := probe.modelType.Get(probe.Params())
	var sigma [][]float64
	if kind == "gaussian" {
		s, err := d.Matrix("sigma", 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		if s.NumRows != theta.NumRows || s.NumCols != theta.NumCols {
			return nil, fmt.Errorf("%s: model data: sigma is %d×%d, theta %d×%d", md.UID, s.NumRows, s.NumCols, theta.NumRows, theta.NumCols)
		}
		sigma = s.Rows()
	}
	if pi.Size() == 0 || theta.NumRows != pi.Size() || theta.NumCols == 0 {
		return nil, fmt.Errorf("%s: model data: %d priors and a %d×%d theta", md.UID, pi.Size(), theta.NumRows, theta.NumCols)
	}
	m := newNaiveBayesModel(md.UID, kind, pi.ToArray(), theta.Rows(), sigma)
	return m, md.ApplySparkParams(m.Params())
}
