package optimizer

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

func TestConstantFoldingFires(t *testing.T) {
	p := analyze(t, &logical.Project{List: []logical.Expr{
		&logical.Alias{E: bin(logical.OpAdd, i32(1), bin(logical.OpMul, i32(2), i32(3))), Name: "seven"},
		&logical.Alias{E: bin(logical.OpAnd, lit(true, arrow.FixedWidthTypes.Boolean), bin(logical.OpGt, col("l_linenumber"), i32(1))), Name: "cond"},
	}, Child: &logical.UnresolvedRelation{Name: "lineitem"}})
	out, fired := applyRule(t, ConstantFolding(), p)
	if !fired {
		t.Fatal("ConstantFolding did not fire")
	}
	list := out.(*logical.Project).List
	if l, ok := list[0].(*logical.Alias).E.(*logical.Literal); !ok || l.Value != int32(7) {
		t.Fatalf("1 + 2 * 3 folded to %s", list[0])
	}
	if _, ok := list[1].(*logical.Alias).E.(*logical.Binary); !ok || strings.Contains(list[1].String(), "true") {
		t.Fatalf("true AND x not simplified: %s", list[1])
	}
	if _, again := applyRule(t, ConstantFolding(), out); again {
		t.Fatal("ConstantFolding should reach a fixpoint")
	}
}

func TestConstantFoldingRemovesTrueFilter(t *testing.T) {
	p := analyze(t, &logical.Filter{Cond: bin(logical.OpLt, i32(1), i32(2)), Child: &logical.UnresolvedRelation{Name: "orders"}})
	out, fired := applyRule(t, ConstantFolding(), p)
	if !fired {
		t.Fatal("did not fire")
	}
	if _, ok := out.(*logical.Scan); !ok {
		t.Fatalf("a filter on 1 < 2 should vanish, got\n%s", logical.Format(out))
	}
}
