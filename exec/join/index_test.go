package join

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/exectest"
)

// The table lists every build row without a null key once, in the bucket of
// its hash, buckets in order and rows ascending within a bucket; a single
// fixed-width key is stored in the entries themselves.
func TestIndexLaysOutBucketsInRowOrder(t *testing.T) {
	// Eight rows: a small table, sparseBuckets buckets a row, so size 64,
	// mask 63. Hashes chosen so buckets 1 and 5 collide.
	hash := []uint64{5, 1, 69, 9, 1, 133, 6, 65}
	null := []bool{false, false, false, true, false, false, false, false}
	// The keys crowd the low end of their range (one is 2^50), so the exact
	// table buckets by hash too (see chooseRange).
	vals := []uint64{50, 10, 130, 90, 11, 210, 60, 1 << 50}
	for _, tc := range []struct {
		name     string
		nullSafe []bool
		exact    bool
	}{{"exact", nil, true}, {"hashed", []bool{false}, false}} {
		t.Run(tc.name, func(t *testing.T) {
			tb := &table{rows: len(hash), keys: keySet{
				cols: []keyCol{{kind: kindFixed, fixed: slices.Clone(vals)}},
				null: null, hash: hash,
			}}
			if err := tb.index(context.Background(), tc.nullSafe, maphash.Seed{}); err != nil {
				t.Fatal(err)
			}
			if tb.exact != tc.exact {
				t.Fatalf("exact = %v, want %v", tb.exact, tc.exact)
			}
			// By hand: bucket 1 = rows 1, 4, 7 (65&63 = 1); bucket 5 = rows
			// 0, 2 (69&63), 5 (133&63); bucket 6 = row 6; row 3 is null, left
			// out.
			want := map[int][]int32{1: {1, 4, 7}, 5: {0, 2, 5}, 6: {6}}
			if len(tb.start) != 65 || tb.start[64] != 7 {
				t.Fatalf("start = %v, want 65 bounds ending at 7 entries", tb.start)
			}
			for b := range 64 {
				var rows []int32
				for _, e := range tb.ents[tb.start[b]:tb.start[b+1]] {
					rows = append(rows, e.row)
					wantH := hash[e.row]
					if tc.exact {
						wantH = vals[e.row]
					}
					if e.h != wantH {
						t.Errorf("bucket %d row %d holds %d, want %d", b, e.row, e.h, wantH)
					}
				}
				if !slices.Equal(rows, want[b]) {
					t.Errorf("bucket %d lists rows %v, want %v", b, rows, want[b])
				}
			}
		})
	}
}

// An exact table whose keys spread evenly over their range buckets rows by
// value, (v-lo)>>shift, so that neighbouring keys share or neighbour
// buckets; one whose keys crowd a few parts of their range keeps the hash.
func TestIndexBucketsByValueWhenKeysSpreadEvenly(t *testing.T) {
	neg := func(v int64) uint64 { return uint64(v) }
	steps := func(n int, step uint64) []uint64 {
		vs := make([]uint64, n)
		for i := range vs {
			vs[i] = uint64(i) * step
		}
		return vs
	}
	for _, tc := range []struct {
		name   string
		vals   []uint64
		ranged bool
		lo     uint64
		shift  uint
	}{
		// Range -3..28 (span 31) over 64 buckets (a small table): shift 0.
		// Key 9 twice keeps the table from being direct.
		{"spread", []uint64{neg(-3), 25, 9, 0, 17, 28, 4, 9}, true, neg(-3), 0},
		// 9,000 rows (above sparseRows: 16,384 buckets) over 0..2^20 in
		// steps of 113: shift 6.
		{"large", steps(9000, 113), true, 0, 6},
		// Seven keys in 0..6 and one far away: nearly every row in bucket 0.
		{"crowded", []uint64{0, 1, 2, 3, 4, 5, 6, 1 << 40}, false, 0, 0},
		{"extremes", []uint64{neg(math.MinInt64), 0, 1, 2, 3, 4, 5, math.MaxInt64}, false, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hash := make([]uint64, len(tc.vals))
			for i := range hash {
				hash[i] = uint64(i) * 0x9e3779b97f4a7c15
			}
			tb := &table{rows: len(tc.vals), keys: keySet{
				cols: []keyCol{{kind: kindFixed, fixed: slices.Clone(tc.vals)}},
				null: make([]bool, len(tc.vals)), hash: hash,
			}}
			if err := tb.index(context.Background(), nil, maphash.Seed{}); err != nil {
				t.Fatal(err)
			}
			if tb.ranged != tc.ranged {
				t.Fatalf("ranged = %v, want %v", tb.ranged, tc.ranged)
			}
			seen := 0
			for b := range len(tb.start) - 1 {
				for _, e := range tb.ents[tb.start[b]:tb.start[b+1]] {
					seen++
					if e.h != tc.vals[e.row] {
						t.Errorf("row %d holds %d, want %d", e.row, e.h, tc.vals[e.row])
					}
					home := int(hash[e.row] & tb.mask)
					if tc.ranged {
						if tb.lo != tc.lo || tb.shift != tc.shift {
							t.Fatalf("lo %d shift %d, want %d and %d", tb.lo, tb.shift, tc.lo, tc.shift)
						}
						home = int((e.h - tb.lo) >> tb.shift)
					}
					if home != b {
						t.Errorf("row %d (key %d) in bucket %d, want %d", e.row, int64(e.h), b, home)
					}
				}
			}
			if seen != len(tc.vals) {
				t.Fatalf("%d entries, want %d", seen, len(tc.vals))
			}
		})
	}
}

