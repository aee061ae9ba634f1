package frame_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

func TestSQLUsingAndNaturalJoins(t *testing.T) {
	cases := []struct {
		name, sql string
		want      []string // sorted, by hand over the views of subquerySession
	}{
		{"using inner", `SELECT * FROM t JOIN u USING (k)`,
			[]string{"1,10,100", "1,20,100", "2,5,200", "2,5,201"}},
		{"using left", `SELECT * FROM t LEFT JOIN u USING (k)`,
			[]string{"1,10,100", "1,20,100", "2,5,200", "2,5,201", "3,NULL,NULL", "NULL,7,NULL"}},
		{"using right", `SELECT k, v, w FROM t RIGHT JOIN u USING (k)`,
			[]string{"1,10,100", "1,20,100", "2,5,200", "2,5,201", "4,NULL,400", "NULL,NULL,300"}},
		// A full join's key is the coalesce of both sides.
		{"using full", `SELECT * FROM t FULL JOIN u USING (k)`,
			[]string{"1,10,100", "1,20,100", "2,5,200", "2,5,201", "3,NULL,NULL", "4,NULL,400", "NULL,7,NULL", "NULL,NULL,300"}},
		{"using semi", `SELECT * FROM t LEFT SEMI JOIN u USING (k)`, []string{"1,10", "1,20", "2,5"}},
		{"natural", `SELECT * FROM t NATURAL JOIN u`, []string{"1,10,100", "1,20,100", "2,5,200", "2,5,201"}},
		{"natural left", `SELECT count(*) FROM t NATURAL LEFT JOIN u`, []string{"6"}},
		{"qualified after using", `SELECT t.v, u.w FROM t JOIN u USING (k) WHERE u.w > 150`, []string{"5,200", "5,201"}},
	}
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		for _, opt := range []bool{true, false} {
			s := subquerySession(t, parts, opt)
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
			cols := s.SQL(`SELECT * FROM t FULL JOIN u USING (k)`).Columns()
			if strings.Join(cols, ",") != "k,v,w" {
				t.Errorf("USING join columns: %v", cols)
			}
		}
	}
	s := subquerySession(t, 1, true)
	if err := s.SQL(`SELECT * FROM t JOIN u USING (nosuch)`).Err(); err == nil || !strings.Contains(err.Error(), "USING column nosuch") {
		t.Errorf("unknown USING column: %v", err)
	}
}

func TestIntersectAndExceptAll(t *testing.T) {
	ctx := context.Background()
	script := `CREATE TEMP VIEW l AS SELECT 1 AS a UNION ALL SELECT 1 UNION ALL SELECT 1 UNION ALL SELECT 2
	  UNION ALL SELECT CAST(NULL AS INT) UNION ALL SELECT CAST(NULL AS INT) UNION ALL SELECT 3;
	CREATE TEMP VIEW r AS SELECT 1 AS a UNION ALL SELECT 1 UNION ALL SELECT CAST(NULL AS INT) UNION ALL SELECT 4`
	cases := []struct{ sql, want string }{
		// l: 1×3, 2, NULL×2, 3; r: 1×2, NULL, 4 (by hand)
		{`SELECT * FROM l INTERSECT ALL SELECT * FROM r`, "1;1;NULL"},
		{`SELECT * FROM l EXCEPT ALL SELECT * FROM r`, "1;2;3;NULL"},
		{`SELECT * FROM l INTERSECT SELECT * FROM r`, "1;NULL"},
		{`SELECT * FROM l MINUS ALL SELECT * FROM r`, "1;2;3;NULL"},
		{`SELECT * FROM r EXCEPT ALL SELECT * FROM l`, "4"},
	}
	for _, parts := range []int{1, 4} {
		for _, opt := range []bool{true, false} {
			s := subquerySession(t, parts, opt)
			if err := s.ExecSQL(ctx, script, nil); err != nil {
				t.Fatal(err)
			}
			for _, c := range cases {
				rows, err := s.SQL(c.sql).Collect(ctx)
				if err != nil {
					t.Fatalf("%s: %v", c.sql, err)
				}
				if got := strings.Join(sortedRows(rows), ";"); got != c.want {
					t.Errorf("%s (partitions=%d optimizer=%v): got %s, want %s", c.sql, parts, opt, got, c.want)
				}
			}
			rows, err := s.Table("l").IntersectAll(s.Table("r")).Collect(ctx)
			if err != nil || strings.Join(sortedRows(rows), ";") != "1;1;NULL" {
				t.Errorf("IntersectAll: %v %v", sortedRows(rows), err)
			}
			rows, err = s.Table("l").ExceptAll(s.Table("r")).Collect(ctx)
			if err != nil || strings.Join(sortedRows(rows), ";") != "1;2;3;NULL" {
				t.Errorf("ExceptAll: %v %v", sortedRows(rows), err)
			}
		}
	}
}

func TestOffset(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		for _, opt := range []bool{true, false} {
			s := frame.NewSession(frame.WithPartitions(parts), frame.WithOptimizer(opt))
			for sql, want := range map[string]string{
				`SELECT n_nationkey FROM samples.nation ORDER BY n_nationkey LIMIT 3 OFFSET 5`:  "5;6;7",
				`SELECT n_nationkey FROM samples.nation ORDER BY n_nationkey DESC OFFSET 22`:    "2;1;0",
				`SELECT n_nationkey FROM samples.nation ORDER BY n_nationkey LIMIT 2 OFFSET 30`: "",
				`SELECT count(*) FROM (SELECT * FROM samples.nation ORDER BY n_name OFFSET 20)`: "5",
			} {
				rows, err := s.SQL(sql).Collect(ctx)
				if err != nil {
					t.Fatalf("%s: %v", sql, err)
				}
				var got []string
				for _, r := range rows {
					got = append(got, fmt.Sprint(r[0]))
				}
				if strings.Join(got, ";") != want {
					t.Errorf("%s (partitions=%d optimizer=%v): got %v, want %s", sql, parts, opt, got, want)
				}
			}
			rows, err := s.Table("samples.region").OrderBy(F.Col("r_regionkey")).Offset(3).Collect(ctx)
			if err != nil || len(rows) != 2 || fmt.Sprint(rows[0][0]) != "3" {
				t.Errorf("DataFrame.Offset: %v %v", rows, err)
			}
		}
	}
}

