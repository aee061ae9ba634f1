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
