package exec_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/goleak"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exchange"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/join"
	"github.com/gspark/gspark/exec/sort"
)

// panicky passes its child's batches through, but partition 0 panics on its
// nth batch (n counts from 1; 0 panics in Execute) and the other partitions,
// when endless is set, produce batches until their context is cancelled.
type panicky struct {
	exec.Operator
	mem     memory.Allocator
	n       int
	endless bool
}

func (p *panicky) String() string { return fmt.Sprintf("Panicky(n=%d)", p.n) }

func (p *panicky) Execute(ctx context.Context, part int) (exec.Stream, error) {
	if part == 0 && p.n == 0 {
		panic("boom in Execute")
	}
	in, err := p.Operator.Execute(ctx, part)
	if err != nil {
		return nil, err
	}
	return &panickyStream{p: p, in: in, ctx: ctx, part: part}, nil
}

type panickyStream struct {
	p    *panicky
	in   exec.Stream
	ctx  context.Context
	part int
	seen int
}

func (s *panickyStream) Next() (arrow.RecordBatch, error) {
	s.seen++
	if s.part == 0 && s.seen == s.p.n {
		var xs []int
		_ = xs[s.seen] // an index out of range, as a kernel bug would
	}
	if s.part != 0 && s.p.endless {
		if err := s.ctx.Err(); err != nil {
			return nil, err
		}
		runtime.Gosched()
		return keyBatch(s.p.mem, s.seen), nil
	}
	return s.in.Next()
}

func (s *panickyStream) Close() error { return s.in.Close() }

var keySchema = arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}}, nil)

func keyBatch(mem memory.Allocator, base int) arrow.RecordBatch {
	rows := make([][]any, 64)
	for i := range rows {
		rows[i] = []any{int64(base*64 + i)}
	}
	return exectest.Batch(mem, keySchema, rows)
}

// keySource has parts partitions of three batches of 64 keys each.
func keySource(mem memory.Allocator, parts int) *exec.MemorySource {
	ps := make([][]arrow.RecordBatch, parts)
	for p := range ps {
		for i := range 3 {
			ps[p] = append(ps[p], keyBatch(mem, p*3+i))
		}
	}
	src := exec.NewMemorySource(keySchema, ps)
	for _, bs := range ps {
		exec.ReleaseAll(bs)
	}
	return src
}

