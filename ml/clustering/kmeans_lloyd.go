package clustering

import (
	"context"
	"math"

	"github.com/gspark/gspark/ml/optim"
)

// lloyd runs the assignment half of Lloyd's iterations with Hamerly's
// bounds: each row keeps an upper bound on its distance to its assigned
// center and a lower bound on its distance to every other center. After the
// centers move, the upper bound grows by the assigned center's move and the
// lower bound shrinks by the largest move; a row whose upper bound is below
// both the lower bound and half the distance from its center to the nearest
// other center cannot have changed its nearest center and is not compared
// with any center. The assignments are those of plain Lloyd iterations (up
// to rounding at exact ties). The per-center sums of the rows are kept
// between passes and updated for the rows that change center only.
//
// Where the fused multiply-add kernels run (simd.Available), no bounds are
// kept: every row is compared with every center, four rows by eight centers
// at a time (kmeans_vector.go), which costs less than keeping and testing
// the bounds.
type lloyd struct {
	blocks []*optim.Block
	index  map[*optim.Block]int
	states []*lloydState
	prev   *centerTable // the centers of the last pass, nil before the first
	// scalar keeps to the bounds and scalar kernels even where the vector
	// kernels can run (for tests).
	scalar bool
}

// pass describes the centers of one pass against those of the last:
// move[c] is how far center c moved, maxMove the largest move and half[c]
// half the distance from c to its nearest other center.
type pass struct {
	t       *centerTable
	move    []float64
	maxMove float64
	half    []float64
	first   bool
	// vector: every row is compared with every center through the vector
	// kernels, and no bounds are kept.
	vector bool
}

// lloydState is the per-block state: assignments, bounds and row norms.
type lloydState struct {
	assign       []int32
	upper, lower []float64 // distances (not squared)
	xn           []float64 // squared row norms
	// sums holds, for each center c, the weighted sum of the rows assigned
	// to it (sums[c*d : c*d+d]) and their weight (sums[k*d+c]); counts the
	// number of those rows. They are computed once and then updated for the
	// rows that change center only.
	sums   []float64
	counts []int
}

func newLloyd(blocks []*optim.Block) *lloyd {
	l := &lloyd{blocks: blocks, index: map[*optim.Block]int{}, states: make([]*lloydState, len(blocks))}
	for p, b := range blocks {
		l.index[b] = p
	}
	return l
}

// step assigns every row to its nearest center of centers and returns, for
// each center c, the weighted sum of its rows (acc[c*d : c*d+d]) and their
// weight (acc[k*d+c]), summed over the blocks in block order.
func (l *lloyd) step(ctx context.Context, centers [][]float64) ([]float64, error) {
	ps := l.advance(centers)
	k, d := ps.t.k, ps.t.d
	return optim.Reduce(ctx, l.blocks, k*d+k, func(b *optim.Block, a []float64) {
		p := l.index[b]
		switch {
		case ps.vector && ps.first:
			st := &lloydState{assign: make([]int32, b.N), xn: make([]float64, b.N), sums: make([]float64, k*d+k), counts: make([]int, k)}
			l.assignAll(ps.t, b, st, true)
			l.states[p] = st
		case ps.vector:
			l.assignAll(ps.t, b, l.states[p], false)
		case ps.first:
			st := l.full(ps.t, b)
			st.sums, st.counts = make([]float64, k*d+k), make([]int, k)
			for i := 0; i < b.N; i++ {
				st.add(int(st.assign[i]), b.W[i], b.Row(i), 1)
			}
			l.states[p] = st
		default:
			st := l.states[p]
			g := make([]float64, k)
			for i := 0; i < b.N; i++ {
				c := int(st.assign[i])
				if nc := l.visit(ps, st, i, b.Row(i), g); nc != c {
					st.add(c, b.W[i], b.Row(i), -1)
					st.add(nc, b.W[i], b.Row(i), 1)
				}
			}
		}
		st := l.states[p]
		for c, n := range st.counts {
			if n == 0 {
				// Exactly empty, whatever the rounding of the removals.
				clear(st.sums[c*d : c*d+d])
				st.sums[k*d+c] = 0
			}
		}
		copy(a, st.sums)
	})
}

// advance makes centers the current pass's and returns what the rows'
// visits need to know about them.
func (l *lloyd) advance(centers [][]float64) *pass {
	t := newCenterTable(centers)
	ps := &pass{t: t, first: l.prev == nil, vector: t.pan != nil && !l.scalar}
	ps.move, ps.maxMove = l.move(t)
	ps.half = halfGaps(t)
	l.prev = t
	return ps
}

// visit brings row i's bounds up to the pass's centers and returns its
// nearest center, comparing the row with the centers only where the bounds
// allow a nearer one than its own.
func (l *lloyd) visit(ps *pass, st *lloydState, i int, x, g []float64) int {
	c := int(st.assign[i])
	u := st.upper[i] + ps.move[c]
	lo := st.lower[i] - ps.maxMove
	st.upper[i], st.lower[i] = u, lo
	m := ps.half[c]
	if lo > m {
		m = lo
	}
	if u <= m {
		return c
	}
	u = math.Sqrt(sqDist(x, ps.t.center(c)))
	st.upper[i] = u
	if u <= m {
		return c
	}
	dots(x, ps.t.d, 1, ps.t.c, ps.t.k, g)
	l.bounds(ps.t, st, i, x, g, c, u)
	return int(st.assign[i])
}