// A table bucketed by value answers every join kind as the reference does,
// probe keys outside the build keys' range (just below, just above, the
// int64 extremes, whose difference from the range's low end wraps) and
// null keys included.
func TestHashJoinValueBucketsMatchReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(11, 12))
	i64 := arrow.PrimitiveTypes.Int64
	s := arrow.NewSchema([]arrow.Field{{Name: "k", Type: i64, Nullable: true}, {Name: "v", Type: i64}}, nil)
	outside := []int64{-21, 21, 22, math.MinInt64, math.MaxInt64, math.MinInt64 + 20}
	for _, kind := range allKinds {
		t.Run(kind.String(), func(t *testing.T) {
			var build, probe [][]any
			for i := range 30 {
				build = append(build, []any{maybeNull(r, int64(r.IntN(41)-20)), int64(i)})
			}
			for i := range 150 {
				k := int64(r.IntN(45) - 22)
				if i%10 == 0 {
					k = outside[r.IntN(len(outside))]
				}
				probe = append(probe, []any{maybeNull(r, k), int64(i)})
			}
			left := source(t, mem, r, s, probe, 2, nil)
			right := source(t, mem, r, s, build, 1, nil)
			env := testEnv(t, mem, 1+r.IntN(30), false)
			op, err := NewHashJoinWith(env, left, right, Spec{LeftKeys: []int{0}, RightKeys: []int{0}, Kind: kind, Build: BuildRight})
			if err != nil {
				t.Fatal(err)
			}
			want := refJoin(exectest.Rows(t, left), exectest.Rows(t, right), []int{0}, []int{0}, nil, kind, nil, 2, 2)
			if got := collectChecked(t, op, env.BatchSize); !slices.Equal(got, want) {
				t.Fatalf("%d rows, want %d\ngot  %v\nwant %v", len(got), len(want), got, want)
			}
			// The build keys are spread evenly enough to be bucketed by value.
			tb := fixedKeyTable(build, 1)
			if err := tb.index(context.Background(), nil, maphash.Seed{}); err != nil || !tb.ranged {
				t.Fatalf("build keys not bucketed by value (%v)", err)
			}
		})
	}
}

