package main

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// complete runs the completer on line with the cursor at the end of before
// and returns the whole completed words.
func complete(c *completer, before, after string) []string {
	line := []rune(before + after)
	sfx, n := c.Do(line, len([]rune(before)))
	word := string([]rune(before)[len([]rune(before))-n:])
	out := make([]string, len(sfx))
	for i, s := range sfx {
		out[i] = word + string(s)
	}
	sort.Strings(out)
	return out
}

func TestCompleter(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	if err := s.ExecSQL(context.Background(), "create temp view big_iris as select species, sepal_length as len from iris", nil); err != nil {
		t.Fatal(err)
	}
	c := &completer{s: s}
	cases := []struct {
		before, after string
		want          []string
	}{
		{"SEL", "", []string{"SELECT "}},
		{"sel", "", []string{"select "}},
		{"Sel", "", []string{"Select "}},
		{"select * fr", "", []string{"from ", "from_unixtime("}},
		{"select * from t gro", "", []string{"group by "}},
		{"select cou", "", []string{"count(", "count_if("}},
		{"select row_n", "", []string{"row_number("}},
		{"SELECT COU", "", []string{"COUNT(", "COUNT_IF("}},
		{"select l_ret", " from samples.lineitem", []string{"l_returnflag"}},
		{"select L_RET", " FROM LINEITEM", []string{"L_RETurnflag"}},
		{"select * from nat", "", []string{"nation"}},
		{"select * from samples.na", "", []string{"samples.nation"}},
		{"select * from big", "", []string{"big_iris"}},
		{"select * from nation join reg", "", []string{"region"}},
		{"select n.n_na", " from nation n", []string{"n.n_name", "n.n_nationkey"}},
		{"select x.r_", " from region as x", []string{"x.r_comment", "x.r_name", "x.r_regionkey"}},
		{"select nation.n_re", " from nation", []string{"nation.n_regionkey"}},
		{"select le", " from big_iris", []string{"lead(", "least(", "left ", "left(", "len", "len(", "length("}},
		{"select spec", " from big_iris", []string{"species"}},
		{"select zzz", " from nation", nil},
		{"select n_na", "", nil}, // no table named: no columns
	}
	// The function registry grows: beyond the wanted completions, only
	// calls of registered functions may appear.
	funcs := functionNames()
	for _, tc := range cases {
		got := complete(c, tc.before, tc.after)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("complete(%q|%q) = %q, lacks %q", tc.before, tc.after, got, w)
			}
		}
		for _, g := range got {
			name, call := strings.CutSuffix(g, "(")
			if !slices.Contains(tc.want, g) && !(call && slices.Contains(funcs, strings.ToLower(name))) {
				t.Errorf("complete(%q|%q) = %q, should not offer %q", tc.before, tc.after, got, g)
			}
		}
	}

	// An empty word lists the tables after FROM and the statement's columns elsewhere.
	got := complete(c, "select * from ", "")
	for _, want := range []string{"nation", "samples.nation", "big_iris", "lineitem"} {
		if !slices.Contains(got, want) {
			t.Errorf("tables after FROM lack %q: %q", want, got)
		}
	}
	if got := complete(c, "select ", " from region"); !reflect.DeepEqual(got, []string{"r_comment", "r_name", "r_regionkey"}) {
		t.Errorf("columns of region: %q", got)
	}

	// Earlier lines of the statement count.
	c.pending = func() string { return "select *\nfrom lineitem l\nwhere" }
	if got := complete(c, "l.l_ship", ""); !reflect.DeepEqual(got, []string{"l.l_shipdate", "l.l_shipinstruct", "l.l_shipmode"}) {
		t.Errorf("with pending lines: %q", got)
	}
	if got := complete(c, "", ""); !slices.Contains(got, "l_orderkey") {
		t.Errorf("empty word after WHERE on an earlier line should list columns: %q", got)
	}
}

// TestCompleterMatchesReference checks every prefix of every name against a
// plain scan of the candidate lists.
func TestCompleterMatchesReference(t *testing.T) {
	s := frame.NewSession()
	c := &completer{s: s}
	stmt := " from samples.orders"
	cols := s.Table("samples.orders").Columns()
	names := append([]string{}, cols...)
	names = append(names, functions.Builtins().Names()...)
	names = append(names, logical.AggregateNames()...)
	names = append(names, "row_number", "dense_rank", "ntile")
	for _, k := range sqlKeywords {
		names = append(names, strings.ToLower(k))
	}
	for _, name := range names {
		for n := 1; n <= len(name); n++ {
			word := name[:n]
			if strings.ContainsAny(word, " ") {
				break
			}
			var want []string
			add := func(s string) {
				if strings.HasPrefix(strings.ToLower(s), strings.ToLower(word)) && !slices.Contains(want, s) {
					want = append(want, s)
				}
			}
			for _, col := range cols {
				add(col)
			}
			for _, k := range sqlKeywords {
				add(strings.ToLower(k) + " ")
			}
			for _, f := range functions.Builtins().Names() {
				add(f + "(")
			}
			for _, f := range logical.AggregateNames() {
				add(f + "(")
			}
			for _, f := range windowFunctions {
				add(f + "(")
			}
			for _, tb := range s.Tables() {
				add(tb)
				add(strings.TrimPrefix(tb, "samples."))
			}
			sort.Strings(want)
			if got := complete(c, "select "+word, stmt); !reflect.DeepEqual(got, want) {
				t.Fatalf("complete(%q) = %q, want %q", word, got, want)
			}
		}
	}
}
