package feature

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// PolynomialExpansion expands vectors into all monomials of their elements
// up to degree (default 2), in Spark's order: for (x, y) and degree 2,
// (x, x², y, xy, y²).
type PolynomialExpansion struct {
	ml.StageBase
	colParams
	degree param.Param[int]
}

// NewPolynomialExpansion makes a PolynomialExpansion with a new UID.
func NewPolynomialExpansion() *PolynomialExpansion {
	return newPolynomialExpansion(param.UID("PolynomialExpansion"))
}

func newPolynomialExpansion(uid string) *PolynomialExpansion {
	s := &PolynomialExpansion{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	s.degree = param.Define(s.Params(), "degree", "the polynomial degree to expand (>= 1)", param.WithDefault(2), param.WithValidator(param.GtEq(1)))
	return s
}

// SetInputCol sets the input vector column.
func (s *PolynomialExpansion) SetInputCol(c string) *PolynomialExpansion {
	s.inputCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output vector column.
func (s *PolynomialExpansion) SetOutputCol(c string) *PolynomialExpansion {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetDegree sets the degree.
func (s *PolynomialExpansion) SetDegree(d int) *PolynomialExpansion {
	s.degree.Set(s.Params(), d)
	return s
}

// ClassName implements ml.Stage.
func (s *PolynomialExpansion) ClassName() string { return classPrefix + "PolynomialExpansion" }

// TransformSchema implements ml.Stage.
func (s *PolynomialExpansion) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

// polySize is the number of monomials of n variables up to degree d, the
// constant included: C(n+d, d).
func polySize(n, d int) int {
	r := 1.0
	for i := 1; i <= d; i++ {
		r = r * float64(n+i) / float64(i)
	}
	return int(math.Round(r))
}

// expand writes the monomials of vals[0..last] of degree ≤ deg, times mult,
// starting after position cur (as Spark's expandDense); it returns the
// position after them.
func expand(vals []float64, last, deg int, mult float64, out []float64, cur int) int {
	if mult == 0 {
		// all monomials here are zero
	} else if deg == 0 || last < 0 {
		if cur >= 0 {
			out[cur] = mult
		}
	} else {
		v := vals[last]
		alpha := mult
		start := cur
		for i := 0; i <= deg && alpha != 0; i++ {
			start = expand(vals, last-1, deg-i, alpha, out, start)
			alpha *= v
		}
	}
	return cur + polySize(last+1, deg)
}

// Transform implements ml.Transformer: dense input gives dense output,
// sparse input sparse output.
func (s *PolynomialExpansion) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid, deg := s.inputCol.Get(ps), s.UID(), s.degree.Get(ps)
	res := vectorUDF(df, "polynomialExpansion", uid, in, s.outputCol.Get(ps), func() rowFn {
		var row, out []float64
		var idx []int32
		var sv []float64
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			n := vc.Size(i)
			size := polySize(n, deg) - 1
			if cap(out) < size {
				out = make([]float64, size)
			}
			out = out[:size]
			clear(out)
			row = denseRow(vc, i, row)
			expand(row, n-1, deg, 1, out, -1)
			if vc.IsDense(i) {
				b.AppendDense(out)
				return nil
			}
			idx, sv = idx[:0], sv[:0]
			for j, v := range out {
				if v != 0 {
					idx = append(idx, int32(j))
					sv = append(sv, v)
				}
			}
			b.AppendSparse(size, idx, sv)
			return nil
		}
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *PolynomialExpansion) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *PolynomialExpansion, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *PolynomialExpansion) Save(path string) error { return ml.Save(s, path) }
