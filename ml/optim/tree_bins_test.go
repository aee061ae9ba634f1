package optim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNumBelow checks numBelow against a count of the thresholds below v,
// for every length up to 40 and values at, between and beyond thresholds.
func TestNumBelow(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for m := 0; m <= 40; m++ {
		sp := make([]float64, m)
		for k := range sp {
			sp[k] = float64(k*2) + 1 // 1, 3, 5, …
		}
		for _, v := range append([]float64{-1, 0, 1, 2, float64(2*m - 1), float64(2 * m), 1e9}, r.Float64()*float64(2*m+2)) {
			want := 0
			for _, x := range sp {
				if x < v {
					want++
				}
			}
			if got := numBelow(sp, v); got != want {
				t.Fatalf("numBelow(%d thresholds, %v) = %d, want %d", m, v, got, want)
			}
			if k, _ := slices.BinarySearch(sp, v); k != want {
				t.Fatalf("BinarySearch disagrees: %d, want %d", k, want)
			}
		}
	}
}

// TestSplitsSampleLargeInput: beyond max(maxBins², 10000) rows the
// thresholds come from a sample (as Spark), and still sit near the
// quantiles k/32 of 0…49999 (hand computed: 50000·k/32), within about four
// standard errors of a 10000-row sample's quantile.
func TestSplitsSampleLargeInput(t *testing.T) {
	const n = 50000
	b := &Block{N: n, D: 1, X: make([]float64, n), Y: make([]float64, n), W: make([]float64, n)}
	for i := range b.X {
		b.X[i], b.W[i] = float64(i), 1
	}
	sp := Splits([]*Block{b}, 32)[0]
	if len(sp) != 31 {
		t.Fatalf("%d thresholds, want 31", len(sp))
	}
	sampled := false
	for k, v := range sp {
		want := float64(n) * float64(k+1) / 32
		if d := v - want; d < -1000 || d > 1000 {
			t.Fatalf("threshold %d = %v, want about %v", k, v, want)
		}
		// With every row, each threshold is a midpoint of consecutive
		// integers; a sample's neighbours are rarely consecutive.
		if v != float64(int(v))+0.5 {
			sampled = true
		}
	}
	if !sampled {
		t.Fatalf("thresholds %v look computed from every row", sp)
	}
}

// TestForestIndependentOfPartitioning: the same rows in one block or in
// three grow the same forest (bootstrap draws and feature subsets follow
// the rows, not the blocks).
func TestForestIndependentOfPartitioning(t *testing.T) {
	one := benchBlocks(3000, 6, 1)[0]
	var three []*Block
	for lo := 0; lo < one.N; lo += 1000 {
		hi := lo + 1000
		three = append(three, &Block{N: 1000, D: one.D, X: one.X[lo*one.D : hi*one.D], Y: one.Y[lo:hi], W: one.W[lo:hi]})
	}
	cfg := ForestConfig{Tree: TreeConfig{MaxDepth: 4, MaxBins: 16, MinInstancesPerNode: 1, Impurity: "gini", NumClasses: 2, FeaturesPerNode: 2},
		NumTrees: 5, Bootstrap: true, SubsamplingRate: 1, Seed: 7}
	a, err := GrowForest(t.Context(), []*Block{one}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := GrowForest(t.Context(), three, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for k := range a {
		if len(a[k]) != len(b[k]) {
			t.Fatalf("tree %d: %d nodes with one block, %d with three", k, len(a[k]), len(b[k]))
		}
		for i := range a[k] {
			x, y := a[k][i], b[k][i]
			if x.Leaf != y.Leaf || x.Feature != y.Feature || x.Threshold != y.Threshold || x.Count != y.Count || x.Prediction != y.Prediction {
				t.Fatalf("tree %d node %d differs: %+v vs %+v", k, i, x, y)
			}
		}
	}
	if len(a[0]) < 7 {
		t.Fatalf("tree 0 has only %d nodes", len(a[0]))
	}
}
