package clustering

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gspark/gspark/ml/optim"
)

// TestNearestMatchesNaive compares the blocked kernel with a row-at-a-time
// search over every center on random rows, for center counts that exercise
// the 8-, 4- and 1-wide paths and a last chunk shorter than rowChunk.
func TestNearestMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{1, 3, 4, 8, 13} {
		for _, d := range []int{1, 5, 20} {
			n := 2*rowChunk + 17
			b := &optim.Block{N: n, D: d, X: make([]float64, n*d)}
			for i := range b.X {
				b.X[i] = r.NormFloat64() * 3
			}
			var cs [][]float64
			for c := 0; c < k; c++ {
				ctr := make([]float64, d)
				for j := range ctr {
					ctr[j] = r.NormFloat64() * 3
				}
				cs = append(cs, ctr)
			}
			tab := newCenterTable(cs)
			var kn kernel
			best, dist := make([]int32, rowChunk), make([]float64, rowChunk)
			for lo := 0; lo < n; lo += rowChunk {
				hi := min(lo+rowChunk, n)
				kn.nearest(tab, b, lo, hi, best, dist)
				for i := lo; i < hi; i++ {
					x := b.Row(i)
					wantD := math.Inf(1)
					for _, c := range cs {
						s := 0.0
						for j := range x {
							s += (x[j] - c[j]) * (x[j] - c[j])
						}
						wantD = math.Min(wantD, s)
					}
					// The chosen center must be nearest up to rounding of
					// the norm form (ties may go either way).
					if got := dist[i-lo]; math.Abs(got-wantD) > 1e-9*(1+wantD) {
						t.Fatalf("k=%d d=%d row %d: center %d at %v, nearest at %v", k, d, i, best[i-lo], got, wantD)
					}
				}
			}
		}
	}
}

// TestSqDist checks sqDist against sums written out by hand for lengths 0
// to 6 (the unrolled loop and its tail).
func TestSqDist(t *testing.T) {
	a := []float64{1, 2, 3, 4, 5, 6}
	b := []float64{0.5, -1, 2, 4.25, -3, 10}
	// (a−b)² term by term: 0.25, 9, 1, 0.0625, 64, 16.
	want := []float64{0, 0.25, 9.25, 10.25, 10.3125, 74.3125, 90.3125}
	for n := 0; n <= 6; n++ {
		if got := sqDist(a[:n], b); got != want[n] {
			t.Errorf("sqDist of length %d = %v, want %v", n, got, want[n])
		}
	}
}
