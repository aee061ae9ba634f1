package frame_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
)

// subquerySession has two small views with nulls:
//
//	t(k, v): (1,10) (1,20) (2,5) (3,NULL) (NULL,7)
//	u(k, w): (1,100) (2,200) (2,201) (NULL,300) (4,400)
func subquerySession(t *testing.T, partitions int, optimize bool) *frame.Session {
	t.Helper()
	s := frame.NewSession(frame.WithPartitions(partitions), frame.WithOptimizer(optimize))
	script := `
CREATE TEMP VIEW t AS
  SELECT 1 AS k, 10 AS v UNION ALL SELECT 1, 20 UNION ALL SELECT 2, 5
  UNION ALL SELECT 3, CAST(NULL AS INT) UNION ALL SELECT CAST(NULL AS INT), 7;
CREATE TEMP VIEW u AS
  SELECT 1 AS k, 100 AS w UNION ALL SELECT 2, 200 UNION ALL SELECT 2, 201
  UNION ALL SELECT CAST(NULL AS INT), 300 UNION ALL SELECT 4, 400;`
	if err := s.ExecSQL(context.Background(), script, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// sortedRows renders rows as text lines, sorted.
func sortedRows(rows []frame.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		parts := make([]string, len(r))
		for j, v := range r {
			if v == nil {
				parts[j] = "NULL"
			} else {
				parts[j] = fmt.Sprint(v)
			}
		}
		out[i] = strings.Join(parts, ",")
	}
	sort.Strings(out)
	return out
}

func TestSubqueries(t *testing.T) {
	cases := []struct {
		name, sql string
		want      []string // sorted; computed by hand from the views above
	}{
		{"exists correlated", `SELECT k, v FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.k)`,
			[]string{"1,10", "1,20", "2,5"}},
		{"not exists correlated", `SELECT k, v FROM t WHERE NOT EXISTS (SELECT * FROM u WHERE u.k = t.k)`,
			[]string{"3,NULL", "NULL,7"}},
		{"exists with a non-equality correlation", `SELECT k, v FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.k AND u.w > t.v * 20)`,
			[]string{"2,5"}},
		{"exists uncorrelated", `SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM u WHERE w > 350)`, []string{"5"}},
		{"exists uncorrelated empty", `SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM u WHERE w > 1000)`, []string{"0"}},
		{"in", `SELECT v FROM t WHERE k IN (SELECT k FROM u)`, []string{"10", "20", "5"}},
		// The subquery returns a NULL, so k NOT IN (…) is never true.
		{"not in with a null", `SELECT v FROM t WHERE k NOT IN (SELECT k FROM u)`, nil},
		// Without the NULL: k = 3 qualifies; k NULL gives NULL and is dropped.
		{"not in", `SELECT k FROM t WHERE k NOT IN (SELECT k FROM u WHERE k IS NOT NULL)`, []string{"3"}},
		{"not in empty", `SELECT count(*) FROM t WHERE k NOT IN (SELECT k FROM u WHERE w > 1000)`, []string{"5"}},
		{"in with widening", `SELECT v FROM t WHERE k IN (SELECT CAST(k AS BIGINT) FROM u)`, []string{"10", "20", "5"}},
		{"correlated scalar in select", `SELECT k, v, (SELECT max(w) FROM u WHERE u.k = t.k) AS m FROM t`,
			[]string{"1,10,100", "1,20,100", "2,5,201", "3,NULL,NULL", "NULL,7,NULL"}},
		{"correlated scalar in where", `SELECT k, v FROM t WHERE v * 10 < (SELECT sum(w) FROM u WHERE u.k = t.k)`,
			[]string{"2,5"}},
		{"correlated scalar over an expression", `SELECT k, v FROM t WHERE v < (SELECT 0.1 * avg(w) FROM u WHERE t.k = u.k)`,
			[]string{"2,5"}},
		{"uncorrelated scalar", `SELECT k FROM t WHERE v > (SELECT avg(v) FROM t)`, []string{"1"}},
		// Correlated on an outer expression, not a column: u.k = t.k + 1.
		{"correlated on an expression", `SELECT k, (SELECT max(w) FROM u WHERE u.k = t.k + 1) AS m FROM t`,
			[]string{"1,201", "1,201", "2,NULL", "3,400", "NULL,NULL"}},
		{"scalar of no rows is null", `SELECT (SELECT w FROM u WHERE w > 1000) AS x`, []string{"NULL"}},
		{"scalar in having", `SELECT k, sum(v) FROM t GROUP BY k HAVING sum(v) > (SELECT min(v) FROM t) ORDER BY k`,
			[]string{"1,30", "NULL,7"}},
		{"nested", `SELECT k FROM t WHERE k IN (SELECT k FROM u WHERE w < (SELECT avg(w) FROM u))`,
			[]string{"1", "1", "2"}},
		// The same view inside and outside: the correlation must still tell them apart.
		{"self correlated", `SELECT a.k, a.v FROM t a WHERE a.v = (SELECT max(b.v) FROM t b WHERE b.k = a.k)`,
			[]string{"1,20", "2,5"}},
		{"in and exists together", `SELECT v FROM t WHERE k IN (SELECT k FROM u) AND NOT EXISTS (SELECT 1 FROM u WHERE u.k = t.k AND u.w = 100) AND v > 0`,
			[]string{"5"}},
		{"subquery in a cte", `WITH big AS (SELECT k FROM u WHERE w >= 200) SELECT v FROM t WHERE k IN (SELECT k FROM big)`,
			[]string{"5"}},
	}
	ctx := context.Background()
	for _, parts := range []int{1, 4, 7} {
		for _, opt := range []bool{true, false} {
			s := subquerySession(t, parts, opt)
			for _, c := range cases {
				rows, err := s.SQL(c.sql).Collect(ctx)
				if err != nil {
					t.Errorf("%s (partitions=%d optimizer=%v): %v", c.name, parts, opt, err)
					continue
				}
				got := sortedRows(rows)
				if strings.Join(got, ";") != strings.Join(c.want, ";") {
					t.Errorf("%s (partitions=%d optimizer=%v): got %v, want %v", c.name, parts, opt, got, c.want)
				}
			}
		}
	}
}

func TestSubqueryRulesFire(t *testing.T) {
	s := subquerySession(t, 2, true)
	for sql, rule := range map[string]string{
		`SELECT v FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.k)`:   "RewritePredicateSubqueries",
		`SELECT v FROM t WHERE k NOT IN (SELECT k FROM u)`:                 "RewritePredicateSubqueries",
		`SELECT v FROM t WHERE v < (SELECT max(w) FROM u WHERE u.k = t.k)`: "RewriteCorrelatedScalarSubqueries",
		`SELECT (SELECT max(w) FROM u WHERE u.k = t.k) FROM t`:             "RewriteCorrelatedScalarSubqueries",
	} {
		_, fired, err := s.SQL(sql).OptimizedPlan()
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if fired[rule] == 0 {
			t.Errorf("%s: rule %s did not fire (fired: %v)", sql, rule, fired)
		}
	}
	// A correlated aggregate reads only the rows whose keys the outer query has.
	plan, _ := s.SQL(`SELECT v FROM t WHERE v < (SELECT max(w) FROM u WHERE u.k = t.k)`).Explain(false)
	if !strings.Contains(plan, "LeftSemi") {
		t.Errorf("the correlated aggregate is not restricted to the outer keys:\n%s", plan)
	}
	plan, _ = s.SQL(`SELECT v FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.k)`).Explain(true)
	if !strings.Contains(plan, "LeftSemi") && !strings.Contains(plan, "left semi") && !strings.Contains(strings.ToLower(plan), "semi") {
		t.Errorf("EXISTS did not become a semi join:\n%s", plan)
	}
}

func TestSubqueryErrors(t *testing.T) {
	s := subquerySession(t, 2, true)
	ctx := context.Background()
	for sql, want := range map[string]string{
		`SELECT (SELECT w FROM u) AS x`:                                           "more than one row",
		`SELECT (SELECT k, w FROM u WHERE w = 100) AS x`:                          "one column",
		`SELECT v FROM t WHERE k IN (SELECT k, w FROM u)`:                         "one column",
		`SELECT v FROM t WHERE v > 0 OR EXISTS (SELECT 1 FROM u WHERE u.k = t.k)`: "AND-ed",
		`SELECT k FROM t WHERE v < (SELECT max(w) FROM u WHERE u.k > t.k)`:        "with = only",
		`SELECT k FROM t WHERE k IN (SELECT nosuch FROM u)`:                       "unknown column nosuch",
	} {
		_, err := s.SQL(sql).Collect(ctx)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want an error containing %q, got %v", sql, want, err)
		}
	}
}

func TestScalarSubqueryTooManyRowsMessage(t *testing.T) {
	s := subquerySession(t, 2, true)
	_, err := s.SQL(`SELECT (SELECT w * 10 AS ten_w FROM u) AS x`).Collect(context.Background())
	want := "scalar subquery returned more than one row: the subquery selecting ten_w must return at most one row when used as an expression"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	// No plan nodes or column ids.
	for _, internal := range []string{"#", "Project", "Scan"} {
		if strings.Contains(err.Error(), internal) {
			t.Errorf("error %q shows plan internals (%q)", err, internal)
		}
	}
}

func TestSubqueryTwoLevelsOutIsAClearError(t *testing.T) {
	s := subquerySession(t, 1, true)
	_, err := s.SQL(`SELECT count(*) FROM (VALUES (1)) t(x) WHERE NOT EXISTS (SELECT 1 FROM (VALUES (2)) s(y)
	  WHERE NOT EXISTS (SELECT 1 FROM (VALUES (3)) u(z) WHERE u.z > t.x))`).Collect(context.Background())
	if err == nil || !strings.Contains(err.Error(), "two or more levels out") {
		t.Fatalf("got %v", err)
	}
}
