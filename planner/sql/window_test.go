package sql

import (
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

func TestParseWindow(t *testing.T) {
	cases := map[string]string{
		"row_number() OVER (PARTITION BY a, b ORDER BY c DESC)": "row_number() OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST)",
		"rank() over (order by c)":                              "rank() OVER (ORDER BY c ASC NULLS FIRST)",
		"sum(x) OVER ()":                                        "sum(x) OVER ()",
		"count(*) OVER (PARTITION BY a)":                        "count(1) OVER (PARTITION BY a)",
		"lag(x, 2, 0) OVER (ORDER BY c)":                        "lag(x, 2, 0) OVER (ORDER BY c ASC NULLS FIRST)",
		"lead(x) OVER (ORDER BY c NULLS LAST)":                  "lead(x, 1) OVER (ORDER BY c ASC NULLS LAST)",
		"ntile(4) OVER (ORDER BY c)":                            "ntile(4) OVER (ORDER BY c ASC NULLS FIRST)",
		"first_value(x) IGNORE NULLS OVER (ORDER BY c ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)":  "first_value(x) IGNORE NULLS OVER (ORDER BY c ASC NULLS FIRST ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)",
		"last_value(x, true) OVER (ORDER BY c RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)": "last_value(x) IGNORE NULLS OVER (ORDER BY c ASC NULLS FIRST RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)",
		"nth_value(x, 3) OVER (ORDER BY c ROWS UNBOUNDED PRECEDING)":                              "nth_value(x, 3) OVER (ORDER BY c ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
		"max(x) OVER (PARTITION BY a ORDER BY c RANGE BETWEEN 10 PRECEDING AND 5 FOLLOWING) + 1":  "(max(x) OVER (PARTITION BY a ORDER BY c ASC NULLS FIRST RANGE BETWEEN 10 PRECEDING AND 5 FOLLOWING) + 1)",
	}
	for in, want := range cases {
		e := parseExpr(t, in)
		if al, ok := e.(*logical.Alias); ok {
			e = al.E
		}
		if got := e.String(); got != want {
			t.Errorf("%s:\n got %s\nwant %s", in, got, want)
		}
	}
	// A window aggregate does not make the query an aggregation.
	p, err := ParseQuery("SELECT a, sum(x) OVER (PARTITION BY a) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.(*logical.Project); !ok {
		t.Fatalf("want a Project, got %s", logical.Format(p))
	}
}

func TestParseWindowErrors(t *testing.T) {
	for _, q := range []string{
		"SELECT upper(x) OVER (ORDER BY c) FROM t",
		"SELECT rank(x) OVER (ORDER BY c) FROM t",
		"SELECT ntile(a) OVER (ORDER BY c) FROM t",
		"SELECT lag(x, a) OVER (ORDER BY c) FROM t",
		"SELECT count(DISTINCT x) OVER () FROM t",
		"SELECT sum(x) OVER (ORDER BY c ROWS BETWEEN x PRECEDING AND CURRENT ROW) FROM t",
		"SELECT sum(x) OVER (ORDER BY c ROWS BETWEEN 1 AND CURRENT ROW) FROM t",
		"SELECT sum(x) OVER (ORDER BY c ROWS BETWEEN UNBOUNDED AND CURRENT ROW) FROM t",
		"SELECT sum(x) OVER (ORDER BY c ROWS BETWEEN CURRENT AND CURRENT ROW) FROM t",
		"SELECT sum(x) OVER (ORDER BY c FROM t",
		"SELECT sum(x) OVER (PARTITION a) FROM t",
	} {
		if _, err := ParseQuery(q); err == nil {
			t.Errorf("%s: no error", q)
		}
	}
}
