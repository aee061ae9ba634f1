package aggregate_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
)

var wideSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.PrimitiveTypes.Int64},
	{Name: "v", Type: arrow.PrimitiveTypes.Int64},
	{Name: "s", Type: arrow.BinaryTypes.String},
}, nil)

// distinctRows is one partition of n rows with n distinct keys, a number and
// a 25-byte string per row, in batches of 4096, allocated from mem.
func distinctRows(t *testing.T, mem memory.Allocator, n int) *exec.MemorySource {
	var bs []arrow.RecordBatch
	for lo := 0; lo < n; lo += 4096 {
		b := array.NewRecordBuilder(mem, wideSchema)
		for i := lo; i < min(lo+4096, n); i++ {
			b.Field(0).(*array.Int64Builder).Append(int64(i) * 7919)
			b.Field(1).(*array.Int64Builder).Append(int64(i))
			b.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("comment number %010d", i))
		}
		bs = append(bs, b.NewRecordBatch())
		b.Release()
	}
	src := exec.NewMemorySource(wideSchema, [][]arrow.RecordBatch{bs})
	exec.ReleaseAll(bs)
	t.Cleanup(src.Release)
	return src
}

// The memory an aggregation counts for its groups is within 2x of the Go
// heap they really take, measured with runtime.MemStats over 300,000 groups
// of an int64 key with count(*), sum(int64) and max(string): what the hash
// table (slots, hashes, keys) and the accumulators (including one byte
// slice per group for the string maximum, and slices grown by doubling)
// hold.
func TestAggregationCountsTheHeapItHolds(t *testing.T) {
	const groups = 300000
	mem := memory.NewGoAllocator()
	src := distinctRows(t, mem, groups)
	budget := exec.NewBudget(memory.NewGoAllocator(), 0, nil) // no limit: nothing flushes
	env := exec.NewEnv(budget)
	env.BatchSize = 1 // the first output batch is one group
	aggs := []aggregate.Spec{
		{Func: aggregate.CountStar, Name: "n"},
		{Func: aggregate.Sum, Input: 1, Name: "v"},
		{Func: aggregate.Max, Input: 2, Name: "s"},
	}
	op, err := aggregate.NewPartial(env, src, []int{0}, aggs)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s, err := exec.Open(context.Background(), op, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Next() // builds the whole table
	if err != nil {
		t.Fatal(err)
	}
	b.Release()
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	counted := budget.Used()
	t.Logf("%d groups: heap grew %d B (%.0f B/group), counted %d B (%.0f B/group)",
		groups, heap, float64(heap)/groups, counted, float64(counted)/groups)
	if counted < heap/2 || counted > 2*heap {
		t.Errorf("counted %d bytes for a heap growth of %d", counted, heap)
	}
	runtime.KeepAlive(s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
