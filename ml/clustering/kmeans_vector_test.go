package clustering

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gspark/gspark/ml/internal/simd"
)

// TestDotsVectorMatchesScalar compares the fused multiply-add kernels with
// the scalar dot products on random rows, for row counts that use the
// four-row kernel, the one-row kernel or both, and center counts that fill
// one panel, leave part of one empty or need several.
func TestDotsVectorMatchesScalar(t *testing.T) {
	if !simd.Available {
		t.Skip("no AVX2 and FMA on this machine")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{1, 5, 8, 9, 17} {
		for _, d := range []int{1, 3, 20} {
			for _, m := range []int{1, 3, 4, 7, 9} {
				x := make([]float64, m*d)
				for i := range x {
					x[i] = r.NormFloat64() * 3
				}
				cs := make([][]float64, k)
				for c := range cs {
					cs[c] = make([]float64, d)
					for j := range cs[c] {
						cs[c][j] = r.NormFloat64() * 3
					}
				}
				tab := newCenterTable(cs)
				ldg := padded(k) + 3 // a stride longer than the row
				got := make([]float64, m*ldg)
				dotsVector(x, d, m, tab, got, ldg)
				want := make([]float64, m*k)
				dots(x, d, m, tab.c, k, want)
				for i := 0; i < m; i++ {
					for c := 0; c < k; c++ {
						scale := 0.0
						for j := 0; j < d; j++ {
							scale += math.Abs(x[i*d+j] * cs[c][j])
						}
						if g, w := got[i*ldg+c], want[i*k+c]; math.Abs(g-w) > 1e-14*scale {
							t.Fatalf("k=%d d=%d m=%d: row %d center %d: %v, scalar %v", k, d, m, i, c, g, w)
						}
					}
				}
			}
		}
	}
}

// TestNearestOfOrdersCloseValuesExactly places rows far from the origin
// (1e8 in every feature) with centers a little apart, where ‖c‖² − 2x·c
// loses the digits that order the centers, and asks for the nearest center
// by the exact distances.
func TestNearestOfOrdersCloseValuesExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const d, k = 4, 6
	cs := make([][]float64, k)
	for c := range cs {
		cs[c] = make([]float64, d)
		for j := range cs[c] {
			cs[c][j] = 1e8 + r.Float64()
		}
	}
	tab := newCenterTable(cs)
	g := make([]float64, padded(k))
	wrong := 0
	for i := 0; i < 2000; i++ {
		x := make([]float64, d)
		for j := range x {
			x[j] = 1e8 + r.Float64()
		}
		dots(x, d, 1, tab.c, k, g)
		want, _ := closest(cs, x)
		if got := nearestOf(tab, x, dotSelf(x), g, i%k); got != want {
			wrong++
		}
	}
	if wrong > 0 {
		t.Errorf("%d of 2000 rows assigned to a center that is not the nearest", wrong)
	}
}
