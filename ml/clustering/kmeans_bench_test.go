package clustering

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
)

// benchFrame makes n rows of d standard normal features around ten shifted
// centers in parts partitions.
func benchFrame(b *testing.B, n, d, parts int) *frame.DataFrame {
	mem := memory.DefaultAllocator
	r := rand.New(rand.NewPCG(3, 4))
	schema := arrow.NewSchema([]arrow.Field{{Name: "features", Type: linalg.VectorType(), Nullable: true}}, nil)
	batches := make([][]arrow.RecordBatch, parts)
	const size = 8192
	row := make([]float64, d)
	for lo := 0; lo < n; lo += size {
		hi := min(lo+size, n)
		vb := linalg.NewVectorBuilder(mem)
		for i := lo; i < hi; i++ {
			for j := range row {
				row[j] = r.NormFloat64() + float64(i%10)*0.5
			}
			vb.AppendDense(row)
		}
		col := vb.NewArray()
		vb.Release()
		p := (lo / size) % parts
		batches[p] = append(batches[p], array.NewRecordBatch(schema, []arrow.Array{col}, int64(hi-lo)))
		col.Release()
	}
	df, err := frame.NewSession(frame.WithPartitions(parts)).FromBatches(schema, batches)
	for _, bs := range batches {
		for _, rb := range bs {
			rb.Release()
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	return df
}

// BenchmarkKMeansFit fits k = 8 on 200K × 20 rows in 2 partitions, 20
// iterations without a tolerance stop.
func BenchmarkKMeansFit(b *testing.B) {
	df := benchFrame(b, 200_000, 20, 2)
	defer df.Unpersist()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := NewKMeans().SetK(8).SetMaxIter(20).SetTol(0).SetSeed(1).FitKMeans(ctx, df); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNearest times the blocked assignment of 100K × 20 rows to 8
// centers.
func BenchmarkNearest(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	blk := &optim.Block{N: 100_000, D: 20, X: make([]float64, 100_000*20)}
	for i := range blk.X {
		blk.X[i] = r.NormFloat64()
	}
	var cs [][]float64
	for c := 0; c < 8; c++ {
		cs = append(cs, append([]float64(nil), blk.Row(c)...))
	}
	t := newCenterTable(cs)
	best := make([]int32, rowChunk)
	var kn kernel
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		for lo := 0; lo < blk.N; lo += rowChunk {
			kn.nearest(t, blk, lo, min(lo+rowChunk, blk.N), best, nil)
		}
	}
}

func BenchmarkDots(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, 100_000*20)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	c := x[:8*20]
	g := make([]float64, rowChunk*8)
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		for lo := 0; lo < 100_000; lo += rowChunk {
			m := min(rowChunk, 100_000-lo)
			dots(x[lo*20:], 20, m, c, 8, g)
		}
	}
}
