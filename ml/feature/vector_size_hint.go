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

// VectorSizeHint declares the size of the vectors of inputCol (Spark's
// VectorSizeHint). handleInvalid says what a null vector or one of another
// size does: "error" (default) fails naming the column and sizes, "skip"
// drops the row, "optimistic" passes every row through unchecked. The
// column is left as it is.
type VectorSizeHint struct {
	ml.StageBase
	inputCol      param.Param[string]
	size          param.Param[int]
	handleInvalid param.Param[string]
}

const invalidOptimistic = "optimistic"

// NewVectorSizeHint makes a VectorSizeHint with a new UID.
func NewVectorSizeHint() *VectorSizeHint { return newVectorSizeHint(param.UID("VectorSizeHint")) }

func newVectorSizeHint(uid string) *VectorSizeHint {
	b := ml.NewStageBase(uid)
	ps := b.Params()
	return &VectorSizeHint{StageBase: b,
		inputCol: param.Define[string](ps, "inputCol", "input column name"),
		size:     param.Define(ps, "size", "Size of vectors in column.", param.WithValidator(param.Gt(0))),
		handleInvalid: param.Define(ps, "handleInvalid", "How to handle invalid vectors in inputCol. Invalid vectors include nulls and vectors with the wrong size. The options are `skip` (filter out rows with invalid vectors), `error` (throw an error) and `optimistic` (do not check the vector size, and keep all rows). `error` by default.",
			param.WithDefault(invalidError), param.WithValidator(param.OneOf(invalidError, invalidSkip, invalidOptimistic))),
	}
}

// SetInputCol sets the vector column.
func (s *VectorSizeHint) SetInputCol(c string) *VectorSizeHint {
	s.inputCol.Set(s.Params(), c)
	return s
}

// SetSize sets the declared vector size.
func (s *VectorSizeHint) SetSize(n int) *VectorSizeHint { s.size.Set(s.Params(), n); return s }

// SetHandleInvalid sets "error", "skip" or "optimistic".
func (s *VectorSizeHint) SetHandleInvalid(v string) *VectorSizeHint {
	s.handleInvalid.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *VectorSizeHint) ClassName() string { return classPrefix + "VectorSizeHint" }

// TransformSchema implements ml.Stage.
func (s *VectorSizeHint) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := s.CheckParams(); err != nil {
		return nil, err
	}
	c, ok := s.inputCol.GetOK(s.Params())
	if !ok {
		return nil, fmt.Errorf("%s: inputCol must be set", s.UID())
	}
	if _, ok := s.size.GetOK(s.Params()); !ok {
		return nil, fmt.Errorf("%s: size must be set", s.UID())
	}
	if _, err := ml.CheckColumn(in, s.UID(), c, ml.Vector); err != nil {
		return nil, err
	}
	return in, nil
}

// Transform implements ml.Transformer.
func (s *VectorSizeHint) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	mode := s.handleInvalid.Get(ps)
	if mode == invalidOptimistic {
		return df, nil
	}
	col, want, uid := s.inputCol.Get(ps), s.size.Get(ps), s.UID()
	check := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
		}
		b := array.NewBooleanBuilder(mem)
		defer b.Release()
		b.Reserve(vc.Len())
		for i := 0; i < vc.Len(); i++ {
			ok := !vc.IsNull(i) && vc.Size(i) == want
			if !ok && mode == invalidError {
				if vc.IsNull(i) {
					return nil, fmt.Errorf("%s: got a null vector in column %q; set handleInvalid to \"skip\" to filter invalid rows", uid, col)
				}
				return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d; set handleInvalid to \"skip\" to filter invalid rows", uid, col, vc.Size(i), want)
			}
			b.UnsafeAppend(ok)
		}
		return b.NewArray(), nil
	}
	res := df.Filter(frame.UDF("vectorSizeHint", arrow.FixedWidthTypes.Boolean, check, frame.Col(col)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *VectorSizeHint) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *VectorSizeHint, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *VectorSizeHint) Save(path string) error { return ml.Save(s, path) }
