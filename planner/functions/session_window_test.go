package functions

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/planner/logical"
)

// TestIntervalMicrosKernel checks the per-row gap reader of session_window
// against hand-computed microseconds: strings that are no interval give
// null, months are an error.
func TestIntervalMicrosKernel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	run := func(vals []string, valid []bool) (arrow.Array, error) {
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.AppendValues(vals, valid)
		in := b.NewArray()
		defer in.Release()
		schema := arrow.NewSchema([]arrow.Field{{Name: "g", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
		batch := array.NewRecordBatch(schema, []arrow.Array{in}, int64(len(vals)))
		defer batch.Release()
		call := &logical.Func{Name: intervalMicrosName, Type: arrow.PrimitiveTypes.Int64}
		e, err := compileIntervalMicros(call, []expr.Expr{expr.Column(0, "g", arrow.BinaryTypes.String)})
		if err != nil {
			t.Fatal(err)
		}
		return e.Eval(mem, batch)
	}
	out, err := run([]string{"5 minutes", "1 hour 30 seconds", "interval 2 days", "-1 minute", "soon", "", "1 week"},
		[]bool{true, true, true, true, true, false, true})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	got := out.(*array.Int64)
	want := []int64{300_000_000, 3_630_000_000, 172_800_000_000, -60_000_000, 0, 0, 604_800_000_000}
	null := []bool{false, false, false, false, true, true, false}
	for i := range want {
		if got.IsNull(i) != null[i] || (!null[i] && got.Value(i) != want[i]) {
			t.Errorf("row %d = %v (null %v), want %d (null %v)", i, got.Value(i), got.IsNull(i), want[i], null[i])
		}
	}
	if _, err := run([]string{"1 month"}, nil); err == nil || !strings.Contains(err.Error(), "months or years") {
		t.Errorf("1 month: got error %v, want one about months", err)
	}
}
