package optimizer

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/analyzer"
	"github.com/gspark/gspark/planner/internal/plantest"
	"github.com/gspark/gspark/planner/logical"
)

func TestReorderJoinsAvoidsCrossJoins(t *testing.T) {
	// FROM lineitem, customer, orders WHERE l_orderkey = o_orderkey AND c_custkey = o_custkey:
	// in FROM order lineitem and customer would be crossed first.
	from := &logical.Join{Left: &logical.Join{Left: &logical.UnresolvedRelation{Name: "lineitem"}, Right: &logical.UnresolvedRelation{Name: "customer"}, Kind: logical.InnerJoin},
		Right: &logical.UnresolvedRelation{Name: "orders"}, Kind: logical.InnerJoin}
	cond := bin(logical.OpAnd, bin(logical.OpEq, col("l_orderkey"), col("o_orderkey")), bin(logical.OpEq, col("c_custkey"), col("o_custkey")))
	p := analyze(t, &logical.Filter{Cond: cond, Child: from})
	p, _ = applyRule(t, PushDownPredicates(), p)
	out, fired := applyRule(t, ReorderJoins(), p)
	if !fired {
		t.Fatalf("did not fire:\n%s", logical.Format(p))
	}
	var walk func(logical.Plan)
	walk = func(n logical.Plan) {
		if j, ok := n.(*logical.Join); ok && j.Cond == nil {
			t.Errorf("a cross join is left:\n%s", logical.Format(out))
		}
		for _, c := range n.Children() {
			walk(c)
		}
	}
	walk(out)
	// Applied again it changes nothing: the optimizer reaches a fixpoint.
	if _, again := applyRule(t, ReorderJoins(), out); again {
		t.Fatalf("fired twice:\n%s", logical.Format(out))
	}
}

func TestReorderJoinsJoinsTinyBranchFirst(t *testing.T) {
	// TPC-H Q11: FROM partsupp, supplier, nation WHERE ps_suppkey = s_suppkey
	// AND s_nationkey = n_nationkey AND n_name = 'GERMANY'. The one nation
	// joins its suppliers first, so partsupp meets one small table.
	i64 := arrow.PrimitiveTypes.Int64
	cat := plantest.Catalog{
		"partsupp": &plantest.Source{Sch: arrow.NewSchema([]arrow.Field{{Name: "ps_partkey", Type: i64}, {Name: "ps_suppkey", Type: i64}}, nil), Rows: 800000},
		"supplier": &plantest.Source{Sch: arrow.NewSchema([]arrow.Field{{Name: "s_suppkey", Type: i64}, {Name: "s_nationkey", Type: i64}}, nil), Rows: 10000},
		"nation":   &plantest.Source{Sch: arrow.NewSchema([]arrow.Field{{Name: "n_nationkey", Type: i64}, {Name: "n_name", Type: arrow.BinaryTypes.String}}, nil), Rows: 25},
	}
	rel := func(n string) logical.Plan { return &logical.UnresolvedRelation{Name: n} }
	from := &logical.Join{Left: &logical.Join{Left: rel("partsupp"), Right: rel("supplier"), Kind: logical.InnerJoin}, Right: rel("nation"), Kind: logical.InnerJoin}
	cond := bin(logical.OpAnd, bin(logical.OpAnd,
		bin(logical.OpEq, col("ps_suppkey"), col("s_suppkey")),
		bin(logical.OpEq, col("s_nationkey"), col("n_nationkey"))),
		bin(logical.OpEq, col("n_name"), lit("GERMANY", arrow.BinaryTypes.String)))
	p, err := (&analyzer.Analyzer{Catalog: cat, IDs: &logical.IDs{}}).Analyze(&logical.Filter{Cond: cond, Child: from})
	if err != nil {
		t.Fatal(err)
	}
	p, _ = applyRule(t, PushDownPredicates(), p)
	out, fired := applyRule(t, ReorderJoins(), p)
	if !fired {
		t.Fatalf("did not fire:\n%s", logical.Format(p))
	}
	tables := func(p logical.Plan) []string {
		var names []string
		var walk func(logical.Plan)
		walk = func(n logical.Plan) {
			if s, ok := n.(*logical.Scan); ok {
				names = append(names, logical.Format(s))
			}
			for _, c := range n.Children() {
				walk(c)
			}
		}
		walk(p)
		return names
	}
	top, ok := findNode[*logical.Join](out)
	if !ok {
		t.Fatalf("no join:\n%s", logical.Format(out))
	}
	sides := [][]string{tables(top.Left), tables(top.Right)}
	if len(sides[0]) != 1 || len(sides[1]) != 2 {
		t.Fatalf("partsupp should join supplier ⋈ nation, got:\n%s", logical.Format(out))
	}
	if _, again := applyRule(t, ReorderJoins(), out); again {
		t.Fatalf("fired twice:\n%s", logical.Format(out))
	}
}
