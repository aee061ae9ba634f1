package join

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
)

// side describes one randomly generated join input.
type side struct {
	schema *arrow.Schema
	gen    func(r *rand.Rand) []any // one row
}

// source splits rows into nparts partitions of random batches (some empty).
func source(t *testing.T, mem memory.Allocator, r *rand.Rand, s *arrow.Schema, rows [][]any, nparts int, dictCols []int) *exec.MemorySource {
	t.Helper()
	parts := make([][]arrow.RecordBatch, nparts)
	var all []arrow.RecordBatch
	for len(rows) > 0 || r.IntN(3) == 0 {
		n := min(len(rows), r.IntN(40))
		b := exectest.Batch(mem, plainSchema(s), rows[:n])
		if len(dictCols) > 0 {
			b = toDict(t, mem, s, b, dictCols)
		}
		rows = rows[n:]
		p := r.IntN(nparts)
		parts[p] = append(parts[p], b)
		all = append(all, b)
		if len(rows) == 0 && r.IntN(2) == 0 {
			break
		}
	}
	src := exec.NewMemorySource(s, parts)
	exec.ReleaseAll(all)
	t.Cleanup(src.Release)
	return src
}

// plainSchema replaces dictionary<_, string> fields by string.
func plainSchema(s *arrow.Schema) *arrow.Schema {
	fs := slices.Clone(s.Fields())
	for i, f := range fs {
		if d, ok := f.Type.(*arrow.DictionaryType); ok {
			fs[i].Type = d.ValueType
		}
	}
	return arrow.NewSchema(fs, nil)
}

// toDict dictionary-encodes the string columns cols of b.
func toDict(t *testing.T, mem memory.Allocator, s *arrow.Schema, b arrow.RecordBatch, cols []int) arrow.RecordBatch {
	t.Helper()
	defer b.Release()
	out := slices.Clone(b.Columns())
	for _, c := range cols {
		db := array.NewBuilder(mem, s.Field(c).Type).(*array.BinaryDictionaryBuilder)
		str := b.Column(c).(*array.String)
		for i := range str.Len() {
			if str.IsNull(i) {
				db.AppendNull()
			} else if err := db.AppendString(str.Value(i)); err != nil {
				t.Fatal(err)
			}
		}
		out[c] = db.NewArray()
		db.Release()
		defer out[c].Release()
	}
	return array.NewRecordBatch(s, out, b.NumRows())
}

func genRows(r *rand.Rand, n int, gen func(r *rand.Rand) []any) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = gen(r)
	}
	return rows
}

func maybeNull(r *rand.Rand, v any) any {
	if r.IntN(10) == 0 {
		return nil
	}
	return v
}

// naive is the nested-loop reference join over row form.
func naive(l, r [][]any, lk, rk []int, kind Kind, rwidth int) []string {
	var out []string
	for _, lr := range l {
		matched := false
		for _, rr := range r {
			eq := true
			for i := range lk {
				a, b := lr[lk[i]], rr[rk[i]]
				if a == nil || b == nil || fmt.Sprint(a) != fmt.Sprint(b) {
					eq = false
					break
				}
			}
			if eq {
				matched = true
				out = append(out, fmt.Sprint(append(slices.Clone(lr), rr...)))
			}
		}
		if !matched && kind == Left {
			out = append(out, fmt.Sprint(append(slices.Clone(lr), make([]any, rwidth)...)))
		}
	}
	slices.Sort(out)
	return out
}

func rowStrings(rows [][]any) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprint(r)
	}
	slices.Sort(out)
	return out
}

type keyCase struct {
	name         string
	left, right  *arrow.Schema
	lgen, rgen   func(r *rand.Rand) []any
	lkeys, rkeys []int
	ldict, rdict []int
}

