package sort

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	gosort "sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/values"
)

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "d", Type: &arrow.Decimal128Type{Precision: 25, Scale: 2}, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "t", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "small", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
	{Name: "m", Type: &arrow.Decimal64Type{Precision: 12, Scale: 1}, Nullable: true},
	{Name: "seq", Type: arrow.PrimitiveTypes.Int32},
}, nil)

func maybeNull(r *rand.Rand, v any) any {
	if r.IntN(8) == 0 {
		return nil
	}
	return v
}

func randomRow(r *rand.Rand, seq int) []any {
	floats := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1.5, -2.25}
	var f any = r.NormFloat64()
	if r.IntN(2) == 0 {
		f = floats[r.IntN(len(floats))]
	}
	return []any{
		maybeNull(r, r.Int64N(20)-10),
		maybeNull(r, []string{"", "a", "ab", "b", "B", "ba", "\xff"}[r.IntN(7)]),
		maybeNull(r, f),
		maybeNull(r, r.Int64N(2000)-1000),
		maybeNull(r, r.IntN(2) == 0),
		maybeNull(r, arrow.Date32(r.IntN(5))),
		maybeNull(r, r.IntN(3)),
		maybeNull(r, r.Int64N(7)-3),
		seq,
	}
}

// source splits rows, in order, into nparts partitions of random batches
// (some empty).
func source(t testing.TB, mem memory.Allocator, r *rand.Rand, rows [][]any, nparts int) *exec.MemorySource {
	parts := make([][]arrow.RecordBatch, nparts)
	var all []arrow.RecordBatch
	p := 0
	for len(rows) > 0 {
		n := min(len(rows), r.IntN(50))
		b := exectest.Batch(mem, testSchema, rows[:n])
		rows = rows[n:]
		parts[p] = append(parts[p], b)
		all = append(all, b)
		if r.IntN(3) == 0 && p+1 < nparts {
			p++
		}
	}
	src := exec.NewMemorySource(testSchema, parts)
	exec.ReleaseAll(all)
	t.Cleanup(src.Release)
	return src
}

