package sort

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/spill"
	"github.com/gspark/gspark/values"
)

// spillEnv returns an Env whose budget asks every spillable operator to spill
// (threshold 0) into a fresh directory, and never cancels.
func spillEnv(t *testing.T, mem memory.Allocator, batchSize int) *exec.Env {
	b := exec.NewBudget(mem, 0, nil)
	b.SetSpillThreshold(0)
	env := exec.NewEnv(b)
	env.BatchSize = batchSize
	env.TempDir = t.TempDir()
	return env
}

func assertNoFiles(t *testing.T, env *exec.Env) {
	t.Helper()
	es, err := os.ReadDir(env.TempDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 0 {
		t.Fatalf("%d spill files left in %s", len(es), env.TempDir)
	}
}

func TestSortSpillMatchesStableReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(15, 16))
	for iter := range 60 {
		nparts := []int{1, 2, 7}[iter%3]
		n := r.IntN(400)
		if iter == 0 {
			n = 0
		}
		if iter%20 == 19 {
			n = 4000 // many runs: merged in several passes
		}
		rows := make([][]any, n)
		for i := range rows {
			rows[i] = randomRow(r, i)
		}
		src := source(t, mem, r, rows, nparts)
		keys := randomKeys(r)
		env := spillEnv(t, mem, 1+r.IntN(64))
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
			if !b.Schema().Equal(testSchema) {
				t.Fatalf("schema %s", b.Schema())
			}
		}
		got := fmt.Sprint(values.Rows(bs))
		exec.ReleaseAll(bs)
		if got != want {
			t.Fatalf("iteration %d, %d partitions, keys %v:\ngot  %s\nwant %s", iter, nparts, keys, got, want)
		}
		sp := op.(exec.Spiller)
		if n > 0 && (sp.SpilledBytes() == 0 || env.Spill.Bytes() != sp.SpilledBytes()) {
			t.Errorf("iteration %d: spilled %d bytes (env %d)", iter, sp.SpilledBytes(), env.Spill.Bytes())
		}
		if n == 4000 && sp.SpillFiles() <= maxFanIn {
			t.Errorf("%d spill files, want more than %d", sp.SpillFiles(), maxFanIn)
		}
		assertNoFiles(t, env)
		if n > 0 {
			if s := exec.NewMetered(op).String(); !bytes.Contains([]byte(s), []byte("spilled=")) {
				t.Errorf("Metered: %s", s)
			}
		}
		// A top-N under the same pressure keeps its limit (it never spills).
		limit := int64(r.IntN(n + 5))
		top, err := NewTopN(env, src, keys, limit)
		if err != nil {
			t.Fatal(err)
		}
		wantTop := refSort(exectest.Rows(t, src), keys)
		wantTop = wantTop[:min(int(limit), len(wantTop))]
		if got, want := fmt.Sprint(exectest.Rows(t, top)), fmt.Sprint(wantTop); got != want {
			t.Fatalf("iteration %d: TopN(%d) under pressure:\ngot  %s\nwant %s", iter, limit, got, want)
		}
	}
}