func keyCases() []keyCase {
	i64 := arrow.PrimitiveTypes.Int64
	str := arrow.BinaryTypes.String
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: str}
	f := func(name string, t arrow.DataType) arrow.Field {
		return arrow.Field{Name: name, Type: t, Nullable: true}
	}
	sch := func(fs ...arrow.Field) *arrow.Schema { return arrow.NewSchema(fs, nil) }
	return []keyCase{
		{
			name: "int64",
			left: sch(f("a", i64), f("b", str)), right: sch(f("c", str), f("d", i64)),
			lgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, r.Int64N(15)), maybeNull(r, fmt.Sprint("l", r.IntN(100)))}
			},
			rgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, fmt.Sprint("r", r.IntN(100))), maybeNull(r, r.Int64N(15))}
			},
			lkeys: []int{0}, rkeys: []int{1},
		},
		{
			name:  "multi int32+string",
			left:  sch(f("a", arrow.PrimitiveTypes.Int32), f("b", str), f("x", arrow.PrimitiveTypes.Float64)),
			right: sch(f("c", str), f("d", arrow.PrimitiveTypes.Int32)),
			lgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, r.Int32N(4)), maybeNull(r, fmt.Sprint("k", r.IntN(4))), r.Float64()}
			},
			rgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, fmt.Sprint("k", r.IntN(4))), maybeNull(r, r.Int32N(4))}
			},
			lkeys: []int{0, 1}, rkeys: []int{1, 0},
		},
		{
			name: "string vs dictionary",
			left: sch(f("a", str), f("n", i64)), right: sch(f("c", dict), f("m", dict)),
			lgen: func(r *rand.Rand) []any { return []any{maybeNull(r, fmt.Sprint("s", r.IntN(12))), r.Int64()} },
			rgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, fmt.Sprint("s", r.IntN(12))), maybeNull(r, fmt.Sprint("v", r.IntN(3)))}
			},
			lkeys: []int{0}, rkeys: []int{0}, rdict: []int{0, 1},
		},
		{
			name: "decimal64",
			left: sch(f("a", &arrow.Decimal64Type{Precision: 10, Scale: 2})), right: sch(f("b", &arrow.Decimal64Type{Precision: 10, Scale: 2}), f("c", arrow.FixedWidthTypes.Boolean)),
			lgen:  func(r *rand.Rand) []any { return []any{maybeNull(r, r.Int64N(10)-5)} },
			rgen:  func(r *rand.Rand) []any { return []any{maybeNull(r, r.Int64N(10)-5), maybeNull(r, r.IntN(2) == 0)} },
			lkeys: []int{0}, rkeys: []int{0},
		},
		{
			name:  "decimal128+date32+bool",
			left:  sch(f("a", &arrow.Decimal128Type{Precision: 30, Scale: 3}), f("d", arrow.FixedWidthTypes.Date32), f("b", arrow.FixedWidthTypes.Boolean)),
			right: sch(f("b", arrow.FixedWidthTypes.Boolean), f("d", arrow.FixedWidthTypes.Date32), f("a", &arrow.Decimal128Type{Precision: 30, Scale: 3})),
			lgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, r.Int64N(4)-2), maybeNull(r, arrow.Date32(r.IntN(2))), maybeNull(r, r.IntN(2) == 0)}
			},
			rgen: func(r *rand.Rand) []any {
				return []any{maybeNull(r, r.IntN(2) == 0), maybeNull(r, arrow.Date32(r.IntN(2))), maybeNull(r, r.Int64N(4)-2)}
			},
			lkeys: []int{0, 1, 2}, rkeys: []int{2, 1, 0},
		},
	}
}

