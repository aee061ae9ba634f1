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
	benchJoin(b, mem, probe, build, BuildRight)
}

// orderSources makes a TPC-H-like key-to-key join at a fraction of SF 1:
// orders of distinct keys, eight in every 32 values as dbgen's o_orderkey,
// with a five-value string payload, and lineitem of one to seven rows per
// order in key order, each with a price; two partitions a side, batches
// alternating between them as row groups do.
func orderSources(mem memory.Allocator, orders int) (li, ord *exec.MemorySource) {
	r := rand.New(rand.NewPCG(3, 4))
	prios := []string{"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"}
	os := arrow.NewSchema([]arrow.Field{{Name: "o_orderkey", Type: arrow.PrimitiveTypes.Int64}, {Name: "o_orderpriority", Type: arrow.BinaryTypes.String}}, nil)
	ls := arrow.NewSchema([]arrow.Field{{Name: "l_orderkey", Type: arrow.PrimitiveTypes.Int64}, {Name: "l_extendedprice", Type: arrow.PrimitiveTypes.Int64}}, nil)
	var oParts, lParts [2][]arrow.RecordBatch
	var all []arrow.RecordBatch
	ok, op := array.NewInt64Builder(mem), array.NewStringBuilder(mem)
	lk, lp := array.NewInt64Builder(mem), array.NewInt64Builder(mem)
	flushO := func() {
		k, p := ok.NewArray(), op.NewArray()
		b := array.NewRecordBatch(os, []arrow.Array{k, p}, int64(k.Len()))
		k.Release()
		p.Release()
		oParts[len(all)%2] = append(oParts[len(all)%2], b)
		all = append(all, b)
	}
	flushL := func() {
		k, p := lk.NewArray(), lp.NewArray()
		b := array.NewRecordBatch(ls, []arrow.Array{k, p}, int64(k.Len()))
		k.Release()
		p.Release()
		lParts[len(all)%2] = append(lParts[len(all)%2], b)
		all = append(all, b)
	}
	for i := range orders {
		key := int64(i/8*32 + i%8 + 1)
		ok.Append(key)
		op.Append(prios[r.IntN(len(prios))])
		if ok.Len() == exec.DefaultBatchSize {
			flushO()
		}
		for range 1 + r.IntN(7) {
			lk.Append(key)
			lp.Append(r.Int64N(100000))
			if lk.Len() == exec.DefaultBatchSize {
				flushL()
			}
		}
	}
	flushO()
	flushL()
	for _, b := range []*array.Int64Builder{ok, lk, lp} {
		b.Release()
	}
	op.Release()
	li = exec.NewMemorySource(ls, lParts[:])
	ord = exec.NewMemorySource(os, oParts[:])
	exec.ReleaseAll(all)
	return li, ord
}

// BenchmarkHashJoinOrders is lineitem JOIN orders ON l_orderkey =
// o_orderkey at SF 0.25, the build side shared by the two probe partitions.
func BenchmarkHashJoinOrders(b *testing.B) { benchOrders(b, BuildRight) }

// BenchmarkHashJoinOrdersBuildLineitem is the same join built from
// lineitem, whose keys repeat.
func BenchmarkHashJoinOrdersBuildLineitem(b *testing.B) { benchOrders(b, BuildLeft) }

func benchOrders(b *testing.B, build Side) {
	mem := memory.NewGoAllocator()
	li, ord := orderSources(mem, 375_000)
	defer li.Release()
	defer ord.Release()
	benchJoin(b, mem, li, ord, build)
}

// benchJoin times the inner join of left and right on their first columns,
// building from side build.
func benchJoin(b *testing.B, mem memory.Allocator, left, right exec.Operator, build Side) {
	env := exec.NewEnv(mem)
	op, err := NewHashJoin(env, left, right, []int{0}, []int{0}, Inner, build)
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
