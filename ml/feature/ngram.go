package feature

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

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