// Two fixed-width keys whose ranges fit together in 64 bits are packed
// into one exact key; every join kind still answers as the reference does,
// probe rows outside either build key's range (and null keys) included. A
// build side whose ranges do not fit keeps the two keys.
func TestHashJoinPackedKeyPairsMatchReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(13, 14))
	i64 := arrow.PrimitiveTypes.Int64
	s := arrow.NewSchema([]arrow.Field{{Name: "a", Type: i64, Nullable: true}, {Name: "b", Type: i64, Nullable: true}, {Name: "v", Type: i64}}, nil)
	for _, wide := range []bool{false, true} {
		for _, kind := range allKinds {
			t.Run(fmt.Sprintf("wide=%v/%s", wide, kind), func(t *testing.T) {
				var build, probe [][]any
				for i := range 40 {
					a, b := int64(r.IntN(11)-5), int64(100+r.IntN(21))
					if wide && i == 0 {
						a = math.MinInt64
					}
					if wide && i == 1 {
						a = math.MaxInt64
					}
					build = append(build, []any{maybeNull(r, a), maybeNull(r, b), int64(i)})
				}
				for i := range 200 {
					a, b := int64(r.IntN(15)-7), int64(98+r.IntN(25))
					if i%17 == 0 {
						a = []int64{math.MinInt64, math.MaxInt64, -6, 6}[r.IntN(4)]
					}
					probe = append(probe, []any{maybeNull(r, a), maybeNull(r, b), int64(i)})
				}
				left := source(t, mem, r, s, probe, 2, nil)
				right := source(t, mem, r, s, build, 1, nil)
				env := testEnv(t, mem, 1+r.IntN(30), false)
				op, err := NewHashJoinWith(env, left, right, Spec{LeftKeys: []int{0, 1}, RightKeys: []int{0, 1}, Kind: kind, Build: BuildRight})
				if err != nil {
					t.Fatal(err)
				}
				want := refJoin(exectest.Rows(t, left), exectest.Rows(t, right), []int{0, 1}, []int{0, 1}, nil, kind, nil, 3, 3)
				if got := collectChecked(t, op, env.BatchSize); !slices.Equal(got, want) {
					t.Fatalf("%d rows, want %d\ngot  %v\nwant %v", len(got), len(want), got, want)
				}
				// Whether the build keys pack.
				tb := &table{rows: len(build), keys: keySet{cols: []keyCol{{kind: kindFixed}, {kind: kindFixed}}}}
				for _, row := range build {
					a, _ := row[0].(int64)
					b, _ := row[1].(int64)
					tb.keys.cols[0].fixed = append(tb.keys.cols[0].fixed, uint64(a))
					tb.keys.cols[1].fixed = append(tb.keys.cols[1].fixed, uint64(b))
					tb.keys.null = append(tb.keys.null, row[0] == nil || row[1] == nil)
				}
				tb.pack()
				if tb.packed == wide {
					t.Fatalf("packed = %v for wide = %v", tb.packed, wide)
				}
			})
		}
	}
}

// Distinct keys spanning at most directSlots values make a direct table,
// one slot per key value; a duplicate key or a wider span does not.
func TestIndexDirectWhenKeysDistinctAndDense(t *testing.T) {
	neg := func(v int64) uint64 { return uint64(v) }
	// repeatAt gives row i the key of row i+1.
	repeatAt := func(vs []uint64, i int) []uint64 {
		vs[i] = vs[i+1]
		return vs
	}
	// spread returns n distinct keys from 0 to span.
	spread := func(n int, span uint64) []uint64 {
		vs := make([]uint64, n)
		for i := range vs {
			vs[i] = uint64(i) * (span / uint64(n-1))
		}
		vs[n-1] = span
		return vs
	}
	for _, tc := range []struct {
		name   string
		vals   []uint64
		null   []bool
		direct bool
	}{
		// Span 31 over 8 rows: 32 slots, directSlack a row.
		{"dense", []uint64{neg(-3), 25, 9, 0, 17, 28, 4, 12}, nil, true},
		{"null", []uint64{5, 1, 99, 7}, []bool{false, false, true, false}, true},
		{"duplicate", []uint64{neg(-3), 25, 9, 0, 17, 28, 4, 9}, nil, false},
		// Span 511, 512 values for 8 rows: directSmallSlack a row.
		{"sparse", []uint64{0, 1, 2, 3, 4, 5, 6, 511}, nil, true},
		// Span 512, one value too many.
		{"wide", []uint64{0, 1, 2, 3, 4, 5, 6, 512}, nil, false},
		// 10,000 rows: directSmallSlots values, and one value too many.
		{"large", spread(10000, 1<<18-1), nil, true},
		{"large wide", spread(10000, 1<<18), nil, false},
		// Past directCheckSlots: checked distinct before the slots.
		{"checked", spread(300000, 1<<20+5), nil, true},
		{"checked duplicate", repeatAt(spread(300000, 1<<20+5), 150000), nil, false},
		{"extremes", []uint64{neg(math.MinInt64), 0, math.MaxInt64, 1}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			null := tc.null
			if null == nil {
				null = make([]bool, len(tc.vals))
			}
			tb := &table{rows: len(tc.vals), keys: keySet{
				cols: []keyCol{{kind: kindFixed, fixed: slices.Clone(tc.vals)}},
				null: null, hash: make([]uint64, len(tc.vals)),
			}}
			if err := tb.index(context.Background(), nil, maphash.Seed{}); err != nil {
				t.Fatal(err)
			}
			if tb.direct != tc.direct {
				t.Fatalf("direct = %v, want %v", tb.direct, tc.direct)
			}
			if !tc.direct {
				return
			}
			if tb.start != nil || tb.ents != nil {
				t.Errorf("a direct table keeps bucket starts or entries")
			}
			found := 0
			for d, x := range tb.slot {
				if x == 0 {
					continue
				}
				found++
				row := int(x - 1)
				if null[row] || tc.vals[row]-tb.lo != uint64(d) {
					t.Errorf("slot %d holds row %d (key %d)", d, row, int64(tc.vals[row]))
				}
			}
			want := 0
			for _, n := range null {
				if !n {
					want++
				}
			}
			if found != want {
				t.Errorf("%d rows in slots, want %d", found, want)
			}
		})
	}
}

