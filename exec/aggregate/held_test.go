package aggregate_test

import (
	"context"
	"errors"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exchange"
	"github.com/gspark/gspark/exec/exectest"
)

var keySchema = arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}}, nil)

// cyclingKeys is a source of parts partitions, each rows rows of keys
// 0, 1, …, distinct-1, 0, 1, … in batches of 1024.
func cyclingKeys(t *testing.T, mem memory.Allocator, parts, rows, distinct int) *exec.MemorySource {
	ps := make([][]arrow.RecordBatch, parts)
	for p := range ps {
		for lo := 0; lo < rows; lo += 1024 {
			var rs [][]any
			for i := lo; i < min(lo+1024, rows); i++ {
				rs = append(rs, []any{int64(i % distinct)})
			}
			ps[p] = append(ps[p], exectest.Batch(mem, keySchema, rs))
		}
	}
	src := exec.NewMemorySource(keySchema, ps)
	for _, bs := range ps {
		exec.ReleaseAll(bs)
	}
	t.Cleanup(src.Release)
	return src
}

var countStar = []aggregate.Spec{{Func: aggregate.CountStar, Name: "n"}}

// Under memory pressure a partial aggregation hands on the groups it holds
// and starts over, so its table never grows past what it had when pressure
// came; the final aggregation still merges every key's states into one
// right answer.
func TestPartialAggregationFlushesUnderPressure(t *testing.T) {
	mem := exectest.Alloc(t)
	budget := exec.NewBudget(mem, 0, nil)
	budget.SetSpillThreshold(0) // always under pressure
	env := exec.NewEnv(budget)
	env.TempDir = t.TempDir()
	const parts, rows, distinct = 2, 40000, 10000
	src := cyclingKeys(t, mem, parts, rows, distinct)
	part, err := aggregate.NewPartial(env, src, []int{0}, countStar)
	if err != nil {
		t.Fatal(err)
	}
	states := 0
	for _, r := range exectest.Rows(t, part) {
		_ = r
		states++
	}
	// Unflushed, each partition would hand on exactly its 10,000 keys.
	if states <= parts*distinct {
		t.Fatalf("the partial aggregation handed on %d states: it did not flush (%d without flushing)", states, parts*distinct)
	}
	fin, err := aggregate.NewFinal(env, exchange.NewHashRepartition(env, part, []int{0}, parts), 1, countStar, []arrow.DataType{nil})
	if err != nil {
		t.Fatal(err)
	}
	got := exectest.Rows(t, fin)
	if len(got) != distinct {
		t.Fatalf("%d groups, want %d", len(got), distinct)
	}
	for _, r := range got {
		if r[1] != int64(parts*rows/distinct) {
			t.Fatalf("key %v: count %v, want %d", r[0], r[1], parts*rows/distinct)
		}
	}
}

// The hash table and accumulators of an aggregation count against the
// query's memory limit: without spilling, 400,000 groups (about 60 bytes
// each in slots, hashes, keys and counts) do not fit in 16 MiB and the query
// stops with the memory-limit error; with the default spill threshold the
// same query spills and answers. (16 MiB, not less: one doubling of the
// table's slots past the threshold takes several MiB.)
func TestAggregationTableCountsAgainstTheLimit(t *testing.T) {
	const rows, distinct = 400000, 400000
	run := func(spill bool) ([][]any, error) {
		mem := exectest.Alloc(t)
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		budget := exec.NewBudget(mem, 16<<20, cancel)
		if !spill {
			budget.SetSpillThreshold(-1)
		}
		env := exec.NewEnv(budget)
		env.TempDir = t.TempDir()
		// The input is outside the budget: only the aggregation's state counts.
		src := cyclingKeys(t, mem, 1, rows, distinct)
		part, err := aggregate.NewPartial(env, src, []int{0}, countStar)
		if err != nil {
			t.Fatal(err)
		}
		fin, err := aggregate.NewFinal(env, exchange.NewHashRepartition(env, part, []int{0}, 1), 1, countStar, []arrow.DataType{nil})
		if err != nil {
			t.Fatal(err)
		}
		var out [][]any
		err = exec.Drain(ctx, mustOpen(t, ctx, fin), func(b arrow.RecordBatch) error {
			for i := 0; i < int(b.NumRows()); i++ {
				out = append(out, []any{b.Column(0).(*array.Int64).Value(i), b.Column(1).(*array.Int64).Value(i)})
			}
			return nil
		})
		if c := context.Cause(ctx); c != nil {
			err = c
		}
		return out, err
	}
	if _, err := run(false); !errors.Is(err, exec.ErrMemoryLimit) {
		t.Fatalf("without spilling: err = %v, want the memory limit", err)
	}
	got, err := run(true)
	if err != nil {
		t.Fatalf("with spilling: %v", err)
	}
	if len(got) != distinct {
		t.Fatalf("%d groups, want %d", len(got), distinct)
	}
}

func mustOpen(t *testing.T, ctx context.Context, op exec.Operator) exec.Stream {
	t.Helper()
	s, err := exec.Open(ctx, op, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