func TestHashJoinMatchesNestedLoop(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(1, 2))
	for _, kc := range keyCases() {
		for _, lp := range []int{1, 2, 7} {
			for _, rp := range []int{1, 2, 7} {
				for _, mode := range []struct {
					kind  Kind
					build Side
				}{{Inner, BuildRight}, {Inner, BuildLeft}, {Left, BuildRight}} {
					name := fmt.Sprintf("%s/%dx%d/%s-build-%s", kc.name, lp, rp, mode.kind, mode.build)
					t.Run(name, func(t *testing.T) {
						nl, nr := r.IntN(150), r.IntN(150)
						if r.IntN(8) == 0 {
							nl = 0
						}
						if r.IntN(8) == 0 {
							nr = 0
						}
						lrows, rrows := genRows(r, nl, kc.lgen), genRows(r, nr, kc.rgen)
						left := source(t, mem, r, kc.left, lrows, lp, kc.ldict)
						right := source(t, mem, r, kc.right, rrows, rp, kc.rdict)
						env := &exec.Env{Mem: mem, BatchSize: 1 + r.IntN(20)}
						op, err := NewHashJoin(env, left, right, kc.lkeys, kc.rkeys, mode.kind, mode.build)
						if err != nil {
							t.Fatal(err)
						}
						want := naive(exectest.Rows(t, left), exectest.Rows(t, right), kc.lkeys, kc.rkeys, mode.kind, kc.right.NumFields())
						for run := range 2 { // a second run rebuilds the table
							bs, err := exec.Collect(t.Context(), op)
							if err != nil {
								t.Fatal(err)
							}
							for _, b := range bs {
								if b.NumRows() > int64(env.BatchSize) || b.NumRows() == 0 {
									t.Errorf("batch of %d rows, batch size %d", b.NumRows(), env.BatchSize)
								}
								if !b.Schema().Equal(op.Schema()) {
									t.Errorf("batch schema %s, want %s", b.Schema(), op.Schema())
								}
							}
							got := rowStrings(valuesRows(bs))
							exec.ReleaseAll(bs)
							if !slices.Equal(got, want) {
								t.Fatalf("run %d: %d rows, want %d\ngot  %v\nwant %v", run, len(got), len(want), got, want)
							}
						}
					})
				}
			}
		}
	}
}

func TestHashJoinHandComputed(t *testing.T) {
	mem := exectest.Alloc(t)
	ls := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "v", Type: arrow.BinaryTypes.String}}, nil)
	rs := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "w", Type: arrow.PrimitiveTypes.Int64}}, nil)
	lb := exectest.Batch(mem, ls, [][]any{{1, "a"}, {2, "b"}, {nil, "c"}, {3, "d"}})
	rb := exectest.Batch(mem, rs, [][]any{{1, 10}, {1, 11}, {nil, 12}, {3, 13}, {4, 14}})
	left := exec.NewMemorySource(ls, [][]arrow.RecordBatch{{lb}})
	right := exec.NewMemorySource(rs, [][]arrow.RecordBatch{{rb}})
	lb.Release()
	rb.Release()
	defer left.Release()
	defer right.Release()
	env := &exec.Env{Mem: mem, BatchSize: 8192}
	op, err := NewHashJoin(env, left, right, []int{0}, []int{0}, Left, BuildRight)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := op.String(), "HashJoin(LeftOuter, build=right, keys=[0]=[0])"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if !op.Schema().Field(2).Nullable || !op.Schema().Field(3).Nullable {
		t.Errorf("right columns of a left join must be nullable: %s", op.Schema())
	}
	got := rowStrings(exectest.Rows(t, op))
	want := []string{"[1 a 1 10]", "[1 a 1 11]", "[2 b <nil> <nil>]", "[3 d 3 13]", "[<nil> c <nil> <nil>]"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := NewHashJoin(env, left, right, []int{0}, []int{0}, Kind(99), BuildLeft); err == nil {
		t.Error("unknown join kind: no error")
	}
	if _, err := NewHashJoin(env, left, right, []int{0}, []int{0}, Inner, Side(7)); err == nil {
		t.Error("unknown build side: no error")
	}
	if _, err := NewHashJoin(env, left, right, []int{1}, []int{1}, Inner, BuildLeft); err == nil {
		t.Error("keys of different types: no error")
	}
}

func valuesRows(bs []arrow.RecordBatch) [][]any {
	var rows [][]any
	for _, b := range bs {
		rows = append(rows, rowsOf(b)...)
	}
	return rows
}

func bigSources(t *testing.T, mem memory.Allocator, nparts int) (*exec.MemorySource, *exec.MemorySource) {
	r := rand.New(rand.NewPCG(3, 4))
	s := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	gen := func(r *rand.Rand) []any { return []any{maybeNull(r, r.Int64N(5))} }
	return source(t, mem, r, s, genRows(r, 300, gen), nparts, nil), source(t, mem, r, s, genRows(r, 300, gen), nparts, nil)
}

