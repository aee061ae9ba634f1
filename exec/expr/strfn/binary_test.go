package strfn

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// refUnhex is a naive unhex: pad an odd string with a leading 0, then
// parse each pair of digits with strconv; any failure is NULL (nil).
func refUnhex(s string) []byte {
	if len(s)%2 == 1 {
		s = "0" + s
	}
	out := []byte{}
	for i := 0; i < len(s); i += 2 {
		v, err := strconv.ParseUint(s[i:i+2], 16, 8)
		if err != nil || s[i] == '+' || s[i] == '-' {
			return nil
		}
		out = append(out, byte(v))
	}
	return out
}

// TestUnhexAgainstReference checks unhex on random digit strings, some
// with characters that are not hexadecimal digits, and nulls.
func TestUnhexAgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(13, 4))
	const digits = "0123456789abcdefABCDEF"
	b := array.NewStringBuilder(mem)
	defer b.Release()
	var in []*string
	for range 2000 {
		if r.IntN(10) == 0 {
			b.AppendNull()
			in = append(in, nil)
			continue
		}
		n := r.IntN(9)
		buf := make([]byte, n)
		for j := range buf {
			buf[j] = digits[r.IntN(len(digits))]
			if r.IntN(40) == 0 {
				buf[j] = "g -+xé"[r.IntN(6)]
			}
		}
		s := string(buf)
		b.Append(s)
		in = append(in, &s)
	}
	arr := b.NewArray()
	defer arr.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	batch := array.NewRecordBatch(schema, []arrow.Array{arr}, int64(arr.Len()))
	defer batch.Release()
	e, err := Unhex(expr.Column(0, "s", arrow.BinaryTypes.String))
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Eval(mem, batch)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	got, ok := out.(*array.Binary)
	if !ok {
		t.Fatalf("unhex result is %s, want binary", out.DataType())
	}
	for i, s := range in {
		var want []byte
		if s != nil {
			want = refUnhex(*s)
		}
		if want == nil {
			if !got.IsNull(i) {
				t.Errorf("unhex(%v): got %X, want NULL", s, got.Value(i))
			}
			continue
		}
		if got.IsNull(i) || !bytes.Equal(got.Value(i), want) {
			t.Errorf("unhex(%q): got %X (null %v), want %X", *s, got.Value(i), got.IsNull(i), want)
		}
	}
}
