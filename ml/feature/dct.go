package feature

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// DCT applies the orthonormal discrete cosine transform of type II to each
// vector (Spark's DCT, which is jTransforms' scaled DCT), or with
// inverse=true its inverse (the orthonormal type III). The output is dense
// and has the input's size.
type DCT struct {
	ml.StageBase
	colParams
	inverse param.Param[bool]
}

// NewDCT makes a DCT with a new UID.
func NewDCT() *DCT { return newDCT(param.UID("DCT")) }

func newDCT(uid string) *DCT {
	s := &DCT{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	s.inverse = param.Define(s.Params(), "inverse", "Set transformer to perform inverse DCT", param.WithDefault(false))
	return s
}

// SetInputCol sets the input vector column.
func (s *DCT) SetInputCol(c string) *DCT { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *DCT) SetOutputCol(c string) *DCT { s.outputCol.Set(s.Params(), c); return s }

// SetInverse sets whether to apply the inverse transform.
func (s *DCT) SetInverse(v bool) *DCT { s.inverse.Set(s.Params(), v); return s }

// ClassName implements ml.Stage.
func (s *DCT) ClassName() string { return classPrefix + "DCT" }

// TransformSchema implements ml.Stage.
func (s *DCT) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

// Transform implements ml.Transformer.
func (s *DCT) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	inv := s.inverse.Get(ps)
	res := vectorUDF(df, "dct", s.UID(), s.inputCol.Get(ps), s.outputCol.Get(ps), func() rowFn {
		var row, out []float64
		var tab dctTable
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			row = denseRow(vc, i, row)
			out = tab.apply(row, out, inv)
			b.AppendDense(out)
			return nil
		}
	})
	return res, res.Err()
}

// dctTable caches the cosines cos(π(2n+1)k/(2N)) for one size N.
type dctTable struct {
	n   int
	cos []float64 // cos[k*N+n]
}

// apply computes the orthonormal DCT-II of x (or, with inv, the DCT-III
// that inverts it) into out.
func (t *dctTable) apply(x, out []float64, inv bool) []float64 {
	n := len(x)
	if t.n != n || t.cos == nil {
		t.n = n
		t.cos = make([]float64, n*n)
		for k := 0; k < n; k++ {
			for j := 0; j < n; j++ {
				t.cos[k*n+j] = math.Cos(math.Pi * float64((2*j+1)*k) / float64(2*n))
			}
		}
	}
	if cap(out) < n {
		out = make([]float64, n)
	}
	out = out[:n]
	if n == 0 {
		return out
	}
	s0, s := math.Sqrt(1/float64(n)), math.Sqrt(2/float64(n))
	scale := func(k int) float64 {
		if k == 0 {
			return s0
		}
		return s
	}
	if !inv {
		for k := 0; k < n; k++ {
			var sum float64
			for j, v := range x {
				sum += v * t.cos[k*n+j]
			}
			out[k] = scale(k) * sum
		}
		return out
	}
	for j := 0; j < n; j++ {
		var sum float64
		for k, v := range x {
			sum += scale(k) * v * t.cos[k*n+j]
		}
		out[j] = sum
	}
	return out
}

// Copy implements ml.Stage.
func (s *DCT) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *DCT, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *DCT) Save(path string) error { return ml.Save(s, path) }
