package exchange_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exchange"
	"github.com/gspark/gspark/exec/exectest"
)

// exchanges returns one exchange of each kind over child, with n output
// partitions where the kind has a choice.
func exchanges(env *exec.Env, child exec.Operator, n int) []exec.Operator {
	return []exec.Operator{
		exchange.NewHashRepartition(env, child, []int{1}, n),
		exchange.NewRoundRobin(env, child, n),
		exchange.NewGather(env, child),
	}
}

// checkBaseline fails the test unless mem holds exactly base bytes: what the
// test's sources hold, nothing buffered by an exchange.
func checkBaseline(t *testing.T, mem *memory.CheckedAllocator, base int, what string) {
	t.Helper()
	if got := mem.CurrentAlloc(); got != base {
		t.Errorf("%s: %d bytes allocated, want %d (the sources' own)", what, got, base)
	}
}

// TestNeverOpenedPartitionReleased: partitions never executed in an
// execution keep their buffered batches only until the execution ends, and
// the next execution of the same operator starts a run of its own.
func TestNeverOpenedPartitionReleased(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	// Few enough batches that no output channel fills: the producers finish
	// with batches buffered for the partitions nobody opens.
	src, total := source(t, mem, 2, 2)
	base := mem.CurrentAlloc()
	for _, op := range exchanges(env, src, 3) {
		e := exec.NewExecution()
		ctx := exec.WithExecution(t.Context(), e)
		s, err := op.Execute(ctx, op.Partitions()-1)
		if err != nil {
			t.Fatal(err)
		}
		if err := exec.Drain(ctx, s, func(arrow.RecordBatch) error { return nil }); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		e.Close()
		checkBaseline(t, mem, base, fmt.Sprintf("%s after the execution ended", op))
		// The plan executed again, as a whole, twice.
		for run := 0; run < 2; run++ {
			if rows := exectest.Rows(t, op); len(rows) != total {
				t.Fatalf("%s run %d: %d rows, want %d", op, run, len(rows), total)
			}
			checkBaseline(t, mem, base, fmt.Sprintf("%s after run %d", op, run))
		}
	}
}

// pair is a partitioned operator over two exchanges with the same
// partitions (the shape of a partitioned join): partition p reads partition
// p of a, then partition p of b. While failAt >= 0, partition failAt fails
// after opening a, before opening b.
type pair struct {
	a, b   exec.Operator
	failAt int
}

var errBeforeProbe = errors.New("failed before opening the second side")

func (q *pair) Schema() *arrow.Schema     { return q.a.Schema() }
func (q *pair) Partitions() int           { return q.a.Partitions() }
func (q *pair) Children() []exec.Operator { return []exec.Operator{q.a, q.b} }
func (q *pair) String() string            { return "Pair" }
func (q *pair) Execute(ctx context.Context, p int) (exec.Stream, error) {
	sa, err := exec.Open(ctx, q.a, p)
	if err != nil {
		return nil, err
	}
	if p == q.failAt {
		sa.Close()
		return nil, errBeforeProbe
	}
	sb, err := exec.Open(ctx, q.b, p)
	if err != nil {
		sa.Close()
		return nil, err
	}
	return &pairStream{ss: []exec.Stream{sa, sb}}, nil
}

type pairStream struct{ ss []exec.Stream }

func (s *pairStream) Next() (arrow.RecordBatch, error) {
	for len(s.ss) > 0 {
		b, err := s.ss[0].Next()
		if !errors.Is(err, io.EOF) {
			return b, err
		}
		s.ss[0].Close()
		s.ss = s.ss[1:]
	}
	return nil, io.EOF
}

func (s *pairStream) Close() error {
	for _, x := range s.ss {
		x.Close()
	}
	s.ss = nil
	return nil
}

// TestPartitionFailsBeforeOpeningExchange: one partition of a partitioned
// operator fails before it executes its partition of an exchange. The query
// fails, leaves nothing behind, and the same plan runs again.
func TestPartitionFailsBeforeOpeningExchange(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	left, nl := source(t, mem, 3, 4)
	right, nr := source(t, mem, 2, 4)
	base := mem.CurrentAlloc()
	q := &pair{
		a:      exchange.NewHashRepartition(env, left, []int{1}, 4),
		b:      exchange.NewHashRepartition(env, right, []int{1}, 4),
		failAt: 2,
	}
	if _, err := exec.Collect(t.Context(), q); !errors.Is(err, errBeforeProbe) {
		t.Fatalf("got %v, want %v", err, errBeforeProbe)
	}
	checkBaseline(t, mem, base, "after the failed query")
	q.failAt = -1
	for run := 0; run < 2; run++ {
		if rows := exectest.Rows(t, q); len(rows) != nl+nr {
			t.Fatalf("run %d: %d rows, want %d", run, len(rows), nl+nr)
		}
	}
	checkBaseline(t, mem, base, "after the queries")
}

