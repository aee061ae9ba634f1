package analyzer

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// planText renders every node of p, one a line.
func planText(p logical.Plan) string {
	var b strings.Builder
	var walk func(n logical.Plan)
	walk = func(n logical.Plan) {
		b.WriteString(n.String())
		b.WriteByte('\n')
		for _, c := range n.Children() {
			walk(c)
		}
	}
	walk(p)
	return b.String()
}

func attrNamed(t *testing.T, p logical.Plan, name string) *logical.Attribute {
	t.Helper()
	for _, a := range p.Output() {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no column %s in %s", name, p)
	return nil
}

// TestKeySourceNarrowsToTheKeySide: as in TPC-H Q17's outer query (lineitem,
// part WHERE p_partkey = l_partkey AND p_brand = ...), the keys of orders,
// customer WHERE c_custkey = o_custkey AND c_name = ... come from customer
// filtered by its own condition; orders and the join condition are left out.
func TestKeySourceNarrowsToTheKeySide(t *testing.T) {
	str := arrow.BinaryTypes.String
	outer := analyze(t, &logical.Filter{
		Cond: logical.And(
			bin(logical.OpEq, col("c_custkey"), col("o_custkey")),
			bin(logical.OpEq, col("c_name"), lit("Customer#1", str))),
		Child: &logical.Join{Left: &logical.UnresolvedRelation{Name: "orders"}, Right: &logical.UnresolvedRelation{Name: "customer"}, Kind: logical.InnerJoin},
	})
	key := attrNamed(t, outer, "c_custkey")
	got := keySource(outer, map[int64]bool{key.ID: true}, nil)
	text := planText(got)
	if strings.Contains(text, "o_orderkey") {
		t.Errorf("key source still reads orders:\n%s", text)
	}
	if !strings.Contains(text, "Customer#1") {
		t.Errorf("key source lost customer's own filter:\n%s", text)
	}
	if attrNamed(t, got, "c_custkey").ID != key.ID {
		t.Errorf("key source does not carry the key column:\n%s", text)
	}
}

// TestKeySourceKeepsOuterJoins: a left join keeps rows with no match on its
// right side, whose keys are then null, so it is not narrowed through, and keys spread over both
// sides of an inner join keep the join.
func TestKeySourceKeepsOuterJoins(t *testing.T) {
	left := analyze(t, &logical.Join{Left: &logical.UnresolvedRelation{Name: "orders"}, Right: &logical.UnresolvedRelation{Name: "customer"}, Kind: logical.LeftJoin,
		Cond: bin(logical.OpEq, col("c_custkey"), col("o_custkey"))})
	key := attrNamed(t, left, "c_custkey")
	if got := keySource(left, map[int64]bool{key.ID: true}, nil); got != left {
		t.Errorf("left join narrowed to:\n%s", planText(got))
	}
	inner := analyze(t, &logical.Join{Left: &logical.UnresolvedRelation{Name: "orders"}, Right: &logical.UnresolvedRelation{Name: "customer"}, Kind: logical.InnerJoin,
		Cond: bin(logical.OpEq, col("c_custkey"), col("o_custkey"))})
	both := map[int64]bool{attrNamed(t, inner, "c_custkey").ID: true, attrNamed(t, inner, "o_orderkey").ID: true}
	if got := keySource(inner, both, nil); !strings.Contains(planText(got), "o_orderkey") || !strings.Contains(planText(got), "c_name") {
		t.Errorf("keys from both sides narrowed to:\n%s", planText(got))
	}
}

// TestNarrowerKeySource: as in TPC-H Q20 (partsupp semi-joined with the
// parts of a name), keys a semi join equates with the columns of a much
// smaller side come from that side; the other keys no longer restrict. Not
// from a larger side, through a left join, or through an equality of
// expressions rather than columns.
func TestNarrowerKeySource(t *testing.T) {
	str := arrow.BinaryTypes.String
	semi := func(left, right string, cond logical.Expr, kind logical.JoinKind) logical.Plan {
		return analyze(t, &logical.Join{Left: &logical.UnresolvedRelation{Name: left},
			Right: &logical.Filter{Cond: bin(logical.OpEq, col("c_name"), lit("Customer#1", str)), Child: &logical.UnresolvedRelation{Name: right}},
			Kind:  kind, Cond: cond})
	}
	j := semi("orders", "customer", bin(logical.OpEq, col("o_custkey"), col("c_custkey")), logical.LeftSemiJoin)
	custkey, orderkey := attrNamed(t, j, "o_custkey"), attrNamed(t, j, "o_orderkey")
	src, subst, ok := narrowerKeySource(j, map[int64]bool{custkey.ID: true, orderkey.ID: true})
	if !ok || len(subst) != 1 || subst[custkey.ID] == nil || subst[custkey.ID].Name != "c_custkey" {
		t.Fatalf("not narrowed to customer's c_custkey: ok=%v subst=%v", ok, subst)
	}
	if text := planText(src); strings.Contains(text, "o_orderkey") || !strings.Contains(text, "Customer#1") {
		t.Errorf("key source is not customer with its filter:\n%s", text)
	}
	cast := func(n string) logical.Expr {
		return &logical.Cast{E: col(n), To: arrow.PrimitiveTypes.Float64}
	}
	for name, c := range map[string]struct {
		p   logical.Plan
		key string
	}{
		"left join":  {semi("orders", "customer", bin(logical.OpEq, col("o_custkey"), col("c_custkey")), logical.LeftJoin), "o_custkey"},
		"casts":      {semi("orders", "customer", bin(logical.OpEq, cast("o_custkey"), cast("c_custkey")), logical.LeftSemiJoin), "o_custkey"},
		"no smaller": {analyze(t, &logical.Join{Left: &logical.UnresolvedRelation{Name: "customer"}, Right: &logical.UnresolvedRelation{Name: "orders"}, Kind: logical.LeftSemiJoin, Cond: bin(logical.OpEq, col("c_custkey"), col("o_custkey"))}), "c_custkey"},
	} {
		keys := map[int64]bool{attrNamed(t, c.p, c.key).ID: true}
		if _, subst, ok := narrowerKeySource(c.p, keys); ok {
			t.Errorf("%s: narrowed (%v)", name, subst)
		}
	}
}