func TestHashJoinEarlyCloseAndCancel(t *testing.T) {
	mem := exectest.Alloc(t)
	left, right := bigSources(t, mem, 3)
	env := &exec.Env{Mem: mem, BatchSize: 16}
	op, err := NewHashJoin(env, left, right, []int{0}, []int{0}, Inner, BuildRight)
	if err != nil {
		t.Fatal(err)
	}
	// A stream closed after its first batch.
	for p := range op.Partitions() {
		s, err := op.Execute(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		if b, err := s.Next(); err == nil {
			b.Release()
		} else if !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// A stream closed before it was read.
	s, err := op.Execute(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// A cancelled context.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := exec.Collect(ctx, op); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
	// Cancel in the middle of a run.
	ctx, cancel = context.WithCancel(t.Context())
	s, err = op.Execute(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := s.Next(); err == nil {
		b.Release()
	}
	cancel()
	if _, err := s.Next(); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled mid-stream: got %v", err)
	}
	s.Close()
	// A failing build side.
	boom := errors.New("boom")
	op, err = NewHashJoin(env, left, exectest.FailAtEnd(right, boom), []int{0}, []int{0}, Inner, BuildRight)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.Collect(t.Context(), op); !errors.Is(err, boom) {
		t.Errorf("failing build side: got %v", err)
	}
	// Still correct afterwards.
	op, err = NewHashJoin(env, left, right, []int{0}, []int{0}, Inner, BuildLeft)
	if err != nil {
		t.Fatal(err)
	}
	want := naive(exectest.Rows(t, left), exectest.Rows(t, right), []int{0}, []int{0}, Inner, 1)
	if got := rowStrings(exectest.Rows(t, op)); !slices.Equal(got, want) {
		t.Errorf("got %d rows, want %d", len(got), len(want))
	}
}

func tsBatch(mem memory.Allocator, s *arrow.Schema, ts []any) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, s)
	defer b.Release()
	tb := b.Field(0).(*array.TimestampBuilder)
	ib := b.Field(1).(*array.Int64Builder)
	for i, v := range ts {
		if v == nil {
			tb.AppendNull()
		} else {
			tb.Append(arrow.Timestamp(v.(int)))
		}
		ib.Append(int64(i))
	}
	return b.NewRecordBatch()
}

func TestHashJoinTimestampAndEmptySides(t *testing.T) {
	mem := exectest.Alloc(t)
	s := arrow.NewSchema([]arrow.Field{{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true}, {Name: "i", Type: arrow.PrimitiveTypes.Int64}}, nil)
	lb := tsBatch(mem, s, []any{1, 2, nil, 5})
	rb := tsBatch(mem, s, []any{2, 2, 3, nil})
	left := exec.NewMemorySource(s, [][]arrow.RecordBatch{{lb}, nil})
	right := exec.NewMemorySource(s, [][]arrow.RecordBatch{nil, {rb}, nil})
	empty := exec.NewMemorySource(s, [][]arrow.RecordBatch{nil, nil})
	lb.Release()
	rb.Release()
	defer left.Release()
	defer right.Release()
	defer empty.Release()
	env := &exec.Env{Mem: mem, BatchSize: 1}
	count := func(l, r exec.Operator, kind Kind, build Side) int {
		op, err := NewHashJoin(env, l, r, []int{0}, []int{0}, kind, build)
		if err != nil {
			t.Fatal(err)
		}
		return len(exectest.Rows(t, op))
	}
	for _, c := range []struct {
		l, r  exec.Operator
		kind  Kind
		build Side
		want  int
	}{
		{left, right, Inner, BuildRight, 2},
		{left, right, Inner, BuildLeft, 2},
		{left, right, Left, BuildRight, 5},
		{left, empty, Inner, BuildRight, 0},
		{left, empty, Inner, BuildLeft, 0},
		{left, empty, Left, BuildRight, 4},
		{empty, right, Inner, BuildRight, 0},
		{empty, right, Inner, BuildLeft, 0},
		{empty, right, Left, BuildRight, 0},
	} {
		if got := count(c.l, c.r, c.kind, c.build); got != c.want {
			t.Errorf("%s join, build %s, left %s, right %s: %d rows, want %d", c.kind, c.build, c.l, c.r, got, c.want)
		}
	}
}

func TestHashJoinFloatKeys(t *testing.T) {
	mem := exectest.Alloc(t)
	s := arrow.NewSchema([]arrow.Field{{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	lb := exectest.Batch(mem, s, [][]any{{0.0}, {math.NaN()}, {1.5}, {nil}})
	rb := exectest.Batch(mem, s, [][]any{{math.Copysign(0, -1)}, {math.NaN()}, {2.5}, {nil}})
	left := exec.NewMemorySource(s, [][]arrow.RecordBatch{{lb}})
	right := exec.NewMemorySource(s, [][]arrow.RecordBatch{{rb}})
	lb.Release()
	rb.Release()
	defer left.Release()
	defer right.Release()
	op, err := NewHashJoin(&exec.Env{Mem: mem, BatchSize: 4}, left, right, []int{0}, []int{0}, Inner, BuildRight)
	if err != nil {
		t.Fatal(err)
	}
	got := rowStrings(exectest.Rows(t, op))
	if want := []string{"[0 -0]", "[NaN NaN]"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// Probe rows that match once each, consecutively, come out as a slice of
// the probe batch, sharing its buffers, not as a copy: all of a batch, the
// tail of one whose first rows match nothing, and the same through a
// hashed (string key) table. A batch whose matches skip a row is gathered.
func TestHashJoinConsecutiveProbeRowsShareBuffers(t *testing.T) {
	mem := exectest.Alloc(t)
	i64, str := arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String
	for _, tc := range []struct {
		name   string
		typ    arrow.DataType
		keys   []any // probe keys; the build side has 10..19
		shared bool
	}{
		{"all", i64, []any{int64(10), int64(11), int64(12), int64(13)}, true},
		{"tail", i64, []any{int64(3), nil, int64(15), int64(16), int64(17)}, true},
		{"hashed", str, []any{"10", "11", "12"}, true},
		{"gap", i64, []any{int64(10), int64(99), int64(12)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := arrow.NewSchema([]arrow.Field{{Name: "k", Type: tc.typ, Nullable: true}, {Name: "v", Type: i64}}, nil)
			var probeRows, buildRows [][]any
			for i, k := range tc.keys {
				probeRows = append(probeRows, []any{k, int64(100 + i)})
			}
			for i := range 10 {
				var k any = int64(10 + i)
				if tc.typ == str {
					k = fmt.Sprint(10 + i)
				}
				buildRows = append(buildRows, []any{k, int64(i)})
			}
			pb, bb := exectest.Batch(mem, s, probeRows), exectest.Batch(mem, s, buildRows)
			probe := exec.NewMemorySource(s, [][]arrow.RecordBatch{{pb}})
			build := exec.NewMemorySource(s, [][]arrow.RecordBatch{{bb}})
			defer probe.Release()
			defer build.Release()
			defer pb.Release()
			defer bb.Release()
			op, err := NewHashJoin(&exec.Env{Mem: mem, BatchSize: 64}, probe, build, []int{0}, []int{0}, Inner, BuildRight)
			if err != nil {
				t.Fatal(err)
			}
			out, err := exec.Collect(context.Background(), op)
			if err != nil {
				t.Fatal(err)
			}
			defer exec.ReleaseAll(out)
			if len(out) != 1 {
				t.Fatalf("%d batches, want 1", len(out))
			}
			got := out[0].Column(1).Data().Buffers()[1]
			shared := got == pb.Column(1).Data().Buffers()[1]
			if shared != tc.shared {
				t.Errorf("probe column shares the batch's buffer: %v, want %v", shared, tc.shared)
			}
			// The values are right either way.
			var want []int64
			for i, k := range tc.keys {
				if k != nil && k != int64(3) && k != int64(99) {
					want = append(want, int64(100+i))
				}
			}
			if v := out[0].Column(1).(*array.Int64).Int64Values(); !slices.Equal(v, want) {
				t.Errorf("probe values %v, want %v", v, want)
			}
		})
	}
}
