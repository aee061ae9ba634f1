package feature

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// Interaction takes numeric and vector columns and outputs the vector of
// every product of one element from each (Spark's Interaction): for
// columns of sizes n₁…n_k the output has n₁·…·n_k elements, the first
// column varying slowest. Numeric columns count as size 1. (Spark one-hot
// encodes columns whose ML attributes say nominal; gspark columns carry no
// such attributes, so every input is numeric.) The output is compressed as
// Spark's: sparse when that is smaller. A null input gives a null output.
type Interaction struct {
	ml.StageBase
	inputCols param.Param[[]string]
	outputCol param.Param[string]
}

// NewInteraction makes an Interaction with a new UID.
func NewInteraction() *Interaction { return newInteraction(param.UID("Interaction")) }

func newInteraction(uid string) *Interaction {
	b := ml.NewStageBase(uid)
	ps := b.Params()
	return &Interaction{StageBase: b,
		inputCols: param.Define[[]string](ps, "inputCols", "input column names"),
		outputCol: param.Define(ps, "outputCol", "output column name", param.WithDefault(uid+"__output")),
	}
}

// SetInputCols sets the columns to interact.
func (s *Interaction) SetInputCols(cols ...string) *Interaction {
	s.inputCols.Set(s.Params(), cols)
	return s
}

// SetOutputCol sets the output vector column.
func (s *Interaction) SetOutputCol(c string) *Interaction { s.outputCol.Set(s.Params(), c); return s }

// ClassName implements ml.Stage.
func (s *Interaction) ClassName() string { return classPrefix + "Interaction" }

// TransformSchema implements ml.Stage.
func (s *Interaction) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := s.CheckParams(); err != nil {
		return nil, err
	}
	cols, ok := s.inputCols.GetOK(s.Params())
	if !ok || len(cols) == 0 {
		return nil, fmt.Errorf("%s: inputCols must be set", s.UID())
	}
	for _, c := range cols {
		if _, err := ml.CheckColumn(in, s.UID(), c, ml.Numeric, ml.Boolean, ml.Vector); err != nil {
			return nil, err
		}
	}
	return ml.AppendColumn(in, s.UID(), vectorField(s.outputCol.Get(s.Params())))
}

// Transform implements ml.Transformer.
func (s *Interaction) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	cols := s.inputCols.Get(ps)
	args := make([]frame.Column, len(cols))
	for i, c := range cols {
		args[i] = frame.Col(c)
	}
	uid := s.UID()
	fn := func(mem memory.Allocator, in []arrow.Array) (arrow.Array, error) {
		rows := 0
		if len(in) > 0 {
			rows = in[0].Len()
		}
		nums := make([][]float64, len(in))
		vecs := make([]*linalg.VectorColumn, len(in))
		for c, arr := range in {
			var err error
			if linalg.IsVector(arr.DataType()) {
				vecs[c], err = linalg.Vectors(arr)
			} else {
				nums[c], err = ml.Float64Column(arr, nil)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, cols[c], err)
			}
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		b.Reserve(rows)
		var idx, nextIdx []int32
		var vals, nextVals, dense []float64
	rows:
		for i := 0; i < rows; i++ {
			for _, arr := range in {
				if arr.IsNull(i) {
					b.AppendNull()
					continue rows
				}
			}
			// From the last column to the first, as Spark: the earlier a
			// column, the larger its stride.
			idx, vals = append(idx[:0], 0), append(vals[:0], 1)
			size := 1
			for c := len(in) - 1; c >= 0; c-- {
				nextIdx, nextVals = nextIdx[:0], nextVals[:0]
				each := func(j int, a float64) {
					if a == 0 {
						return
					}
					for k, p := range idx {
						nextIdx = append(nextIdx, p+int32(j*size))
						nextVals = append(nextVals, vals[k]*a)
					}
				}
				n := 1
				if vc := vecs[c]; vc != nil {
					vc.ForEachActive(i, each)
					n = vc.Size(i)
				} else {
					each(0, nums[c][i])
				}
				size *= n
				idx, nextIdx = nextIdx, idx
				vals, nextVals = nextVals, vals
			}
			if 1.5*(float64(len(idx))+1) < float64(size) {
				b.AppendSparse(size, idx, vals)
				continue
			}
			if cap(dense) < size {
				dense = make([]float64, size)
			}
			dense = dense[:size]
			clear(dense)
			for k, j := range idx {
				dense[j] = vals[k]
			}
			b.AppendDense(dense)
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(s.outputCol.Get(ps), frame.UDF("interaction", linalg.VectorType(), fn, args...))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *Interaction) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *Interaction, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *Interaction) Save(path string) error { return ml.Save(s, path) }
