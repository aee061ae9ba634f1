package feature

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

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
