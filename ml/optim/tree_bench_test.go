package optim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// benchBlocks makes n rows of d normal features with labels from a
// logistic model, split into parts blocks.
func benchBlocks(n, d, parts int) []*Block {
	r := rand.New(rand.NewPCG(1, 2))
	blocks := make([]*Block, parts)
	for p := range blocks {
		m := n / parts
		b := &Block{N: m, D: d, X: make([]float64, m*d), Y: make([]float64, m), W: make([]float64, m)}
		for i := 0; i < m; i++ {
			s := 0.0
			for j := 0; j < d; j++ {
				v := r.NormFloat64()
				b.X[i*d+j] = v
				s += v * float64(j%5-2) * 0.3
			}
			if r.Float64() < 1/(1+math.Exp(-s)) {
				b.Y[i] = 1
			}
			b.W[i] = 1
		}
		blocks[p] = b
	}
	return blocks
}

// BenchmarkTrees grows a 20-tree depth-6 forest and 20 depth-4 boosted
// trees over 1M × 20 rows in 1 and 2 blocks.
func BenchmarkTrees(b *testing.B) {
	ctx := context.Background()
	for _, parts := range []int{1, 2} {
		blocks := benchBlocks(1_000_000, 20, parts)
		b.Run(fmt.Sprintf("forest/parts=%d", parts), func(b *testing.B) {
			for range b.N {
				cfg := ForestConfig{Tree: TreeConfig{MaxDepth: 6, MaxBins: 32, MinInstancesPerNode: 1, Impurity: "gini", NumClasses: 2, FeaturesPerNode: 5},
					NumTrees: 20, Bootstrap: true, SubsamplingRate: 1, Seed: 1}
				if _, err := GrowForest(ctx, blocks, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("boost/parts=%d", parts), func(b *testing.B) {
			for range b.N {
				cfg := TreeConfig{MaxDepth: 4, MaxBins: 32, MinInstancesPerNode: 1, Impurity: "variance"}
				if _, _, err := Boost(ctx, blocks, cfg, 20, 0.1, func(y float64) float64 { return 2*y - 1 },
					func(v, f float64) float64 { y := 2*v - 1; return 4 * y / (1 + math.Exp(2*y*f)) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
