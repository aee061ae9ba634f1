package aggregate_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
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

// q1Source builds rows rows shaped like TPC-H Q1's input to the aggregate:
// l_returnflag, l_linestatus (1-char strings), quantity, extendedprice and
// discount as decimal64(15,2), disc_price as decimal128(32,4) and charge as
// decimal128(38,6).
//
// With distinct > 0 only that many batches are built and repeated, so the
// input stays in cache as it would coming out of a pipelined scan.
func q1Source(rows, distinct int) *exec.MemorySource {
	d64 := &arrow.Decimal64Type{Precision: 15, Scale: 2}
	s := arrow.NewSchema([]arrow.Field{
		{Name: "flag", Type: arrow.BinaryTypes.String},
		{Name: "status", Type: arrow.BinaryTypes.String},
		{Name: "qty", Type: d64},
		{Name: "price", Type: d64},
		{Name: "disc", Type: d64},
		{Name: "disc_price", Type: &arrow.Decimal128Type{Precision: 32, Scale: 4}},
		{Name: "charge", Type: &arrow.Decimal128Type{Precision: 38, Scale: 6}},
	}, nil)
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(1, 2))
	var batches []arrow.RecordBatch
	for done := 0; done < rows; done += exec.DefaultBatchSize {
		n := min(exec.DefaultBatchSize, rows-done)
		rb := array.NewRecordBuilder(mem, s)
		for i := 0; i < n; i++ {
			flag, status := "N", "O"
			switch p := r.IntN(200); {
			case p < 50:
				flag, status = "A", "F"
			case p < 100:
				flag, status = "R", "F"
			case p < 101:
				flag, status = "N", "F"
			}
			qty := r.Int64N(50)*100 + 100
			price := r.Int64N(10000000) + 90000
			disc := r.Int64N(11)
			tax := r.Int64N(9)
			dp := price * (100 - disc)
			rb.Field(0).(*array.StringBuilder).Append(flag)
			rb.Field(1).(*array.StringBuilder).Append(status)
			rb.Field(2).(*array.Decimal64Builder).Append(decimal.Decimal64(qty))
			rb.Field(3).(*array.Decimal64Builder).Append(decimal.Decimal64(price))
			rb.Field(4).(*array.Decimal64Builder).Append(decimal.Decimal64(disc))
			rb.Field(5).(*array.Decimal128Builder).Append(decimal128.FromI64(dp))
			rb.Field(6).(*array.Decimal128Builder).Append(decimal128.FromI64(dp * (100 + tax)))
		}
		batches = append(batches, rb.NewRecordBatch())
		rb.Release()
		if len(batches) == distinct {
			break
		}
	}
	if distinct > 0 {
		all := make([]arrow.RecordBatch, 0, rows/exec.DefaultBatchSize+1)
		for done := 0; done < rows; done += exec.DefaultBatchSize {
			all = append(all, batches[len(all)%len(batches)])
		}
		src := exec.NewMemorySource(s, [][]arrow.RecordBatch{all})
		exec.ReleaseAll(batches)
		return src
	}
	src := exec.NewMemorySource(s, [][]arrow.RecordBatch{batches})
	exec.ReleaseAll(batches)
	return src
}

// BenchmarkQ1Exact is the aggregate of TPC-H Q1: two 1-char string keys,
// sums over decimal64 and decimal128, three decimal averages and count(*).
func BenchmarkQ1Exact(b *testing.B) {
	const rows = 1 << 20
	b.Run("cold", func(b *testing.B) { benchQ1(b, q1Source(rows, 0), rows) })
	b.Run("hot", func(b *testing.B) { benchQ1(b, q1Source(rows, 8), rows) })
}

func benchQ1(b *testing.B, src *exec.MemorySource, rows int) {
	defer src.Release()
	specs := []aggregate.Spec{
		{Func: aggregate.Sum, Input: 2, Name: "sum_qty"},
		{Func: aggregate.Sum, Input: 3, Name: "sum_base_price"},
		{Func: aggregate.Sum, Input: 5, Name: "sum_disc_price"},
		{Func: aggregate.Sum, Input: 6, Name: "sum_charge"},
		{Func: aggregate.Avg, Input: 2, Name: "avg_qty"},
		{Func: aggregate.Avg, Input: 3, Name: "avg_price"},
		{Func: aggregate.Avg, Input: 4, Name: "avg_disc"},
		{Func: aggregate.CountStar, Name: "count_order"},
	}
	runBench(b, src, []int{0, 1}, specs, rows)
}
