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

// BenchmarkLogisticRegressionFitLarge fits the binomial model of the
// benchmarks/cmd/mlbench fits suite (regParam 0.01, no standardization, 30
// iterations, no tolerance stop) on 200 000 rows of 20 features in ten
// shifted clusters, with the data in 1 or 2 partitions.
func BenchmarkLogisticRegressionFitLarge(b *testing.B) {
	r := rand.New(rand.NewPCG(11, 12))
	const n, d = 200_000, 20
	rows := make([][]float64, n)
	src := make([]int, d)
	for j := range src {
		src[j] = j
	}
	for i := range rows {
		row := make([]float64, d+1)
		m := 0.0
		center := float64(i%10) * 0.5
		for j := 0; j < d; j++ {
			row[j] = r.NormFloat64() + center
			m += (row[j] - 2.25) * float64(j%5-2) * 0.3
		}
		if r.Float64() < 1/(1+math.Exp(-m)) {
			row[d] = 1
		}
		rows[i] = row
	}
	for _, parts := range []int{1, 2} {
		b.Run(fmt.Sprintf("partitions=%d", parts), func(b *testing.B) {
			s := frame.NewSession(frame.WithPartitions(parts))
			df := optimtest.Frame(b, s, memory.DefaultAllocator, rows, []optimtest.Col{{Name: "features", Src: src, Vec: true}, {Name: "label", Src: []int{d}}}, parts)
			lr := NewLogisticRegression().SetRegParam(0.01).SetMaxIter(30).SetTol(0).SetStandardization(false)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := lr.Fit(ctx, df); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
