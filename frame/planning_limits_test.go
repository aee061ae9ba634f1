package frame_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/logical"
)

// A query past a planning limit fails before analysis with an error naming
// the limit and the setting that raises it; under the limit it plans.
func TestPlanningLimits(t *testing.T) {
	s := frame.NewSession()
	// 1+1+…+1 with 250,000 terms nests past the default depth (200,000).
	_, err := s.SQL(plusChainQuery(250000)).Explain(false)
	if !errors.Is(err, logical.ErrPlanTooLarge) || !strings.Contains(err.Error(), "more than 200000 levels deep") ||
		!strings.Contains(err.Error(), "SET gspark.sql.planner.maxExpressionDepth=") {
		t.Fatalf("250,000 terms: %v", err)
	}
	// An IN list of 2,000 values is 4,000 and more expression nodes.
	in := inListQuery(2000)
	if _, err := s.SQL(in).Explain(false); err != nil {
		t.Fatalf("under the default limits: %v", err)
	}
	if err := s.SetConf("gspark.sql.planner.maxExpressionNodes", "4000"); err != nil {
		t.Fatal(err)
	}
	_, err = s.SQL(in).Explain(false)
	if !errors.Is(err, logical.ErrPlanTooLarge) || !strings.Contains(err.Error(), "more than 4000 expression nodes") ||
		!strings.Contains(err.Error(), "SET gspark.sql.planner.maxExpressionNodes=") {
		t.Fatalf("IN list of 2,000 under a limit of 4,000 nodes: %v", err)
	}
	// Subqueries count too.
	_, err = s.SQL("SELECT 1 AS one WHERE EXISTS (" + in + ")").Explain(false)
	if !errors.Is(err, logical.ErrPlanTooLarge) {
		t.Fatalf("IN list in a subquery: %v", err)
	}
	if err := s.SetConf("gspark.sql.planner.maxExpressionDepth", "100"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SQL(plusChainQuery(50)).Explain(false); err != nil {
		t.Fatalf("50 terms under a depth of 100: %v", err)
	}
	if _, err := s.SQL(plusChainQuery(150)).Explain(false); !errors.Is(err, logical.ErrPlanTooLarge) {
		t.Fatalf("150 terms under a depth of 100: %v", err)
	}
	if v, err := s.Conf("gspark.sql.planner.maxExpressionDepth"); err != nil || v != "100" {
		t.Fatalf("Conf: %q, %v", v, err)
	}
	for _, bad := range []string{"0", "-1", "x"} {
		if err := s.SetConf("gspark.sql.planner.maxExpressionNodes", bad); err == nil {
			t.Errorf("SET maxExpressionNodes=%s was accepted", bad)
		}
	}
}

// A deep expression under the limits plans and computes: 1+1+…+1 with
// 100,000 terms (a left-deep tree of 99,999 additions) is 100000.
func TestDeepAdditionChain(t *testing.T) {
	n := 100000
	if testing.Short() {
		n = 20000 // deep enough to overflow a recursive walk's stack; the full run takes 100k
	}
	s := frame.NewSession()
	rows := collect(t, s.SQL(strings.Replace(plusChainQuery(n), "SELECT 1", "SELECT CAST(1 AS BIGINT)", 1)+" AS s"))
	if len(rows) != 1 || rows[0][0] != int64(n) {
		t.Fatalf("got %v", rows)
	}
}

// A view cannot read itself: Spark reports the recursion, where reading
// the old definition would silently redefine it in terms of itself.
func TestCreateViewRefusesItself(t *testing.T) {
	s := frame.NewSession()
	execSQL(t, s, "CREATE TEMP VIEW v AS SELECT 1 AS a")
	for _, q := range []string{
		"CREATE OR REPLACE TEMP VIEW v AS SELECT a + 1 AS a FROM v",
		"CREATE OR REPLACE TEMP VIEW V AS SELECT 2 AS a WHERE EXISTS (SELECT 1 FROM v)",
		"CREATE OR REPLACE TEMP VIEW v AS SELECT * FROM (SELECT a FROM samples.nation, v LIMIT 1) x",
	} {
		_, err := s.SQL(q).Collect(t.Context())
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "recursive view `v` detected") {
			t.Errorf("%s: %v", q, err)
		}
	}
	if rows := collect(t, s.SQL("SELECT a FROM v")); len(rows) != 1 || rows[0][0] != int32(1) {
		t.Fatalf("view v after the refusals: %v", rows)
	}
	// A CTE named as the view is no recursion.
	execSQL(t, s, "CREATE OR REPLACE TEMP VIEW v AS WITH v AS (SELECT 5 AS a) SELECT a FROM v")
	if rows := collect(t, s.SQL("SELECT a FROM v")); len(rows) != 1 || rows[0][0] != int32(5) {
		t.Fatalf("view v: %v", rows)
	}
}
