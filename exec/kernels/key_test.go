package kernels_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// TestKeyEncoderMatchesEquality checks that two elements encode equally
// exactly when their row-form values are equal, on random nested data drawn
// from a small domain so that equal values are common.
func TestKeyEncoderMatchesEquality(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, typ := range nestedTypes {
		if !kernels.KeyEncodable(typ) {
			if typ.ID() != arrow.MAP && !(typ.ID() == arrow.LIST && typ.(*arrow.ListType).Elem().ID() == arrow.MAP) {
				t.Errorf("%s should be encodable", values.TypeName(typ))
			}
			continue
		}
		t.Run(values.TypeName(typ), func(t *testing.T) {
			mem := exectest.Alloc(t)
			vals := make([]any, 300)
			for i := range vals {
				vals[i] = smallValue(r, typ)
			}
			arr := buildColumn(t, mem, typ, vals)
			defer arr.Release()
			src := array.NewSlice(arr, 3, int64(len(vals)))
			defer src.Release()
			vals = vals[3:]
			enc, err := kernels.KeyEncoder(src)
			if err != nil {
				t.Fatal(err)
			}
			keys := make([]string, len(vals))
			for i := range vals {
				if vals[i] != nil {
					keys[i] = string(enc(nil, i))
				}
			}
			for i := range vals {
				for j := range vals {
					if vals[i] == nil || vals[j] == nil {
						continue
					}
					if eq := reflect.DeepEqual(vals[i], vals[j]); eq != (keys[i] == keys[j]) {
						t.Fatalf("%v vs %v: equal %v, keys equal %v", vals[i], vals[j], eq, keys[i] == keys[j])
					}
				}
			}
		})
	}
}

// smallValue is randomValue over a small domain.
func smallValue(r *rand.Rand, t arrow.DataType) any {
	v := randomValue(r, t, 0)
	return shrink(v)
}

// shrink maps values onto a few distinct ones.
func shrink(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = shrink(x[i])
		}
		return x
	case values.Struct:
		for i := range x.Values {
			x.Values[i] = shrink(x.Values[i])
		}
		return x
	case int64:
		return x % 3
	case int32:
		return x % 3
	case float64:
		return math.Mod(x, 1)
	case string:
		return fmt.Sprint(len(x) % 3)
	}
	return v
}

func TestKeyEncoderFloatsAndMaps(t *testing.T) {
	mem := exectest.Alloc(t)
	b := array.NewFloat64Builder(mem)
	b.AppendValues([]float64{0, math.Copysign(0, -1), math.NaN(), -math.NaN(), 1}, nil)
	a := b.NewArray()
	b.Release()
	defer a.Release()
	enc, err := kernels.KeyEncoder(a)
	if err != nil {
		t.Fatal(err)
	}
	k := func(i int) string { return string(enc(nil, i)) }
	if k(0) != k(1) || k(2) != k(3) || k(0) == k(4) || k(2) == k(4) {
		t.Error("-0 must equal 0, NaN must equal NaN, and differ from 1")
	}
	m := buildColumn(t, mem, arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32), []any{nil})
	defer m.Release()
	if _, err := kernels.KeyEncoder(m); err == nil {
		t.Error("maps cannot be compared")
	}
}
