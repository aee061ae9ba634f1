package clustering

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gspark/gspark/ml/optim"
)

// TestLloydBoundsMatchPlainLloyd runs iterations with Hamerly's bounds and
// plain row-by-row Lloyd iterations side by side from the same start on
// overlapping clusters (many rows change center in early iterations) in
// three blocks, and asks for the same sums and weights at every iteration:
// with the vector kernels (where the machine has them) and with the scalar
// kernels and Hamerly's bounds.
func TestLloydBoundsMatchPlainLloyd(t *testing.T) {
	for _, m := range lloydModes {
		testLloydBoundsMatchPlainLloyd(t, m)
	}
}

// lloydMode selects the kernels and bounds of a lloyd.
type lloydMode struct {
	name   string
	scalar bool
}

var lloydModes = []lloydMode{{name: "vector"}, {name: "Hamerly", scalar: true}}

func testLloydBoundsMatchPlainLloyd(t *testing.T, mode lloydMode) {
	r := rand.New(rand.NewPCG(7, 8))
	const d, k = 6, 8
	var blocks []*optim.Block
	for _, n := range []int{700, 1, 450} {
		b := &optim.Block{N: n, D: d, X: make([]float64, n*d), W: make([]float64, n)}
		for i := 0; i < n; i++ {
			shift := float64(i%5) * 0.7
			for j := 0; j < d; j++ {
				b.X[i*d+j] = r.NormFloat64() + shift
			}
			b.W[i] = 0.5 + r.Float64()
		}
		blocks = append(blocks, b)
	}
	centers := make([][]float64, k)
	for c := range centers {
		centers[c] = append([]float64(nil), blocks[0].Row(c*3)...)
	}
	plain := make([][]float64, k)
	for c := range plain {
		plain[c] = append([]float64(nil), centers[c]...)
	}
	ll := newLloyd(blocks)
	ll.scalar = mode.scalar
	for it := 0; it < 12; it++ {
		acc, err := ll.step(ctx, centers)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]float64, k*d+k)
		for _, b := range blocks {
			for i := 0; i < b.N; i++ {
				c, _ := closest(plain, b.Row(i))
				for j, v := range b.Row(i) {
					want[c*d+j] += b.W[i] * v
				}
				want[k*d+c] += b.W[i]
			}
		}
		for i := range want {
			if math.Abs(acc[i]-want[i]) > 1e-9*(1+math.Abs(want[i])) {
				t.Fatalf("%s: iteration %d: accumulator %d is %v, plain Lloyd %v", mode.name, it, i, acc[i], want[i])
			}
		}
		for c := 0; c < k; c++ {
			if w := acc[k*d+c]; w > 0 {
				nc, pc := make([]float64, d), make([]float64, d)
				for j := range nc {
					nc[j] = acc[c*d+j] / w
					pc[j] = want[c*d+j] / w
				}
				centers[c], plain[c] = nc, pc
			}
		}
	}
}

// TestLloydEmptiedCenterIsExactlyEmpty moves every row of one center to
// another between two steps, with weights whose sum does not round back to
// 0 when taken away one by one, and asks for a sum and weight of exactly 0
// for the emptied center (as a fresh sum over no rows gives).
func TestLloydEmptiedCenterIsExactlyEmpty(t *testing.T) {
	b := &optim.Block{N: 4, D: 1, X: []float64{0.1, 0.2, 0.3, 10}, W: []float64{0.1, 0.2, 0.3, 1}}
	ll := newLloyd([]*optim.Block{b})
	acc, err := ll.step(ctx, [][]float64{{0}, {10}})
	if err != nil {
		t.Fatal(err)
	}
	// Center 0 has the first three rows: weight 0.1 + 0.2 + 0.3.
	if w := acc[2]; math.Abs(w-0.6) > 1e-15 {
		t.Fatalf("first step: weight of center 0 is %v, want 0.6", w)
	}
	acc, err = ll.step(ctx, [][]float64{{-100}, {0.2}})
	if err != nil {
		t.Fatal(err)
	}
	if acc[0] != 0 || acc[2] != 0 {
		t.Errorf("second step: center 0 has sum %v and weight %v, want exactly 0 and 0", acc[0], acc[2])
	}
	// Center 1 has every row: 0.01 + 0.04 + 0.09 + 10 and weight 1.6.
	if math.Abs(acc[1]-10.14) > 1e-12 || math.Abs(acc[3]-1.6) > 1e-15 {
		t.Errorf("second step: center 1 has sum %v and weight %v, want 10.14 and 1.6", acc[1], acc[3])
	}
}