// add adds (sign 1) or removes (sign −1) row x of weight w to or from the
// sums of center c.
func (st *lloydState) add(c int, w float64, x []float64, sign int) {
	d := len(x)
	k := len(st.counts)
	row := st.sums[c*d : c*d+d]
	sw := float64(sign) * w
	for j, v := range x {
		row[j] += sw * v
	}
	st.sums[k*d+c] += sw
	st.counts[c] += sign
}

// full computes the assignments and bounds of every row of b from scratch,
// a chunk of rows at a time through the blocked kernel.
func (l *lloyd) full(t *centerTable, b *optim.Block) *lloydState {
	st := &lloydState{assign: make([]int32, b.N), upper: make([]float64, b.N), lower: make([]float64, b.N), xn: make([]float64, b.N)}
	k, d := t.k, t.d
	g := make([]float64, rowChunk*k)
	for lo := 0; lo < b.N; lo += rowChunk {
		hi := min(lo+rowChunk, b.N)
		dots(b.X[lo*d:hi*d], d, hi-lo, t.c, k, g)
		for r := 0; r < hi-lo; r++ {
			i := lo + r
			st.xn[i] = dotSelf(b.Row(i))
			l.bounds(t, st, i, b.Row(i), g[r*k:r*k+k], -1, 0)
		}
	}
	return st
}

// bounds sets row i's assignment and bounds from its dot products g with
// every center: the upper bound is the exact distance to the nearest center,
// the lower bound the distance to the second nearest from the norm form,
// lowered by that form's rounding error. When the nearest center is known
// (its distance knownDist already computed as the upper bound would be),
// that distance is not computed again; known is −1 when there is none.
func (l *lloyd) bounds(t *centerTable, st *lloydState, i int, x, g []float64, known int, knownDist float64) {
	b1, b2 := math.Inf(1), math.Inf(1)
	bc := 0
	for c, v := range g {
		dd := t.norms[c] - 2*v
		switch {
		case dd < b1:
			b1, b2, bc = dd, b1, c
		case dd < b2:
			b2 = dd
		}
	}
	st.assign[i] = int32(bc)
	if bc == known {
		st.upper[i] = knownDist
	} else {
		st.upper[i] = math.Sqrt(sqDist(x, t.center(bc)))
	}
	if math.IsInf(b2, 1) {
		st.lower[i] = math.Inf(1) // a single center
		return
	}
	sq := b2 + st.xn[i]
	slack := 1e-12 * (st.xn[i] + math.Abs(b2) + 1)
	st.lower[i] = math.Sqrt(math.Max(sq-slack, 0))
}

// move returns how far each center of t moved since the last pass and the
// largest of those moves (all 0 before the first pass).
func (l *lloyd) move(t *centerTable) ([]float64, float64) {
	move, maxMove := make([]float64, t.k), 0.0
	if l.prev != nil {
		for c := range move {
			move[c] = math.Sqrt(sqDist(t.center(c), l.prev.center(c)))
			maxMove = math.Max(maxMove, move[c])
		}
	}
	return move, maxMove
}

// halfGaps returns, for each center of t, half the distance to its nearest
// other center.
func halfGaps(t *centerTable) []float64 {
	half := make([]float64, t.k)
	for c := range half {
		half[c] = math.Inf(1)
		for o := 0; o < t.k; o++ {
			if o != c {
				half[c] = math.Min(half[c], math.Sqrt(sqDist(t.center(c), t.center(o)))/2)
			}
		}
	}
	return half
}

// summary assigns every row to its nearest center of centers, as step does
// (after at least one step; it is the last pass: the row sums are not kept
// up to date), and returns the cluster weights and the
// training cost: the weighted sum of the squared distances from each row to
// its center.
func (l *lloyd) summary(ctx context.Context, centers [][]float64) (*KMeansSummary, error) {
	ps := l.advance(centers)
	k := ps.t.k
	acc, err := optim.Reduce(ctx, l.blocks, k+1, func(b *optim.Block, a []float64) {
		st := l.states[l.index[b]]
		if ps.vector {
			l.assignAll(ps.t, b, st, false)
			for i := 0; i < b.N; i++ {
				x, c, w := b.Row(i), int(st.assign[i]), b.W[i]
				a[c] += w
				a[k] += w * sqDist(x, ps.t.center(c))
			}
			return
		}
		g := make([]float64, k)
		for i := 0; i < b.N; i++ {
			x := b.Row(i)
			c := l.visit(ps, st, i, x, g)
			w := b.W[i]
			a[c] += w
			a[k] += w * sqDist(x, ps.t.center(c))
		}
	})
	if err != nil {
		return nil, err
	}
	return &KMeansSummary{TrainingCost: acc[k], ClusterSizes: acc[:k]}, nil
}