func TestSortSpillDictionaryKey(t *testing.T) {
	mem := exectest.Alloc(t)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}
	s := arrow.NewSchema([]arrow.Field{{Name: "d", Type: dt, Nullable: true}, {Name: "i", Type: arrow.PrimitiveTypes.Int64}}, nil)
	r := rand.New(rand.NewPCG(17, 18))
	words := []string{"pear", "apple", "", "fig", "a\x00b", "a", "zoo"}
	var parts [][]arrow.RecordBatch
	var all [][]any
	for p := range 3 {
		var bs []arrow.RecordBatch
		for range 5 {
			var rows [][]any
			for range r.IntN(12) {
				var w any = words[r.IntN(len(words))]
				if r.IntN(6) == 0 {
					w = nil
				}
				rows = append(rows, []any{w, int64(len(all))})
				all = append(all, rows[len(rows)-1])
			}
			plain := arrow.NewSchema([]arrow.Field{{Name: "d", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "i", Type: arrow.PrimitiveTypes.Int64}}, nil)
			b := exectest.Batch(mem, plain, rows)
			db := dictBatch(t, mem, s, b)
			b.Release()
			bs = append(bs, db)
		}
		parts = append(parts, bs)
		_ = p
	}
	src := exec.NewMemorySource(s, parts)
	for _, bs := range parts {
		exec.ReleaseAll(bs)
	}
	defer src.Release()
	for _, key := range []Key{{Col: 0, NullsFirst: true}, {Col: 0, Desc: true}} {
		env := spillEnv(t, mem, 4)
		op, err := NewSort(env, src, []Key{key})
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprint(refSort(exectest.Rows(t, src), []Key{key}))
		if got := fmt.Sprint(exectest.Rows(t, op)); got != want {
			t.Errorf("%v:\ngot  %s\nwant %s", key, got, want)
		}
		if op.(exec.Spiller).SpilledBytes() == 0 {
			t.Error("nothing spilled")
		}
		assertNoFiles(t, env)
	}
}

func TestSortSpillCancelAndFailure(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(19, 20))
	rows := make([][]any, 600)
	for i := range rows {
		rows[i] = randomRow(r, i)
	}
	src := source(t, mem, r, rows, 3)
	keys := []Key{{Col: 1}, {Col: 0, Desc: true}}

	// Closed after one batch.
	env := spillEnv(t, mem, 16)
	op, _ := NewSort(env, src, keys)
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
	assertNoFiles(t, env)

	// Cancelled in the middle of the merge.
	ctx, cancel := context.WithCancel(t.Context())
	s, _ = op.Execute(ctx, 0)
	b, err = s.Next()
	if err != nil {
		t.Fatal(err)
	}
	b.Release()
	cancel()
	if _, err := s.Next(); !errors.Is(err, context.Canceled) {
		t.Errorf("after cancel: %v", err)
	}
	s.Close()
	assertNoFiles(t, env)

	// Cancelled before the start.
	ctx, cancel = context.WithCancel(t.Context())
	cancel()
	if _, err := exec.Collect(ctx, op); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	assertNoFiles(t, env)

	// A child failing after some runs were spilled.
	boom := errors.New("boom")
	op, _ = NewSort(env, &failing{MemorySource: src, after: 150, err: boom}, keys)
	if _, err := exec.Collect(t.Context(), op); !errors.Is(err, boom) {
		t.Errorf("failing child: got %v", err)
	}
	if op.(exec.Spiller).SpilledBytes() == 0 {
		t.Error("nothing spilled before the failure")
	}
	assertNoFiles(t, env)

	// A spill directory that does not exist.
	env.TempDir += "/missing"
	op, _ = NewSort(env, src, keys)
	if _, err := exec.Collect(t.Context(), op); err == nil {
		t.Error("missing spill directory: no error")
	}
}

// TestSortSpillUnderBudget spills only once the budget's threshold is
// passed: a run per threshold's worth of rows, not per batch.
func TestSortSpillUnderBudget(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(21, 22))
	rows := make([][]any, 3000)
	for i := range rows {
		rows[i] = randomRow(r, i)
	}
	// The source allocates through the budget, as a scan would.
	b := exec.NewBudget(mem, 1<<30, nil)
	b.SetSpillThreshold(20 << 10)
	src := source(t, b, r, rows, 2)
	env := exec.NewEnv(b)
	env.BatchSize = 100
	env.TempDir = t.TempDir()
	keys := []Key{{Col: 2}, {Col: 8}}
	op, _ := NewSort(env, src, keys)
	want := fmt.Sprint(refSort(exectest.Rows(t, src), keys))
	if got := fmt.Sprint(exectest.Rows(t, op)); got != want {
		t.Fatal("spilled sort differs from the reference")
	}
	if op.(exec.Spiller).SpilledBytes() == 0 {
		t.Error("nothing spilled")
	}
	assertNoFiles(t, env)
	// Without pressure nothing spills.
	b.SetSpillThreshold(math.MaxInt64)
	op, _ = NewSort(env, src, keys)
	if got := fmt.Sprint(exectest.Rows(t, op)); got != want {
		t.Fatal("sort differs from the reference")
	}
	if op.(exec.Spiller).SpilledBytes() != 0 {
		t.Error("spilled without pressure")
	}
}

