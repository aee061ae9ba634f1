package kernels_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// pairType is an extension type over struct<x:double,v:array<int>>, the
// shape of an ML vector.
type pairType struct{ arrow.ExtensionBase }

type pairArray struct{ array.ExtensionArrayBase }

func newPairType() *pairType {
	return &pairType{arrow.ExtensionBase{Storage: arrow.StructOf(
		arrow.Field{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		arrow.Field{Name: "v", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true})}}
}

func (*pairType) ArrayType() reflect.Type { return reflect.TypeOf(pairArray{}) }
func (*pairType) ExtensionName() string   { return "pair" }
func (*pairType) Serialize() string       { return "" }
func (*pairType) Deserialize(arrow.DataType, string) (arrow.ExtensionType, error) {
	return newPairType(), nil
}
func (*pairType) ExtensionEquals(o arrow.ExtensionType) bool { _, ok := o.(*pairType); return ok }

var nestedTypes = []arrow.DataType{
	arrow.Null,
	arrow.ListOf(arrow.PrimitiveTypes.Int64),
	arrow.ListOf(arrow.BinaryTypes.String),
	arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Int32)),
	arrow.StructOf(
		arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "c", Type: arrow.ListOf(arrow.FixedWidthTypes.Boolean), Nullable: true}),
	arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Float64),
	arrow.ListOf(arrow.MapOf(arrow.PrimitiveTypes.Int32, arrow.ListOf(arrow.BinaryTypes.String))),
	arrow.FixedSizeListOf(3, &arrow.Decimal64Type{Precision: 10, Scale: 2}),
	newPairType(),
	arrow.ListOf(newPairType()),
	&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String},
}

// randomValue returns a random row-form value of type t (nil for null).
func randomValue(r *rand.Rand, t arrow.DataType, depth int) any {
	if t.ID() == arrow.NULL || r.IntN(6) == 0 {
		return nil
	}
	switch tt := t.(type) {
	case *arrow.MapType:
		n := r.IntN(4)
		m := values.Map{Keys: make([]any, n), Values: make([]any, n)}
		for i := range n {
			for m.Keys[i] == nil {
				m.Keys[i] = randomValue(r, tt.KeyType(), depth+1)
			}
			m.Values[i] = randomValue(r, tt.ItemType(), depth+1)
		}
		return m
	case *arrow.FixedSizeListType:
		out := make([]any, tt.Len())
		for i := range out {
			out[i] = randomValue(r, tt.Elem(), depth+1)
		}
		return out
	case *arrow.ListType:
		out := make([]any, r.IntN(5))
		for i := range out {
			out[i] = randomValue(r, tt.Elem(), depth+1)
		}
		return out
	case *arrow.StructType:
		s := values.Struct{}
		for _, f := range tt.Fields() {
			s.Names = append(s.Names, f.Name)
			s.Values = append(s.Values, randomValue(r, f.Type, depth+1))
		}
		return s
	case arrow.ExtensionType:
		return randomValue(r, tt.StorageType(), depth)
	case *arrow.DictionaryType:
		return fmt.Sprintf("d%d", r.IntN(5))
	case *arrow.BooleanType:
		return r.IntN(2) == 0
	case *arrow.StringType:
		return fmt.Sprintf("s%d", r.IntN(100))
	case *arrow.Float64Type:
		return float64(r.IntN(100)) / 4
	case *arrow.Int32Type:
		return int32(r.IntN(100))
	case *arrow.Decimal64Type:
		return values.Decimal{Unscaled: decimal128FromInt(r.Int64N(10000)), Scale: tt.Scale}
	default:
		return int64(r.IntN(1000))
	}
}

func buildColumn(t *testing.T, mem memory.Allocator, dt arrow.DataType, vals []any) arrow.Array {
	t.Helper()
	if d, ok := dt.(*arrow.DictionaryType); ok {
		b := array.NewDictionaryBuilder(mem, d).(*array.BinaryDictionaryBuilder)
		defer b.Release()
		for _, v := range vals {
			if v == nil {
				b.AppendNull()
			} else if err := b.AppendString(v.(string)); err != nil {
				t.Fatal(err)
			}
		}
		return b.NewArray()
	}
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	for _, v := range vals {
		if err := values.Append(b, v); err != nil {
			t.Fatal(err)
		}
	}
	return b.NewArray()
}

func TestTakeNestedMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, typ := range nestedTypes {
		for _, n := range []int{0, 1, 57, 400} {
			t.Run(fmt.Sprintf("%s/n=%d", values.TypeName(typ), n), func(t *testing.T) {
				mem := exectest.Alloc(t)
				vals := make([]any, n)
				for i := range vals {
					vals[i] = randomValue(r, typ, 0)
				}
				arr := buildColumn(t, mem, typ, vals)
				defer arr.Release()
				src, srcVals := arr, vals
				if n > 10 {
					src, srcVals = array.NewSlice(arr, 4, int64(n-2)), vals[4:n-2]
					defer src.Release()
				}
				m := src.Len()
				idx := make([]int32, r.IntN(2*m+1))
				for i := range idx {
					idx[i] = int32(r.IntN(max(m, 1)))
					if m == 0 || r.IntN(10) == 0 {
						idx[i] = -1
					}
				}
				got, err := kernels.Take(mem, src, idx)
				if err != nil {
					t.Fatal(err)
				}
				defer got.Release()
				if !arrow.TypeEqual(got.DataType(), typ) || got.Len() != len(idx) {
					t.Fatalf("got %s × %d, want %s × %d", got.DataType(), got.Len(), typ, len(idx))
				}
				if v, ok := got.(interface{ ValidateFull() error }); ok {
					if err := v.ValidateFull(); err != nil {
						t.Fatalf("invalid result: %v", err)
					}
				}
				nulls := 0
				for i, j := range idx {
					var want any
					if j >= 0 {
						want = srcVals[j]
					}
					if want == nil {
						nulls++
					}
					if g := values.Value(got, i); !reflect.DeepEqual(g, want) {
						t.Fatalf("row %d (index %d): got %v, want %v", i, j, g, want)
					}
				}
				if typ.ID() != arrow.NULL && got.NullN() != nulls {
					t.Fatalf("null count %d, want %d", got.NullN(), nulls)
				}
			})
		}
	}
}

func TestFilterBatchNested(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	mem := exectest.Alloc(t)
	fields := make([]arrow.Field, len(nestedTypes))
	cols := make([]arrow.Array, len(nestedTypes))
	const n = 300
	all := make([][]any, len(nestedTypes))
	for c, typ := range nestedTypes {
		fields[c] = arrow.Field{Name: fmt.Sprintf("c%d", c), Type: typ, Nullable: true}
		all[c] = make([]any, n)
		for i := range all[c] {
			all[c][i] = randomValue(r, typ, 0)
		}
		cols[c] = buildColumn(t, mem, typ, all[c])
	}
	b := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, n)
	for _, c := range cols {
		c.Release()
	}
	defer b.Release()
	mb := array.NewBooleanBuilder(mem)
	var keep []int
	for i := 0; i < n; i++ {
		switch r.IntN(3) {
		case 0:
			mb.AppendNull()
		case 1:
			mb.Append(true)
			keep = append(keep, i)
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
	if int(got.NumRows()) != len(keep) {
		t.Fatalf("%d rows, want %d", got.NumRows(), len(keep))
	}
	for c := range nestedTypes {
		for i, k := range keep {
			if g := values.Value(got.Column(c), i); !reflect.DeepEqual(g, all[c][k]) {
				t.Fatalf("column %d row %d: got %v, want %v", c, i, g, all[c][k])
			}
		}
	}
}

func decimal128FromInt(v int64) decimal128.Num { return decimal128.FromI64(v) }

func BenchmarkTakeListInt64(b *testing.B) {
	mem := memory.NewGoAllocator()
	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int64)
	vb := lb.ValueBuilder().(*array.Int64Builder)
	for i := 0; i < 1<<14; i++ {
		lb.Append(true)
		for k := 0; k < i%8; k++ {
			vb.Append(int64(k))
		}
	}
	arr := lb.NewArray()
	lb.Release()
	defer arr.Release()
	idx := make([]int32, 1<<13)
	for i := range idx {
		idx[i] = int32(i * 2)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, _ := kernels.Take(mem, arr, idx)
		out.Release()
	}
}
