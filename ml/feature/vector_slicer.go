package feature

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

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
