package frame_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	F "github.com/gspark/gspark/frame/functions"
)

// Values from Spark's SQL function documentation where it gives them, the
// rest computed by hand over the people table.
func TestMoreAggregatesThroughTheAPIAndSQL(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			p := people(t, s)
			if err := p.CreateOrReplaceTempView("people"); err != nil {
				t.Fatal(err)
			}
			// qty is 3, 5, NULL, 7: distinct count 3, sample stddev 2, population variance 8/3.
			if d := collect(t, p.Agg(F.CountDistinct(F.Col("qty")), F.Min(F.Col("qty")))); d[0][0] != int64(3) || d[0][1] != int32(3) {
				t.Fatalf("count(distinct qty), min(qty): %v", d[0])
			}
			df := p.Agg(F.Count(F.Col("qty")), F.StddevSamp(F.Col("qty")), F.VarPop(F.Col("qty")),
				F.First(F.Col("name"), true), F.MaxBy(F.Col("name"), F.Col("qty")), F.CountIf(F.Col("qty").Gt(F.Lit(4))),
				F.ApproxCountDistinct(F.Col("name")), F.BoolAnd(F.Col("qty").Gt(F.Lit(0))))
			rows := collect(t, df)
			r := rows[0]
			if r[0] != int64(3) || r[1] != 2.0 || math.Abs(r[2].(float64)-8.0/3) > 1e-12 || r[4] != "Carol" || r[5] != int64(2) || r[6] != int64(3) || r[7] != true {
				t.Fatalf("got %v", r)
			}
			if r[3] != "alice" && name[len("partitions="):len("partitions=")+1] == "1" {
				t.Fatalf("first ignoring nulls with one partition: %v", r[3])
			}
			sqlRows, err := s.SQL(`select count(qty) as n, stddev(qty) as sd, var_pop(qty) as vp,
				count_if(qty > 4) as ci, max_by(name, qty) as mb, approx_count_distinct(name) as acd, bool_and(qty > 0) as ba
				from people`).Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := []any{int64(3), 2.0, r[2], int64(2), "Carol", int64(3), true}
			if !reflect.DeepEqual([]any(sqlRows[0]), want) {
				t.Fatalf("SQL got %v, want %v", sqlRows[0], want)
			}
			// Spark docs: corr over (3,2), (3,3), (6,4) is 0.8660254037844387; covar_pop 1.0.
			c := collect(t, s.SQL(`select corr(a, b), covar_pop(a, b) from (select 3 as a, 2 as b union all select 3, 3 union all select 6, 4)`))
			if math.Abs(c[0][0].(float64)-0.8660254037844387) > 1e-15 || c[0][1] != 1.0 {
				t.Fatalf("corr/covar: %v", c[0])
			}
			// Grouped count(DISTINCT) next to min/max.
			g := collect(t, s.SQL(`select qty is null as missing, count(distinct name) as names, max(id) as top from people group by qty is null order by missing`))
			if got := strRows(g); !reflect.DeepEqual(got, [][]string{{"false", "2", "4"}, {"true", "1", "3"}}) {
				t.Fatalf("grouped distinct: %v", got)
			}
		})
	}
}

// Distinct and plain aggregates in one aggregation (an Expand step):
// values by hand over people's qty 3, 5, NULL, 7 and the grouping sample.
func TestMixingDistinctAndPlainAggregates(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			p := people(t, s)
			got := collect(t, p.Agg(F.CountDistinct(F.Col("qty")), F.Sum(F.Col("qty")), F.CountStar(), F.First(F.Col("name"), true).IsNotNull()))
			if !reflect.DeepEqual([]any(got[0]), []any{int64(3), int64(15), int64(4), true}) {
				t.Fatalf("global: %v", got[0])
			}
			// No rows: counts are 0, sums null.
			empty := collect(t, p.Filter(F.Col("qty").Gt(F.Lit(100))).Agg(F.CountDistinct(F.Col("qty")), F.CountStar(), F.Sum(F.Col("qty"))))
			if !reflect.DeepEqual([]any(empty[0]), []any{int64(0), int64(0), nil}) {
				t.Fatalf("empty: %v", empty[0])
			}
			gs := groupingSession(t, s.Partitions(), true)
			rows, err := gs.SQL(`SELECT a, count(DISTINCT b), count(DISTINCT x % 2), sum(x), count(*), avg(DISTINCT x)
			  FROM (SELECT * FROM s UNION ALL SELECT * FROM s) GROUP BY a`).Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			// p: b {u,v}, x%2 {1,0}, sum 6, 4 rows, avg distinct 1.5; q: b {u}, x%2 {1,0}, sum 14, 4 rows, 3.5
			want := []string{"p,2,2,6,4,1.5", "q,1,2,14,4,3.5"}
			if got := sortedRows(rows); strings.Join(got, ";") != strings.Join(want, ";") {
				t.Fatalf("grouped: got %v, want %v", got, want)
			}
		})
	}
}

// Several DISTINCT aggregates over different arguments, and min/max next to
// them (by hand; these once shared one grouping and gave wrong counts).
func TestSeveralDistinctAggregates(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			rows := collect(t, s.SQL(`SELECT count(DISTINCT x % 2), count(DISTINCT x), min(x) + max(x), count(DISTINCT k)
			  FROM VALUES (1, 'a'), (2, 'a'), (3, 'b'), (3, NULL) AS t(x, k)`))
			if got := fmt.Sprint(rows[0]); got != "[2 3 4 2]" {
				t.Fatalf("got %s", got)
			}
			rows = collect(t, s.SQL(`SELECT k1, count(DISTINCT k2), sum(DISTINCT m) FROM VALUES ('a', 1, 1.5), ('a', 2, 2.5), ('a', 2, 1.5), ('b', 1, 1.0) AS t(k1, k2, m) GROUP BY k1 ORDER BY k1`))
			if got := fmt.Sprint(rows); got != "[[a 2 4.0] [b 1 1.0]]" {
				t.Fatalf("grouped: got %s", got)
			}
		})
	}
}

func TestWhereNullKeepsNoRow(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			if rows := collect(t, s.SQL(`SELECT 1 AS x WHERE NULL`)); len(rows) != 0 {
				t.Fatalf("got %v", rows)
			}
		})
	}
}

func TestAggregatesOfNull(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			rows := collect(t, s.SQL(`SELECT sum(NULL), count(NULL), max(NULL), avg(NULL) FROM VALUES (1), (2) AS t(x)`))
			if got := fmt.Sprint(rows); got != "[[<nil> 0 <nil> <nil>]]" {
				t.Fatalf("got %s", got)
			}
		})
	}
}

func TestGroupAndOrderByNull(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			rows := collect(t, s.SQL(`SELECT count(*) FROM VALUES (1), (2) AS t(x) GROUP BY NULL`))
			if fmt.Sprint(rows) != "[[2]]" {
				t.Fatalf("GROUP BY NULL: %v", rows)
			}
			rows = collect(t, s.SQL(`SELECT x FROM VALUES (2), (1) AS t(x) ORDER BY NULL, x`))
			if fmt.Sprint(rows) != "[[1] [2]]" {
				t.Fatalf("ORDER BY NULL, x: %v", rows)
			}
		})
	}
}
