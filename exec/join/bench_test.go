package join

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
)

// int64Source makes nparts partitions of batches of (key, payload) int64 rows,
// keys drawn from [0, keyRange).
func int64Source(mem memory.Allocator, rows, nparts int, keyRange int64, seed uint64) *exec.MemorySource {
	r := rand.New(rand.NewPCG(seed, 1))
	s := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	parts := make([][]arrow.RecordBatch, nparts)
	var all []arrow.RecordBatch
	for i := 0; i < rows; i += exec.DefaultBatchSize {
		n := min(exec.DefaultBatchSize, rows-i)
		kb, vb := array.NewInt64Builder(mem), array.NewInt64Builder(mem)
		for j := range n {
			kb.Append(r.Int64N(keyRange))
			vb.Append(int64(i + j))
		}
		k, v := kb.NewArray(), vb.NewArray()
		b := array.NewRecordBatch(s, []arrow.Array{k, v}, int64(n))
		k.Release()
		v.Release()
		kb.Release()
		vb.Release()
		p := (i / exec.DefaultBatchSize) % nparts
		parts[p] = append(parts[p], b)
		all = append(all, b)
	}
	src := exec.NewMemorySource(s, parts)
	exec.ReleaseAll(all)
	return src
}

func BenchmarkHashJoinInt64(b *testing.B) {
	mem := memory.NewGoAllocator()
	probe := int64Source(mem, 1_000_000, 8, 100_000, 1)
	build := int64Source(mem, 100_000, 8, 100_000, 2)
	defer probe.Release()
	defer build.Release()
	env := exec.NewEnv(mem)
	op, err := NewHashJoin(env, probe, build, []int{0}, []int{0}, Inner, BuildRight)
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