// TestEncodedKeysOrder checks the byte encoding of keys against the
// comparator of the in-memory sort, on every pair of rows.
func TestEncodedKeysOrder(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(23, 24))
	rows := make([][]any, 150)
	for i := range rows {
		rows[i] = randomRow(r, i)
	}
	b := exectest.Batch(mem, testSchema, rows)
	defer b.Release()
	for range 40 {
		keys := randomKeys(r)
		cmpRows, err := rowsCmp(b.Columns(), keys)
		if err != nil {
			t.Fatal(err)
		}
		var e encodedKeys
		if err := encodeKeys(b.Columns(), keys, &e); err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			for j := range rows {
				want := sign(cmpRows(i, j))
				if got := bytes.Compare(e.row(i), e.row(j)); got != want {
					t.Fatalf("keys %v rows %v and %v: encoded %d, comparator %d", keys, rows[i], rows[j], got, want)
				}
			}
		}
	}
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// dictBatch turns column 0 of b (strings) into a dictionary column of s.
func dictBatch(t *testing.T, mem memory.Allocator, s *arrow.Schema, b arrow.RecordBatch) arrow.RecordBatch {
	db := array.NewBuilder(mem, s.Field(0).Type).(*array.BinaryDictionaryBuilder)
	defer db.Release()
	sc := b.Column(0).(*array.String)
	for i := range sc.Len() {
		if sc.IsNull(i) {
			db.AppendNull()
		} else if err := db.AppendString(sc.Value(i)); err != nil {
			t.Fatal(err)
		}
	}
	d := db.NewArray()
	defer d.Release()
	return array.NewRecordBatch(s, []arrow.Array{d, b.Column(1)}, b.NumRows())
}

// TestSortMergesInMemoryUnderPressure: when concatenating the partitions
// would pass the threshold, the sort merges them instead, writing nothing.
func TestSortMergesInMemoryUnderPressure(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(25, 26))
	rows := make([][]any, 2000)
	for i := range rows {
		rows[i] = randomRow(r, i)
	}
	src := source(t, mem, r, rows, 4)
	var total int64
	for p := range 4 {
		bs, err := exec.Collect(t.Context(), &onePartition{src, p})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			total += spill.Size(b)
		}
		exec.ReleaseAll(bs)
	}
	b := exec.NewBudget(mem, 0, nil)
	b.SetSpillThreshold(total * 3 / 2)
	env := exec.NewEnv(b)
	env.BatchSize = 37
	env.TempDir = t.TempDir()
	keys := []Key{{Col: 1, Desc: true}, {Col: 3}}
	op, _ := NewSort(env, src, keys)
	s, err := op.Execute(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []arrow.RecordBatch
	if err := exec.Drain(t.Context(), s, func(b arrow.RecordBatch) error {
		if s.(*sortStream).merge == nil {
			t.Fatal("the partitions were concatenated")
		}
		b.Retain()
		out = append(out, b)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(values.Rows(out))
	exec.ReleaseAll(out)
	if want := fmt.Sprint(refSort(exectest.Rows(t, src), keys)); got != want {
		t.Fatal("merged sort differs from the reference")
	}
	if op.(exec.Spiller).SpilledBytes() != 0 {
		t.Error("spilled")
	}
	assertNoFiles(t, env)
}