// A direct table answers every join kind as the reference does: distinct
// build keys (one null), probe keys repeated, outside the range (just
// below, just above, the int64 extremes, whose difference from the range's
// low end wraps) and null; and so does a packed pair of keys made direct.
func TestHashJoinDirectTableMatchesReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(21, 22))
	i64 := arrow.PrimitiveTypes.Int64
	s := arrow.NewSchema([]arrow.Field{{Name: "k", Type: i64, Nullable: true}, {Name: "k2", Type: i64, Nullable: true}, {Name: "v", Type: i64}}, nil)
	outside := []int64{-41, 81, 82, math.MinInt64, math.MaxInt64, math.MinInt64 + 40}
	for _, keys := range []int{1, 2} {
		for _, kind := range allKinds {
			t.Run(fmt.Sprintf("keys=%d/%s", keys, kind), func(t *testing.T) {
				var build, probe [][]any
				// 30 distinct keys of -40..79: 120 values, 4 a row. The
				// second key is always 5, so the packed pairs span as
				// many values.
				for i, k := range r.Perm(120)[:30] {
					var key any = int64(k - 40)
					if i == 7 {
						key = nil
					}
					build = append(build, []any{key, int64(5), int64(i)})
				}
				for i := range 300 {
					k := int64(r.IntN(124) - 42)
					if i%10 == 0 {
						k = outside[r.IntN(len(outside))]
					}
					k2 := int64(5)
					if i%7 == 0 {
						k2 = int64(4 + r.IntN(2)*2)
					}
					probe = append(probe, []any{maybeNull(r, k), maybeNull(r, k2), int64(i)})
				}
				left := source(t, mem, r, s, probe, 2, nil)
				right := source(t, mem, r, s, build, 1, nil)
				env := testEnv(t, mem, 1+r.IntN(30), false)
				lk := []int{0, 1}[:keys]
				op, err := NewHashJoinWith(env, left, right, Spec{LeftKeys: lk, RightKeys: lk, Kind: kind, Build: BuildRight})
				if err != nil {
					t.Fatal(err)
				}
				want := refJoin(exectest.Rows(t, left), exectest.Rows(t, right), lk, lk, nil, kind, nil, 3, 3)
				if got := collectChecked(t, op, env.BatchSize); !slices.Equal(got, want) {
					t.Fatalf("%d rows, want %d\ngot  %v\nwant %v", len(got), len(want), got, want)
				}
				tb := fixedKeyTable(build, keys)
				tb.pack()
				if err := tb.index(context.Background(), nil, maphash.Seed{}); err != nil || !tb.direct {
					t.Fatalf("build keys not made direct (%v)", err)
				}
			})
		}
	}
}

