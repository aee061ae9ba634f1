package exchange_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exchange"
	"github.com/gspark/gspark/exec/exectest"
)

var schema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "k", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "d", Type: &arrow.Decimal64Type{Precision: 10, Scale: 2}, Nullable: true},
}, nil)

func source(t *testing.T, mem memory.Allocator, parts, batches int) (*exec.MemorySource, int) {
	r := rand.New(rand.NewPCG(1, uint64(parts)))
	id := 0
	ps := make([][]arrow.RecordBatch, parts)
	for p := range ps {
		for b := 0; b < batches; b++ {
			n := r.IntN(200)
			if b%4 == 3 {
				n = 0
			}
			rows := make([][]any, n)
			for i := range rows {
				var k, d any
				if r.IntN(8) > 0 {
					k = fmt.Sprintf("key%d", r.IntN(30))
				}
				if r.IntN(8) > 0 {
					d = r.Int64N(50)
				}
				rows[i] = []any{int64(id), k, d}
				id++
			}
			ps[p] = append(ps[p], exectest.Batch(mem, schema, rows))
		}
	}
	src := exec.NewMemorySource(schema, ps)
	for _, p := range ps {
		exec.ReleaseAll(p)
	}
	t.Cleanup(src.Release)
	return src, id
}

// collectParts drains every partition concurrently and returns, per row id,
// the partition it arrived in and the key strings per partition.
func collectParts(t *testing.T, op exec.Operator) (map[int64]int, map[string]int) {
	t.Helper()
	seen := map[int64]int{}
	keyPart := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for p := 0; p < op.Partitions(); p++ {
		s, err := op.Execute(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := exec.Drain(t.Context(), s, func(b arrow.RecordBatch) error {
				ids := b.Column(0).(*array.Int64)
				ks := b.Column(1).(*array.String)
				ds := b.Column(2)
				mu.Lock()
				defer mu.Unlock()
				for i := 0; i < ids.Len(); i++ {
					if _, dup := seen[ids.Value(i)]; dup {
						return fmt.Errorf("row %d twice", ids.Value(i))
					}
					seen[ids.Value(i)] = p
					key := "NULL"
					if ks.IsValid(i) {
						key = ks.Value(i)
					}
					key += "|" + ds.ValueStr(i)
					if q, ok := keyPart[key]; ok && q != p {
						return fmt.Errorf("key %s in partitions %d and %d", key, q, p)
					}
					keyPart[key] = p
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	return seen, keyPart
}

func TestHashRepartition(t *testing.T) {
	for _, parts := range []int{1, 3} {
		for _, n := range []int{1, 4, 7} {
			t.Run(fmt.Sprintf("p%d_n%d", parts, n), func(t *testing.T) {
				mem := exectest.Alloc(t)
				env := exec.NewEnv(mem)
				src, total := source(t, mem, parts, 6)
				op := exchange.NewHashRepartition(env, src, []int{1, 2}, n)
				if op.Partitions() != n || op.String() != fmt.Sprintf("HashRepartition(keys=[1 2], n=%d)", n) {
					t.Fatalf("partitions %d, %s", op.Partitions(), op)
				}
				seen, keys := collectParts(t, op)
				if len(seen) != total {
					t.Fatalf("got %d rows, want %d", len(seen), total)
				}
				used := map[int]bool{}
				for _, p := range keys {
					used[p] = true
				}
				if n > 1 && len(used) < 2 {
					t.Errorf("keys spread over %d of %d partitions", len(used), n)
				}
			})
		}
	}
}

func TestGather(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	src, total := source(t, mem, 5, 5)
	op := exchange.NewGather(env, src)
	if op.Partitions() != 1 || op.String() != "Gather" {
		t.Fatal(op.Partitions(), op)
	}
	for run := 0; run < 2; run++ { // runs twice
		rows := exectest.Rows(t, op)
		if len(rows) != total {
			t.Fatalf("run %d: %d rows, want %d", run, len(rows), total)
		}
	}
}

func TestRunTwice(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	src, total := source(t, mem, 3, 4)
	op := exchange.NewHashRepartition(env, src, []int{1}, 3)
	for run := 0; run < 3; run++ {
		if rows := exectest.Rows(t, op); len(rows) != total {
			t.Fatalf("run %d: %d rows", run, len(rows))
		}
	}
}

func TestExecuteTwiceInRun(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	src, _ := source(t, mem, 2, 2)
	op := exchange.NewHashRepartition(env, src, []int{1}, 2)
	s0, err := op.Execute(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := op.Execute(t.Context(), 0); err == nil {
		t.Error("second Execute of partition 0 in one run accepted")
	}
	if _, err := op.Execute(t.Context(), 5); !errors.Is(err, exec.ErrPartition) {
		t.Errorf("partition 5: %v", err)
	}
	s1, _ := op.Execute(t.Context(), 1)
	s0.Close()
	s1.Close()
}

func TestEarlyClose(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 64}
	src, _ := source(t, mem, 4, 30)
	op := exchange.NewHashRepartition(env, src, []int{1}, 3)
	// Close partition 0 at once, read one batch of partition 1 and close it, drain partition 2.
	s0, _ := op.Execute(t.Context(), 0)
	s1, _ := op.Execute(t.Context(), 1)
	s2, _ := op.Execute(t.Context(), 2)
	s0.Close()
	if b, err := s1.Next(); err == nil {
		b.Release()
	}
	s1.Close() // an open stream that is not read would hold the producers back
	if err := exec.Drain(t.Context(), s2, func(arrow.RecordBatch) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// Everything closed without reading.
	for run := 0; run < 2; run++ {
		var ss []exec.Stream
		for p := 0; p < 3; p++ {
			s, err := op.Execute(t.Context(), p)
			if err != nil {
				t.Fatal(err)
			}
			ss = append(ss, s)
		}
		for _, s := range ss {
			s.Close()
		}
	}
	// Gather closed after one batch.
	g := exchange.NewGather(env, src)
	s, _ := g.Execute(t.Context(), 0)
	if b, err := s.Next(); err == nil {
		b.Release()
	}
	s.Close()
}

// failing is a source whose partitions emit a few batches then fail (or block
// until cancelled when block is set).
type failing struct {
	mem   memory.Allocator
	parts int
	block bool
}

var errBoom = errors.New("boom")

func (f *failing) Schema() *arrow.Schema     { return schema }
func (f *failing) Partitions() int           { return f.parts }
func (f *failing) Children() []exec.Operator { return nil }
func (f *failing) String() string            { return "Failing" }
func (f *failing) Execute(ctx context.Context, p int) (exec.Stream, error) {
	return &failStream{f: f, ctx: ctx, p: p}, nil
}

type failStream struct {
	f   *failing
	ctx context.Context
	p   int
	n   int
}

func (s *failStream) Next() (arrow.RecordBatch, error) {
	if err := s.ctx.Err(); err != nil {
		return nil, err
	}
	s.n++
	if s.f.block {
		if s.n > 3 {
			<-s.ctx.Done()
			return nil, s.ctx.Err()
		}
	} else if s.p == 1 && s.n > 2 {
		return nil, errBoom
	}
	rows := make([][]any, 50)
	for i := range rows {
		rows[i] = []any{int64(i), fmt.Sprint(i % 7), int64(i)}
	}
	return exectest.Batch(s.f.mem, schema, rows), nil
}

func (s *failStream) Close() error { return nil }

func drainAll(ctx context.Context, op exec.Operator) []error {
	errs := make([]error, op.Partitions())
	var wg sync.WaitGroup
	for p := range errs {
		s, err := op.Execute(ctx, p)
		if err != nil {
			errs[p] = err
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[p] = exec.Drain(context.Background(), s, func(arrow.RecordBatch) error { return nil })
		}()
	}
	wg.Wait()
	return errs
}

func TestErrorPropagation(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	src := &failing{mem: mem, parts: 3}
	for _, op := range []exec.Operator{exchange.NewHashRepartition(env, src, []int{1}, 4), exchange.NewGather(env, src)} {
		for p, err := range drainAll(t.Context(), op) {
			if !errors.Is(err, errBoom) {
				t.Errorf("%s partition %d: got %v, want boom", op, p, err)
			}
		}
	}
}

func TestCancel(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	src := &failing{mem: mem, parts: 3, block: true}
	op := exchange.NewHashRepartition(env, src, []int{1}, 2)
	ctx, cancel := context.WithCancel(t.Context())
	var ss []exec.Stream
	for p := 0; p < 2; p++ {
		s, _ := op.Execute(ctx, p)
		ss = append(ss, s)
	}
	for i := 0; i < 3; i++ {
		b, err := ss[0].Next()
		if err != nil {
			t.Fatal(err)
		}
		b.Release()
	}
	cancel()
	for _, s := range ss {
		for {
			b, err := s.Next()
			if err == nil {
				b.Release()
				continue
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("got %v, want canceled", err)
			}
			if errors.Is(err, io.EOF) {
				t.Error("EOF after cancel")
			}
			break
		}
		s.Close()
	}
}

func TestRoundRobin(t *testing.T) {
	for _, parts := range []int{1, 3} {
		for _, n := range []int{1, 4} {
			t.Run(fmt.Sprintf("p%d_n%d", parts, n), func(t *testing.T) {
				mem := exectest.Alloc(t)
				env := exec.NewEnv(mem)
				src, total := source(t, mem, parts, 6)
				op := exchange.NewRoundRobin(env, src, n)
				if op.Partitions() != n || op.String() != fmt.Sprintf("RoundRobinRepartition(n=%d)", n) {
					t.Fatalf("partitions %d, %s", op.Partitions(), op)
				}
				counts := make([]int, n)
				ids := map[int64]bool{}
				var mu sync.Mutex
				var wg sync.WaitGroup
				for p := 0; p < n; p++ {
					s, err := op.Execute(t.Context(), p)
					if err != nil {
						t.Fatal(err)
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						err := exec.Drain(t.Context(), s, func(b arrow.RecordBatch) error {
							mu.Lock()
							defer mu.Unlock()
							counts[p] += int(b.NumRows())
							col := b.Column(0).(*array.Int64)
							for i := 0; i < col.Len(); i++ {
								ids[col.Value(i)] = true
							}
							return nil
						})
						if err != nil {
							t.Error(err)
						}
					}()
				}
				wg.Wait()
				if len(ids) != total {
					t.Fatalf("got %d distinct rows, want %d", len(ids), total)
				}
				// Every producer deals its rows in turn: partitions differ by at most one row per producer.
				lo, hi := counts[0], counts[0]
				for _, c := range counts {
					lo, hi = min(lo, c), max(hi, c)
				}
				if hi-lo > parts {
					t.Errorf("rows per partition %v are not dealt evenly", counts)
				}
			})
		}
	}
}
