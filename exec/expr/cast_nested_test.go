package expr_test

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// TestNestedCastAgainstReference casts random array<int> columns (NULL
// arrays, NULL elements, empty arrays, sliced batches) to array<string>
// and array<bigint> and compares each row with a naive element-by-element
// conversion (strconv).
func TestNestedCastAgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(3, 17))
	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int32)
	defer lb.Release()
	vb := lb.ValueBuilder().(*array.Int32Builder)
	var rows [][]*int32 // nil: NULL array
	for range 400 {
		if r.IntN(7) == 0 {
			lb.AppendNull()
			rows = append(rows, nil)
			continue
		}
		lb.Append(true)
		row := []*int32{}
		for range r.IntN(4) {
			if r.IntN(5) == 0 {
				vb.AppendNull()
				row = append(row, nil)
				continue
			}
			v := int32(r.IntN(2000) - 1000)
			vb.Append(v)
			row = append(row, &v)
		}
		rows = append(rows, row)
	}
	full := lb.NewArray()
	defer full.Release()
	for _, bounds := range [][2]int64{{0, 400}, {13, 250}, {399, 400}, {5, 5}} {
		arr := array.NewSlice(full, bounds[0], bounds[1])
		want := rows[bounds[0]:bounds[1]]
		for _, elem := range []arrow.DataType{arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64} {
			e, err := expr.Cast(expr.Column(0, "a", arr.DataType()), arrow.ListOf(elem))
			if err != nil {
				t.Fatal(err)
			}
			out, err := evalCols(mem, e, arr.Len(), arr)
			if err != nil {
				t.Fatal(err)
			}
			got := out.(*array.List)
			for i, w := range want {
				if w == nil {
					if !got.IsNull(i) {
						t.Fatalf("row %d: got an array, want NULL", i)
					}
					continue
				}
				s, e := got.ValueOffsets(i)
				if got.IsNull(i) || int(e-s) != len(w) {
					t.Fatalf("row %d: got %d elements (null %v), want %d", i, e-s, got.IsNull(i), len(w))
				}
				for k, v := range w {
					j := int(s) + k
					vals := got.ListValues()
					if v == nil {
						if vals.IsValid(j) {
							t.Fatalf("row %d element %d: want NULL", i, k)
						}
						continue
					}
					var text string
					switch x := vals.(type) {
					case *array.String:
						text = x.Value(j)
					case *array.Int64:
						text = strconv.FormatInt(x.Value(j), 10)
					}
					if text != strconv.Itoa(int(*v)) {
						t.Fatalf("row %d element %d: got %s, want %d", i, k, text, *v)
					}
				}
			}
			out.Release()
		}
		arr.Release()
	}
}
