package sort

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
)

func BenchmarkSortInt64(b *testing.B) {
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(1, 2))
	s := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}}, nil)
	const rows, nparts = 1_000_000, 4
	parts := make([][]arrow.RecordBatch, nparts)
	var all []arrow.RecordBatch
	for i := 0; i < rows; i += exec.DefaultBatchSize {
		n := min(exec.DefaultBatchSize, rows-i)
		kb := array.NewInt64Builder(mem)
		for range n {
			kb.Append(r.Int64())
		}
		k := kb.NewArray()
		rb := array.NewRecordBatch(s, []arrow.Array{k}, int64(n))
		k.Release()
		kb.Release()
		p := (i / exec.DefaultBatchSize) % nparts
		parts[p] = append(parts[p], rb)
		all = append(all, rb)
	}
	src := exec.NewMemorySource(s, parts)
	exec.ReleaseAll(all)
	defer src.Release()
	op, err := NewSort(exec.NewEnv(mem), src, []Key{{Col: 0}})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		bs, err := exec.Collect(b.Context(), op)
		if err != nil {
			b.Fatal(err)
		}
		exec.ReleaseAll(bs)
	}
}
