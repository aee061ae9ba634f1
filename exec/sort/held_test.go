package sort

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
)

// The row indexes of a sort (Go memory outside the Arrow allocator) are
// counted in the query's budget while the sorted rows are read out, and given
// back at the end. The input comes from outside the budget and a single batch
// is not copied, so what the budget counts is the sort's own memory.
func TestSortCountsRowIndexes(t *testing.T) {
	const rows = 100000
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Float64}}, nil)
	bld := array.NewFloat64Builder(mem)
	for i := range rows {
		bld.Append(float64(i * 7919 % rows))
	}
	col := bld.NewArray()
	bld.Release()
	b := array.NewRecordBatch(schema, []arrow.Array{col}, rows)
	col.Release()
	src := exec.NewMemorySource(schema, [][]arrow.RecordBatch{{b}})
	b.Release()
	defer src.Release()

	budget := exec.NewBudget(mem, 0, nil)
	env := exec.NewEnv(budget)
	env.BatchSize = 1000
	op, err := NewSort(env, src, []Key{{Col: 0}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := op.Execute(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Next()
	if err != nil {
		t.Fatal(err)
	}
	out.Release()
	// A 4-byte row index for each row.
	if used := budget.Used(); used < 4*rows {
		t.Errorf("budget counts %d bytes while the sorted rows are read; want at least %d for %d row indexes", used, 4*rows, rows)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if used := budget.Used(); used != 0 {
		t.Errorf("%d bytes still counted after the sort was closed", used)
	}
}
