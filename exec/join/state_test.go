package join

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/goleak"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
)

// countingOp counts the streams executed of its operator.
type countingOp struct {
	exec.Operator
	n *atomic.Int64
}

func (c countingOp) Execute(ctx context.Context, p int) (exec.Stream, error) {
	c.n.Add(1)
	return c.Operator.Execute(ctx, p)
}

// drainPartition executes partition p of op under ctx, reads it to its end and
// closes it.
func drainPartition(t *testing.T, ctx context.Context, op exec.Operator, p int) {
	t.Helper()
	s, err := op.Execute(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := exec.Drain(ctx, s, func(arrow.RecordBatch) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

// spillFiles counts the files in env's spill directory.
func spillFiles(t *testing.T, env *exec.Env) int {
	if env.TempDir == "" {
		return 0
	}
	es, err := os.ReadDir(env.TempDir)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// The build table belongs to an execution: a consumer that reads only some
// partitions leaves nothing behind once its execution ends, or, driving the
// streams by hand, once its context is done.
func TestJoinStateFreedWhenTheExecutionEnds(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	left, right := bigSources(t, mem, 3)
	base := mem.CurrentAlloc()
	for _, spilling := range []bool{false, true} {
		env := testEnv(t, mem, 16, spilling)
		for _, kind := range allKinds {
			t.Run(fmt.Sprintf("%s/spill=%v", kind, spilling), func(t *testing.T) {
				op, err := NewHashJoin(env, left, right, []int{0}, []int{0}, kind, BuildRight)
				if err != nil {
					t.Fatal(err)
				}
				// Under an execution: partition 1 only, then the end.
				run := exec.NewExecution()
				drainPartition(t, exec.WithExecution(t.Context(), run), op, 1)
				run.Close()
				if got := mem.CurrentAlloc(); got != base {
					t.Errorf("after the execution: %d bytes held, want %d", got, base)
				}
				// By hand: partition 0 only, then the context ends.
				ctx, cancel := context.WithCancel(t.Context())
				drainPartition(t, ctx, op, 0)
				cancel()
				// The context's end frees the table on another goroutine.
				deadline := time.Now().Add(5 * time.Second)
				for (mem.CurrentAlloc() != base || spillFiles(t, env) > 0) && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
				if got := mem.CurrentAlloc(); got != base {
					t.Errorf("after the context: %d bytes held, want %d", got, base)
				}
				checkSpilled(t, op, env, spilling)
			})
		}
	}
	goleak.VerifyNone(t, opt)
}

// Within one execution the build side is read once, even when the probe
// partitions are read one after another.
func TestJoinBuildsOncePerExecution(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	left, right := bigSources(t, mem, 3)
	want := naive(exectest.Rows(t, left), exectest.Rows(t, right), []int{0}, []int{0}, Inner, 1)
	var builds atomic.Int64
	env := &exec.Env{Mem: mem, BatchSize: 16}
	op, err := NewHashJoin(env, left, countingOp{right, &builds}, []int{0}, []int{0}, Inner, BuildRight)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		builds.Store(0)
		bs, err := exec.Collect(t.Context(), exec.NewCoalesce(op, 1))
		if err != nil {
			t.Fatal(err)
		}
		got := rowStrings(valuesRows(bs))
		exec.ReleaseAll(bs)
		if !slices.Equal(got, want) {
			t.Fatalf("run %d: %d rows, want %d", i, len(got), len(want))
		}
		if n := builds.Load(); n != int64(right.Partitions()) {
			t.Errorf("run %d: the build side's %d partitions were executed %d times", i, right.Partitions(), n)
		}
	}
	left.Release()
	right.Release()
	mem.AssertSize(t, 0)
	goleak.VerifyNone(t, opt)
}

// Executions of one join may overlap: each has its own table and tail.
func TestJoinExecutionsOverlap(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	left, right := bigSources(t, mem, 3)
	lrows, rrows := exectest.Rows(t, left), exectest.Rows(t, right)
	for _, kind := range allKinds {
		env := &exec.Env{Mem: mem, BatchSize: 16}
		op, err := NewHashJoin(env, left, right, []int{0}, []int{0}, kind, BuildLeft)
		if err != nil {
			t.Fatal(err)
		}
		want := refJoin(lrows, rrows, []int{0}, []int{0}, nil, kind, nil, 1, 1)
		// Two executions opening their partitions in turns, then read
		// concurrently.
		runs := [2]*exec.Execution{exec.NewExecution(), exec.NewExecution()}
		var streams [2][]exec.Stream
		for p := range op.Partitions() {
			for r, run := range runs {
				s, err := op.Execute(exec.WithExecution(t.Context(), run), p)
				if err != nil {
					t.Fatal(err)
				}
				streams[r] = append(streams[r], s)
			}
		}
		var wg sync.WaitGroup
		got := [2][]string{}
		for r := range runs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var rows [][]any
				for _, s := range streams[r] {
					for {
						b, err := s.Next()
						if errors.Is(err, io.EOF) {
							break
						}
						if err != nil {
							t.Error(err)
							break
						}
						rows = append(rows, rowsOf(b)...)
						b.Release()
					}
					s.Close()
				}
				got[r] = rowStrings(rows)
			}()
		}
		wg.Wait()
		for r, run := range runs {
			run.Close()
			if !slices.Equal(got[r], want) {
				t.Errorf("%s, execution %d: %d rows, want %d", kind, r, len(got[r]), len(want))
			}
		}
	}
	left.Release()
	right.Release()
	mem.AssertSize(t, 0)
	goleak.VerifyNone(t, opt)
}
