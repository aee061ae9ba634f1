package strfn

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// TestStringOutputCountedInBudget evaluates repeat over a batch whose
// result (64 rows of 4 MiB, 256 MiB) is four times the query's 64 MiB
// limit: the output buffer is counted while it grows, so the budget is
// told the limit is passed (its cancel runs) and the kernel stops with an
// error before building the whole result. A batch within the limit is
// unaffected and gives its bytes back.
func TestStringOutputCountedInBudget(t *testing.T) {
	checked := exectest.Alloc(t)
	const limit = 64 << 20
	var cause error
	b := exec.NewBudget(checked, limit, func(err error) { cause = err })
	s := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}, {Name: "n", Type: arrow.PrimitiveTypes.Int32}}, nil)
	rep, err := Repeat(expr.Column(0, "s", arrow.BinaryTypes.String), expr.Column(1, "n", arrow.PrimitiveTypes.Int32))
	if err != nil {
		t.Fatal(err)
	}

	rows := make([][]any, 64)
	for i := range rows {
		rows[i] = []any{"abcd", int32(1 << 20)} // 4 MiB a row
	}
	big := exectest.Batch(checked, s, rows)
	defer big.Release()
	out, err := rep.Eval(b, big)
	if out != nil {
		out.Release()
	}
	if err == nil || !strings.Contains(err.Error(), "memory limit") {
		t.Fatalf("repeat over 256 MiB with a 64 MiB limit: %v, want a memory limit error", err)
	}
	if cause == nil || !errors.Is(cause, exec.ErrMemoryLimit) {
		t.Fatalf("the budget's cancel got %v, want ErrMemoryLimit", cause)
	}
	// The kernel stopped soon after the limit: at most one doubling of its
	// buffer past it.
	if p := b.Peak(); p > 2*limit+(8<<20) {
		t.Fatalf("peak %d bytes, want the kernel stopped near the %d-byte limit", p, limit)
	}
	if u := b.Used(); u != 0 {
		t.Fatalf("%d bytes still counted after the failed batch", u)
	}

	small := exectest.Batch(checked, s, [][]any{{"xy", int32(3)}, {nil, int32(2)}, {"z", int32(0)}})
	defer small.Release()
	cause = nil
	got, err := rep.Eval(b, small)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	if want := `["xyxyxy" (null) ""]`; got.String() != want {
		t.Fatalf("repeat = %s, want %s", got, want)
	}
	if cause != nil {
		t.Fatalf("a small batch cancelled the query: %v", cause)
	}
}
