package clustering

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// TestBisectingKMeans: on four well-separated blobs the leaves are the
// blob means (1 and 4 partitions agree to 1e-9); the training cost equals a
// naive sum over rows and leaf centers; predictions follow the tree; a
// saved model loads back.
func TestBisectingKMeans(t *testing.T) {
	s, mem := newSession(t)
	r := rand.New(rand.NewPCG(8, 9))
	means := [][]float64{{0, 0}, {20, 0}, {0, 20}, {20, 20}}
	var rows [][]float64
	sums := make([][]float64, 4)
	for c := range sums {
		sums[c] = make([]float64, 2)
	}
	for i := 0; i < 400; i++ {
		c := i % 4
		x, y := means[c][0]+r.NormFloat64(), means[c][1]+r.NormFloat64()
		rows = append(rows, []float64{x, y})
		sums[c][0] += x / 100
		sums[c][1] += y / 100
	}
	sortPts := func(p [][]float64) {
		slices.SortFunc(p, func(a, b []float64) int {
			if c := math.Round(a[0]/10) - math.Round(b[0]/10); c != 0 {
				return int(c)
			}
			return int(math.Round(a[1]/10) - math.Round(b[1]/10))
		})
	}
	sortPts(sums)
	var first [][]float64
	for _, parts := range []int{1, 4} {
		df := optimtest.Frame(t, s, mem, rows, []optimtest.Col{{Name: "features", Src: []int{0, 1}, Vec: true}}, parts)
		m, err := NewBisectingKMeans().SetK(4).SetSeed(2).FitBisecting(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		var got [][]float64
		for _, c := range m.ClusterCenters() {
			got = append(got, c.ToArray())
		}
		if len(got) != 4 {
			t.Fatalf("%d leaves", len(got))
		}
		sortPts(got)
		for c := range sums {
			if math.Abs(got[c][0]-sums[c][0]) > 1e-9 || math.Abs(got[c][1]-sums[c][1]) > 1e-9 {
				t.Fatalf("parts=%d: centers %v, want %v", parts, got, sums)
			}
		}
		if first == nil {
			first = got
		}
		cost := 0.0
		for _, row := range rows {
			c, err := m.Predict(linalg.Dense(row...))
			if err != nil {
				t.Fatal(err)
			}
			cost += linalg.SqDist(linalg.Dense(row...), m.ClusterCenters()[c])
		}
		if math.Abs(cost-m.Summary().TrainingCost) > 1e-9*cost {
			t.Fatalf("cost %v, naive %v", m.Summary().TrainingCost, cost)
		}
		out, err := m.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		res, err := out.Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			c, _ := m.Predict(r[0].(linalg.Vector))
			if int32(c) != r[1].(int32) {
				t.Fatal("Transform and Predict disagree")
			}
		}
		if parts == 4 {
			dir := filepath.Join(t.TempDir(), "bkm")
			if err := m.Save(dir); err != nil {
				t.Fatal(err)
			}
			back, err := ml.LoadAs[*BisectingKMeansModel](ctx, dir, Register(ml.NewRegistry()))
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range back.ClusterCenters() {
				if !linalg.Equal(c, m.ClusterCenters()[i]) {
					t.Fatal("loaded centers differ")
				}
			}
		}
	}
	// Iris: k leaves, and a cost no larger than with fewer leaves.
	df, _ := irisFeatures(t, s, mem, 2)
	prev := math.Inf(1)
	for k := 2; k <= 5; k++ {
		m, err := NewBisectingKMeans().SetK(k).FitBisecting(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.ClusterCenters()) != k || m.Summary().TrainingCost > prev {
			t.Fatalf("k=%d: %d leaves, cost %v (previous %v)", k, len(m.ClusterCenters()), m.Summary().TrainingCost, prev)
		}
		prev = m.Summary().TrainingCost
	}
}
