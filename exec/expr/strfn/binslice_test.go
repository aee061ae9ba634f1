package strfn

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// refSlice is a naive substring of bytes, position by position: byte k
// (1-based) is kept when it lies in [from, from+length) where from is pos,
// 1 for pos 0 and len(v)+pos+1 for a negative pos.
func refSlice(v []byte, pos, length int64) []byte {
	from := pos
	switch {
	case pos == 0:
		from = 1
	case pos < 0:
		from = int64(len(v)) + pos + 1
	}
	out := []byte{}
	for k := int64(1); k <= int64(len(v)); k++ {
		if k >= from && k < from+length {
			out = append(out, v[k-1])
		}
	}
	return out
}

// TestBinarySliceAgainstReference checks substring and left of binaries
// on random bytes (with nulls) and positions against refSlice.
func TestBinarySliceAgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(7, 21))
	b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	defer b.Release()
	var in [][]byte
	for range 500 {
		if r.IntN(8) == 0 {
			b.AppendNull()
			in = append(in, nil)
			continue
		}
		v := make([]byte, r.IntN(7))
		for j := range v {
			v[j] = byte(r.IntN(256))
		}
		b.Append(v)
		in = append(in, v)
	}
	arr := b.NewArray()
	defer arr.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "b", Type: arrow.BinaryTypes.Binary, Nullable: true}}, nil)
	batch := array.NewRecordBatch(schema, []arrow.Array{arr}, int64(arr.Len()))
	defer batch.Release()
	col := expr.Column(0, "b", arrow.BinaryTypes.Binary)
	check := func(name string, e expr.Expr, want func(v []byte) []byte) {
		t.Helper()
		out, err := e.Eval(mem, batch)
		if err != nil {
			t.Fatal(err)
		}
		defer out.Release()
		got, ok := out.(*array.Binary)
		if !ok {
			t.Fatalf("%s: result is %s, want binary", name, out.DataType())
		}
		for i, v := range in {
			if v == nil {
				if !got.IsNull(i) {
					t.Errorf("%s of NULL: got %X", name, got.Value(i))
				}
				continue
			}
			if w := want(v); got.IsNull(i) || !bytes.Equal(got.Value(i), w) {
				t.Errorf("%s(%X): got %X, want %X", name, v, got.Value(i), w)
			}
		}
	}
	for pos := int64(-8); pos <= 8; pos++ {
		for _, length := range []int64{-1, 0, 1, 2, 5, 1 << 40} {
			e, err := BinarySubstring(col, pos, length)
			if err != nil {
				t.Fatal(err)
			}
			check(e.String(), e, func(v []byte) []byte { return refSlice(v, pos, length) })
		}
	}
	for n := int32(-2); n <= 8; n++ {
		lit, err := IntConst(n)
		if err != nil {
			t.Fatal(err)
		}
		e, err := BinaryLeft(col, lit)
		if err != nil {
			t.Fatal(err)
		}
		check(e.String(), e, func(v []byte) []byte { return refSlice(v, 1, int64(n)) })
	}
}
