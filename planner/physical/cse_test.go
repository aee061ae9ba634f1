package physical

import (
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

func TestCommonSubexpressions(t *testing.T) {
	f := arrow.PrimitiveTypes.Float64
	a := &logical.Attribute{ID: 1, Name: "a", Type: f}
	b := &logical.Attribute{ID: 2, Name: "b", Type: f}
	c := &logical.Attribute{ID: 3, Name: "c", Type: f}
	one := lit(1.0, f)
	bin := func(op logical.BinaryOp, l, r logical.Expr) logical.Expr {
		return &logical.Binary{Op: op, L: l, R: r, Type: f}
	}
	disc := bin(logical.OpMul, a, bin(logical.OpSub, one, b))
	guarded := bin(logical.OpDiv, a, c)
	list := []logical.Expr{
		&logical.Alias{E: disc, Name: "d", ID: 10},
		&logical.Alias{E: bin(logical.OpMul, disc, bin(logical.OpAdd, one, c)), Name: "charge", ID: 11},
		&logical.Alias{E: &logical.CaseWhen{Whens: []logical.Expr{&logical.Binary{Op: logical.OpGt, L: c, R: lit(0.0, f), Type: arrow.FixedWidthTypes.Boolean}}, Thens: []logical.Expr{guarded}}, Name: "g", ID: 12},
		&logical.Alias{E: guarded, Name: "h", ID: 13},
	}
	got := commonSubexpressions(list)
	if len(got) != 1 || got[0].String() != disc.String() {
		t.Fatalf("got %v, want only %s (1 - b is inside it; a / c repeats only inside a CASE branch)", got, disc)
	}

	pp := &PhysicalPlanner{}
	first, rewritten, ok := pp.hoistCommon(list, []*logical.Attribute{a, b, c})
	if !ok || len(first) != 4 {
		t.Fatalf("first projection %v, want the 3 inputs and the shared product", first)
	}
	tmp := first[3].(*logical.Alias)
	for i, want := range []string{tmp.Name + "#" + strconv.FormatInt(tmp.ID, 10) + " AS d#10", "(" + tmp.Name + "#" + strconv.FormatInt(tmp.ID, 10) + " * (1.0 + c#3)) AS charge#11"} {
		if got := rewritten[i].String(); got != want {
			t.Errorf("rewritten[%d] = %s, want %s", i, got, want)
		}
	}
	if rewritten[3] != list[3] || rewritten[2] != list[2] {
		t.Error("items without a shared subexpression must be left as they are")
	}
	if _, _, ok := pp.hoistCommon(list[2:], []*logical.Attribute{a, b, c}); ok {
		t.Error("nothing to share in a list whose only repeat is under a CASE")
	}
}
