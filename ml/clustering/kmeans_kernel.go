package clustering

import (
	"math"

	"github.com/gspark/gspark/ml/internal/simd"
	"github.com/gspark/gspark/ml/optim"
)

// rowChunk is the number of rows whose dot products with every center are
// computed together (a rows × centers block, kept in the L1/L2 cache).
const rowChunk = 192

// centerTable holds k centers of d features, row-major, with their squared
// Euclidean norms, the form the blocked distance kernel reads.
type centerTable struct {
	k, d    int
	c       []float64
	norms   []float64
	pan     []float64 // the centers in panels of eight (panelsOf), with simd.Available
	maxNorm float64   // the largest of norms
}

func newCenterTable(centers [][]float64) *centerTable {
	t := &centerTable{k: len(centers)}
	if t.k == 0 {
		return t
	}
	t.d = len(centers[0])
	t.c = make([]float64, 0, t.k*t.d)
	t.norms = make([]float64, t.k)
	for i, c := range centers {
		t.c = append(t.c, c...)
		t.norms[i] = dotSelf(c)
		t.maxNorm = max(t.maxNorm, t.norms[i])
	}
	if simd.Available && t.d > 0 {
		t.pan = panelsOf(t)
	}
	return t
}

// center returns center i (a slice of the table).
func (t *centerTable) center(i int) []float64 { return t.c[i*t.d : (i+1)*t.d] }

func dotSelf(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s
}

// kernel is one goroutine's scratch space for nearest.
type kernel struct {
	g []float64 // rowChunk × k dot products
}

// nearest sets best[i-lo] to the index of the center nearest row i of b, for
// lo ≤ i < hi (hi − lo ≤ rowChunk), from ‖x‖² − 2x·c + ‖c‖² with the dot
// products of the whole chunk computed first (‖x‖² is the same for every
// center, so the comparison leaves it out). When dist is not nil, dist[i-lo] is the squared distance to that
// center recomputed directly (the norm form loses precision when x is close
// to c, and costs are summed from these).
func (kn *kernel) nearest(t *centerTable, b *optim.Block, lo, hi int, best []int32, dist []float64) {
	m, k, d := hi-lo, t.k, t.d
	ldg := k
	if t.pan != nil {
		ldg = padded(k)
	}
	if cap(kn.g) < rowChunk*ldg {
		kn.g = make([]float64, rowChunk*ldg)
	}
	g := kn.g[:m*ldg]
	if t.pan != nil {
		dotsVector(b.X[lo*d:hi*d], d, m, t, g, ldg)
	} else {
		dots(b.X[lo*d:hi*d], d, m, t.c, k, g)
	}
	for r := 0; r < m; r++ {
		gr := g[r*ldg : r*ldg+k]
		bc, bd := 0, math.Inf(1)
		for c, v := range gr {
			if dd := t.norms[c] - 2*v; dd < bd {
				bc, bd = c, dd
			}
		}
		best[r] = int32(bc)
		if dist != nil {
			dist[r] = sqDist(b.Row(lo+r), t.center(bc))
		}
	}
}

// dots writes into g (m × k, row-major) the dot products of the m rows of x
// (stride d) with the k centers of c (k × d), eight (then four, then one)
// centers at a time so that independent sums are in flight while each value
// of the row is loaded once.
func dots(x []float64, d, m int, c []float64, k int, g []float64) {
	for r := 0; r < m; r++ {
		xr := x[r*d : r*d+d]
		gr := g[r*k : r*k+k]
		c0 := 0
		for ; c0+8 <= k; c0 += 8 {
			cc := c[c0*d : (c0+8)*d]
			n := len(xr) // the same as d; lets the compiler drop the bounds checks
			c1, c2, c3, c4 := cc[:n], cc[d:d+n], cc[2*d:2*d+n], cc[3*d:3*d+n]
			c5, c6, c7, c8 := cc[4*d:4*d+n], cc[5*d:5*d+n], cc[6*d:6*d+n], cc[7*d:7*d+n]
			_, _, _, _ = c1[n-1], c2[n-1], c3[n-1], c4[n-1]
			_, _, _, _ = c5[n-1], c6[n-1], c7[n-1], c8[n-1]
			var s1, s2, s3, s4, s5, s6, s7, s8 float64
			for j, v := range xr {
				s1 += v * c1[j]
				s2 += v * c2[j]
				s3 += v * c3[j]
				s4 += v * c4[j]
				s5 += v * c5[j]
				s6 += v * c6[j]
				s7 += v * c7[j]
				s8 += v * c8[j]
			}
			gr[c0], gr[c0+1], gr[c0+2], gr[c0+3] = s1, s2, s3, s4
			gr[c0+4], gr[c0+5], gr[c0+6], gr[c0+7] = s5, s6, s7, s8
		}
		for ; c0+4 <= k; c0 += 4 {
			cc := c[c0*d : (c0+4)*d]
			n := len(xr)
			c1, c2, c3, c4 := cc[:n], cc[d:d+n], cc[2*d:2*d+n], cc[3*d:3*d+n]
			_, _, _, _ = c1[n-1], c2[n-1], c3[n-1], c4[n-1]
			var s1, s2, s3, s4 float64
			for j, v := range xr {
				s1 += v * c1[j]
				s2 += v * c2[j]
				s3 += v * c3[j]
				s4 += v * c4[j]
			}
			gr[c0], gr[c0+1], gr[c0+2], gr[c0+3] = s1, s2, s3, s4
		}
		for ; c0 < k; c0++ {
			c1 := c[c0*d : c0*d+len(xr)]
			s := 0.0
			for j, v := range xr {
				s += v * c1[j]
			}
			gr[c0] = s
		}
	}
}
