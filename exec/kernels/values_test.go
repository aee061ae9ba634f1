package kernels

import (
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestValueHelpers(t *testing.T) {
	if FloatKeyBits(math.Copysign(0, -1)) != FloatKeyBits(0) {
		t.Error("-0 and +0 must have equal key bits")
	}
	if FloatKeyBits(math.NaN()) != FloatKeyBits(-math.NaN()) || FloatKeyBits(1.5) != math.Float64bits(1.5) {
		t.Error("NaNs share key bits; other values keep theirs")
	}
	if Mix64(1) == Mix64(2) || Mix64(7) != Mix64(7) {
		t.Error("Mix64 must be deterministic and spread distinct inputs")
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewInt64Builder(mem)
	b.AppendValues([]int64{10, 20, 30, 40}, nil)
	a := b.NewArray()
	b.Release()
	sl := array.NewSlice(a, 1, 3)
	if got := FixedValues[int64](sl); len(got) != 2 || got[0] != 20 || got[1] != 30 {
		t.Errorf("FixedValues of a slice: %v", got)
	}
	empty := array.NewSlice(a, 2, 2)
	if FixedValues[int64](empty) != nil {
		t.Error("an empty array has no values")
	}
	empty.Release()
	sl.Release()
	a.Release()
	db := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}).(*array.BinaryDictionaryBuilder)
	db.AppendString("x")
	db.AppendString("y")
	db.AppendString("x")
	d := db.NewDictionaryArray()
	db.Release()
	vals := DictionaryValues(d)
	if vals.Len() != 2 || vals.(*array.String).Value(1) != "y" {
		t.Errorf("dictionary values %v", vals)
	}
	vals.Release()
	d.Release()
}

func TestStringBuffersAndWiden(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewStringBuilder(mem)
	b.AppendValues([]string{"a", "bc", "", "def"}, nil)
	a := b.NewStringArray()
	b.Release()
	defer a.Release()
	sl := array.NewSlice(a, 1, 4).(*array.String)
	defer sl.Release()
	offs, data := StringBuffers(sl)
	var got []string
	for i := range sl.Len() {
		got = append(got, string(data[offs[i]:offs[i+1]]))
	}
	if len(got) != 3 || got[0] != "bc" || got[1] != "" || got[2] != "def" {
		t.Errorf("values of a slice through its buffers: %q", got)
	}
	eb := array.NewStringBuilder(memory.NewGoAllocator())
	empty := eb.NewStringArray()
	eb.Release()
	if offs, _ := StringBuffers(empty); len(offs) != 1 || offs[0] != 0 {
		t.Errorf("offsets of an empty array: %v", offs)
	}
	dst := make([]uint64, 3)
	Widen(dst, []int8{-1, 0, 5})
	if dst[0] != math.MaxUint64 || dst[1] != 0 || dst[2] != 5 {
		t.Errorf("Widen sign-extends: %v", dst)
	}
}

func TestGrow(t *testing.T) {
	s := make([]int, 2, 8)
	s[0], s[1] = 7, 9
	g := Grow(s, 5)
	if len(g) != 5 || &g[0] != &s[0] || g[0] != 7 || g[1] != 9 {
		t.Errorf("Grow within capacity reuses the array and keeps its values: %v", g)
	}
	if g := Grow(s, 1); len(g) != 1 || &g[0] != &s[0] {
		t.Errorf("Grow to a shorter length reslices: %v", g)
	}
	h := Grow(s, 9)
	if len(h) != 9 || &h[0] == &s[0] || h[0] != 0 {
		t.Errorf("Grow past capacity allocates a new zeroed slice: %v", h)
	}
	if g := Grow[int](nil, 0); len(g) != 0 {
		t.Errorf("Grow of nil to 0: %v", g)
	}
}

func TestDecodeDictionary(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	db := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}).(*array.BinaryDictionaryBuilder)
	for _, s := range []string{"x", "y", "", "x"} {
		if s == "" {
			db.AppendNull()
			continue
		}
		if err := db.AppendString(s); err != nil {
			t.Fatal(err)
		}
	}
	d := db.NewDictionaryArray()
	db.Release()
	defer d.Release()
	sl := array.NewSlice(d, 1, 4).(*array.Dictionary)
	defer sl.Release()
	got, err := DecodeDictionary(mem, sl)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	s, ok := got.(*array.String)
	if !ok || s.Len() != 3 || s.Value(0) != "y" || !s.IsNull(1) || s.Value(2) != "x" || s.NullN() != 1 {
		t.Errorf("decoded slice of [x y null x] from 1: %v", got)
	}
}
