package kernels_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

var kernelTypes = []arrow.DataType{
	arrow.FixedWidthTypes.Boolean,
	arrow.PrimitiveTypes.Int8,
	arrow.PrimitiveTypes.Int16,
	arrow.PrimitiveTypes.Int32,
	arrow.PrimitiveTypes.Int64,
	arrow.PrimitiveTypes.Float64,
	arrow.BinaryTypes.String,
	arrow.FixedWidthTypes.Date32,
	&arrow.Decimal64Type{Precision: 15, Scale: 2},
	&arrow.Decimal128Type{Precision: 30, Scale: 4},
}

// randomRows makes n rows of one column of type t, nullFrac of them null.
func randomRows(r *rand.Rand, t arrow.DataType, n int, nullFrac float64) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		if r.Float64() < nullFrac {
			rows[i] = []any{nil}
			continue
		}
		var v any
		switch t.ID() {
		case arrow.BOOL:
			v = r.IntN(2) == 1
		case arrow.FLOAT64:
			v = r.NormFloat64()
		case arrow.STRING:
			v = fmt.Sprintf("s%d-%s", r.IntN(1000), string(rune('α'+r.IntN(20))))
		default:
			v = int64(r.IntN(200) - 100)
		}
		rows[i] = []any{v}
	}
	return rows
}

func oneColumn(t arrow.DataType) *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{{Name: "c", Type: t, Nullable: true}}, nil)
}

func TestTakeMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, typ := range kernelTypes {
		for _, nullFrac := range []float64{0, 0.3} {
			for _, n := range []int{0, 1, 100, 1000} {
				t.Run(fmt.Sprintf("%s/nulls=%v/n=%d", typ, nullFrac, n), func(t *testing.T) {
					mem := exectest.Alloc(t)
					b := exectest.Batch(mem, oneColumn(typ), randomRows(r, typ, n, nullFrac))
					defer b.Release()
					// Take from a slice too, so that offsets are exercised.
					src := b
					if n > 10 {
						src = b.NewSlice(3, int64(n))
						defer src.Release()
					}
					m := int(src.NumRows())
					idx := make([]int32, r.IntN(2*m+1))
					for i := range idx {
						idx[i] = int32(r.IntN(max(m, 1)))
						if m == 0 || r.IntN(10) == 0 {
							idx[i] = -1
						}
					}
					got, err := kernels.TakeBatch(mem, src, idx)
					if err != nil {
						t.Fatal(err)
					}
					defer got.Release()
					want := make([]any, len(idx))
					for i, j := range idx {
						if j >= 0 {
							want[i] = values.Value(src.Column(0), int(j))
						}
					}
					for i := range want {
						if g := values.Value(got.Column(0), i); !reflect.DeepEqual(g, want[i]) {
							t.Fatalf("row %d: got %v, want %v", i, g, want[i])
						}
					}
					if got.Column(0).NullN() != countNil(want) {
						t.Fatalf("null count %d, want %d", got.Column(0).NullN(), countNil(want))
					}
				})
			}
		}
	}
}

func countNil(vs []any) int {
	n := 0
	for _, v := range vs {
		if v == nil {
			n++
		}
	}
	return n
}

func TestFilterBatchMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, typ := range kernelTypes {
		t.Run(typ.String(), func(t *testing.T) {
			mem := exectest.Alloc(t)
			n := 500
			b := exectest.Batch(mem, oneColumn(typ), randomRows(r, typ, n, 0.2))
			defer b.Release()
			mb := array.NewBooleanBuilder(mem)
			var want []any
			for i := 0; i < n; i++ {
				switch r.IntN(3) {
				case 0:
					mb.AppendNull()
				case 1:
					mb.Append(true)
					want = append(want, values.Value(b.Column(0), i))
				default:
					mb.Append(false)
				}
			}
			mask := mb.NewBooleanArray()
			mb.Release()
			defer mask.Release()
			got, err := kernels.FilterBatch(mem, b, mask)
			if err != nil {
				t.Fatal(err)
			}
			defer got.Release()
			if int(got.NumRows()) != len(want) {
				t.Fatalf("%d rows, want %d", got.NumRows(), len(want))
			}
			for i, w := range want {
				if g := values.Value(got.Column(0), i); !reflect.DeepEqual(g, w) {
					t.Fatalf("row %d: got %v, want %v", i, g, w)
				}
			}
		})
	}
}

func TestFilterAllTrueReturnsSameBatch(t *testing.T) {
	mem := exectest.Alloc(t)
	b := exectest.Batch(mem, oneColumn(arrow.PrimitiveTypes.Int64), [][]any{{int64(1)}, {int64(2)}})
	defer b.Release()
	mb := array.NewBooleanBuilder(mem)
	mb.AppendValues([]bool{true, true}, nil)
	mask := mb.NewBooleanArray()
	mb.Release()
	defer mask.Release()
	got, err := kernels.FilterBatch(mem, b, mask)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	if got != b {
		t.Fatal("an all-true mask should return the input batch without copying")
	}
}

func BenchmarkTakeInt64(b *testing.B) {
	mem := memory.NewGoAllocator()
	bld := array.NewInt64Builder(mem)
	for i := 0; i < 1<<16; i++ {
		bld.Append(int64(i))
	}
	arr := bld.NewArray()
	defer arr.Release()
	idx := make([]int32, 1<<15)
	for i := range idx {
		idx[i] = int32(i * 2)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, _ := kernels.Take(mem, arr, idx)
		out.Release()
	}
	b.SetBytes(int64(len(idx) * 8))
}

// Take of strings of every width — empty, up to 8 bytes (moved as one
// word), longer — where the rows taken are wider than the source's average
// (the value buffer grows), with repeats, nulls, a negative index and the
// last value ending the source's data, against the values themselves.
func TestTakeStringWidths(t *testing.T) {
	mem := exectest.Alloc(t)
	long := strings.Repeat("0123456789", 30)
	src := []any{"", "a", "12345678", "123456789", long, nil, "xy"}
	rows := make([][]any, len(src))
	for i, v := range src {
		rows[i] = []any{v}
	}
	b := exectest.Batch(mem, oneColumn(arrow.BinaryTypes.String), rows)
	defer b.Release()
	// A slice from row 1, so the offsets do not start at zero.
	col := array.NewSlice(b.Column(0), 1, int64(len(src)))
	defer col.Release()
	idx := []int32{3, 3, 3, 1, 0, -1, 4, 5, 2, 1, 3, 3, 5}
	got, err := kernels.Take(mem, col, idx)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	for i, j := range idx {
		var want any
		if j >= 0 {
			want = src[j+1]
		}
		if g := values.Value(got, i); !reflect.DeepEqual(g, want) {
			t.Fatalf("row %d: got %v, want %v", i, g, want)
		}
	}
}
