package feature

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// registerSparkModels adds the loaders of the feature models saved in
// Spark's layout (metadata and data/ as each model's writer in Spark's
// ml/feature/*.scala lays them out) and of the params-only transformers
// Spark saves as metadata alone.
func registerSparkModels(r *ml.Registry) {
	for class, l := range map[string]ml.Loader{
		"StandardScalerModel":  loadSparkStandardScalerModel,
		"MinMaxScalerModel":    loadSparkMinMaxScalerModel,
		"MaxAbsScalerModel":    loadSparkMaxAbsScalerModel,
		"RobustScalerModel":    loadSparkRobustScalerModel,
		"IDFModel":             loadSparkIDFModel,
		"PCAModel":             loadSparkPCAModel,
		"CountVectorizerModel": loadSparkCountVectorizerModel,
		"OneHotEncoderModel":   loadSparkOneHotEncoderModel,
		"ImputerModel":         loadSparkImputerModel,
	} {
		r.Register(sparkPrefix+class, l)
	}
	for class, l := range sparkParamsOnlyLoaders() {
		r.Register(sparkPrefix+class, l)
	}
}

// vecField is a nullable vector column of Spark's data files.
func vecField(name string) arrow.Field {
	return arrow.Field{Name: name, Type: ml.SparkVectorType(), Nullable: true}
}

// readSparkFeatureData opens dir/data, checks it holds one row and reads
// the named vector columns as arrays.
func readSparkFeatureData(ctx context.Context, dir string, md *ml.Metadata, vecs ...string) (*ml.SparkData, [][]float64, error) {
	d, err := ml.ReadSparkData(ctx, dir, "data")
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if d.NumRows() != 1 {
		d.Release()
		return nil, nil, fmt.Errorf("%s: model data has %d rows, want 1", md.UID, d.NumRows())
	}
	out := make([][]float64, len(vecs))
	for i, name := range vecs {
		v, err := d.Vector(name, 0)
		if err != nil {
			d.Release()
			return nil, nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		out[i] = v.ToArray()
	}
	return d, out, nil
}

// sameLengths checks that vectors read from a model's data agree in size.
func sameLengths(md *ml.Metadata, names []string, vs ...[]float64) error {
	for i := range vs {
		if len(vs[i]) != len(vs[0]) {
			return fmt.Errorf("%s: model data: %s has %d values, %s %d", md.UID, names[i], len(vs[i]), names[0], len(vs[0]))
		}
	}
	return nil
}

// StandardScalerModel: Data(std: Vector, mean: Vector).

// SparkClassName implements ml.SparkWriter.
func (m *StandardScalerModel) SparkClassName() string { return sparkPrefix + "StandardScalerModel" }

// SparkParams implements ml.SparkWriter.
func (m *StandardScalerModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "withMean", "withStd"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *StandardScalerModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {std, mean}, Spark's
// Data(std: Vector, mean: Vector).
func (m *StandardScalerModel) WriteSparkData(dir string) error {
	mean := m.mean
	if mean == nil {
		mean = make([]float64, len(m.std))
	}
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{vecField("std"), vecField("mean")}, nil), []any{m.std, mean})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.StandardScalerModel).
func (m *StandardScalerModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkStandardScalerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, v, err := readSparkFeatureData(ctx, dir, md, "std", "mean")
	if err != nil {
		return nil, err
	}
	d.Release()
	if err := sameLengths(md, []string{"std", "mean"}, v...); err != nil {
		return nil, err
	}
	m := newStandardScalerModel(md.UID, v[0], v[1])
	return m, md.ApplySparkParams(m.Params())
}

// MinMaxScalerModel: Data(originalMin: Vector, originalMax: Vector).

// SparkClassName implements ml.SparkWriter.
func (m *MinMaxScalerModel) SparkClassName() string { return sparkPrefix + "MinMaxScalerModel" }

// SparkParams implements ml.SparkWriter.
func (m *MinMaxScalerModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "min", "max"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *MinMaxScalerModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {originalMin,
// originalMax}.
func (m *MinMaxScalerModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{vecField("originalMin"), vecField("originalMax")}, nil),
		[]any{m.originalMin, m.originalMax})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.MinMaxScalerModel).
func (m *MinMaxScalerModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkMinMaxScalerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, v, err := readSparkFeatureData(ctx, dir, md, "originalMin", "originalMax")
	if err != nil {
		return nil, err
	}
	d.Release()
	if err := sameLengths(md, []string{"originalMin", "originalMax"}, v...); err != nil {
		return nil, err
	}
	m := newMinMaxScalerModel(md.UID, v[0], v[1])
	return m, md.ApplySparkParams(m.Params())
}

// MaxAbsScalerModel: Data(maxAbs: Vector).

// SparkClassName implements ml.SparkWriter.
func (m *MaxAbsScalerModel) SparkClassName() string { return sparkPrefix + "MaxAbsScalerModel" }

