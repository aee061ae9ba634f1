package aggregate_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exectest"
)

var laneSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "d18", Type: &arrow.Decimal64Type{Precision: 18, Scale: 0}, Nullable: true},
	{Name: "d38", Type: &arrow.Decimal128Type{Precision: 38, Scale: 0}, Nullable: true},
	{Name: "d38s", Type: &arrow.Decimal128Type{Precision: 38, Scale: 2}, Nullable: true},
	{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
}, nil)

var laneSpecs = []aggregate.Spec{
	{Func: aggregate.Sum, Input: 1, Name: "sum_d18"},
	{Func: aggregate.Avg, Input: 1, Name: "avg_d18"},
	{Func: aggregate.Sum, Input: 2, Name: "sum_d38"},
	{Func: aggregate.Sum, Input: 3, Name: "sum_d38s"},
	{Func: aggregate.Avg, Input: 3, Name: "avg_d38s"},
	{Func: aggregate.Min, Input: 4, Name: "min_i32"},
	{Func: aggregate.Max, Input: 4, Name: "max_i32"},
	{Func: aggregate.Min, Input: 5, Name: "min_i64"},
	{Func: aggregate.Max, Input: 5, Name: "max_i64"},
	{Func: aggregate.Count, Input: 1, Name: "cnt_d18"},
	{Func: aggregate.CountStar, Name: "cnt"},
}

// laneRow is one generated row; a nil pointer is a null.
type laneRow struct {
	k         *string
	d18       *int64
	d38, d38s *big.Int
	i32       *int32
	i64       *int64
}

func ptr[T any](v T) *T { return &v }

// laneBatch generates n rows over few groups. kind selects the magnitudes:
// 0 small, 1 decimal64 values near the int64 limit, 2 decimal128 values with
// wide high words; nulls adds nulls to every column.
func laneBatch(mem memory.Allocator, r *rand.Rand, n, kind int, nulls bool) (arrow.RecordBatch, []laneRow) {
	b := array.NewRecordBuilder(mem, laneSchema)
	defer b.Release()
	keys := []string{"A", "N", "R"}
	null := func() bool { return nulls && r.IntN(10) == 0 }
	rows := make([]laneRow, n)
	negative := r.IntN(2) == 0 // which sign dominates near-limit decimal64 values
	for i := range rows {
		var row laneRow
		if !null() {
			row.k = ptr(keys[r.IntN(len(keys))])
		}
		if !null() {
			v := r.Int64N(2_000_000) - 1_000_000
			if kind == 1 {
				v = 999_999_999_999_999_999 - r.Int64N(1000)
				if (r.IntN(4) == 0) != negative {
					v = -v
				}
			}
			row.d18 = &v
		}
		if !null() {
			v := big.NewInt(r.Int64N(1 << 40))
			v.Mul(v, big.NewInt(r.Int64N(1<<40))) // about 2^80: high words are not sign extensions
			switch kind {
			case 0:
				// A high word that is not the sign extension of a small low word.
				v.Lsh(big.NewInt(r.Int64N(100)+1), 64)
				v.Add(v, big.NewInt(r.Int64N(1000)))
			case 2:
				v.Mul(v, big.NewInt(1<<36)) // about 2^116
			}
			if r.IntN(2) == 0 {
				v.Neg(v)
			}
			row.d38 = v
		}
		if !null() {
			row.d38s = big.NewInt(r.Int64N(1<<50) - 1<<49)
		}
		if !null() {
			row.i32 = ptr(int32(r.Uint32()))
			if r.IntN(500) == 0 {
				row.i32 = ptr([]int32{math.MinInt32, math.MaxInt32}[r.IntN(2)])
			}
		}
		if !null() {
			row.i64 = ptr(int64(r.Uint64()))
			if r.IntN(500) == 0 {
				row.i64 = ptr([]int64{math.MinInt64, math.MaxInt64}[r.IntN(2)])
			}
		}
		rows[i] = row
		if row.k == nil {
			b.Field(0).AppendNull()
		} else {
			b.Field(0).(*array.StringBuilder).Append(*row.k)
		}
		if row.d18 == nil {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.Decimal64Builder).Append(decimal.Decimal64(*row.d18))
		}
		for c, v := range []*big.Int{row.d38, row.d38s} {
			if v == nil {
				b.Field(2 + c).AppendNull()
			} else {
				b.Field(2 + c).(*array.Decimal128Builder).Append(decimal128.FromBigInt(v))
			}
		}
		if row.i32 == nil {
			b.Field(4).AppendNull()
		} else {
			b.Field(4).(*array.Int32Builder).Append(*row.i32)
		}
		if row.i64 == nil {
			b.Field(5).AppendNull()
		} else {
			b.Field(5).(*array.Int64Builder).Append(*row.i64)
		}
	}
	return b.NewRecordBatch(), rows
}

