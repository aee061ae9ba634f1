package aggregate_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
)

// benchSource builds rows rows of: two 1-char string keys (4 combinations),
// three decimal64(12,2) columns and an int64 key of the given cardinality.
func benchSource(b *testing.B, rows, card int) *exec.MemorySource {
	dec := &arrow.Decimal64Type{Precision: 12, Scale: 2}
	s := arrow.NewSchema([]arrow.Field{
		{Name: "flag", Type: arrow.BinaryTypes.String},
		{Name: "status", Type: arrow.BinaryTypes.String},
		{Name: "qty", Type: dec},
		{Name: "price", Type: dec},
		{Name: "disc", Type: dec},
		{Name: "key", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(7, 7))
	flags, stats := []string{"A", "N", "R", "N"}, []string{"F", "O", "F", "F"}
	var batches []arrow.RecordBatch
	for done := 0; done < rows; done += exec.DefaultBatchSize {
		n := min(exec.DefaultBatchSize, rows-done)
		rb := array.NewRecordBuilder(mem, s)
		for i := 0; i < n; i++ {
			g := r.IntN(4)
			rb.Field(0).(*array.StringBuilder).Append(flags[g])
			rb.Field(1).(*array.StringBuilder).Append(stats[g])
			for c := 2; c <= 4; c++ {
				rb.Field(c).(*array.Decimal64Builder).Append(decimal.Decimal64(r.Int64N(10000000)))
			}
			rb.Field(5).(*array.Int64Builder).Append(r.Int64N(int64(card)))
		}
		batches = append(batches, rb.NewRecordBatch())
		rb.Release()
	}
	src := exec.NewMemorySource(s, [][]arrow.RecordBatch{batches})
	exec.ReleaseAll(batches)
	return src
}

func runBench(b *testing.B, src exec.Operator, groups []int, specs []aggregate.Spec, rows int) {
	env := exec.NewEnv(memory.NewGoAllocator())
	part, err := aggregate.NewPartial(env, src, groups, specs)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		bs, err := exec.Collect(context.Background(), part)
		if err != nil {
			b.Fatal(err)
		}
		exec.ReleaseAll(bs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
}

// BenchmarkQ1 is TPC-H Q1's shape: 2 string keys, 4 groups, 6 aggregates over decimals.
func BenchmarkQ1(b *testing.B) {
	const rows = 1 << 20
	src := benchSource(b, rows, 4)
	defer src.Release()
	specs := []aggregate.Spec{
		{Func: aggregate.Sum, Input: 2, Name: "sum_qty"},
		{Func: aggregate.Sum, Input: 3, Name: "sum_price"},
		{Func: aggregate.Avg, Input: 2, Name: "avg_qty"},
		{Func: aggregate.Avg, Input: 4, Name: "avg_disc"},
		{Func: aggregate.Max, Input: 3, Name: "max_price"},
		{Func: aggregate.CountStar, Name: "count_order"},
	}
	runBench(b, src, []int{0, 1}, specs, rows)
}

// BenchmarkHighCardinality groups 1M rows by an int64 key with ~256K distinct values.
func BenchmarkHighCardinality(b *testing.B) {
	const rows = 1 << 20
	src := benchSource(b, rows, 1<<18)
	defer src.Release()
	specs := []aggregate.Spec{
		{Func: aggregate.Sum, Input: 2, Name: "s"},
		{Func: aggregate.CountStar, Name: "c"},
	}
	runBench(b, src, []int{5}, specs, rows)
}
