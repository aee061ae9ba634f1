package exec_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// gtExpr is a test predicate "column > k" over an int64 column (null stays null).
type gtExpr struct {
	col int
	k   int64
}

func (e gtExpr) DataType() arrow.DataType { return arrow.FixedWidthTypes.Boolean }
func (e gtExpr) String() string           { return fmt.Sprintf("c%d > %d", e.col, e.k) }
func (e gtExpr) Eval(mem memory.Allocator, b arrow.RecordBatch) (arrow.Array, error) {
	in := b.Column(e.col).(*array.Int64)
	bb := array.NewBooleanBuilder(mem)
	defer bb.Release()
	for i := 0; i < in.Len(); i++ {
		if in.IsNull(i) {
			bb.AppendNull()
		} else {
			bb.Append(in.Value(i) > e.k)
		}
	}
	return bb.NewArray(), nil
}

// doubleExpr is a test expression "2 * column" over an int64 column.
type doubleExpr struct{ col int }

func (e doubleExpr) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int64 }
func (e doubleExpr) String() string           { return fmt.Sprintf("2 * c%d", e.col) }
func (e doubleExpr) Eval(mem memory.Allocator, b arrow.RecordBatch) (arrow.Array, error) {
	in := b.Column(e.col).(*array.Int64)
	ib := array.NewInt64Builder(mem)
	defer ib.Release()
	for i := 0; i < in.Len(); i++ {
		if in.IsNull(i) {
			ib.AppendNull()
		} else {
			ib.Append(2 * in.Value(i))
		}
	}
	return ib.NewArray(), nil
}

var twoCols = arrow.NewSchema([]arrow.Field{
	{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// randomSource builds a memory source of random rows in parts partitions,
// some batches empty, and returns the rows it holds.
func randomSource(t *testing.T, mem memory.Allocator, r *rand.Rand, parts int) (*exec.MemorySource, [][][]any) {
	t.Helper()
	var batches [][]arrow.RecordBatch
	var rows [][][]any
	for p := 0; p < parts; p++ {
		var pb []arrow.RecordBatch
		var pr [][]any
		for b := 0; b < 3; b++ {
			n := r.IntN(50)
			if b == 1 {
				n = 0
			}
			var br [][]any
			for i := 0; i < n; i++ {
				row := []any{int64(r.IntN(100)), fmt.Sprintf("v%d", r.IntN(10))}
				if r.IntN(5) == 0 {
					row[0] = nil
				}
				if r.IntN(7) == 0 {
					row[1] = nil
				}
				br = append(br, row)
			}
			pb = append(pb, exectest.Batch(mem, twoCols, br))
			pr = append(pr, br...)
		}
		batches = append(batches, pb)
		rows = append(rows, pr)
	}
	src := exec.NewMemorySource(twoCols, batches)
	for _, pb := range batches {
		exec.ReleaseAll(pb)
	}
	t.Cleanup(src.Release)
	return src, rows
}

func TestFilterMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, parts := range []int{1, 2, 7} {
		t.Run(fmt.Sprint(parts), func(t *testing.T) {
			mem := exectest.Alloc(t)
			src, rows := randomSource(t, mem, r, parts)
			f, err := exec.NewFilter(exec.NewEnv(mem), src, gtExpr{col: 0, k: 50})
			if err != nil {
				t.Fatal(err)
			}
			var want [][]any
			for _, pr := range rows {
				for _, row := range pr {
					if row[0] != nil && row[0].(int64) > 50 {
						want = append(want, row)
					}
				}
			}
			got := exectest.Rows(t, f)
			if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
		})
	}
}

func TestProjectMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	mem := exectest.Alloc(t)
	src, rows := randomSource(t, mem, r, 3)
	p := exec.NewProject(exec.NewEnv(mem), src, []expr.Expr{doubleExpr{0}}, []string{"a2"}, []bool{true})
	var want [][]any
	for _, pr := range rows {
		for _, row := range pr {
			if row[0] == nil {
				want = append(want, []any{nil})
			} else {
				want = append(want, []any{2 * row[0].(int64)})
			}
		}
	}
	if got := exectest.Rows(t, p); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if p.Schema().Field(0).Name != "a2" {
		t.Fatalf("schema %s", p.Schema())
	}
}

func TestFilterRejectsNonBoolean(t *testing.T) {
	mem := exectest.Alloc(t)
	src := exec.NewMemorySource(twoCols, nil)
	if _, err := exec.NewFilter(exec.NewEnv(mem), src, doubleExpr{0}); err == nil {
		t.Fatal("want an error for a non-boolean predicate")
	}
}

func TestPartitionOutOfRange(t *testing.T) {
	src := exec.NewMemorySource(twoCols, nil)
	if _, err := src.Execute(context.Background(), 3); !errors.Is(err, exec.ErrPartition) {
		t.Fatalf("got %v", err)
	}
}

func TestCollectCancels(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(1, 1))
	src, _ := randomSource(t, mem, r, 4)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := exec.Collect(ctx, src); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestDrainClosesOnError(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(2, 2))
	src, _ := randomSource(t, mem, r, 1)
	s, err := src.Execute(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := exec.Drain(context.Background(), s, func(arrow.RecordBatch) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if _, err := s.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("a closed stream should be at EOF, got %v", err)
	}
}
