package aggregate_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exectest"
)

// TestDecimalSumWidensLazily: a decimal64 sum keeps one int64 per group
// until a group's sum overflows it. Here the first batch overflows the
// int64 of its groups; the later batches bring new groups, created after the
// 128-bit parts exist, that overflow too and groups that never do. Every
// sum is checked against big integers (the values are 10^18-1 - k).
func TestDecimalSumWidensLazily(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64},
		{Name: "d", Type: &arrow.Decimal64Type{Precision: 18, Scale: 0}},
	}, nil)
	want := map[int64]*big.Int{}
	var batches []arrow.RecordBatch
	add := func(keys []int64, vals []int64) {
		b := array.NewRecordBuilder(mem, schema)
		defer b.Release()
		for i, k := range keys {
			b.Field(0).(*array.Int64Builder).Append(k)
			b.Field(1).(*array.Decimal64Builder).Append(decimal.Decimal64(vals[i]))
			if want[k] == nil {
				want[k] = new(big.Int)
			}
			want[k].Add(want[k], big.NewInt(vals[i]))
		}
		batches = append(batches, b.NewRecordBatch())
	}
	const near = 999_999_999_999_999_999
	for round := range 4 {
		var keys, vals []int64
		for g := int64(0); g < 300; g++ {
			k := int64(round)*1000 + g
			n := 3
			if g%3 == 0 {
				n = 25 // 25 × ~10^18 overflows an int64
			}
			for j := range n {
				v := int64(near - int64(j) - g)
				if g%5 == 0 {
					v = int64(j) + g // small values: never overflow
				}
				keys, vals = append(keys, k), append(vals, v)
			}
		}
		add(keys, vals)
	}
	src := exec.NewMemorySource(schema, [][]arrow.RecordBatch{batches})
	exec.ReleaseAll(batches)
	defer src.Release()
	env := &exec.Env{Mem: mem}
	part, err := aggregate.NewPartial(env, src, []int{0}, []aggregate.Spec{{Func: aggregate.Sum, Input: 1, Name: "s"}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Collect(context.Background(), part)
	if err != nil {
		t.Fatal(err)
	}
	defer exec.ReleaseAll(out)
	seen := 0
	for _, b := range out {
		ks := b.Column(0).(*array.Int64)
		ss := b.Column(1).(*array.Decimal128)
		for i := range int(b.NumRows()) {
			k := ks.Value(i)
			got := ss.Value(i).BigInt()
			if want[k] == nil || got.Cmp(want[k]) != 0 {
				t.Fatalf("key %d: sum %s, want %s", k, got, want[k])
			}
			seen++
		}
	}
	if seen != len(want) {
		t.Fatalf("%d groups, want %d", seen, len(want))
	}
}
