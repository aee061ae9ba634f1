package classification

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/param"
)

// mlpParams are the params of a multilayer perceptron model.
type mlpParams struct {
	featuresCol, labelCol, predictionCol, rawPredictionCol, probabilityCol param.Param[string]
}

func defineMLP(ps *param.Params) mlpParams {
	return mlpParams{
		featuresCol:      param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:         param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		predictionCol:    param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		rawPredictionCol: param.Define(ps, "rawPredictionCol", "raw prediction (output layer before softmax) column name; empty for none", param.WithDefault("rawPrediction")),
		probabilityCol:   param.Define(ps, "probabilityCol", "class probabilities column name; empty for none", param.WithDefault("probability")),
	}
}

// MultilayerPerceptronClassificationModel is a feed-forward network as
// Spark's MultilayerPerceptronClassificationModel: layers[0] inputs, hidden
// layers with the sigmoid, and a softmax output of layers[last] classes.
// The weights are Spark's flat layout: for each pair of consecutive layers
// (n inputs, m outputs), the m×n matrix W in column-major order (W[i][j] at
// i + j·m) followed by the m biases; a layer computes W·x + b.
// rawPrediction is the last layer's W·x + b, probability its softmax and
// prediction the most probable class. Only prediction is supported (the
// model is loaded from a file, Spark's or gspark's).
type MultilayerPerceptronClassificationModel struct {
	ml.StageBase
	mlpParams
	layers  []int
	weights []float64
}

// NewMultilayerPerceptronClassificationModel returns a model of the given
// layer sizes and weights (Spark's layout), checking that they agree.
func NewMultilayerPerceptronClassificationModel(uid string, layers []int, weights []float64) (*MultilayerPerceptronClassificationModel, error) {
	if len(layers) < 2 {
		return nil, fmt.Errorf("%s: a perceptron needs at least 2 layers, got %v", uid, layers)
	}
	want := 0
	for i := 0; i+1 < len(layers); i++ {
		if layers[i] <= 0 || layers[i+1] <= 0 {
			return nil, fmt.Errorf("%s: layer sizes must be positive, got %v", uid, layers)
		}
		want += layers[i]*layers[i+1] + layers[i+1]
	}
	if len(weights) != want {
		return nil, fmt.Errorf("%s: layers %v need %d weights, got %d", uid, layers, want, len(weights))
	}
	m := &MultilayerPerceptronClassificationModel{StageBase: ml.NewStageBase(uid), layers: append([]int(nil), layers...), weights: append([]float64(nil), weights...)}
	m.mlpParams = defineMLP(m.Params())
	return m, nil
}

// Layers returns the layer sizes, input first.
func (m *MultilayerPerceptronClassificationModel) Layers() []int {
	return append([]int(nil), m.layers...)
}

// Weights returns the weights in Spark's layout.
func (m *MultilayerPerceptronClassificationModel) Weights() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.weights...)...)
}

// NumFeatures returns the size of the input layer.
func (m *MultilayerPerceptronClassificationModel) NumFeatures() int { return m.layers[0] }

// NumClasses returns the size of the output layer.
func (m *MultilayerPerceptronClassificationModel) NumClasses() int { return m.layers[len(m.layers)-1] }

// forward returns the last layer's W·x + b for x.
func (m *MultilayerPerceptronClassificationModel) forward(x []float64) []float64 {
	in := x
	off := 0
	for l := 0; l+1 < len(m.layers); l++ {
		n, k := m.layers[l], m.layers[l+1]
		w := m.weights[off : off+n*k]
		b := m.weights[off+n*k : off+n*k+k]
		off += n*k + k
		out := make([]float64, k)
		for i := 0; i < k; i++ {
			s := b[i]
			for j := 0; j < n; j++ {
				s += w[i+j*k] * in[j]
			}
			out[i] = s
		}
		if l+2 < len(m.layers) {
			for i, v := range out {
				out[i] = 1 / (1 + math.Exp(-v))
			}
		}
		in = out
	}
	return in
}