// refCompare orders two row-form values of the same column ascending.
func refCompare(a, b any) int {
	switch x := a.(type) {
	case int64:
		return cmpInt(x, b.(int64))
	case int32:
		return cmpInt(x, b.(int32))
	case int8:
		return cmpInt(x, b.(int8))
	case string:
		return strings.Compare(x, b.(string))
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case float64:
		y := b.(float64)
		xn, yn := math.IsNaN(x), math.IsNaN(y)
		switch {
		case xn && yn:
			return 0
		case xn:
			return 1
		case yn:
			return -1
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case time.Time:
		return x.Compare(b.(time.Time))
	case values.Decimal:
		return x.Unscaled.Cmp(b.(values.Decimal).Unscaled)
	}
	panic(fmt.Sprintf("refCompare: %T", a))
}

func cmpInt[T int64 | int32 | int8](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// refSort is the reference: a stable sort of the rows by keys.
func refSort(rows [][]any, keys []Key) [][]any {
	rows = slices.Clone(rows)
	gosort.SliceStable(rows, func(i, j int) bool {
		for _, k := range keys {
			a, b := rows[i][k.Col], rows[j][k.Col]
			var c int
			switch {
			case a == nil && b == nil:
				c = 0
			case a == nil:
				c = 1
				if k.NullsFirst {
					c = -1
				}
			case b == nil:
				c = -1
				if k.NullsFirst {
					c = 1
				}
			default:
				c = refCompare(a, b)
				if k.Desc {
					c = -c
				}
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	return rows
}

func randomKeys(r *rand.Rand) []Key {
	cols := r.Perm(testSchema.NumFields() - 1)[:1+r.IntN(3)]
	keys := make([]Key, len(cols))
	for i, c := range cols {
		keys[i] = Key{Col: c, Desc: r.IntN(2) == 0, NullsFirst: r.IntN(2) == 0}
	}
	return keys
}

func TestSortMatchesStableReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(5, 6))
	for iter := range 90 {
		nparts := []int{1, 2, 7}[iter%3]
		n := r.IntN(400)
		if iter%10 == 0 {
			n = 0
		}
		rows := make([][]any, n)
		for i := range rows {
			rows[i] = randomRow(r, i)
		}
		src := source(t, mem, r, rows, nparts)
		keys := randomKeys(r)
		env := &exec.Env{Mem: mem, BatchSize: 1 + r.IntN(64)}
		op, err := NewSort(env, src, keys)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprint(refSort(exectest.Rows(t, src), keys))
		bs, err := exec.Collect(t.Context(), op)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			if b.NumRows() > int64(env.BatchSize) {
				t.Errorf("batch of %d rows, batch size %d", b.NumRows(), env.BatchSize)
			}
		}
		got := fmt.Sprint(values.Rows(bs))
		exec.ReleaseAll(bs)
		if got != want {
			t.Fatalf("iteration %d, %d partitions, keys %v:\ngot  %s\nwant %s", iter, nparts, keys, got, want)
		}

		// TopN equals Sort followed by a limit.
		limit := int64(r.IntN(n + 5))
		top, err := NewTopN(env, src, keys, limit)
		if err != nil {
			t.Fatal(err)
		}
		wantTop := refSort(exectest.Rows(t, src), keys)
		wantTop = wantTop[:min(int(limit), len(wantTop))]
		if got, want := fmt.Sprint(exectest.Rows(t, top)), fmt.Sprint(wantTop); got != want {
			t.Fatalf("iteration %d: TopN(%d) keys %v:\ngot  %s\nwant %s", iter, limit, keys, got, want)
		}
		if got := len(exectest.Rows(t, NewLimit(op, limit, 0, true))); got != len(wantTop) {
			t.Fatalf("Sort+Limit(%d) gave %d rows, want %d", limit, got, len(wantTop))
		}
	}
}

func TestTopNLargeInputCompacts(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(7, 8))
	rows := make([][]any, 5000)
	for i := range rows {
		rows[i] = randomRow(r, i)
	}
	src := source(t, mem, r, rows, 3)
	keys := []Key{{Col: 0, Desc: true}, {Col: 2}}
	env := &exec.Env{Mem: mem, BatchSize: 32}
	for _, n := range []int64{0, 1, 10, 100, 4999, 5000, 6000, math.MaxInt64} {
		top, err := NewTopN(env, src, keys, n)
		if err != nil {
			t.Fatal(err)
		}
		want := refSort(exectest.Rows(t, src), keys)
		want = want[:min(int(n), len(want))]
		if got := fmt.Sprint(exectest.Rows(t, top)); got != fmt.Sprint(want) {
			t.Fatalf("TopN(%d) differs", n)
		}
	}
}

func TestSortHandComputed(t *testing.T) {
	mem := exectest.Alloc(t)
	s := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	b := exectest.Batch(mem, s, [][]any{{1.0}, {math.NaN()}, {nil}, {-1.0}, {math.Inf(1)}})
	src := exec.NewMemorySource(s, [][]arrow.RecordBatch{{b}})
	b.Release()
	defer src.Release()
	env := &exec.Env{Mem: mem, BatchSize: 2}
	for _, c := range []struct {
		key  Key
		want string
	}{
		{Key{Col: 0}, "[[-1] [1] [+Inf] [NaN] [<nil>]]"},
		{Key{Col: 0, NullsFirst: true}, "[[<nil>] [-1] [1] [+Inf] [NaN]]"},
		{Key{Col: 0, Desc: true}, "[[NaN] [+Inf] [1] [-1] [<nil>]]"},
		{Key{Col: 0, Desc: true, NullsFirst: true}, "[[<nil>] [NaN] [+Inf] [1] [-1]]"},
	} {
		op, err := NewSort(env, src, []Key{c.key})
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(exectest.Rows(t, op)); got != c.want {
			t.Errorf("%v: got %s, want %s", c.key, got, c.want)
		}
	}
	if _, err := NewSort(env, src, []Key{{Col: 3}}); err == nil {
		t.Error("key out of range: no error")
	}
	op, _ := NewSort(env, src, []Key{{Col: 0, Desc: true}})
	if got, want := op.String(), "Sort(keys=[#0 DESC NULLS LAST])"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestSortCancelled(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(9, 10))
	rows := make([][]any, 300)
	for i := range rows {
		rows[i] = randomRow(r, i)
	}
	src := source(t, mem, r, rows, 4)
	env := &exec.Env{Mem: mem, BatchSize: 16}
	op, err := NewSort(env, src, []Key{{Col: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := exec.Collect(ctx, op); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	// Closed after one batch.
	s, err := op.Execute(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Next()
	if err != nil {
		t.Fatal(err)
	}
	b.Release()
	s.Close()
	// A failing child.
	boom := errors.New("boom")
	op, _ = NewSort(env, &failing{MemorySource: src, after: 1 << 30, err: boom}, []Key{{Col: 1}})
	if _, err := exec.Collect(t.Context(), op); !errors.Is(err, boom) {
		t.Errorf("failing child: got %v", err)
	}
}

// failing is a source whose streams fail once they have produced after rows.
type failing struct {
	*exec.MemorySource
	after  int64
	err    error
	closed atomic.Int64 // streams closed so far
}

func (f *failing) Execute(ctx context.Context, p int) (exec.Stream, error) {
	s, err := f.MemorySource.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	return &failStream{Stream: s, left: f.after, err: f.err, closed: &f.closed}, nil
}

func (f *failStream) Close() error {
	f.closed.Add(1)
	return f.Stream.Close()
}

type failStream struct {
	exec.Stream
	left   int64
	err    error
	closed *atomic.Int64
}

func (f *failStream) Next() (arrow.RecordBatch, error) {
	if f.left <= 0 {
		return nil, f.err
	}
	b, err := f.Stream.Next()
	if errors.Is(err, io.EOF) {
		return nil, f.err
	}
	if err == nil {
		f.left -= b.NumRows()
	}
	return b, err
}

func TestLimit(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(11, 12))
	for iter := range 60 {
		nparts := 1 + iter%3
		rows := make([][]any, r.IntN(200))
		for i := range rows {
			rows[i] = randomRow(r, i)
		}
		src := source(t, mem, r, rows, nparts)
		n, off := int64(r.IntN(60)), int64(r.IntN(30))
		op := NewLimit(src, n, off, false)
		if op.Partitions() != nparts {
			t.Fatalf("partitions %d, want %d", op.Partitions(), nparts)
		}
		got, err := exec.Collect(t.Context(), op)
		if err != nil {
			t.Fatal(err)
		}
		var want [][]any
		for p := range nparts {
			part, err := exec.Collect(t.Context(), &onePartition{src, p})
			if err != nil {
				t.Fatal(err)
			}
			pr := values.Rows(part)
			exec.ReleaseAll(part)
			pr = pr[min(int(off), len(pr)):]
			want = append(want, pr[:min(int(n), len(pr))]...)
		}
		if g, w := fmt.Sprint(values.Rows(got)), fmt.Sprint(want); g != w {
			t.Fatalf("Limit(%d, offset %d) over %d partitions:\ngot  %s\nwant %s", n, off, nparts, g, w)
		}
		exec.ReleaseAll(got)
		g := NewLimit(src, n, off, true)
		gb, err := exec.Collect(t.Context(), g)
		exec.ReleaseAll(gb)
		if nparts > 1 && err == nil {
			t.Errorf("global limit over %d partitions: no error", nparts)
		}
		if nparts == 1 && err != nil {
			t.Error(err)
		}
	}
}

// onePartition exposes partition p of an operator as a one-partition operator.
type onePartition struct {
	exec.Operator
	p int
}

func (o *onePartition) Partitions() int { return 1 }
func (o *onePartition) Execute(ctx context.Context, _ int) (exec.Stream, error) {
	return o.Operator.Execute(ctx, o.p)
}

func TestLimitStopsPulling(t *testing.T) {
	mem := exectest.Alloc(t)
	rows := make([][]any, 10)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range rows {
		rows[i] = randomRow(r, i)
	}
	b := exectest.Batch(mem, testSchema, rows)
	src := exec.NewMemorySource(testSchema, [][]arrow.RecordBatch{{b, b, b}})
	b.Release()
	defer src.Release()
	boom := errors.New("pulled too far")
	for _, c := range []struct{ n, off int64 }{{10, 0}, {5, 5}, {3, 17}, {0, 0}, {20, 0}, {-1, 25}} {
		var child exec.Operator = &failing{MemorySource: src, after: c.n + c.off, err: boom}
		if c.n < 0 {
			child = src
		}
		op := NewLimit(child, c.n, c.off, true)
		got := exectest.Rows(t, op)
		if c.n < 0 {
			if len(got) != 30-int(c.off) {
				t.Errorf("no limit, offset %d: %d rows", c.off, len(got))
			}
			continue
		}
		if len(got) != int(c.n) {
			t.Errorf("limit %d offset %d: %d rows", c.n, c.off, len(got))
		}
		if len(got) > 0 && got[0][8] != int32(c.off%10) {
			t.Errorf("limit %d offset %d: first seq %v", c.n, c.off, got[0][8])
		}
	}
	// The child is closed as soon as the last row is produced.
	child := &failing{MemorySource: src, after: 1 << 30, err: boom}
	ls, err := NewLimit(child, 4, 0, false).Execute(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err = ls.Next()
	if err != nil {
		t.Fatal(err)
	}
	b.Release()
	if n := child.closed.Load(); n != 1 {
		t.Errorf("child closed %d times after the limit was reached, want 1", n)
	}
	ls.Close()
	op := NewLimit(src, 1, 0, false)
	if got := op.String(); got != "LocalLimit(n=1)" {
		t.Errorf("String() = %q", got)
	}
}

func TestRadixAllNull(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(13, 14))
	rows := make([][]any, 200)
	for i := range rows {
		rows[i] = randomRow(r, i)
		rows[i][0] = nil
		if i%2 == 0 {
			rows[i][6] = nil
		}
	}
	src := source(t, mem, r, rows, 2)
	env := &exec.Env{Mem: mem, BatchSize: 50}
	for _, keys := range [][]Key{{{Col: 0}}, {{Col: 6, NullsFirst: true}}, {{Col: 6, Desc: true}}} {
		op, err := NewSort(env, src, keys)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprint(refSort(exectest.Rows(t, src), keys))
		if got := fmt.Sprint(exectest.Rows(t, op)); got != want {
			t.Errorf("keys %v:\ngot  %s\nwant %s", keys, got, want)
		}
	}
}

func TestEmptyInput(t *testing.T) {
	mem := exectest.Alloc(t)
	src := exec.NewMemorySource(testSchema, [][]arrow.RecordBatch{nil, nil})
	env := &exec.Env{Mem: mem, BatchSize: 8}
	s, _ := NewSort(env, src, []Key{{Col: 0}})
	tn, _ := NewTopN(env, src, []Key{{Col: 0}}, 5)
	for _, op := range []exec.Operator{s, tn, NewLimit(src, 5, 1, false)} {
		if rows := exectest.Rows(t, op); len(rows) != 0 {
			t.Errorf("%s: %d rows from empty input", op, len(rows))
		}
	}
}

func TestSortDictionaryKey(t *testing.T) {
	mem := exectest.Alloc(t)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}
	s := arrow.NewSchema([]arrow.Field{{Name: "d", Type: dt, Nullable: true}, {Name: "i", Type: arrow.PrimitiveTypes.Int64}}, nil)
	batch := func(vals ...any) arrow.RecordBatch {
		db := array.NewBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
		defer db.Release()
		ib := array.NewInt64Builder(mem)
		defer ib.Release()
		for i, v := range vals {
			if v == nil {
				db.AppendNull()
			} else if err := db.AppendString(v.(string)); err != nil {
				t.Fatal(err)
			}
			ib.Append(int64(i))
		}
		d, iv := db.NewArray(), ib.NewArray()
		defer d.Release()
		defer iv.Release()
		return array.NewRecordBatch(s, []arrow.Array{d, iv}, int64(len(vals)))
	}
	b1, b2 := batch("pear", nil, "apple", "fig"), batch("zoo", "apple", nil)
	src := exec.NewMemorySource(s, [][]arrow.RecordBatch{{b1}, {b2}})
	b1.Release()
	b2.Release()
	defer src.Release()
	env := &exec.Env{Mem: mem, BatchSize: 3}
	for _, c := range []struct {
		key  Key
		want string
	}{
		{Key{Col: 0, NullsFirst: true}, "[[<nil> 1] [<nil> 2] [apple 2] [apple 1] [fig 3] [pear 0] [zoo 0]]"},
		{Key{Col: 0, Desc: true}, "[[zoo 0] [pear 0] [fig 3] [apple 2] [apple 1] [<nil> 1] [<nil> 2]]"},
	} {
		op, err := NewSort(env, src, []Key{c.key})
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(exectest.Rows(t, op)); got != c.want {
			t.Errorf("%v: got %s, want %s", c.key, got, c.want)
		}
	}
}
