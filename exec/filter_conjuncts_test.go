package exec_test

import (
	"fmt"
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

// countingExpr wraps a predicate and adds up the rows it is evaluated on.
type countingExpr struct {
	in   expr.Expr
	rows *int
}

func (e countingExpr) DataType() arrow.DataType { return e.in.DataType() }
func (e countingExpr) String() string           { return "counted(" + e.in.String() + ")" }
func (e countingExpr) Eval(mem memory.Allocator, b arrow.RecordBatch) (arrow.Array, error) {
	*e.rows += int(b.NumRows())
	return e.in.Eval(mem, b)
}

func mustBinary(t *testing.T, op expr.BinaryOp, l, r expr.Expr) expr.Expr {
	t.Helper()
	e, err := expr.Binary(op, l, r)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mustLit(t *testing.T, v any, typ arrow.DataType) expr.Expr {
	t.Helper()
	e, err := expr.Literal(v, typ)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// conjunctPredicate is a > lo AND s IN ('v1', 'v2', 'v3', 'v7') AND a < hi
// over twoCols.
func conjunctPredicate(t *testing.T, lo, hi int64) expr.Expr {
	a := expr.Column(0, "a", arrow.PrimitiveTypes.Int64)
	s := expr.Column(1, "s", arrow.BinaryTypes.String)
	var lits []expr.Expr
	for _, v := range []string{"v1", "v2", "v3", "v7"} {
		lits = append(lits, mustLit(t, v, arrow.BinaryTypes.String))
	}
	in, ok := expr.InSet(s, lits)
	if !ok {
		t.Fatal("no IN set")
	}
	gt := mustBinary(t, expr.Gt, a, mustLit(t, lo, arrow.PrimitiveTypes.Int64))
	lt := mustBinary(t, expr.Lt, a, mustLit(t, hi, arrow.PrimitiveTypes.Int64))
	return mustBinary(t, expr.And, mustBinary(t, expr.And, gt, in), lt)
}

// naiveConjuncts is conjunctPredicate row by row (null: false).
func naiveConjuncts(row []any, lo, hi int64) bool {
	if row[0] == nil || row[1] == nil {
		return false
	}
	a, s := row[0].(int64), row[1].(string)
	return a > lo && a < hi && (s == "v1" || s == "v2" || s == "v3" || s == "v7")
}

// A filter of several conjuncts, evaluated one after another on the rows
// the earlier ones kept, keeps the rows a row-at-a-time evaluation keeps;
// so does a scan's fused predicate, copying only its output column.
func TestFilterConjunctsMatchNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	// Bounds keeping most, about half and few of the rows.
	for _, b := range [][2]int64{{-1, 100}, {20, 80}, {60, 70}, {90, 10}} {
		t.Run(fmt.Sprint(b), func(t *testing.T) {
			mem := exectest.Alloc(t)
			src, rows := randomSource(t, mem, r, 2)
			f, err := exec.NewFilter(exec.NewEnv(mem), src, conjunctPredicate(t, b[0], b[1]))
			if err != nil {
				t.Fatal(err)
			}
			var want [][]any
			var wantS [][]any
			for _, pr := range rows {
				for _, row := range pr {
					if naiveConjuncts(row, b[0], b[1]) {
						want = append(want, row)
						wantS = append(wantS, []any{row[1]})
					}
				}
			}
			got := exectest.Rows(t, f)
			if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Fatalf("filter: got %v\nwant %v", got, want)
			}

			env := exec.NewEnv(mem)
			sOnly := arrow.NewSchema([]arrow.Field{twoCols.Field(1)}, nil)
			so := exec.NewScanOutput(env, conjunctPredicate(t, b[0], b[1]), sOnly, []int{1}, -1)
			var gotS [][]any
			for _, pr := range rows {
				batch := exectest.Batch(mem, twoCols, pr)
				out, err := so.Shape(batch)
				if err != nil {
					t.Fatal(err)
				}
				if out != nil {
					col := out.Column(0).(*array.String)
					for i := 0; i < col.Len(); i++ {
						gotS = append(gotS, []any{col.Value(i)})
					}
					out.Release()
				}
			}
			if !reflect.DeepEqual(gotS, wantS) && !(len(gotS) == 0 && len(wantS) == 0) {
				t.Fatalf("scan output: got %v\nwant %v", gotS, wantS)
			}
		})
	}
}

// Once an earlier conjunct has left at most half of a batch's rows, a later
// one is evaluated on those rows only: in a filter and in a scan's fused
// predicate.
func TestFilterLaterConjunctSeesKeptRows(t *testing.T) {
	mem := exectest.Alloc(t)
	rows := make([][]any, 100)
	for i := range rows {
		rows[i] = []any{int64(i), "v"}
	}
	a := expr.Column(0, "a", arrow.PrimitiveTypes.Int64)
	pred := func(seen *int) expr.Expr {
		first := mustBinary(t, expr.Lt, a, mustLit(t, int64(10), arrow.PrimitiveTypes.Int64))
		later := countingExpr{in: mustBinary(t, expr.GtEq, a, mustLit(t, int64(5), arrow.PrimitiveTypes.Int64)), rows: seen}
		// The counted conjunct comes first: ordering puts the plain
		// comparison ahead of it.
		return mustBinary(t, expr.And, later, first)
	}

	var seen int
	in := exectest.Batch(mem, twoCols, rows)
	src := exec.NewMemorySource(twoCols, [][]arrow.RecordBatch{{in}})
	in.Release()
	t.Cleanup(src.Release)
	f, err := exec.NewFilter(exec.NewEnv(mem), src, pred(&seen))
	if err != nil {
		t.Fatal(err)
	}
	if got := exectest.Rows(t, f); len(got) != 5 || got[0][0] != int64(5) {
		t.Fatalf("filter kept %v, want a = 5..9", got)
	}
	if seen != 10 {
		t.Errorf("filter: later conjunct saw %d rows, want 10", seen)
	}

	seen = 0
	aOnly := arrow.NewSchema([]arrow.Field{twoCols.Field(0)}, nil)
	so := exec.NewScanOutput(exec.NewEnv(mem), pred(&seen), aOnly, []int{0}, -1)
	out, err := so.Shape(exectest.Batch(mem, twoCols, rows))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	if out.NumRows() != 5 || out.Column(0).(*array.Int64).Value(0) != 5 {
		t.Fatalf("scan output kept %d rows", out.NumRows())
	}
	if seen != 10 {
		t.Errorf("scan output: later conjunct saw %d rows, want 10", seen)
	}
}
