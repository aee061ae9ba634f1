package aggregate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// keyGen describes one key column of a generated batch: its type and how a
// value is drawn (nil is a null).
type keyGen struct {
	dt   arrow.DataType
	draw func(r *rand.Rand, phase int) any
}

func appendKey(b array.Builder, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch x := b.(type) {
	case *array.StringBuilder:
		x.Append(v.(string))
	case *array.BinaryDictionaryBuilder:
		if err := x.AppendString(v.(string)); err != nil {
			panic(err)
		}
	case *array.Int8Builder:
		x.Append(v.(int8))
	case *array.Int16Builder:
		x.Append(v.(int16))
	case *array.Int32Builder:
		x.Append(v.(int32))
	case *array.Int64Builder:
		x.Append(v.(int64))
	case *array.BooleanBuilder:
		x.Append(v.(bool))
	default:
		panic(fmt.Sprintf("builder %T", b))
	}
}

// genBatch builds n rows of the key columns; with sliced the arrays are
// slices of larger arrays (non-zero offsets).
func genBatch(mem memory.Allocator, r *rand.Rand, gens []keyGen, n, phase int, sliced bool) []arrow.Array {
	cols := make([]arrow.Array, len(gens))
	pad := 0
	if sliced {
		pad = 3
	}
	for k, g := range gens {
		b := array.NewBuilder(mem, g.dt)
		for i := 0; i < n+2*pad; i++ {
			appendKey(b, g.draw(r, phase))
		}
		a := b.NewArray()
		b.Release()
		if sliced {
			s := array.NewSlice(a, int64(pad), int64(pad+n))
			a.Release()
			a = s
		}
		cols[k] = a
	}
	return cols
}

func oneOf(r *rand.Rand, nullPct int, vals ...any) any {
	if r.IntN(100) < nullPct {
		return nil
	}
	return vals[r.IntN(len(vals))]
}

