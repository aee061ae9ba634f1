package frame_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

func TestCollectAndPercentileAggregates(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		for _, opt := range []bool{true, false} {
			s := frame.NewSession(frame.WithPartitions(parts), frame.WithOptimizer(opt))
			for q, want := range map[string]string{
				// Spark's documentation examples.
				`SELECT percentile_approx(col, array(0.5, 0.4, 0.1), 100) FROM VALUES (0), (1), (2), (10) AS tab(col)`: "[1 1 0]",
				`SELECT percentile_approx(col, 0.5, 100) FROM VALUES (0), (6), (7), (9), (10) AS tab(col)`:             "7",
				`SELECT median(col) FROM VALUES (0), (10) AS tab(col)`:                                                 "5",
				`SELECT percentile(col, 0.3) FROM VALUES (0), (10) AS tab(col)`:                                        "3",
				`SELECT percentile(col, array(0.25, 0.75)) FROM VALUES (0), (10) AS tab(col)`:                          "[2.5 7.5]",
				// By hand.
				`SELECT sort_array(collect_list(a)) FROM VALUES (3), (1), (NULL), (3) AS t(a)`:                                                           "[1 3 3]",
				`SELECT sort_array(collect_set(a)) FROM VALUES (3), (1), (NULL), (3) AS t(a)`:                                                            "[1 3]",
				`SELECT size(array_agg(a)) FROM VALUES (3), (1) AS t(a) WHERE a > 5`:                                                                     "0",
				`SELECT count(*) FROM (SELECT k, collect_list(v) AS l FROM VALUES (1, 'x'), (1, 'y'), (2, 'z') AS t(k, v) GROUP BY k) WHERE size(l) = 2`: "1",
			} {
				rows, err := s.SQL(q).Collect(ctx)
				if err != nil {
					t.Errorf("%s: %v", q, err)
					continue
				}
				if len(rows) != 1 || fmt.Sprint(rows[0][0]) != want {
					t.Errorf("%s (partitions=%d optimizer=%v): got %v, want %s", q, parts, opt, rows, want)
				}
			}
		}
	}
	s := frame.NewSession()
	for q, want := range map[string]string{
		`SELECT percentile(a, 1.5) FROM VALUES (1) AS t(a)`:     "between 0.0 and 1.0",
		`SELECT percentile(a, b) FROM VALUES (1, 2) AS t(a, b)`: "numeric literal",
		`SELECT median('x')`: "numeric argument",
	} {
		if err := s.SQL(q).Err(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want an error containing %q, got %v", q, want, err)
		}
	}
}

func TestCollectAndPercentileAPI(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(3))
	df := s.Table("samples.nation").GroupBy(F.Col("n_regionkey")).
		Agg(F.CollectList(F.Col("n_nationkey")).Alias("ids"), F.Median(F.Col("n_nationkey")).Alias("med"),
			F.Percentile(F.Col("n_nationkey"), 1).Alias("top"), F.PercentileApprox(F.Col("n_nationkey"), 0, 100).Alias("low")).
		Filter(F.Col("n_regionkey").Eq(F.Lit(0)))
	rows, err := df.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Region 0 (AFRICA) holds nations 0, 5, 14, 15, 16 (TPC-H).
	if len(rows) != 1 || len(rows[0][1].([]any)) != 5 || rows[0][2] != 14.0 || rows[0][3] != 16.0 || fmt.Sprint(rows[0][4]) != "0" {
		t.Fatalf("got %v", rows)
	}
}

func TestExplode(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		for _, opt := range []bool{true, false} {
			s := frame.NewSession(frame.WithPartitions(parts), frame.WithOptimizer(opt))
			from := ` FROM VALUES (1, 'a b c'), (2, ''), (3, NULL) AS t(id, s)`
			for q, want := range map[string]string{
				// split('', ' ') is [''] in Spark: one empty element.
				`SELECT id, explode(split(s, ' ')) AS w` + from:                                       "1,a;1,b;1,c;2,",
				`SELECT id, explode_outer(split(s, ' '))` + from:                                      "1,a;1,b;1,c;2,;3,NULL",
				`SELECT posexplode(split(s, ' ')), id` + from + ` WHERE id = 1`:                       "0,a,1;1,b,1;2,c,1",
				`SELECT explode(map('x', id, 'y', id * 10))` + from:                                   "x,1;x,2;x,3;y,10;y,20;y,30",
				`SELECT w, count(*) FROM (SELECT explode(split(s, ' ')) AS w` + from + `) GROUP BY w`: ",1;a,1;b,1;c,1",
			} {
				rows, err := s.SQL(q).Collect(ctx)
				if err != nil {
					t.Errorf("%s: %v", q, err)
					continue
				}
				if got := strings.Join(sortedRows(rows), ";"); got != want {
					t.Errorf("%s (partitions=%d optimizer=%v): got %s, want %s", q, parts, opt, got, want)
				}
			}
			df := s.SQL(`SELECT * FROM VALUES (1, 'a b'), (2, 'c') AS t(id, s)`).
				Select(F.Col("id"), F.Explode(frame.Call("split", F.Col("s"), F.Lit(" "))).Alias("w"))
			rows, err := df.Collect(ctx)
			if err != nil || strings.Join(sortedRows(rows), ";") != "1,a;1,b;2,c" {
				t.Errorf("F.Explode: %v %v", sortedRows(rows), err)
			}
		}
	}
	s := frame.NewSession()
	for q, want := range map[string]string{
		`SELECT explode(1)`:                           "an array or a map",
		`SELECT upper(explode(array('a')))`:           "whole item",
		`SELECT explode(array(1)), explode(array(2))`: "only one generator",
	} {
		if err := s.SQL(q).Err(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want an error containing %q, got %v", q, want, err)
		}
	}
}
