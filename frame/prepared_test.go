package frame_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/values"
)

func TestPreparedQueryRunsPerBatch(t *testing.T) {
	ctx := context.Background()
	mem := exectest.Alloc(t)
	s := frame.NewSession(frame.WithAllocator(mem), frame.WithPartitions(4))
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Float64}}, nil)
	df, in := s.NewBatchInput(schema)
	q, err := df.Filter(F.Col("x").Gt(F.Lit(1.0))).
		Select(F.Col("x"), F.Col("x").Mul(F.Lit(2.0)).Alias("y")).PrepareOver(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Schema(); got.NumFields() != 2 || got.Field(0).Name != "x" || got.Field(1).Name != "y" {
		t.Fatalf("schema %s", got)
	}
	// Each run sees its own batch, from many goroutines at once.
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				x := float64(g*100 + i)
				b := float64Batch(t, 0.5, x)
				out, err := q.Run(ctx, b)
				b.Release()
				if err != nil {
					errs <- err.Error()
					return
				}
				rows := values.Rows([]arrow.RecordBatch{out})
				out.Release()
				want := 1
				if x <= 1 {
					want = 0
				}
				if len(rows) != want || want == 1 && (rows[0][0] != x || rows[0][1] != 2*x) {
					errs <- "wrong rows"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	// A batch of another schema is refused; running the DataFrame as an
	// ordinary query names the batch input.
	other := arrow.NewSchema([]arrow.Field{{Name: "z", Type: arrow.PrimitiveTypes.Float64}}, nil)
	b := float64Batch(t, 1)
	defer b.Release()
	ob := array.NewRecordBatch(other, b.Columns(), 1)
	defer ob.Release()
	if _, err := q.Run(ctx, ob); err == nil || !strings.Contains(err.Error(), "input batch has schema") {
		t.Errorf("other schema: %v", err)
	}
	if _, err := df.Collect(ctx); err == nil || !strings.Contains(err.Error(), "PreparedQuery.Run") {
		t.Errorf("plain collect: %v", err)
	}
	df2, _ := s.NewBatchInput(schema)
	if _, err := df2.PrepareOver(ctx, in); err == nil {
		t.Error("PrepareOver with another input's handle succeeded")
	}
}