func avgHalfUp(sum *big.Int, cnt int64, scale int32) string {
	n := new(big.Int).Mul(sum, big.NewInt(10000))
	c := big.NewInt(cnt)
	q, rem := new(big.Int).QuoRem(n, c, new(big.Int))
	if new(big.Int).Lsh(new(big.Int).Abs(rem), 1).Cmp(c) >= 0 {
		q.Add(q, big.NewInt(int64(n.Sign())))
	}
	return decStr(q, scale+4)
}

// laneReference aggregates rows one at a time with big integers.
func laneReference(rows []laneRow) []string {
	type acc struct {
		sum18, sum38, sum38s *big.Int
		n18, n38, n38s, cnt  int64
		min32, max32         *int32
		min64, max64         *int64
	}
	m := map[string]*acc{}
	for _, row := range rows {
		k := "NULL"
		if row.k != nil {
			k = *row.k
		}
		a := m[k]
		if a == nil {
			a = &acc{sum18: new(big.Int), sum38: new(big.Int), sum38s: new(big.Int)}
			m[k] = a
		}
		a.cnt++
		if row.d18 != nil {
			a.sum18.Add(a.sum18, big.NewInt(*row.d18))
			a.n18++
		}
		if row.d38 != nil {
			a.sum38.Add(a.sum38, row.d38)
			a.n38++
		}
		if row.d38s != nil {
			a.sum38s.Add(a.sum38s, row.d38s)
			a.n38s++
		}
		if v := row.i32; v != nil {
			if a.min32 == nil || *v < *a.min32 {
				a.min32 = v
			}
			if a.max32 == nil || *v > *a.max32 {
				a.max32 = v
			}
		}
		if v := row.i64; v != nil {
			if a.min64 == nil || *v < *a.min64 {
				a.min64 = v
			}
			if a.max64 == nil || *v > *a.max64 {
				a.max64 = v
			}
		}
	}
	opt := func(ok bool, s func() string) string {
		if !ok {
			return "NULL"
		}
		return s()
	}
	var out []string
	for k, a := range m {
		cells := []string{
			k,
			opt(a.n18 > 0, func() string { return decStr(a.sum18, 0) }),
			opt(a.n18 > 0, func() string { return avgHalfUp(a.sum18, a.n18, 0) }),
			opt(a.n38 > 0, func() string { return decStr(a.sum38, 0) }),
			opt(a.n38s > 0, func() string { return decStr(a.sum38s, 2) }),
			opt(a.n38s > 0, func() string { return avgHalfUp(a.sum38s, a.n38s, 2) }),
			opt(a.min32 != nil, func() string { return fmt.Sprint(*a.min32) }),
			opt(a.max32 != nil, func() string { return fmt.Sprint(*a.max32) }),
			opt(a.min64 != nil, func() string { return fmt.Sprint(*a.min64) }),
			opt(a.max64 != nil, func() string { return fmt.Sprint(*a.max64) }),
			fmt.Sprint(a.n18),
			fmt.Sprint(a.cnt),
		}
		out = append(out, strings.Join(cells, ","))
	}
	sort.Strings(out)
	return out
}

