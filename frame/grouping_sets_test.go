package frame_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// groupingSession has s(a, b, x): (p,u,1) (p,v,2) (q,u,3) (q,NULL,4).
func groupingSession(t *testing.T, partitions int, optimize bool) *frame.Session {
	t.Helper()
	s := frame.NewSession(frame.WithPartitions(partitions), frame.WithOptimizer(optimize))
	script := `CREATE TEMP VIEW s AS
	  SELECT 'p' AS a, 'u' AS b, 1 AS x UNION ALL SELECT 'p', 'v', 2
	  UNION ALL SELECT 'q', 'u', 3 UNION ALL SELECT 'q', CAST(NULL AS STRING), 4`
	if err := s.ExecSQL(context.Background(), script, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGroupingSets(t *testing.T) {
	cases := []struct {
		name, sql string
		want      []string // sorted, by hand
	}{
		{"rollup", `SELECT a, b, sum(x) FROM s GROUP BY ROLLUP(a, b)`,
			[]string{"NULL,NULL,10", "p,NULL,3", "p,u,1", "p,v,2", "q,NULL,4", "q,NULL,7", "q,u,3"}},
		// The group with a NULL b value and the subtotal of q both show NULL:
		// grouping(b) tells them apart.
		{"rollup with grouping", `SELECT a, b, grouping(b), sum(x) FROM s GROUP BY ROLLUP(a, b)`,
			[]string{"NULL,NULL,1,10", "p,NULL,1,3", "p,u,0,1", "p,v,0,2", "q,NULL,0,4", "q,NULL,1,7", "q,u,0,3"}},
		{"cube", `SELECT a, b, count(*), grouping_id() FROM s GROUP BY CUBE(a, b)`,
			[]string{"NULL,NULL,1,2", "NULL,NULL,4,3", "NULL,u,2,2", "NULL,v,1,2", "p,NULL,2,1", "p,u,1,0", "p,v,1,0", "q,NULL,1,0", "q,NULL,2,1", "q,u,1,0"}},
		{"grouping sets", `SELECT a, b, sum(x) FROM s GROUP BY GROUPING SETS ((a), (b), ())`,
			[]string{"NULL,NULL,10", "NULL,NULL,4", "NULL,u,4", "NULL,v,2", "p,NULL,3", "q,NULL,7"}},
		{"with rollup", `SELECT a, sum(x) FROM s GROUP BY a WITH ROLLUP`,
			[]string{"NULL,10", "p,3", "q,7"}},
		{"aggregate of a grouping column", `SELECT a, count(a), max(a) FROM s GROUP BY ROLLUP(a)`,
			[]string{"NULL,4,q", "p,2,p", "q,2,q"}},
		{"having on grouping", `SELECT a, sum(x) AS t FROM s GROUP BY ROLLUP(a) HAVING grouping(a) = 0`,
			[]string{"p,3", "q,7"}},
		{"expression over a grouping column", `SELECT upper(a) AS ua, sum(x) FROM s GROUP BY ROLLUP(a)`,
			[]string{"NULL,10", "P,3", "Q,7"}},
	}
	ctx := context.Background()
	for _, parts := range []int{1, 4, 7} {
		for _, opt := range []bool{true, false} {
			s := groupingSession(t, parts, opt)
			for _, c := range cases {
				rows, err := s.SQL(c.sql).Collect(ctx)
				if err != nil {
					t.Errorf("%s (partitions=%d optimizer=%v): %v", c.name, parts, opt, err)
					continue
				}
				if got := sortedRows(rows); strings.Join(got, ";") != strings.Join(c.want, ";") {
					t.Errorf("%s (partitions=%d optimizer=%v): got %v, want %v", c.name, parts, opt, got, c.want)
				}
			}
		}
	}
	s := groupingSession(t, 2, true)
	if _, err := s.SQL(`SELECT grouping(a) FROM s GROUP BY a`).Collect(ctx); err == nil || !strings.Contains(err.Error(), "GROUPING SETS") {
		t.Errorf("grouping() without grouping sets: %v", err)
	}
	if _, err := s.SQL(`SELECT a, grouping(x) FROM s GROUP BY ROLLUP(a)`).Collect(ctx); err == nil || !strings.Contains(err.Error(), "grouping expressions") {
		t.Errorf("grouping() of a non-grouping column: %v", err)
	}
}

func TestRollupAndCubeAPI(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		s := groupingSession(t, parts, true)
		df := s.Table("s")
		rows, err := df.Rollup(F.Col("a"), F.Col("b")).Agg(F.Sum(F.Col("x")).Alias("t"), F.Grouping(F.Col("b")).Alias("gb")).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"NULL,NULL,10,1", "p,NULL,3,1", "p,u,1,0", "p,v,2,0", "q,NULL,4,0", "q,NULL,7,1", "q,u,3,0"}
		if got := sortedRows(rows); strings.Join(got, ";") != strings.Join(want, ";") {
			t.Errorf("Rollup: got %v, want %v", got, want)
		}
		rows, err = df.Cube(F.Col("a")).Agg(F.CountStar(), F.GroupingID()).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want = []string{"NULL,4,1", "p,2,0", "q,2,0"}
		if got := sortedRows(rows); strings.Join(got, ";") != strings.Join(want, ";") {
			t.Errorf("Cube: got %v, want %v", got, want)
		}
	}
}

