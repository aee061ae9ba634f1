package clustering

import (
	"math"

	"github.com/gspark/gspark/ml/internal/simd"
	"github.com/gspark/gspark/ml/optim"
)

// panelsOf returns the centers of t transposed in panels of eight: panel q
// holds, for each feature j, the values of centers 8q … 8q+7 at j
// (p[q*8*d + j*8 + c]), zero past the last center. It is the form the
// vector kernels read.
func panelsOf(t *centerTable) []float64 {
	np := (t.k + 7) / 8
	pan := make([]float64, np*8*t.d)
	for c := 0; c < t.k; c++ {
		q, cc := c/8, c%8
		for j, v := range t.center(c) {
			pan[q*8*t.d+j*8+cc] = v
		}
	}
	return pan
}

// padded returns k rounded up to a multiple of eight: the row length of the
// dot products the vector kernels write.
func padded(k int) int { return (k + 7) / 8 * 8 }

// dotsVector writes into g (m rows of ldg ≥ padded(k) values) the dot
// products of the m rows of x (stride d) with the centers of t, four rows
// by eight centers at a time with the fused multiply-add kernels; d must be
// positive and t's panels built (t.pan, with simd.Available).
func dotsVector(x []float64, d, m int, t *centerTable, g []float64, ldg int) {
	pan := t.pan
	np := len(pan) / (8 * d)
	_ = x[m*d-1]
	_ = g[(m-1)*ldg+np*8-1]
	r := 0
	for ; r+4 <= m; r += 4 {
		for q := 0; q < np; q++ {
			simd.Dots4x8(&x[r*d], d, d, &pan[q*8*d], &g[r*ldg+q*8], ldg)
		}
	}
	for ; r < m; r++ {
		for q := 0; q < np; q++ {
			simd.Dots1x8(&x[r*d], d, &pan[q*8*d], &g[r*ldg+q*8])
		}
	}
}

// nearestOf returns the center of t nearest row x (squared norm xn) from its
// dot products g with the centers, by ‖c‖² − 2x·c, starting from guess
// (the row's center in the last pass: the comparisons then rarely change
// their outcome, which keeps the branches predictable). When another value
// is too close to the smallest for the form's rounding error to order them,
// the row is compared with every center exactly.
func nearestOf(t *centerTable, x []float64, xn float64, g []float64, guess int) int {
	g = g[:t.k]
	norms := t.norms[:len(g)]
	bc := guess
	b1 := norms[bc] - 2*g[bc]
	for c, v := range g {
		if dd := norms[c] - 2*v; dd < b1 {
			b1, bc = dd, c
		}
	}
	// The form's error is at most about (d+1)·ε·(‖x‖² + ‖c‖²) for each
	// value; twice that, with room, orders two values safely.
	lim := b1 + float64(t.d+2)*1e-15*(xn+2*t.maxNorm)
	n := 0
	for c, v := range g {
		if norms[c]-2*v <= lim {
			n++
		}
	}
	if n > 1 {
		bc, _ = closestIn(t, x)
	}
	return bc
}

// closestIn returns the center of t nearest x and the squared distance,
// computed directly (the first of equal distances).
func closestIn(t *centerTable, x []float64) (int, float64) {
	best, bd := 0, math.Inf(1)
	for c := 0; c < t.k; c++ {
		if dd := sqDist(x, t.center(c)); dd < bd {
			best, bd = c, dd
		}
	}
	return best, bd
}

// assignAll assigns every row of b to its nearest center of t with the
// vector kernels, updating the state's per-center sums for the rows that
// change center (or building them, on the first pass).
func (l *lloyd) assignAll(t *centerTable, b *optim.Block, st *lloydState, first bool) {
	k, d := t.k, t.d
	ldg := padded(k)
	g := make([]float64, rowChunk*ldg)
	for lo := 0; lo < b.N; lo += rowChunk {
		hi := min(lo+rowChunk, b.N)
		dotsVector(b.X[lo*d:hi*d], d, hi-lo, t, g, ldg)
		for r := 0; r < hi-lo; r++ {
			i := lo + r
			x := b.Row(i)
			if first {
				st.xn[i] = dotSelf(x)
			}
			c := nearestOf(t, x, st.xn[i], g[r*ldg:r*ldg+ldg], int(st.assign[i]))
			if first {
				st.assign[i] = int32(c)
				st.add(c, b.W[i], x, 1)
			} else if old := int(st.assign[i]); c != old {
				st.assign[i] = int32(c)
				st.add(old, b.W[i], x, -1)
				st.add(c, b.W[i], x, 1)
			}
		}
	}
}
