package exec_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// fakeLazy decodes the columns of a batch on demand and records what each
// was asked for.
type fakeLazy struct {
	fakeCodes
	b          arrow.RecordBatch
	mem        memory.Allocator
	selectable map[int]bool
	asked      map[int][][]int32 // rows asked per column (nil entry: whole)
	dictAsked  int               // columns handed out as dictionary arrays
}

func (f *fakeLazy) Column(col int, rows []int32) (arrow.Array, error) {
	f.asked[col] = append(f.asked[col], slices.Clone(rows))
	if len(f.asked[col]) > 1 {
		return nil, fmt.Errorf("column %d decoded twice", col)
	}
	if rows == nil {
		a := f.b.Column(col)
		a.Retain()
		return a, nil
	}
	return kernels.Take(f.mem, f.b.Column(col), rows)
}

func (f *fakeLazy) Selectable(col int) bool { return f.selectable[col] }

// DictColumn hands out the column as a dictionary array built from its
// codes when it has some.
func (f *fakeLazy) DictColumn(col, maxDict int) (arrow.Array, error) {
	dict, ok := f.dicts[col]
	if !ok || dict.Len() > maxDict {
		return f.Column(col, nil)
	}
	f.asked[col] = append(f.asked[col], nil)
	f.dictAsked++
	plain := f.b.Column(col).Data()
	idx := array.NewData(arrow.PrimitiveTypes.Int32, plain.Len(),
		[]*memory.Buffer{plain.Buffers()[0], memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(f.codes[col]))}, nil, plain.NullN(), 0)
	defer idx.Release()
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	d := array.NewDataWithDictionary(dt, plain.Len(), idx.Buffers(), plain.NullN(), 0, dict.Data().(*array.Data))
	defer d.Release()
	return array.MakeFromData(d), nil
}

// TestShapeLazyDecodesKeptRowsOnly shapes random batches with ShapeLazy:
// the predicate a >= lo AND s IN ('v1', 'v4') reads a whole and s as a
// dictionary array (when s has codes; only the IN list reads it), and s's
// strings are output at the kept rows; the output-only columns x and y are
// decoded only at the kept rows (y, not selectable, whole and then taken),
// and z, which no one reads, not at all. The output (x, s, y, x) must hold the
// rows worked out in Go.
func TestShapeLazyDecodesKeptRowsOnly(t *testing.T) {
	mem := exectest.Alloc(t)
	read := arrow.NewSchema([]arrow.Field{
		{Name: "x", Type: arrow.PrimitiveTypes.Int64},
		{Name: "a", Type: arrow.PrimitiveTypes.Int64},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "y", Type: arrow.BinaryTypes.String},
		{Name: "z", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	outSchema := arrow.NewSchema([]arrow.Field{read.Field(0), read.Field(2), read.Field(3), {Name: "x2", Type: arrow.PrimitiveTypes.Int64}}, nil)
	sDict := []string{"v0", "v1", "v2", "v3", "v4"}
	b := array.NewStringBuilder(mem)
	b.AppendValues(sDict, nil)
	dict := b.NewArray()
	b.Release()
	defer dict.Release()
	a := expr.Column(1, "a", arrow.PrimitiveTypes.Int64)
	s := expr.Column(2, "s", arrow.BinaryTypes.String)
	in, ok := expr.InSet(s, []expr.Expr{mustLit(t, "v1", arrow.BinaryTypes.String), mustLit(t, "v4", arrow.BinaryTypes.String)})
	if !ok {
		t.Fatal("no IN set")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for round := 0; round < 30; round++ {
		n := 1 + r.IntN(2000)
		lo := int64(r.IntN(n + 1))
		switch round % 3 {
		case 0:
			lo = 0 // every row passes a >= lo: the IN list runs over the batch
		case 1:
			lo = int64(n) * 4 / 5 // few pass: the IN list runs over a copy
		}
		pred := mustBinary(t, expr.And, mustBinary(t, expr.GtEq, a, mustLit(t, lo, arrow.PrimitiveTypes.Int64)), in)
		rows := make([][]any, n)
		codes := make([]int32, n)
		var want []string
		for i := range rows {
			codes[i] = int32(r.IntN(len(sDict)))
			var sv any = sDict[codes[i]]
			if r.IntN(9) == 0 {
				sv = nil
			}
			if round%5 == 4 {
				sv = "v1" // every row kept
			}
			rows[i] = []any{int64(i * 10), int64(i), sv, fmt.Sprintf("y%d", i), int64(-i)}
			if int64(i) >= lo && (sv == "v1" || sv == "v4") {
				want = append(want, fmt.Sprint(i*10, sv, fmt.Sprintf("y%d", i), i*10))
			}
		}
		batch := exectest.Batch(mem, read, rows)
		src := &fakeLazy{b: batch, mem: mem, selectable: map[int]bool{0: true, 1: true, 2: true, 4: true}, asked: map[int][][]int32{}}
		src.fakeCodes = fakeCodes{dicts: map[int]arrow.Array{}, codes: map[int][]int32{2: codes}, asked: map[int]int{}}
		if round%5 != 4 {
			src.dicts[2] = dict
		}
		so := exec.NewScanOutput(exec.NewEnv(mem), pred, outSchema, []int{0, 2, 3, 0}, -1)
		so.DecodeLazily(read, []int{1, 2})
		if !so.Lazy() {
			t.Fatal("not lazy")
		}
		out, err := so.ShapeLazy(n, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		if out != nil {
			for i := 0; i < int(out.NumRows()); i++ {
				got = append(got, fmt.Sprint(out.Column(0).(*array.Int64).Value(i), out.Column(1).(*array.String).Value(i),
					out.Column(2).(*array.String).Value(i), out.Column(3).(*array.Int64).Value(i)))
			}
			out.Release()
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("round %d (n %d, lo %d): got %v, want %v", round, n, lo, got, want)
		}
		if len(src.asked[4]) != 0 {
			t.Fatalf("round %d: column z, read by no one, was decoded", round)
		}
		for _, c := range []int{1, 2} {
			if len(src.asked[c]) != 1 || src.asked[c][0] != nil {
				t.Fatalf("round %d: predicate column %d asked for %v, want once whole", round, c, src.asked[c])
			}
		}
		if len(want) > 0 {
			var kept []int32
			for i := range n {
				if int64(i) >= lo && (rows[i][2] == "v1" || rows[i][2] == "v4") {
					kept = append(kept, int32(i))
				}
			}
			if len(kept) == n {
				kept = nil
			}
			if len(src.asked[0]) != 1 || fmt.Sprint(src.asked[0][0]) != fmt.Sprint(kept) || (kept == nil) != (src.asked[0][0] == nil) {
				t.Fatalf("round %d: output column x asked for %v, want the kept rows %v", round, src.asked[0], kept)
			}
			if len(src.asked[3]) != 1 || src.asked[3][0] != nil {
				t.Fatalf("round %d: column y (not selectable) asked for %v, want once whole", round, src.asked[3])
			}
		}
		if round%5 != 4 && src.dictAsked != 1 {
			t.Fatalf("round %d: s was not read as a dictionary array", round)
		}
		batch.Release()
	}
}