// A table bucketed by value whose buckets each span many key values
// (shift > 0) compares keys within a bucket: every join kind answers as the
// reference does with probe batches without nulls, whose rows are matched
// a whole bucket at a time, and with nulls.
func TestHashJoinWideValueBucketsMatchReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(31, 32))
	i64 := arrow.PrimitiveTypes.Int64
	s := arrow.NewSchema([]arrow.Field{{Name: "k", Type: i64, Nullable: true}, {Name: "v", Type: i64}}, nil)
	var build [][]any
	var keys []uint64
	// 9,000 rows over 0..2^20, a few keys twice: 16,384 buckets, shift 6.
	for i := range 9000 {
		k := int64(i) * 113
		if i%100 == 0 {
			k = int64(i-1) * 113
		}
		build = append(build, []any{k, int64(i)})
		keys = append(keys, uint64(k))
	}
	for _, nulls := range []bool{false, true} {
		for _, kind := range allKinds {
			t.Run(fmt.Sprintf("nulls=%v/%s", nulls, kind), func(t *testing.T) {
				var probe [][]any
				for i := range 3000 {
					var k any = int64(r.IntN(9100 * 113))
					if i%3 == 0 {
						k = int64(r.IntN(9100)) * 113
					}
					if nulls && i%50 == 0 {
						k = nil
					}
					probe = append(probe, []any{k, int64(i)})
				}
				left := source(t, mem, r, s, probe, 2, nil)
				right := source(t, mem, r, s, build, 1, nil)
				env := testEnv(t, mem, 1+r.IntN(30), false)
				op, err := NewHashJoinWith(env, left, right, Spec{LeftKeys: []int{0}, RightKeys: []int{0}, Kind: kind, Build: BuildRight})
				if err != nil {
					t.Fatal(err)
				}
				want := refJoin(exectest.Rows(t, left), exectest.Rows(t, right), []int{0}, []int{0}, nil, kind, nil, 2, 2)
				if got := collectChecked(t, op, env.BatchSize); !slices.Equal(got, want) {
					t.Fatalf("%d rows, want %d", len(got), len(want))
				}
			})
		}
	}
	tb := &table{rows: len(keys), keys: keySet{
		cols: []keyCol{{kind: kindFixed, fixed: keys}},
		null: make([]bool, len(keys)), hash: make([]uint64, len(keys)),
	}}
	if err := tb.index(context.Background(), nil, maphash.Seed{}); err != nil || !tb.ranged || tb.shift == 0 {
		t.Fatalf("ranged %v shift %d (%v), want ranged with shift > 0", tb.ranged, tb.shift, err)
	}
}

// repeatsEarly finds a repeated key among the leading rows, null rows
// aside, and not past them.
func TestRepeatsEarly(t *testing.T) {
	late := make([]uint64, directCheckRows+1)
	for i := range late {
		late[i] = uint64(i)
	}
	late[directCheckRows] = 0
	for _, tc := range []struct {
		vals []uint64
		null []bool
		want bool
	}{
		{[]uint64{5, 200, 7, 64, 69}, nil, false},
		{[]uint64{5, 200, 7, 64, 200}, nil, true},
		{[]uint64{5, 200, 7, 64, 200}, []bool{false, true, false, false, false}, false},
		{[]uint64{1000, 5, 5}, nil, true},
		{late, nil, false},
	} {
		null := tc.null
		if null == nil {
			null = make([]bool, len(tc.vals))
		}
		if got := repeatsEarly(tc.vals, null); got != tc.want {
			t.Errorf("repeatsEarly(%d values, nulls %v) = %v, want %v", len(tc.vals), tc.null, got, tc.want)
		}
	}
}

// fixedKeyTable is a table over the first keys columns of rows (int64 or
// nil), loaded as index expects them: fixed-width keys, a row null when its
// first key is, hashes left zero.
func fixedKeyTable(rows [][]any, keys int) *table {
	tb := &table{rows: len(rows), keys: keySet{cols: make([]keyCol, keys)}}
	for c := range tb.keys.cols {
		tb.keys.cols[c].kind = kindFixed
	}
	for _, row := range rows {
		for c := range keys {
			k, _ := row[c].(int64)
			tb.keys.cols[c].fixed = append(tb.keys.cols[c].fixed, uint64(k))
		}
		tb.keys.null = append(tb.keys.null, row[0] == nil)
		tb.keys.hash = append(tb.keys.hash, 0)
	}
	return tb
}