// softmax writes the softmax of raw into dst.
func softmax(raw, dst []float64) {
	mx := math.Inf(-1)
	for _, v := range raw {
		mx = max(mx, v)
	}
	s := 0.0
	for i, v := range raw {
		dst[i] = math.Exp(v - mx)
		s += dst[i]
	}
	for i := range dst {
		dst[i] /= s
	}
}

// Predict returns the predicted class of x.
func (m *MultilayerPerceptronClassificationModel) Predict(x linalg.Vector) (float64, error) {
	if x.Size() != m.layers[0] {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), m.layers[0])
	}
	return float64(argmax(m.forward(x.ToArray()))), nil
}

func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// ClassName implements ml.Stage.
func (m *MultilayerPerceptronClassificationModel) ClassName() string {
	return classPrefix + "MultilayerPerceptronClassificationModel"
}

// TransformSchema implements ml.Stage.
func (m *MultilayerPerceptronClassificationModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	ps := m.Params()
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if err := (optim.Columns{UID: ps.UID(), FeaturesCol: m.featuresCol.Get(ps)}).Check(in); err != nil {
		return nil, err
	}
	out := in
	var err error
	for k, name := range []string{m.rawPredictionCol.Get(ps), m.probabilityCol.Get(ps), m.predictionCol.Get(ps)} {
		if name == "" {
			continue
		}
		typ := arrow.DataType(linalg.VectorType())
		if k == 2 {
			typ = arrow.PrimitiveTypes.Float64
		}
		if out, err = ml.AppendColumn(out, ps.UID(), arrow.Field{Name: name, Type: typ, Nullable: true}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Transform adds the rawPrediction, probability and prediction columns
// (each skipped when its name is empty; null for a null vector).
func (m *MultilayerPerceptronClassificationModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc, d := m.UID(), m.featuresCol.Get(ps), m.layers[0]
	udf := func(kind int) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			vc, err := linalg.Vectors(args[0])
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
			}
			x, probs := make([]float64, d), make([]float64, m.NumClasses())
			var vb *linalg.VectorBuilder
			var fb *array.Float64Builder
			if kind == 2 {
				fb = array.NewFloat64Builder(mem)
				defer fb.Release()
			} else {
				vb = linalg.NewVectorBuilder(mem)
				defer vb.Release()
			}
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					if fb != nil {
						fb.AppendNull()
					} else {
						vb.AppendNull()
					}
					continue
				}
				if vc.Size(i) != d {
					return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), d)
				}
				clear(x)
				vc.AddTo(i, 1, x)
				raw := m.forward(x)
				switch kind {
				case 0:
					vb.AppendDense(raw)
				case 1:
					softmax(raw, probs)
					vb.AppendDense(probs)
				default:
					fb.Append(float64(argmax(raw)))
				}
			}
			if fb != nil {
				return fb.NewArray(), nil
			}
			return vb.NewArray(), nil
		}
	}
	return withPredictionColumns(df, "multilayerPerceptron", fc, [3]string{m.rawPredictionCol.Get(ps), m.probabilityCol.Get(ps), m.predictionCol.Get(ps)}, udf)
}

