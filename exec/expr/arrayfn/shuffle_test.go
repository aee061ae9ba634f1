package arrayfn

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// TestShuffleInvariants checks shuffle on random arrays (NULL arrays, NULL
// elements, empty arrays): each row keeps its elements as a multiset and
// its nulls, NULL arrays stay NULL, and over many rows of [0 1 2] every one
// of the six orders appears.
func TestShuffleInvariants(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(5, 9))
	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int64)
	defer lb.Release()
	vb := lb.ValueBuilder().(*array.Int64Builder)
	var rows [][]int64 // nil: NULL array; -1: NULL element
	for i := range 3000 {
		if i%9 == 0 {
			lb.AppendNull()
			rows = append(rows, nil)
			continue
		}
		lb.Append(true)
		row := []int64{}
		k := r.IntN(6)
		if i%2 == 0 {
			k = 3
		}
		for j := range k {
			if i%2 == 1 && r.IntN(6) == 0 {
				vb.AppendNull()
				row = append(row, -1)
				continue
			}
			vb.Append(int64(j))
			row = append(row, int64(j))
		}
		rows = append(rows, row)
	}
	arr := lb.NewArray()
	defer arr.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arr.DataType(), Nullable: true}}, nil)
	b := array.NewRecordBatch(schema, []arrow.Array{arr}, int64(arr.Len()))
	defer b.Release()
	e, err := Shuffle(expr.Column(0, "a", arr.DataType()), 42)
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Eval(mem, b)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	got := out.(*array.List)
	vals := got.ListValues().(*array.Int64)
	orders := map[string]bool{}
	for i, want := range rows {
		if want == nil {
			if !got.IsNull(i) {
				t.Fatalf("row %d: got an array, want NULL", i)
			}
			continue
		}
		s, end := got.ValueOffsets(i)
		var row []int64
		for j := s; j < end; j++ {
			if vals.IsNull(int(j)) {
				row = append(row, -1)
			} else {
				row = append(row, vals.Value(int(j)))
			}
		}
		if len(want) == 3 && !slices.Contains(want, -1) {
			orders[string(rune('0'+row[0]))+string(rune('0'+row[1]))+string(rune('0'+row[2]))] = true
		}
		slices.Sort(row)
		w := slices.Clone(want)
		slices.Sort(w)
		if !slices.Equal(row, w) {
			t.Fatalf("row %d: got elements %v, want %v", i, row, w)
		}
	}
	if len(orders) != 6 {
		t.Errorf("orders of [0 1 2] seen: %v, want all 6", orders)
	}
}