// TestSmallKeysMatchHashTable feeds the same batches to a table with the
// small-domain cache and to one without it; every batch must get the same
// group ids (both number groups by first appearance), including batches
// after the domain grows past the cache, and the cache must have been used.
func TestSmallKeysMatchHashTable(t *testing.T) {
	str1 := func(r *rand.Rand, phase int) any {
		vals := []any{"", "a", "b", "N", "R", "\x00", "\xff"}
		return oneOf(r, 10, vals[:min(len(vals), 2+phase)]...)
	}
	strLong := func(r *rand.Rand, phase int) any {
		if phase >= 4 && r.IntN(50) == 0 {
			return "long value"
		}
		return oneOf(r, 10, "A", "F", "O")
	}
	noNullStr := func(r *rand.Rand, phase int) any { return []string{"A", "N", "R"}[r.IntN(3)] }
	abc := func(r *rand.Rand, phase int) any { return []string{"a", "b", "c"}[r.IntN(3)] }
	noNullStr2 := func(r *rand.Rand, phase int) any {
		if phase >= 5 && r.IntN(100) == 0 {
			return "xy"
		}
		return []string{"F", "O"}[r.IntN(2)]
	}
	i8 := func(r *rand.Rand, phase int) any {
		return oneOf(r, 5, int8(-128), int8(-1), int8(0), int8(7), int8(127))
	}
	i32 := func(r *rand.Rand, phase int) any {
		if phase >= 3 && r.IntN(40) == 0 {
			return int32(256 + r.IntN(5))
		}
		return oneOf(r, 5, int32(0), int32(1), int32(255))
	}
	i64neg := func(r *rand.Rand, phase int) any {
		if phase >= 4 && r.IntN(40) == 0 {
			return int64(-1)
		}
		return oneOf(r, 5, int64(3), int64(200))
	}
	i16 := func(r *rand.Rand, phase int) any { return oneOf(r, 5, int16(9), int16(10)) }
	boolean := func(r *rand.Rand, phase int) any { return oneOf(r, 20, true, false) }
	allNull := func(r *rand.Rand, phase int) any { return nil }
	wide := func(r *rand.Rand, phase int) any { return fmt.Sprint(r.IntN(5 + 40*phase)) }
	dictT := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}
	dict := func(r *rand.Rand, phase int) any {
		if phase >= 5 && r.IntN(30) == 0 {
			return "dictionary long"
		}
		return oneOf(r, 10, "x", "y", "")
	}
	// Ship modes and order priorities: strings of up to fifteen bytes,
	// then (phase 5) one of sixteen.
	shipMode := func(r *rand.Rand, phase int) any {
		if phase >= 5 && r.IntN(40) == 0 {
			return "REGULAR SHIPMENT"
		}
		return oneOf(r, 5, "AIR", "FOB", "MAIL", "RAIL", "REG AIR", "SHIP", "TRUCK", "", "A",
			"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "4-NOT SPECIFIE", "12345678", "123456789", "3-MEDIUMX", "3-MEDIUMY")
	}
	shipModeNoNulls := func(r *rand.Rand, phase int) any {
		return []string{"AIR", "FOB", "MAIL", "RAIL", "REG AIR", "SHIP", "TRUCK", "R", "RA"}[r.IntN(9)]
	}
	// Two-byte strings: 10 + 10·phase distinct values, past shortCap in phase 6.
	manyShort := func(r *rand.Rand, phase int) any { return fmt.Sprintf("%02d", r.IntN(10+10*phase)) }
	str := arrow.BinaryTypes.String
	cases := []struct {
		name     string
		gens     []keyGen
		fastTill int // the cache must still be on after this phase
	}{
		{"q1", []keyGen{{str, noNullStr}, {str, noNullStr2}}, 4},
		{"bytes_overlap", []keyGen{{str, abc}, {str, abc}}, 6},
		{"one_string", []keyGen{{str, str1}}, 5},
		{"one_string_no_nulls", []keyGen{{str, noNullStr}}, 5},
		{"string_grows_long", []keyGen{{str, strLong}, {str, str1}}, 3},
		{"ints", []keyGen{{arrow.PrimitiveTypes.Int8, i8}, {arrow.PrimitiveTypes.Int32, i32}}, 2},
		{"int64_negative", []keyGen{{arrow.PrimitiveTypes.Int64, i64neg}, {arrow.PrimitiveTypes.Int16, i16}}, 3},
		{"bool_string_int8", []keyGen{{arrow.FixedWidthTypes.Boolean, boolean}, {str, str1}, {arrow.PrimitiveTypes.Int8, i8}}, 5},
		{"all_null", []keyGen{{str, allNull}, {arrow.PrimitiveTypes.Int32, allNull}}, 5},
		{"dictionary", []keyGen{{dictT, dict}, {str, noNullStr}}, 4},
		{"too_many_values", []keyGen{{str, wide}}, -1},
		{"short_strings", []keyGen{{str, noNullStr}, {str, noNullStr2}, {str, shipMode}}, 4},
		{"short_strings_no_nulls", []keyGen{{str, shipModeNoNulls}, {str, abc}}, 6},
		{"many_short_strings", []keyGen{{str, manyShort}}, 5},
		{"five_columns", []keyGen{{str, str1}, {str, str1}, {str, str1}, {arrow.PrimitiveTypes.Int8, i8}, {arrow.FixedWidthTypes.Boolean, boolean}}, -1},
	}
	for _, tc := range cases {
		for _, sliced := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/sliced=%v", tc.name, sliced), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				types := make([]arrow.DataType, len(tc.gens))
				for k, g := range tc.gens {
					types[k] = g.dt
				}
				fast, err := newTable(types)
				if err != nil {
					t.Fatal(err)
				}
				if fast.small == nil {
					t.Fatal("no small-domain cache for these key types")
				}
				slow, _ := newTable(types)
				slow.small = nil
				r := rand.New(rand.NewPCG(uint64(len(tc.name)), 9))
				hits := 0
				for phase := 0; phase < 7; phase++ {
					for b := 0; b < 6; b++ {
						n := []int{1, 7, 64, 200, 1024}[r.IntN(5)]
						cols := genBatch(mem, r, tc.gens, n, phase, sliced)
						want, err := slow.lookup(cols, n)
						if err != nil {
							t.Fatal(err)
						}
						want = slices.Clone(want)
						if fast.small != nil && fast.small.direct != nil {
							hits++
						}
						got, err := fast.lookup(cols, n)
						if err != nil {
							t.Fatal(err)
						}
						if !slices.Equal(got, want) {
							t.Fatalf("phase %d batch %d: group ids differ\n got %v\nwant %v", phase, b, got, want)
						}
						for _, c := range cols {
							c.Release()
						}
					}
					if phase <= tc.fastTill && fast.small == nil {
						t.Fatalf("cache dropped in phase %d", phase)
					}
				}
				if fast.groups() != slow.groups() {
					t.Fatalf("%d groups, want %d", fast.groups(), slow.groups())
				}
				if tc.fastTill >= 0 && hits == 0 {
					t.Fatal("the cache never answered")
				}
				if (tc.name == "many_short_strings" || tc.name == "short_strings") && fast.small != nil {
					t.Fatal("the cache is still on with more than shortCap strings or a string of sixteen bytes")
				}
				for k := range types {
					g, w := fast.cols[k].array(mem, 0, fast.groups()), slow.cols[k].array(mem, 0, slow.groups())
					if !array.Equal(g, w) {
						t.Fatalf("key column %d: got %v want %v", k, g, w)
					}
					g.Release()
					w.Release()
				}
			})
		}
	}
}