func TestQualifyAndNamedWindows(t *testing.T) {
	ctx := context.Background()
	cases := []struct{ sql, want string }{
		// The largest w per k (by hand over u): 1→100, 2→201, NULL→300, 4→400.
		{`SELECT k, w FROM u QUALIFY row_number() OVER (PARTITION BY k ORDER BY w DESC) = 1`,
			"1,100;2,201;4,400;NULL,300"},
		{`SELECT k, w, rank() OVER (PARTITION BY k ORDER BY w) AS r FROM u QUALIFY r > 1`, "2,201,2"},
		{`SELECT k, w, sum(w) OVER w1 AS s, max(w) OVER w1 AS m FROM u WHERE k IS NOT NULL
		  WINDOW w1 AS (PARTITION BY k ORDER BY w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`,
			"1,100,100,100;2,200,200,200;2,201,401,201;4,400,400,400"},
		{`SELECT k, v FROM t WINDOW w AS (PARTITION BY k) QUALIFY count(*) OVER w > 1`, "1,10;1,20"},
	}
	for _, parts := range []int{1, 4} {
		for _, opt := range []bool{true, false} {
			s := subquerySession(t, parts, opt)
			for _, c := range cases {
				rows, err := s.SQL(c.sql).Collect(ctx)
				if err != nil {
					t.Fatalf("%s: %v", c.sql, err)
				}
				if got := strings.Join(sortedRows(rows), ";"); got != c.want {
					t.Errorf("%s (partitions=%d optimizer=%v): got %s, want %s", c.sql, parts, opt, got, c.want)
				}
			}
		}
	}
	s := subquerySession(t, 1, true)
	if err := s.SQL(`SELECT sum(w) OVER nosuch FROM u`).Err(); err == nil || !strings.Contains(err.Error(), "window nosuch is not defined") {
		t.Errorf("unknown window name: %v", err)
	}
}

func TestValuesAndColumnAliases(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	cases := []struct{ sql, want string }{
		{`VALUES (1, 'a'), (2, 'b')`, "1,a;2,b"},
		{`SELECT * FROM VALUES (1, 'a'), (2, NULL) AS t(id, name) WHERE id > 1`, "2,NULL"},
		{`SELECT col1 + col2 FROM VALUES (1, 2.5), (3, 4)`, "3.5;7.0"},
		{`SELECT x.b FROM (SELECT 1, 2) AS x(a, b)`, "2"},
		{`SELECT v.a FROM (VALUES 1, 2, 3) v(a) WHERE v.a <> 2`, "1;3"},
		{`SELECT * FROM VALUES (1) AS t(a) UNION ALL VALUES (2)`, "1;2"},
	}
	for _, c := range cases {
		rows, err := s.SQL(c.sql).Collect(ctx)
		if err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		if got := strings.Join(sortedRows(rows), ";"); got != c.want {
			t.Errorf("%s: got %s, want %s", c.sql, got, c.want)
		}
	}
	if cols := s.SQL(`SELECT * FROM VALUES (1, 2) AS t(a, b)`).Columns(); strings.Join(cols, ",") != "a,b" {
		t.Errorf("columns: %v", cols)
	}
	for sql, want := range map[string]string{
		`SELECT * FROM VALUES (1, 2), (3)`:    "needs 2 values",
		`SELECT * FROM VALUES (1, 2) AS t(a)`: "names 1 columns, but the relation has 2",
	} {
		if err := s.SQL(sql).Err(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want an error containing %q, got %v", sql, want, err)
		}
	}
}

func TestIsDistinctFromAndIsTrue(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	// Rows (a, b): (1,1) (1,2) (1,NULL) (NULL,NULL); by hand.
	from := ` FROM VALUES (1, 1), (1, 2), (1, NULL), (NULL, NULL) AS t(a, b)`
	for q, want := range map[string]string{
		`SELECT a IS DISTINCT FROM b`:     "false;false;true;true",
		`SELECT a IS NOT DISTINCT FROM b`: "false;false;true;true",
		`SELECT (a = b) IS TRUE`:          "false;false;false;true",
		`SELECT (a = b) IS NOT FALSE`:     "false;true;true;true",
		`SELECT (a = b) IS UNKNOWN`:       "false;false;true;true",
		`SELECT (a = b) IS NOT UNKNOWN`:   "false;false;true;true",
	} {
		rows, err := s.SQL(q + from).Collect(ctx)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got := strings.Join(sortedRows(rows), ";"); got != want {
			t.Errorf("%s: got %s, want %s", q, got, want)
		}
	}
}

func TestIntervalOnColumns(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	rows, err := s.SQL(`SELECT d + INTERVAL 3 DAY, d - INTERVAL 1 MONTH, d + INTERVAL 1 YEAR, d - INTERVAL 2 WEEK
	  FROM VALUES (DATE '2024-03-31') AS t(d)`).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// By hand; add_months clamps Mar 31 - 1 month to Feb 29 (2024 is a leap year), as Spark does.
	if got := strings.Join(strRows(rows)[0], " "); got != "2024-04-03 2024-02-29 2025-03-31 2024-03-17" {
		t.Fatalf("got %s", got)
	}
}