// A panic in any operator of a plan, on any partition, in any position
// (under an exchange, a sort, either side of a hash join, spilling or not)
// fails the query with an *exec.InternalError naming the operator; the
// other partitions stop, and no memory, goroutine or spill file is left.
func TestPanicBecomesInternalError(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	type plan func(env *exec.Env, src exec.Operator, other exec.Operator) (exec.Operator, error)
	plans := map[string]plan{
		"alone": func(_ *exec.Env, src, _ exec.Operator) (exec.Operator, error) { return src, nil },
		"coalesce": func(_ *exec.Env, src, _ exec.Operator) (exec.Operator, error) {
			return exec.NewCoalesce(src, 1), nil
		},
		"repartition": func(env *exec.Env, src, _ exec.Operator) (exec.Operator, error) {
			return exchange.NewHashRepartition(env, src, []int{0}, 3), nil
		},
		"gather": func(env *exec.Env, src, _ exec.Operator) (exec.Operator, error) {
			return exchange.NewGather(env, src), nil
		},
		"sort": func(env *exec.Env, src, _ exec.Operator) (exec.Operator, error) {
			return sort.NewSort(env, src, []sort.Key{{Col: 0, Desc: true}})
		},
		"join probe": func(env *exec.Env, src, other exec.Operator) (exec.Operator, error) {
			return join.NewHashJoin(env, src, other, []int{0}, []int{0}, join.Left, join.BuildRight)
		},
		"join build": func(env *exec.Env, src, other exec.Operator) (exec.Operator, error) {
			return join.NewHashJoin(env, other, src, []int{0}, []int{0}, join.Full, join.BuildRight)
		},
	}
	for _, parts := range []int{1, 4} {
		for _, spilling := range []bool{false, true} {
			for name, mk := range plans {
				for _, n := range []int{0, 1, 2} {
					for _, endless := range []bool{false, true} {
						if endless && (parts == 1 || n == 0) {
							continue
						}
						t.Run(fmt.Sprintf("%s/parts=%d/spill=%v/n=%d/endless=%v", name, parts, spilling, n, endless), func(t *testing.T) {
							dir := t.TempDir()
							env := &exec.Env{Mem: mem, BatchSize: 64, TempDir: dir}
							if spilling {
								b := exec.NewBudget(mem, 0, nil)
								b.SetSpillThreshold(0)
								env = exec.NewEnv(b)
								env.BatchSize, env.TempDir = 64, dir
							}
							src, other := keySource(mem, parts), keySource(mem, parts)
							defer src.Release()
							defer other.Release()
							bad := &panicky{Operator: src, mem: mem, n: n, endless: endless}
							op, err := mk(env, bad, other)
							if err != nil {
								t.Fatal(err)
							}
							bs, err := exec.Collect(t.Context(), op)
							exec.ReleaseAll(bs)
							checkInternal(t, err, bad.String())
							if left, _ := os.ReadDir(dir); len(left) != 0 {
								t.Errorf("%d spill files left", len(left))
							}
							// The same kind of plan without the panic still answers.
							ok, err := mk(env, src, other)
							if err != nil {
								t.Fatal(err)
							}
							bs, err = exec.Collect(t.Context(), ok)
							if err != nil {
								t.Fatal(err)
							}
							exec.ReleaseAll(bs)
						})
					}
				}
			}
		}
	}
	mem.AssertSize(t, 0)
	goleak.VerifyNone(t, opt)
}

// checkInternal checks that err is an *exec.InternalError raised in op.
func checkInternal(t *testing.T, err error, op string) {
	t.Helper()
	if !errors.Is(err, exec.ErrInternal) {
		t.Fatalf("got %v, want an internal error", err)
	}
	var ie *exec.InternalError
	if !errors.As(err, &ie) {
		t.Fatalf("%v is not an *exec.InternalError", err)
	}
	if ie.Op != op || !strings.Contains(err.Error(), "internal error in "+op) {
		t.Errorf("error %q names %q, want %q", err, ie.Op, op)
	}
	if len(ie.Stack) == 0 {
		t.Error("no stack")
	}
}

func TestInternalErrorUnwrapsRuntimeErrors(t *testing.T) {
	var err error
	func() {
		defer exec.Recover(&err, "test")
		var m map[string]int
		m["x"] = 1
	}()
	var re runtime.Error
	if !errors.As(err, &re) || !errors.Is(err, exec.ErrInternal) {
		t.Fatalf("got %v, want an internal error wrapping a runtime.Error", err)
	}
	if !strings.HasPrefix(err.Error(), "internal error in test: ") {
		t.Errorf("message %q", err)
	}
	// A panic in Close is reported too, and Next keeps failing after a panic.
	s, err := exec.Open(t.Context(), closePanics{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("Next: %v", err)
	}
	if err := s.Close(); !errors.Is(err, exec.ErrInternal) {
		t.Errorf("Close: got %v, want an internal error", err)
	}
}

// closePanics is an empty operator whose streams panic in Close.
type closePanics struct{}

func (closePanics) Schema() *arrow.Schema     { return keySchema }
func (closePanics) Partitions() int           { return 1 }
func (closePanics) Children() []exec.Operator { return nil }
func (closePanics) String() string            { return "ClosePanics" }
func (closePanics) Execute(context.Context, int) (exec.Stream, error) {
	return closePanicsStream{}, nil
}

type closePanicsStream struct{}

func (closePanicsStream) Next() (arrow.RecordBatch, error) { return nil, io.EOF }
func (closePanicsStream) Close() error                     { panic("boom in Close") }