// SparkParams implements ml.SparkWriter.
func (m *MaxAbsScalerModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *MaxAbsScalerModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {maxAbs}.
func (m *MaxAbsScalerModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{vecField("maxAbs")}, nil), []any{m.maxAbs})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.MaxAbsScalerModel).
func (m *MaxAbsScalerModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkMaxAbsScalerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, v, err := readSparkFeatureData(ctx, dir, md, "maxAbs")
	if err != nil {
		return nil, err
	}
	d.Release()
	m := newMaxAbsScalerModel(md.UID, v[0])
	return m, md.ApplySparkParams(m.Params())
}

// RobustScalerModel (Spark 3.0): Data(range: Vector, median: Vector).

// SparkClassName implements ml.SparkWriter.
func (m *RobustScalerModel) SparkClassName() string { return sparkPrefix + "RobustScalerModel" }

// SparkVersion implements ml.SparkVersioner: RobustScaler came with Spark
// 3.0.
func (m *RobustScalerModel) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter.
func (m *RobustScalerModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "lower", "upper", "withCentering", "withScaling", "relativeError"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *RobustScalerModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {range, median}.
func (m *RobustScalerModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{vecField("range"), vecField("median")}, nil),
		[]any{m.qrange, m.median})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.RobustScalerModel).
func (m *RobustScalerModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkRobustScalerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, v, err := readSparkFeatureData(ctx, dir, md, "range", "median")
	if err != nil {
		return nil, err
	}
	d.Release()
	if err := sameLengths(md, []string{"range", "median"}, v...); err != nil {
		return nil, err
	}
	m := newRobustScalerModel(md.UID, v[0], v[1])
	return m, md.ApplySparkParams(m.Params())
}

// IDFModel: Data(idf: Vector, docFreq: Array[Long], numDocs: Long) since
// Spark 3.0 (2.4 has idf alone).

// SparkClassName implements ml.SparkWriter.
func (m *IDFModel) SparkClassName() string { return sparkPrefix + "IDFModel" }

// SparkVersion implements ml.SparkVersioner: Spark 3 reads docFreq and
// numDocs only from metadata of version 3 or later (2.4 reads idf).
func (m *IDFModel) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter.
func (m *IDFModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "minDocFreq"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *IDFModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {idf, docFreq,
// numDocs}.
func (m *IDFModel) WriteSparkData(dir string) error {
	df := m.docFreq
	if df == nil {
		df = make([]int64, len(m.idf))
	}
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{vecField("idf"),
		{Name: "docFreq", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int64}), Nullable: true},
		{Name: "numDocs", Type: arrow.PrimitiveTypes.Int64}}, nil), []any{m.idf, df, m.numDocs})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.IDFModel).
func (m *IDFModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkIDFModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, v, err := readSparkFeatureData(ctx, dir, md, "idf")
	if err != nil {
		return nil, err
	}
	defer d.Release()
	var df []int64
	var n int64
	if slices.Contains(d.Columns(), "docFreq") {
		if df, err = d.Ints("docFreq", 0); err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		if n, err = d.Int("numDocs", 0); err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		if len(df) != len(v[0]) {
			return nil, fmt.Errorf("%s: model data: %d document frequencies for %d idf values", md.UID, len(df), len(v[0]))
		}
	} else {
		df = make([]int64, len(v[0]))
	}
	m := newIDFModel(md.UID, v[0], df, n)
	return m, md.ApplySparkParams(m.Params())
}

// PCAModel: Data(pc: DenseMatrix, explainedVariance: DenseVector).

// SparkClassName implements ml.SparkWriter.
func (m *PCAModel) SparkClassName() string { return sparkPrefix + "PCAModel" }

// SparkParams implements ml.SparkWriter.
func (m *PCAModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "k"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *PCAModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {pc, the d×k
// component matrix column-major as Spark's; explainedVariance}.
func (m *PCAModel) WriteSparkData(dir string) error {
	k := len(m.explained)
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{
		{Name: "pc", Type: ml.SparkMatrixType(), Nullable: true}, vecField("explainedVariance")}, nil),
		[]any{ml.SparkMatrix{NumRows: m.d, NumCols: k, Values: m.pc}, m.explained})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.PCAModel).
