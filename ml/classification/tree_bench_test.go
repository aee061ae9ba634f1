package classification

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// BenchmarkTreeEnsembleFit fits a 20-tree depth-6 forest and 20 depth-4
// boosted trees from a DataFrame of 1M × 20 rows in 1 and 2 partitions.
func BenchmarkTreeEnsembleFit(b *testing.B) {
	const n, d = 1_000_000, 20
	r := rand.New(rand.NewPCG(5, 6))
	rows := make([][]float64, n)
	for i := range rows {
		row := make([]float64, d+1)
		s := 0.0
		for j := 0; j < d; j++ {
			row[j] = r.NormFloat64()
			s += row[j] * float64(j%5-2) * 0.3
		}
		if r.Float64() < 1/(1+math.Exp(-s)) {
			row[d] = 1
		}
		rows[i] = row
	}
	src := make([]int, d)
	for j := range src {
		src[j] = j
	}
	cols := []optimtest.Col{{Name: "features", Src: src, Vec: true}, {Name: "label", Src: []int{d}}}
	for _, parts := range []int{1, 2} {
		s := frame.NewSession(frame.WithPartitions(parts))
		df := optimtest.Frame(b, s, memory.DefaultAllocator, rows, cols, parts)
		b.Run(fmt.Sprintf("forest/parts=%d", parts), func(b *testing.B) {
			for range b.N {
				if _, err := NewRandomForestClassifier().SetNumTrees(20).SetMaxDepth(6).SetSeed(1).FitForest(b.Context(), df); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("gbt/parts=%d", parts), func(b *testing.B) {
			for range b.N {
				if _, err := NewGBTClassifier().SetMaxIter(20).SetMaxDepth(4).FitGBT(b.Context(), df); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
