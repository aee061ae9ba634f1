package ordered

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
)

var schema = arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)

// source builds a memory source of parts partitions with batches batches of
// rows rows each; the values count up from 0 in partition order.
func source(mem memory.Allocator, parts, batches, rows int) *exec.MemorySource {
	var all [][]arrow.RecordBatch
	v := int64(0)
	for p := 0; p < parts; p++ {
		var bs []arrow.RecordBatch
		for b := 0; b < batches; b++ {
			var rs [][]any
			for r := 0; r < rows; r++ {
				rs = append(rs, []any{v})
				v++
			}
			bs = append(bs, exectest.Batch(mem, schema, rs))
		}
		all = append(all, bs)
	}
	src := exec.NewMemorySource(schema, all)
	for _, bs := range all {
		exec.ReleaseAll(bs)
	}
	return src
}

func values(b arrow.RecordBatch) []int64 {
	return slices.Clone(b.Column(0).(*array.Int64).Int64Values())
}

func want(n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i)
	}
	return out
}

func TestEachInPartitionOrder(t *testing.T) {
	mem := exectest.Alloc(t)
	src := source(mem, 4, 3, 5)
	defer src.Release()
	var got []int64
	err := Each(context.Background(), exec.NewEnv(mem), src, func(b arrow.RecordBatch) error {
		if len(got) == 0 {
			// Hold partition 0 back so that the others finish first and wait.
			time.Sleep(50 * time.Millisecond)
		}
		got = append(got, values(b)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want(60)) {
		t.Fatalf("got %v, want 0..59 in order", got)
	}
}

func TestEachSpillsWaitingPartitions(t *testing.T) {
	mem := exectest.Alloc(t)
	src := source(mem, 3, 4, 10)
	defer src.Release()
	budget := exec.NewBudget(mem, 0, func(error) {})
	budget.SetSpillThreshold(0) // every waiting batch goes to disk
	env := exec.NewEnv(budget)
	env.TempDir = t.TempDir()
	var got []int64
	maxFiles := 0
	err := Each(context.Background(), env, src, func(b arrow.RecordBatch) error {
		if len(got) == 0 {
			time.Sleep(50 * time.Millisecond)
		}
		ents, err := os.ReadDir(env.TempDir)
		if err != nil {
			return err
		}
		maxFiles = max(maxFiles, len(ents))
		got = append(got, values(b)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want(120)) {
		t.Fatalf("got %v, want 0..119 in order", got)
	}
	if maxFiles == 0 {
		t.Fatal("no spill file was written for the waiting partitions")
	}
	if ents, _ := os.ReadDir(env.TempDir); len(ents) != 0 {
		t.Fatalf("%d spill files left behind", len(ents))
	}
}

// gated is a one-partition source that sends one batch and then waits for
// release before ending: a consumer that collects everything first never sees
// the batch in time.
type gated struct {
	exec.Operator
	b       arrow.RecordBatch
	release chan struct{}
}

func (g *gated) Partitions() int { return 1 }

func (g *gated) Execute(ctx context.Context, p int) (exec.Stream, error) {
	return &gatedStream{g: g, ctx: ctx}, nil
}

type gatedStream struct {
	g    *gated
	ctx  context.Context
	sent bool
}

func (s *gatedStream) Next() (arrow.RecordBatch, error) {
	if !s.sent {
		s.sent = true
		s.g.b.Retain()
		return s.g.b, nil
	}
	select {
	case <-s.g.release:
		return nil, io.EOF
	case <-s.ctx.Done():
		return nil, s.ctx.Err()
	case <-time.After(5 * time.Second):
		return nil, errors.New("the first batch was not handed on while the partition was still running")
	}
}

func (s *gatedStream) Close() error { return nil }

func TestEachStreamsBeforeThePartitionEnds(t *testing.T) {
	mem := exectest.Alloc(t)
	src := &gated{Operator: source(mem, 1, 0, 0), b: exectest.Batch(mem, schema, [][]any{{int64(7)}}), release: make(chan struct{})}
	defer src.b.Release()
	n := 0
	err := Each(context.Background(), exec.NewEnv(mem), src, func(b arrow.RecordBatch) error {
		n++
		close(src.release)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("got %d batches, want 1", n)
	}
}

func TestEachStopsOnConsumerError(t *testing.T) {
	mem := exectest.Alloc(t)
	src := source(mem, 3, 50, 10)
	defer src.Release()
	budget := exec.NewBudget(mem, 0, func(error) {})
	budget.SetSpillThreshold(0)
	env := exec.NewEnv(budget)
	env.TempDir = t.TempDir()
	stop := errors.New("stop")
	calls := 0
	err := Each(context.Background(), env, src, func(b arrow.RecordBatch) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the consumer's error", err)
	}
	if ents, _ := os.ReadDir(env.TempDir); len(ents) != 0 {
		t.Fatalf("%d spill files left behind", len(ents))
	}
}

func TestEachCancelled(t *testing.T) {
	mem := exectest.Alloc(t)
	src := &gated{Operator: source(mem, 1, 0, 0), b: exectest.Batch(mem, schema, [][]any{{int64(1)}}), release: make(chan struct{})}
	defer src.b.Release()
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	err := Each(ctx, exec.NewEnv(mem), src, func(b arrow.RecordBatch) error {
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("cancel took %v", d)
	}
}