// TestParallelCandidateWeights asks that every k-means|| candidate be
// weighted by the rows nearest to it, found by comparing each row with every
// candidate, on random rows in three blocks, with several seeds and steps.
func TestParallelCandidateWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	const d = 4
	var blocks []*optim.Block
	for _, n := range []int{500, 3, 800} {
		b := &optim.Block{N: n, D: d, X: make([]float64, n*d), W: make([]float64, n)}
		for i := 0; i < n; i++ {
			for j := 0; j < d; j++ {
				b.X[i*d+j] = r.NormFloat64() + float64(i%4)
			}
			b.W[i] = 0.5 + r.Float64()
		}
		blocks = append(blocks, b)
	}
	checked := 0
	for seed := int64(1); seed <= 4; seed++ {
		for _, steps := range []int{1, 2, 3} {
			cands, weights, err := parallelCandidates(ctx, blocks, 3, steps, seed, rand.New(rand.NewPCG(uint64(seed), 1)))
			if err != nil {
				t.Fatal(err)
			}
			if weights == nil {
				continue
			}
			checked++
			want := make([]float64, len(cands))
			for _, b := range blocks {
				for i := 0; i < b.N; i++ {
					c, _ := closest(cands, b.Row(i))
					want[c] += b.W[i]
				}
			}
			for c := range want {
				if math.Abs(weights[c]-want[c]) > 1e-9*(1+want[c]) {
					t.Errorf("seed %d, %d steps: candidate %d of %d has weight %v, want %v", seed, steps, c, len(cands), weights[c], want[c])
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no case had more than k candidates")
	}
}

// TestLloydSummaryMatchesNearest runs Lloyd iterations on overlapping
// clusters in three blocks and asks that the last pass with the bounds give
// the cluster weights and cost of assigning every row to its nearest final
// center by comparing it with every center.
func TestLloydSummaryMatchesNearest(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const d, k = 5, 6
	var blocks []*optim.Block
	for _, n := range []int{600, 2, 900} {
		b := &optim.Block{N: n, D: d, X: make([]float64, n*d), W: make([]float64, n)}
		for i := 0; i < n; i++ {
			for j := 0; j < d; j++ {
				b.X[i*d+j] = r.NormFloat64() + float64(i%3)*0.8
			}
			b.W[i] = 0.5 + r.Float64()
		}
		blocks = append(blocks, b)
	}
	for _, iters := range []int{1, 3, 10} {
		init := make([][]float64, k)
		for c := range init {
			init[c] = append([]float64(nil), blocks[2].Row(c*7)...)
		}
		for _, mode := range lloydModes {
			testLloydSummary(t, blocks, init, iters, mode)
		}
	}
}

func testLloydSummary(t *testing.T, blocks []*optim.Block, init [][]float64, iters int, mode lloydMode) {
	k := len(init)
	ll := newLloyd(blocks)
	ll.scalar = mode.scalar
	centers, _, err := ll.run(ctx, append([][]float64(nil), init...), iters, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ll.summary(ctx, centers)
	if err != nil {
		t.Fatal(err)
	}
	sizes, cost := make([]float64, k), 0.0
	for _, b := range blocks {
		for i := 0; i < b.N; i++ {
			c, dist := closest(centers, b.Row(i))
			sizes[c] += b.W[i]
			cost += b.W[i] * dist
		}
	}
	if math.Abs(got.TrainingCost-cost) > 1e-12*cost {
		t.Errorf("%s, %d iterations: cost %v, want %v", mode.name, iters, got.TrainingCost, cost)
	}
	for c := range sizes {
		if math.Abs(got.ClusterSizes[c]-sizes[c]) > 1e-12*(1+sizes[c]) {
			t.Errorf("%s, %d iterations: cluster %d has weight %v, want %v", mode.name, iters, c, got.ClusterSizes[c], sizes[c])
		}
	}
}
