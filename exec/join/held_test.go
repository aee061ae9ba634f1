package join

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
)

// A built hash table's buckets, chains and keys count in the query's
// budget for as long as the table lives, beside the build side's Arrow
// buffers.
func TestHashTableCountsInTheBudget(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}}, nil)
	const rows = 50000
	var build, probe [][]any
	for i := 0; i < rows; i++ {
		build = append(build, []any{int64(i)})
	}
	probe = append(probe, []any{int64(7)}, []any{int64(rows + 1)})
	// The inputs come from outside the budget: what it counts is the join's.
	bb := exectest.Batch(mem, schema, build)
	pb := exectest.Batch(mem, schema, probe)
	right := exec.NewMemorySource(schema, [][]arrow.RecordBatch{{bb}})
	left := exec.NewMemorySource(schema, [][]arrow.RecordBatch{{pb}})
	bb.Release()
	pb.Release()
	defer right.Release()
	defer left.Release()
	budget := exec.NewBudget(mem, 0, nil)
	env := exec.NewEnv(budget)
	op, err := NewHashJoin(env, left, right, []int{0}, []int{0}, Inner, BuildRight)
	if err != nil {
		t.Fatal(err)
	}
	ctx := exec.WithExecution(context.Background(), exec.NewExecution())
	defer exec.ExecutionFrom(ctx).Close()
	s, err := exec.Open(ctx, op, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Next()
	if err != nil {
		t.Fatal(err)
	}
	b.Release()
	// At least 4 bytes a row of chains and 8 of hashes, besides the copied keys.
	if used := budget.Used(); used < 12*rows {
		t.Errorf("budget counts %d bytes while the table is built; want at least %d for its %d rows", used, 12*rows, rows)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	exec.ExecutionFrom(ctx).Close()
	if used := budget.Used(); used != 0 {
		t.Errorf("%d bytes still counted after the join ended", used)
	}
}