func laneTypes() []arrow.DataType {
	ts := make([]arrow.DataType, len(laneSpecs))
	for i, sp := range laneSpecs {
		ts[i] = arrow.PrimitiveTypes.Int64
		if sp.Func != aggregate.CountStar {
			ts[i] = laneSchema.Field(sp.Input).Type
		}
	}
	return ts
}

func lanePlan(t *testing.T, env *exec.Env, src exec.Operator) exec.Operator {
	t.Helper()
	part, err := aggregate.NewPartial(env, src, []int{0}, laneSpecs)
	if err != nil {
		t.Fatal(err)
	}
	fin, err := aggregate.NewFinal(env, part, 1, laneSpecs, laneTypes())
	if err != nil {
		t.Fatal(err)
	}
	return fin
}

// TestFewGroupsAgainstBigInts covers the per-batch paths for few groups
// (histogram counts, interleaved sums with and without overflow checks,
// int64 sums spilling into 128 bits, decimal128 values that do and do not
// fit an int64, min/max lanes) next to batches with nulls and small batches,
// which take the per-row paths, against a big-integer reference.
func TestFewGroupsAgainstBigInts(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 2}
	r := rand.New(rand.NewPCG(3, 4))
	var batches []arrow.RecordBatch
	var rows [][]laneRow
	for i := range 24 {
		n := []int{1024, 1001, 0, 3, 703, 66}[i%6]
		rb, rs := laneBatch(mem, r, n, i%3, i%5 == 4)
		batches = append(batches, rb)
		rows = append(rows, rs)
	}
	defer exec.ReleaseAll(batches)
	check := func(bs []arrow.RecordBatch, rs []laneRow) {
		t.Helper()
		src := exec.NewMemorySource(laneSchema, [][]arrow.RecordBatch{bs})
		defer src.Release()
		got := rowStrings(exectest.Rows(t, lanePlan(t, env, src)))
		want := laneReference(rs)
		if len(got) != len(want) {
			t.Fatalf("got %d groups, want %d:\n%v\n%v", len(got), len(want), got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("row %d:\n got %s\nwant %s", i, got[i], want[i])
			}
		}
	}
	// Each batch on its own, then the whole stream.
	var all []laneRow
	for i := range batches {
		check(batches[i:i+1], rows[i])
		all = append(all, rows[i]...)
	}
	check(batches, all)
}

// TestFewGroupsDecimal128Overflow: a large batch of 10^38-1 values over two
// groups overflows 128 bits in the interleaved sums.
func TestFewGroupsDecimal128Overflow(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem}
	s := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int8},
		{Name: "d", Type: &arrow.Decimal128Type{Precision: 38, Scale: 0}},
	}, nil)
	big38, _ := decimal128.FromString("99999999999999999999999999999999999999", 38, 0)
	b := array.NewRecordBuilder(mem, s)
	for i := range 1024 {
		b.Field(0).(*array.Int8Builder).Append(int8(i % 2))
		b.Field(1).(*array.Decimal128Builder).Append(big38)
	}
	rb := b.NewRecordBatch()
	b.Release()
	src := exec.NewMemorySource(s, [][]arrow.RecordBatch{{rb}})
	rb.Release()
	defer src.Release()
	part, err := aggregate.NewPartial(env, src, []int{0}, []aggregate.Spec{{Func: aggregate.Sum, Input: 1, Name: "s"}})
	if err != nil {
		t.Fatal(err)
	}
	bs, err := exec.Collect(t.Context(), part)
	exec.ReleaseAll(bs)
	if !errors.Is(err, aggregate.ErrOverflow) {
		t.Fatalf("got %v, want overflow", err)
	}
}