func (m *PCAModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkPCAModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, v, err := readSparkFeatureData(ctx, dir, md, "explainedVariance")
	if err != nil {
		return nil, err
	}
	defer d.Release()
	pc, err := d.Matrix("pc", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if pc.NumCols != len(v[0]) || pc.NumCols == 0 {
		return nil, fmt.Errorf("%s: model data: a %d×%d pc matrix and %d explained variances", md.UID, pc.NumRows, pc.NumCols, len(v[0]))
	}
	colMajor := make([]float64, 0, pc.NumRows*pc.NumCols)
	for j := 0; j < pc.NumCols; j++ {
		for i := 0; i < pc.NumRows; i++ {
			colMajor = append(colMajor, pc.At(i, j))
		}
	}
	m := newPCAModel(md.UID, pc.NumRows, pc.NumCols, colMajor, v[0])
	return m, md.ApplySparkParams(m.Params())
}

// CountVectorizerModel: Data(vocabulary: Seq[String]).

// SparkClassName implements ml.SparkWriter.
func (m *CountVectorizerModel) SparkClassName() string { return sparkPrefix + "CountVectorizerModel" }

// SparkParams implements ml.SparkWriter.
func (m *CountVectorizerModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "vocabSize", "minDF", "maxDF", "minTF", "binary"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *CountVectorizerModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {vocabulary}.
func (m *CountVectorizerModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{{Name: "vocabulary",
		Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.BinaryTypes.String, Nullable: true}), Nullable: true}}, nil),
		[]any{m.vocab})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.CountVectorizerModel).
func (m *CountVectorizerModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkCountVectorizerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, _, err := readSparkFeatureData(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	defer d.Release()
	vocab, err := d.Strings("vocabulary", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newCountVectorizerModel(md.UID, vocab)
	return m, md.ApplySparkParams(m.Params())
}

// OneHotEncoderModel: Data(categorySizes: Array[Int]).

// SparkClassName implements ml.SparkWriter.
func (m *OneHotEncoderModel) SparkClassName() string { return sparkPrefix + "OneHotEncoderModel" }

// SparkVersion implements ml.SparkVersioner: the single-column params
// inputCol and outputCol came with Spark 3.0.
func (m *OneHotEncoderModel) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: Spark 3's params.
func (m *OneHotEncoderModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "inputCols", "outputCols", "dropLast", "handleInvalid"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *OneHotEncoderModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {categorySizes}.
func (m *OneHotEncoderModel) WriteSparkData(dir string) error {
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{{Name: "categorySizes",
		Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true}}, nil),
		[]any{m.sizes})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.OneHotEncoderModel).
func (m *OneHotEncoderModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkOneHotEncoderModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, _, err := readSparkFeatureData(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	defer d.Release()
	sizes64, err := d.Ints("categorySizes", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	sizes := make([]int, len(sizes64))
	for i, s := range sizes64 {
		if s < 0 || s > math.MaxInt32 {
			return nil, fmt.Errorf("%s: model data: category size %d of column %d", md.UID, s, i)
		}
		sizes[i] = int(s)
	}
	m := newOneHotEncoderModel(md.UID, sizes)
	return m, md.ApplySparkParams(m.Params())
}

// ImputerModel: data is the surrogate DataFrame, one row with a double
// column per input column, named as the input column.

// SparkClassName implements ml.SparkWriter.
func (m *ImputerModel) SparkClassName() string { return sparkPrefix + "ImputerModel" }

// SparkVersion implements ml.SparkVersioner: inputCol, outputCol and
// relativeError came with Spark 3.0.
func (m *ImputerModel) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: Spark 3's params.
func (m *ImputerModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "inputCols", "outputCols", "strategy", "missingValue", "relativeError"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *ImputerModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: the surrogate row, a
// non-null double column per input column.
func (m *ImputerModel) WriteSparkData(dir string) error {
	ins, _, err := m.pairs(m.Params())
	if err != nil {
		return err
	}
	if len(ins) != len(m.surrogates) {
		return fmt.Errorf("%s: %d input columns for %d surrogates", m.UID(), len(ins), len(m.surrogates))
	}
	fields := make([]arrow.Field, len(ins))
	row := make([]any, len(ins))
	for i, c := range ins {
		fields[i] = arrow.Field{Name: c, Type: arrow.PrimitiveTypes.Float64}
		row[i] = m.surrogates[i]
	}
	return ml.WriteSparkRows(dir, "data", arrow.NewSchema(fields, nil), row)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.ImputerModel).
func (m *ImputerModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkImputerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, _, err := readSparkFeatureData(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	defer d.Release()
	m := newImputerModel(md.UID, nil)
	if err := md.ApplySparkParams(m.Params()); err != nil {
		return nil, err
	}
	ins, _, err := m.pairs(m.Params())
	if err != nil {
		return nil, err
	}
	for _, c := range ins {
		v, err := d.Float64(c, 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		m.surrogates = append(m.surrogates, v)
	}
	return m, nil
}

var (
	_ ml.SparkWriter = (*StandardScalerModel)(nil)
	_ ml.SparkWriter = (*MinMaxScalerModel)(nil)
	_ ml.SparkWriter = (*MaxAbsScalerModel)(nil)
	_ ml.SparkWriter = (*RobustScalerModel)(nil)
	_ ml.SparkWriter = (*IDFModel)(nil)
	_ ml.SparkWriter = (*PCAModel)(nil)
	_ ml.SparkWriter = (*CountVectorizerModel)(nil)
	_ ml.SparkWriter = (*OneHotEncoderModel)(nil)
	_ ml.SparkWriter = (*ImputerModel)(nil)
)
