package frame_test

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

func float64Batch(t *testing.T, vals ...float64) arrow.RecordBatch {
	t.Helper()
	b := array.NewFloat64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(vals, nil)
	arr := b.NewArray()
	defer arr.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Float64}}, nil)
	return array.NewRecordBatch(schema, []arrow.Array{arr}, int64(len(vals)))
}

func TestFromBatchesUDFAndAggregatePartitions(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(3))
	b1, b2, b3 := float64Batch(t, 1, 2), float64Batch(t, 3), float64Batch(t, 4, 5, 6)
	defer b1.Release()
	defer b2.Release()
	defer b3.Release()
	df, err := s.FromBatches(b1.Schema(), [][]arrow.RecordBatch{{b1}, {b2}, {b3}})
	if err != nil {
		t.Fatal(err)
	}
	square := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		in := args[0].(*array.Float64)
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		for i := 0; i < in.Len(); i++ {
			b.Append(in.Value(i) * in.Value(i))
		}
		return b.NewArray(), nil
	}
	sq := df.WithColumn("sq", frame.UDF("square", arrow.PrimitiveTypes.Float64, square, F.Col("x"))).Filter(F.Col("sq").Gt(F.Lit(4.0)))
	rows, err := sq.Agg(F.Sum(F.Col("sq")), F.Count(F.Col("sq"))).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != 9.0+16+25+36 || rows[0][1] != int64(4) {
		t.Fatalf("sum and count of squares > 4: %v", rows[0])
	}
	// One accumulator per partition, each folding only its own batches.
	sums, err := frame.AggregatePartitions(ctx, df, func(int) float64 { return 0 }, func(acc float64, b arrow.RecordBatch) (float64, error) {
		for _, v := range b.Column(0).(*array.Float64).Float64Values() {
			acc += v
		}
		return acc, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 3 || sums[0] != 3 || sums[1] != 3 || sums[2] != 15 {
		t.Fatalf("per-partition sums: %v", sums)
	}
	// A UDF returning the wrong length fails the query with its name.
	short := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		return b.NewArray(), nil
	}
	_, err = df.Select(frame.UDF("short", arrow.PrimitiveTypes.Float64, short, F.Col("x"))).Collect(ctx)
	if err == nil || !strings.Contains(err.Error(), "short(") {
		t.Fatalf("want an error naming the UDF, got %v", err)
	}
	// Batches must match the schema.
	other := arrow.NewSchema([]arrow.Field{{Name: "y", Type: arrow.PrimitiveTypes.Float64}}, nil)
	if _, err := s.FromBatches(other, [][]arrow.RecordBatch{{b1}}); err == nil {
		t.Fatal("FromBatches accepted a batch of another schema")
	}
}
