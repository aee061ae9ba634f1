package sql

import (
	"strings"
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

func TestGroupByAll(t *testing.T) {
	p, err := ParseQuery("SELECT a, upper(b) AS u, sum(c) FROM t GROUP BY ALL")
	if err != nil {
		t.Fatal(err)
	}
	agg, ok := p.(*logical.Aggregate)
	if !ok {
		t.Fatalf("want an Aggregate, got %s", logical.Format(p))
	}
	var got []string
	for _, g := range agg.Groups {
		got = append(got, g.String())
	}
	if want := "a, upper(b)"; strings.Join(got, ", ") != want {
		t.Errorf("groups %q, want %q", strings.Join(got, ", "), want)
	}
	if _, err := ParseQuery("SELECT *, count(*) FROM t GROUP BY ALL"); err == nil || !strings.Contains(err.Error(), "GROUP BY ALL with *") {
		t.Errorf("GROUP BY ALL with *: got %v", err)
	}
}

func TestLateralAliasParse(t *testing.T) {
	p, err := ParseQuery("SELECT a + 1 AS x, x * 2, t.x, (SELECT x) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	pr := p.(*logical.Project)
	al, ok := pr.List[1].(*logical.Alias)
	if !ok || al.Name != "(x * 2)" {
		t.Fatalf("item 2: want an alias named as written, got %s", pr.List[1])
	}
	bin := al.E.(*logical.Binary)
	if la, ok := bin.L.(*logical.LateralAlias); !ok || la.E.String() != "(a + 1)" {
		t.Errorf("x in item 2: want a lateral alias of (a + 1), got %#v", bin.L)
	}
	if _, ok := pr.List[2].(*logical.UnresolvedColumn); !ok {
		t.Errorf("a qualified name is not a lateral alias: got %#v", pr.List[2])
	}
}

func TestCountArguments(t *testing.T) {
	e := parseExpr(t, "count(a, b)")
	if got, want := e.String(), "count(CASE WHEN ((a IS NOT NULL) AND (b IS NOT NULL)) THEN 1 END)"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	e = parseExpr(t, "count(DISTINCT a, b)")
	if got, want := e.String(), "count(DISTINCT __distinct_tuple(a, b))"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestOrdinalAfterSetOp(t *testing.T) {
	p, err := ParseQuery("SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 DESC")
	if err != nil {
		t.Fatal(err)
	}
	s, ok := p.(*logical.Sort)
	if !ok {
		t.Fatalf("want a Sort, got %s", logical.Format(p))
	}
	if r, ok := s.Orders[0].E.(*logical.OrdinalRef); !ok || r.N != 1 {
		t.Errorf("want position 1, got %s", s.Orders[0].E)
	}
}

func TestLateralViewParse(t *testing.T) {
	p, err := ParseQuery("SELECT * FROM t LATERAL VIEW OUTER explode(m) v AS k, x LATERAL VIEW posexplode(a) AS p, e")
	if err != nil {
		t.Fatal(err)
	}
	outer := p.(*logical.Project).Child.(*logical.Project)
	ma := outer.List[1].(*logical.MultiAlias)
	if ma.Qualifier != "" || strings.Join(ma.Names, ",") != "p,e" || ma.E.(*logical.Func).Name != "posexplode" {
		t.Errorf("second view: got %s (qualifier %q)", ma, ma.Qualifier)
	}
	inner := outer.Child.(*logical.Project)
	ma = inner.List[1].(*logical.MultiAlias)
	if ma.Qualifier != "v" || strings.Join(ma.Names, ",") != "k,x" || ma.E.(*logical.Func).Name != "explode_outer" {
		t.Errorf("first view: got %s (qualifier %q)", ma, ma.Qualifier)
	}
	for _, bad := range []string{"SELECT * FROM t LATERAL VIEW upper(a) v AS c", "SELECT * FROM t LATERAL VIEW explode v"} {
		if _, err := ParseQuery(bad); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}

func TestGeneratorInFrom(t *testing.T) {
	p, err := ParseQuery("SELECT * FROM stack(2, 1, 2) AS s(a)")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logical.Format(p), "stack(2, 1, 2)") {
		t.Errorf("want the generator in a projection, got %s", logical.Format(p))
	}
	if _, ok := p.(*logical.Project).Child.(*logical.SubqueryAlias).Child.(*logical.RenameColumns).Child.(*logical.Project); !ok {
		t.Errorf("want SELECT stack(...) under the alias, got %s", logical.Format(p))
	}
}

func TestRowInSubquery(t *testing.T) {
	p, err := ParseQuery("SELECT * FROM t WHERE (a, b + 1) NOT IN (SELECT x, y FROM u)")
	if err != nil {
		t.Fatal(err)
	}
	cond := p.(*logical.Project).Child.(*logical.Filter).Cond.(*logical.Unary)
	s := cond.E.(*logical.Subquery)
	if got := logical.InValues(s, 2); len(got) != 2 || got[1].String() != "(b + 1)" {
		t.Errorf("values %v", got)
	}
}