// TestOneByteCheck: strings of lengths 0 and 2 whose total length equals the
// row count must not be taken for one-byte strings.
func TestOneByteCheck(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	types := []arrow.DataType{arrow.BinaryTypes.String, arrow.BinaryTypes.String}
	fast, _ := newTable(types)
	slow, _ := newTable(types)
	slow.small = nil
	r := rand.New(rand.NewPCG(5, 6))
	build := func(vals []string) arrow.Array {
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.AppendValues(vals, nil)
		return b.NewArray()
	}
	for round := range 40 {
		n := 2 * (1 + r.IntN(300))
		a, b := make([]string, n), make([]string, n)
		for i := range n {
			a[i] = []string{"a", "b"}[r.IntN(2)]
			b[i] = []string{"a", "b"}[r.IntN(2)]
		}
		if round%2 == 1 {
			// Same total length, but pairs of "" and "ab".
			for i := 0; i < n; i += 2 {
				j := r.IntN(n)
				if i != j && len(b[i]) == 1 && len(b[j]) == 1 {
					b[i], b[j] = "", "ab"
				}
			}
		}
		cols := []arrow.Array{build(a), build(b)}
		want, err := slow.lookup(cols, n)
		if err != nil {
			t.Fatal(err)
		}
		want = slices.Clone(want)
		got, err := fast.lookup(cols, n)
		if err != nil {
			t.Fatal(err)
		}
		cols[0].Release()
		cols[1].Release()
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: group ids differ", round)
		}
	}
}

// TestFixedKeyNullVersusZero: with one fixed-width key column a null key and
// the value 0 have the same key word; a probe for one that walks through
// the slot of the other must not match it.
func TestFixedKeyNullVersusZero(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	build := func(vals []int64, valid []bool) arrow.Array {
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.AppendValues(vals, valid)
		return b.NewArray()
	}
	tb, err := newTable([]arrow.DataType{arrow.PrimitiveTypes.Int64})
	if err != nil {
		t.Fatal(err)
	}
	tb.small = nil
	if tb.kv == nil {
		t.Fatal("expected the one-column layout")
	}
	// home returns the first slot probed for each row of a.
	home := func(a arrow.Array) []uint64 {
		hs := make([]uint64, a.Len())
		for i := range hs {
			hs[i] = tableSeed
		}
		if err := tb.cols[0].load(a, hs); err != nil {
			t.Fatal(err)
		}
		for i := range hs {
			hs[i] = kernels.Mix64(hs[i]) & tb.mask
		}
		return hs
	}
	pair := build([]int64{0, 0}, []bool{true, false}) // 0, null
	defer pair.Release()
	h := home(pair)
	first, second := 0, 1 // insert first, then fill the slots up to its home from second's home
	if (h[0]-h[1])&tb.mask > (h[1]-h[0])&tb.mask {
		first, second = 1, 0
	}
	dist := (h[first] - h[second]) & tb.mask
	if dist > 25 {
		t.Skipf("homes %d slots apart", dist)
	}
	lookup := func(a arrow.Array) []uint32 {
		g, err := tb.lookup([]arrow.Array{a}, a.Len())
		if err != nil {
			t.Fatal(err)
		}
		return slices.Clone(g)
	}
	one := func(i int) arrow.Array { return array.NewSlice(pair, int64(i), int64(i+1)) }
	a := one(first)
	lookup(a)
	a.Release()
	// Occupy every slot from second's home up to first's slot.
	for q := uint64(0); q < dist; q++ {
		want := (h[second] + q) & tb.mask
		for k := int64(1); ; k++ {
			f := build([]int64{k}, nil)
			if home(f)[0] == want {
				lookup(f)
				f.Release()
				break
			}
			f.Release()
		}
	}
	a = one(second)
	g := lookup(a)
	a.Release()
	if g[0] != uint32(tb.groups()-1) || tb.groups() != int(dist)+2 {
		t.Fatalf("null and 0 share a group: id %d of %d groups", g[0], tb.groups())
	}
}
