package feature

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// ---- Binarizer ----

// Binarizer maps numbers (or vector elements) above threshold (default 0.0)
// to 1.0 and the others to 0.0; vectors keep their form, nulls stay null.
type Binarizer struct {
	ml.StageBase
	colParams
	threshold param.Param[float64]
}

// NewBinarizer makes a Binarizer with a new UID.
func NewBinarizer() *Binarizer { return newBinarizer(param.UID("Binarizer")) }

func newBinarizer(uid string) *Binarizer {
	s := &Binarizer{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	s.threshold = param.Define(s.Params(), "threshold", "Param for threshold used to binarize continuous features. The features greater than the threshold will be binarized to 1.0. The features equal to or less than the threshold will be binarized to 0.0", param.WithDefault(0.0))
	return s
}

// SetInputCol sets the input numeric or vector column.
func (s *Binarizer) SetInputCol(c string) *Binarizer { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output column.
func (s *Binarizer) SetOutputCol(c string) *Binarizer { s.outputCol.Set(s.Params(), c); return s }

// SetThreshold sets the threshold.
func (s *Binarizer) SetThreshold(v float64) *Binarizer { s.threshold.Set(s.Params(), v); return s }

// ClassName implements ml.Stage.
func (s *Binarizer) ClassName() string { return classPrefix + "Binarizer" }

// TransformSchema implements ml.Stage: a vector input gives a vector, a number a double.
func (s *Binarizer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := s.CheckParams(); err != nil {
		return nil, err
	}
	f, err := ml.CheckColumn(in, s.UID(), s.inputCol.Get(s.Params()), ml.Numeric, ml.Vector)
	if err != nil {
		return nil, err
	}
	out := arrow.Field{Name: s.outputCol.Get(s.Params()), Type: arrow.PrimitiveTypes.Float64, Nullable: true}
	if linalg.IsVector(f.Type) {
		out = vectorField(out.Name)
	}
	return ml.AppendColumn(in, s.UID(), out)
}

// Transform implements ml.Transformer.
func (s *Binarizer) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, out, th, uid := s.inputCol.Get(ps), s.outputCol.Get(ps), s.threshold.Get(ps), s.UID()
	schema := df.Schema()
	if linalg.IsVector(schema.Field(ml.FieldIndex(schema, in)).Type) {
		res := vectorUDF(df, "binarizer", uid, in, out, func() rowFn {
			var idx []int32
			var vals []float64
			return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
				if d := vc.DenseValues(i); d != nil {
					vals = vals[:0]
					for _, v := range d {
						vals = append(vals, binarize(v, th))
					}
					b.AppendDense(vals)
					return nil
				}
				si, sv := vc.Sparse(i)
				if th < 0 {
					// Implicit zeros exceed a negative threshold: the result is dense.
					vals = vals[:0]
					for range vc.Size(i) {
						vals = append(vals, 1)
					}
					for k, j := range si {
						vals[j] = binarize(sv[k], th)
					}
					b.AppendDense(vals)
					return nil
				}
				idx, vals = idx[:0], vals[:0]
				for k, j := range si {
					if sv[k] > th {
						idx = append(idx, j)
						vals = append(vals, 1)
					}
				}
				b.AppendSparse(vc.Size(i), idx, vals)
				return nil
			}
		})
		return res, res.Err()
	}
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		x, err := ml.Float64Column(args[0], nil)
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		b.Reserve(len(x))
		for i, v := range x {
			if args[0].IsNull(i) {
				b.UnsafeAppendBoolToBitmap(false)
				continue
			}
			b.UnsafeAppend(binarize(v, th))
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(out, frame.UDF("binarizer", arrow.PrimitiveTypes.Float64, fn, frame.Col(in)))
	return res, res.Err()
}

func binarize(v, th float64) float64 {
	if v > th {
		return 1
	}
	return 0
}

// Copy implements ml.Stage.
func (s *Binarizer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *Binarizer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *Binarizer) Save(path string) error { return ml.Save(s, path) }

// ---- NGram ----

// NGram turns arrays of strings into arrays of their n-grams (n=2 by
// default), each the words joined by a space; fewer than n words give an
// empty array.
type NGram struct {
	ml.StageBase
	colParams
	n param.Param[int]
}

// NewNGram makes an NGram with a new UID.
func NewNGram() *NGram { return newNGram(param.UID("NGram")) }

func newNGram(uid string) *NGram {
	s := &NGram{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	s.n = param.Define(s.Params(), "n", "number elements per n-gram (>=1)", param.WithDefault(2), param.WithValidator(param.GtEq(1)))
	return s
}

// SetInputCol sets the input array<string> column.
func (s *NGram) SetInputCol(c string) *NGram { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output array<string> column.
func (s *NGram) SetOutputCol(c string) *NGram { s.outputCol.Set(s.Params(), c); return s }

// SetN sets the number of words per n-gram.
func (s *NGram) SetN(n int) *NGram { s.n.Set(s.Params(), n); return s }

// ClassName implements ml.Stage.
func (s *NGram) ClassName() string { return classPrefix + "NGram" }

// TransformSchema implements ml.Stage.
func (s *NGram) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return listInSchema(s.StageBase, s.colParams, in, stringListType())
}

// Transform implements ml.Transformer.
func (s *NGram) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, n, uid := s.inputCol.Get(ps), s.n.Get(ps), s.UID()
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		r, err := newStringListReader(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, in, err)
		}
		b := array.NewListBuilder(mem, arrow.BinaryTypes.String)
		defer b.Release()
		vb := b.ValueBuilder().(*array.StringBuilder)
		var gram []byte
		for i := 0; i < args[0].Len(); i++ {
			if args[0].IsNull(i) {
				b.AppendNull()
				continue
			}
			b.Append(true)
			lo, hi := r.Row(i)
			for k := lo; k+n <= hi; k++ {
				gram = gram[:0]
				for w := k; w < k+n; w++ {
					if w > k {
						gram = append(gram, ' ')
					}
					gram = append(gram, r.vals.Value(w)...)
				}
				vb.BinaryBuilder.Append(gram)
			}
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(s.outputCol.Get(ps), frame.UDF("ngram", stringListType(), fn, frame.Col(in)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *NGram) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *NGram, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *NGram) Save(path string) error { return ml.Save(s, path) }

// ---- ElementwiseProduct ----

// ElementwiseProduct multiplies each vector element by the matching element
// of scalingVec (the Hadamard product); vectors keep their form.
type ElementwiseProduct struct {
	ml.StageBase
	colParams
	scalingVec param.Param[[]float64]
}

// NewElementwiseProduct makes an ElementwiseProduct with a new UID.
func NewElementwiseProduct() *ElementwiseProduct {
	return newElementwiseProduct(param.UID("ElementwiseProduct"))
}

func newElementwiseProduct(uid string) *ElementwiseProduct {
	s := &ElementwiseProduct{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	s.scalingVec = param.Define[[]float64](s.Params(), "scalingVec", "vector for hadamard product")
	return s
}

// SetInputCol sets the input vector column.
func (s *ElementwiseProduct) SetInputCol(c string) *ElementwiseProduct {
	s.inputCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output vector column.
func (s *ElementwiseProduct) SetOutputCol(c string) *ElementwiseProduct {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetScalingVec sets the factors.
func (s *ElementwiseProduct) SetScalingVec(v ...float64) *ElementwiseProduct {
	s.scalingVec.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *ElementwiseProduct) ClassName() string { return classPrefix + "ElementwiseProduct" }

// TransformSchema implements ml.Stage.
func (s *ElementwiseProduct) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if _, ok := s.scalingVec.GetOK(s.Params()); !ok {
		return nil, fmt.Errorf("%s: scalingVec must be set", s.UID())
	}
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

// Transform implements ml.Transformer.
func (s *ElementwiseProduct) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid, w := s.inputCol.Get(ps), s.UID(), s.scalingVec.Get(ps)
	res := vectorUDF(df, "elementwiseProduct", uid, in, s.outputCol.Get(ps), func() rowFn {
		return scaleRows(uid, in, len(w), func(j int) float64 { return w[j] })
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *ElementwiseProduct) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *ElementwiseProduct, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *ElementwiseProduct) Save(path string) error { return ml.Save(s, path) }

// ---- VectorSlicer ----

// VectorSlicer keeps the elements of vectors at the given indices, in that
// order; dense input gives dense output, sparse sparse.
type VectorSlicer struct {
	ml.StageBase
	colParams
	indices param.Param[[]int]
}

// NewVectorSlicer makes a VectorSlicer with a new UID.
func NewVectorSlicer() *VectorSlicer { return newVectorSlicer(param.UID("VectorSlicer")) }

func newVectorSlicer(uid string) *VectorSlicer {
	s := &VectorSlicer{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	s.indices = param.Define(s.Params(), "indices", "An array of indices to select features from a vector column. There can be no overlap with names.",
		param.WithDefault([]int{}), param.WithValidator(func(idx []int) error {
			seen := map[int]bool{}
			for _, i := range idx {
				if i < 0 || seen[i] {
					return fmt.Errorf("indices must be distinct and non-negative, got %v", idx)
				}
				seen[i] = true
			}
			return nil
		}))
	return s
}

// SetInputCol sets the input vector column.
func (s *VectorSlicer) SetInputCol(c string) *VectorSlicer { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *VectorSlicer) SetOutputCol(c string) *VectorSlicer { s.outputCol.Set(s.Params(), c); return s }

// SetIndices sets the indices to keep.
func (s *VectorSlicer) SetIndices(idx ...int) *VectorSlicer { s.indices.Set(s.Params(), idx); return s }

// ClassName implements ml.Stage.
func (s *VectorSlicer) ClassName() string { return classPrefix + "VectorSlicer" }

// TransformSchema implements ml.Stage.
func (s *VectorSlicer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if len(s.indices.Get(s.Params())) == 0 {
		return nil, fmt.Errorf("%s: indices must be set", s.UID())
	}
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

// Transform implements ml.Transformer; an index beyond a vector's size is an error.
func (s *VectorSlicer) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid, sel := s.inputCol.Get(ps), s.UID(), s.indices.Get(ps)
	maxIdx := 0
	for _, i := range sel {
		maxIdx = max(maxIdx, i)
	}
	res := vectorUDF(df, "vectorSlicer", uid, in, s.outputCol.Get(ps), func() rowFn {
		var row, vals []float64
		var idx []int32
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			if vc.Size(i) <= maxIdx {
				return fmt.Errorf("%s: index %d is out of range for a vector of size %d in column %q", uid, maxIdx, vc.Size(i), in)
			}
			row = denseRow(vc, i, row)
			if vc.IsDense(i) {
				vals = vals[:0]
				for _, j := range sel {
					vals = append(vals, row[j])
				}
				b.AppendDense(vals)
				return nil
			}
			idx, vals = idx[:0], vals[:0]
			for k, j := range sel {
				if row[j] != 0 {
					idx = append(idx, int32(k))
					vals = append(vals, row[j])
				}
			}
			b.AppendSparse(len(sel), idx, vals)
			return nil
		}
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *VectorSlicer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *VectorSlicer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *VectorSlicer) Save(path string) error { return ml.Save(s, path) }

// ---- VarianceThresholdSelector ----

// VarianceThresholdSelector keeps the features whose sample variance
// exceeds varianceThreshold (default 0, which drops constant features).
type VarianceThresholdSelector struct {
	ml.StageBase
	selectorParams
}

type selectorParams struct {
	featuresCol, outputCol param.Param[string]
	varianceThreshold      param.Param[float64]
}

func defineSelector(ps *param.Params, uid string) selectorParams {
	return selectorParams{
		featuresCol:       param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		outputCol:         param.Define(ps, "outputCol", "output column name", param.WithDefault(uid+"__output")),
		varianceThreshold: param.Define(ps, "varianceThreshold", "Param for variance threshold. Features with a variance not greater than this threshold will be removed. The default value is 0.0.", param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
	}
}

// NewVarianceThresholdSelector makes a VarianceThresholdSelector with a new UID.
func NewVarianceThresholdSelector() *VarianceThresholdSelector {
	return newVarianceThresholdSelector(param.UID("VarianceThresholdSelector"))
}

func newVarianceThresholdSelector(uid string) *VarianceThresholdSelector {
	s := &VarianceThresholdSelector{StageBase: ml.NewStageBase(uid)}
	s.selectorParams = defineSelector(s.Params(), uid)
	return s
}

// SetFeaturesCol sets the input vector column.
func (s *VarianceThresholdSelector) SetFeaturesCol(c string) *VarianceThresholdSelector {
	s.featuresCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output vector column.
func (s *VarianceThresholdSelector) SetOutputCol(c string) *VarianceThresholdSelector {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetVarianceThreshold sets the threshold.
func (s *VarianceThresholdSelector) SetVarianceThreshold(v float64) *VarianceThresholdSelector {
	s.varianceThreshold.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *VarianceThresholdSelector) ClassName() string {
	return classPrefix + "VarianceThresholdSelector"
}

func selectorSchema(b ml.StageBase, p selectorParams, in *arrow.Schema) (*arrow.Schema, error) {
	if err := b.CheckParams(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, b.UID(), p.featuresCol.Get(b.Params()), ml.Vector); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, b.UID(), vectorField(p.outputCol.Get(b.Params())))
}

// TransformSchema implements ml.Stage.
func (s *VarianceThresholdSelector) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return selectorSchema(s.StageBase, s.selectorParams, in)
}

// Fit implements ml.Estimator.
func (s *VarianceThresholdSelector) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	sum, err := summarize(ctx, df, s.UID(), s.featuresCol.Get(ps))
	if err != nil {
		return nil, err
	}
	th := s.varianceThreshold.Get(ps)
	var sel []int
	for j, v := range sum.Variance() {
		if v > th {
			sel = append(sel, j)
		}
	}
	m := newVarianceThresholdSelectorModel(s.UID(), sel)
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *VarianceThresholdSelector) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *VarianceThresholdSelector, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *VarianceThresholdSelector) Save(path string) error { return ml.Save(s, path) }

// VarianceThresholdSelectorModel keeps the selected features.
type VarianceThresholdSelectorModel struct {
	ml.StageBase
	selectorParams
	selected []int
}

func newVarianceThresholdSelectorModel(uid string, sel []int) *VarianceThresholdSelectorModel {
	m := &VarianceThresholdSelectorModel{StageBase: ml.NewStageBase(uid), selected: sel}
	m.selectorParams = defineSelector(m.Params(), uid)
	return m
}

// SelectedFeatures returns the indices of the kept features.
func (m *VarianceThresholdSelectorModel) SelectedFeatures() []int {
	return append([]int(nil), m.selected...)
}

// ClassName implements ml.Stage.
func (m *VarianceThresholdSelectorModel) ClassName() string {
	return classPrefix + "VarianceThresholdSelectorModel"
}

// TransformSchema implements ml.Stage.
func (m *VarianceThresholdSelectorModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return selectorSchema(m.StageBase, m.selectorParams, in)
}

// Transform implements ml.Transformer (dense rows stay dense, sparse sparse).
func (m *VarianceThresholdSelectorModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in, uid, sel := m.featuresCol.Get(ps), m.UID(), m.selected
	res := vectorUDF(df, "varianceThresholdSelector", uid, in, m.outputCol.Get(ps), func() rowFn {
		var row, vals []float64
		var idx []int32
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			if len(sel) > 0 && vc.Size(i) <= sel[len(sel)-1] {
				return fmt.Errorf("%s: vector in column %q has size %d, too small for feature %d", uid, in, vc.Size(i), sel[len(sel)-1])
			}
			row = denseRow(vc, i, row)
			if vc.IsDense(i) {
				vals = vals[:0]
				for _, j := range sel {
					vals = append(vals, row[j])
				}
				b.AppendDense(vals)
				return nil
			}
			idx, vals = idx[:0], vals[:0]
			for k, j := range sel {
				if row[j] != 0 {
					idx = append(idx, int32(k))
					vals = append(vals, row[j])
				}
			}
			b.AppendSparse(len(sel), idx, vals)
			return nil
		}
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *VarianceThresholdSelectorModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *VarianceThresholdSelectorModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *VarianceThresholdSelectorModel) WriteData(dir string) error {
	f := make([]float64, len(m.selected))
	for i, j := range m.selected {
		f[i] = float64(j)
	}
	return ml.WriteVectors(dir, []string{"selectedFeatures"}, f)
}

// Save implements ml.Stage.
func (m *VarianceThresholdSelectorModel) Save(path string) error { return ml.Save(m, path) }

func loadVarianceThresholdSelectorModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "selectedFeatures")
	if err != nil {
		return nil, err
	}
	sel := make([]int, len(v[0]))
	for i, f := range v[0] {
		sel[i] = int(f)
	}
	m := newVarianceThresholdSelectorModel(md.UID, sel)
	return m, md.ApplyParams(m.Params())
}