// Copy implements ml.Stage.
func (m *MultilayerPerceptronClassificationModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the layer sizes.
func (m *MultilayerPerceptronClassificationModel) ExtraMetadata() map[string]any {
	return map[string]any{"layers": m.layers}
}

// WriteData implements ml.DataWriter: the weights as one vector.
func (m *MultilayerPerceptronClassificationModel) WriteData(dir string) error {
	return ml.WriteVectors(dir, []string{"weights"}, m.weights)
}

// Save implements ml.Stage.
func (m *MultilayerPerceptronClassificationModel) Save(path string) error { return ml.Save(m, path) }

func loadMLP(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var layers []int
	if err := md.GetExtra("layers", &layers); err != nil {
		return nil, err
	}
	vecs, _, _, err := ml.ReadColumns(ctx, dir, []string{"weights"}, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(vecs[0]) != 1 {
		return nil, fmt.Errorf("%s: model data has %d rows, want 1", md.UID, len(vecs[0]))
	}
	m, err := NewMultilayerPerceptronClassificationModel(md.UID, layers, vecs[0][0])
	if err != nil {
		return nil, err
	}
	return m, md.ApplyParams(m.Params())
}

// loadSparkMLP reads Spark's layout: data/ holds one row {layers: array of
// ints, weights: vector}.
func loadSparkMLP(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	recs, err := ml.ReadParquetDir(ctx, dir, "data", memory.NewGoAllocator())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	if len(recs) != 1 || recs[0].NumRows() != 1 {
		return nil, fmt.Errorf("%s: model data must be one row", md.UID)
	}
	rec := recs[0]
	var layers []int
	var weights []float64
	for i, f := range rec.Schema().Fields() {
		switch f.Name {
		case "layers":
			l, ok := rec.Column(i).(*array.List)
			if !ok {
				return nil, fmt.Errorf("%s: model data field layers is %s, want a list of ints", md.UID, f.Type)
			}
			v, ok := l.ListValues().(*array.Int32)
			if !ok {
				return nil, fmt.Errorf("%s: model data field layers is %s, want a list of ints", md.UID, f.Type)
			}
			s, e := l.ValueOffsets(0)
			for _, x := range v.Int32Values()[s:e] {
				layers = append(layers, int(x))
			}
		case "weights":
			vc, err := linalg.Vectors(rec.Column(i))
			if err != nil {
				return nil, fmt.Errorf("%s: model data field weights: %w", md.UID, err)
			}
			v, ok := vc.At(0)
			if !ok {
				return nil, fmt.Errorf("%s: model data field weights is null", md.UID)
			}
			weights = v.ToArray()
		}
	}
	m, err := NewMultilayerPerceptronClassificationModel(md.UID, layers, weights)
	if err != nil {
		return nil, err
	}
	return m, md.ApplySparkParams(m.Params())
}

// SparkClassName implements ml.SparkWriter.
func (m *MultilayerPerceptronClassificationModel) SparkClassName() string {
	return sparkPrefix + "MultilayerPerceptronClassificationModel"
}

// SparkParams implements ml.SparkWriter: Spark 2.4's model saves its
// column params only.
func (m *MultilayerPerceptronClassificationModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol", "probabilityCol"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *MultilayerPerceptronClassificationModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {layers: array of ints,
// weights: Spark's vector struct, dense}.
func (m *MultilayerPerceptronClassificationModel) WriteSparkData(dir string) error {
	mem := memory.NewGoAllocator()
	ints := arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32})
	vec := arrow.StructOf(
		arrow.Field{Name: "type", Type: arrow.PrimitiveTypes.Int8},
		arrow.Field{Name: "size", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "indices", Type: ints, Nullable: true},
		arrow.Field{Name: "values", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float64}), Nullable: true},
	)
	schema := arrow.NewSchema([]arrow.Field{{Name: "layers", Type: ints, Nullable: true}, {Name: "weights", Type: vec, Nullable: true}}, nil)
	rb := array.NewRecordBuilder(mem, schema)
	defer rb.Release()
	lb := rb.Field(0).(*array.ListBuilder)
	lb.Append(true)
	for _, n := range m.layers {
		lb.ValueBuilder().(*array.Int32Builder).Append(int32(n))
	}
	wb := rb.Field(1).(*array.StructBuilder)
	wb.Append(true)
	wb.FieldBuilder(0).(*array.Int8Builder).Append(1)
	wb.FieldBuilder(1).(*array.Int32Builder).AppendNull()
	wb.FieldBuilder(2).(*array.ListBuilder).AppendNull()
	vb := wb.FieldBuilder(3).(*array.ListBuilder)
	vb.Append(true)
	vb.ValueBuilder().(*array.Float64Builder).AppendValues(m.weights, nil)
	rec := rb.NewRecordBatch()
	defer rec.Release()
	return ml.WriteSparkParquet(dir, "data", rec)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel).
func (m *MultilayerPerceptronClassificationModel) SaveSpark(path string) error {
	return ml.SaveSpark(m, path)
}