func TestAggregateFilter(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		s := groupingSession(t, parts, parts == 1)
		rows, err := s.SQL(`SELECT a, count(*) FILTER (WHERE x > 1) AS n, sum(x) FILTER (WHERE b = 'u') AS su,
		  count(DISTINCT b) FILTER (WHERE x < 4) AS db, first(b) IGNORE NULLS FILTER (WHERE x >= 2) AS fb
		  FROM s GROUP BY a`).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// p: x 1,2 → n 1, su 1, db 2, fb v;  q: x 3,4 → n 2, su 3, db 1, fb u
		want := []string{"p,1,1,2,v", "q,2,3,1,u"}
		if got := sortedRows(rows); strings.Join(got, ";") != strings.Join(want, ";") {
			t.Errorf("FILTER: got %v, want %v", got, want)
		}
	}
	s := groupingSession(t, 1, true)
	if _, err := s.SQL(`SELECT first(b) FILTER (WHERE x > 1) FROM s`).Collect(ctx); err == nil || !strings.Contains(err.Error(), "IGNORE NULLS") {
		t.Errorf("first() FILTER without IGNORE NULLS: %v", err)
	}
	if _, err := s.SQL(`SELECT upper(b) FILTER (WHERE x > 1) FROM s`).Collect(ctx); err == nil || !strings.Contains(err.Error(), "aggregate functions only") {
		t.Errorf("FILTER on a scalar function: %v", err)
	}
}

func TestGroupingSetsDuplicatesAndGroupingIDArgs(t *testing.T) {
	ctx := context.Background()
	s := groupingSession(t, 2, true)
	for q, want := range map[string]string{
		// Spark keeps a grouping set listed twice twice.
		`SELECT a, count(*) FROM s GROUP BY GROUPING SETS ((a), (a))`: "p,2;p,2;q,2;q,2",
		// grouping_id(b, a): bit 1 for b, bit 0 for a.
		`SELECT a, b, grouping_id(b, a) FROM s GROUP BY ROLLUP(a, b)`: "NULL,NULL,3;p,NULL,2;p,u,0;p,v,0;q,NULL,0;q,NULL,2;q,u,0",
		`SELECT x.p FROM s AS x(p, q, r) WHERE x.r = 1`:               "p",
	} {
		rows, err := s.SQL(q).Collect(ctx)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got := strings.Join(sortedRows(rows), ";"); got != want {
			t.Errorf("%s: got %s, want %s", q, got, want)
		}
	}
}
