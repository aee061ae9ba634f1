package exec_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
)

// Concatenate gives what array.Concatenate gives, for fixed-width columns
// (copied by exec) and others (passed on), with nulls and sliced inputs.
func TestConcatenateMatchesArrow(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := rand.New(rand.NewPCG(5, 6))
	build := func(dt arrow.DataType, n int, nullRate float64) arrow.Array {
		b := array.NewBuilder(mem, dt)
		defer b.Release()
		for range n {
			if r.Float64() < nullRate {
				b.AppendNull()
				continue
			}
			switch b := b.(type) {
			case *array.Int64Builder:
				b.Append(r.Int64())
			case *array.Float64Builder:
				b.Append(r.NormFloat64())
			case *array.Int32Builder:
				b.Append(r.Int32())
			case *array.Decimal128Builder:
				b.Append(decimal128.FromI64(r.Int64N(1e12)))
			case *array.StringBuilder:
				b.Append(string(rune('a' + r.IntN(26))))
			case *array.BooleanBuilder:
				b.Append(r.IntN(2) == 0)
			}
		}
		return b.NewArray()
	}
	for _, dt := range []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Int32,
		&arrow.Decimal128Type{Precision: 20, Scale: 2}, arrow.BinaryTypes.String, arrow.FixedWidthTypes.Boolean} {
		for _, nullRate := range []float64{0, 0.3} {
			var arrs []arrow.Array
			for i := range 7 {
				a := build(dt, 1+r.IntN(50), nullRate)
				if i%2 == 1 { // a slice, so that offsets count
					s := array.NewSlice(a, 3%int64(a.Len()), int64(a.Len()))
					a.Release()
					a = s
				}
				arrs = append(arrs, a)
			}
			want, err := array.Concatenate(arrs, mem)
			if err != nil {
				t.Fatal(err)
			}
			got, err := exec.Concatenate(context.Background(), arrs, mem)
			if err != nil {
				t.Fatal(err)
			}
			if !array.Equal(got, want) || got.NullN() != want.NullN() {
				t.Errorf("%s, nulls %.1f: got %v, want %v", dt, nullRate, got, want)
			}
			got.Release()
			want.Release()
			for _, a := range arrs {
				a.Release()
			}
		}
	}
}

// A cancelled context stops Concatenate between pieces and leaves nothing
// allocated.
func TestConcatenateStopsWhenCancelled(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewInt64Builder(mem)
	for i := range 1 << 20 {
		b.Append(int64(i))
	}
	a := b.NewArray()
	b.Release()
	defer a.Release()
	arrs := make([]arrow.Array, 4)
	for i := range arrs {
		arrs[i] = a
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := exec.Concatenate(ctx, arrs, mem); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: %v", err)
	}
	// Cancelled while copying: the context ends after the first 8 MiB piece.
	ctx = &cancelAfter{Context: context.Background(), calls: 2}
	if _, err := exec.Concatenate(ctx, arrs, mem); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while copying: %v", err)
	}
}

// cancelAfter is a context whose Err reports cancellation from its calls-th
// call on.
type cancelAfter struct {
	context.Context
	calls int
}

func (c *cancelAfter) Err() error {
	c.calls--
	if c.calls <= 0 {
		return context.Canceled
	}
	return nil
}