// TestLimitStopsExecution: a driver that reads partitions one after another
// stops after the first batch (a satisfied LIMIT) and ends the execution; the
// producers, held back by the full channels of partitions never opened, stop
// and every batch is released.
func TestLimitStopsExecution(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 64}
	src, _ := source(t, mem, 4, 30)
	base := mem.CurrentAlloc()
	for _, op := range exchanges(env, src, 3) {
		e := exec.NewExecution()
		ctx := exec.WithExecution(t.Context(), e)
		s, err := op.Execute(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Next()
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		b.Release()
		s.Close()
		e.Close()
		checkBaseline(t, mem, base, fmt.Sprintf("%s after the execution ended", op))
	}
}

// brief is a source whose partitions emit two batches, except partition
// fail, which fails at once.
type brief struct {
	mem   memory.Allocator
	parts int
	fail  int
}

func (f *brief) Schema() *arrow.Schema     { return schema }
func (f *brief) Partitions() int           { return f.parts }
func (f *brief) Children() []exec.Operator { return nil }
func (f *brief) String() string            { return "Brief" }
func (f *brief) Execute(ctx context.Context, p int) (exec.Stream, error) {
	return &briefStream{f: f, p: p}, nil
}

type briefStream struct {
	f    *brief
	p, n int
}

func (s *briefStream) Next() (arrow.RecordBatch, error) {
	if s.p == s.f.fail {
		return nil, errBoom
	}
	if s.n++; s.n > 2 {
		return nil, io.EOF
	}
	rows := make([][]any, 50)
	for i := range rows {
		rows[i] = []any{int64(i), fmt.Sprint(i % 7), int64(i)}
	}
	return exectest.Batch(s.f.mem, schema, rows), nil
}

func (s *briefStream) Close() error { return nil }

// TestErrorStopsExecution: a driver that stops at the first error ends the
// execution without opening the other partitions.
func TestErrorStopsExecution(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	src := &brief{mem: mem, parts: 3, fail: 1}
	for _, op := range exchanges(env, src, 4) {
		e := exec.NewExecution()
		ctx := exec.WithExecution(t.Context(), e)
		s, err := op.Execute(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := exec.Drain(ctx, s, func(arrow.RecordBatch) error { return nil }); !errors.Is(err, errBoom) {
			t.Errorf("%s: got %v, want boom", op, err)
		}
		e.Close()
		checkBaseline(t, mem, 0, fmt.Sprintf("%s after the execution ended", op))
	}
}

// TestCancelStopsExecution: the query is cancelled while partitions remain
// unopened; ending the execution releases what was buffered for them.
func TestCancelStopsExecution(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	src := &failing{mem: mem, parts: 3, block: true}
	for _, op := range exchanges(env, src, 2) {
		e := exec.NewExecution()
		ctx, cancel := context.WithCancel(exec.WithExecution(t.Context(), e))
		s, err := op.Execute(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Next()
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		b.Release()
		cancel()
		for {
			b, err := s.Next()
			if err != nil {
				if !errors.Is(err, context.Canceled) {
					t.Errorf("%s: got %v, want canceled", op, err)
				}
				break
			}
			b.Release()
		}
		s.Close()
		e.Close()
		checkBaseline(t, mem, 0, fmt.Sprintf("%s after the execution ended", op))
	}
}

// TestOwnRunEndsWithContext: streams executed without an execution share a
// run of the exchange's own; when the context of the Execute that started it
// is done, the batches buffered for partitions never opened are released and
// the next Execute starts a fresh run.
func TestOwnRunEndsWithContext(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	src, total := source(t, mem, 2, 2)
	base := mem.CurrentAlloc()
	op := exchange.NewHashRepartition(env, src, []int{1}, 3)
	ctx, cancel := context.WithCancel(t.Context())
	s, err := op.Execute(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := exec.Drain(ctx, s, func(arrow.RecordBatch) error { return nil }); err != nil {
		t.Fatal(err)
	}
	cancel()
	// The run ends on a goroutine of its own after the cancellation.
	for deadline := time.Now().Add(5 * time.Second); mem.CurrentAlloc() != base && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	checkBaseline(t, mem, base, "after the context was cancelled")
	if rows := exectest.Rows(t, op); len(rows) != total {
		t.Fatalf("%d rows, want %d", len(rows), total)
	}
	// By hand again, without an execution: every partition opened and closed.
	var ss []exec.Stream
	for p := 0; p < op.Partitions(); p++ {
		s, err := op.Execute(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
	for _, s := range ss {
		s.Close()
	}
	checkBaseline(t, mem, base, "after every stream was closed")
}

// TestExecuteAfterExecutionEnded: an execution that has ended accepts no
// new stream.
func TestExecuteAfterExecutionEnded(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	src, _ := source(t, mem, 2, 2)
	e := exec.NewExecution()
	e.Close()
	for _, op := range exchanges(env, src, 2) {
		if s, err := op.Execute(exec.WithExecution(t.Context(), e), 0); err == nil {
			s.Close()
			t.Errorf("%s: executed after the end of its execution", op)
		}
	}
}
