package frame_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

func sortedStrRows(rows []frame.Row) []string {
	var out []string
	for _, r := range strRows(rows) {
		out = append(out, strings.Join(r, "|"))
	}
	sort.Strings(out)
	return out
}

func TestUnionAndDistinct(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			p := people(t, s)
			ids := p.Select(F.Col("id"), F.Col("name"))
			// Hand-computed: the four people twice, then once after Distinct.
			twice := ids.Union(ids)
			if got := sortedStrRows(collect(t, twice)); len(got) != 8 || got[0] != "1|alice" || got[1] != "1|alice" {
				t.Fatalf("union: %v", got)
			}
			want := []string{"1|alice", "2|NULL", "3|bob", "4|Carol"}
			if got := sortedStrRows(collect(t, twice.Distinct())); !reflect.DeepEqual(got, want) {
				t.Fatalf("distinct: got %v, want %v", got, want)
			}
			// Widening: int qty with double price gives double; a filter and a
			// limit above the union reach every input.
			wide := p.Select(F.Col("qty")).Union(p.Select(F.Col("price")))
			if got := wide.Schema().Field(0).Type.String(); got != "float64" {
				t.Fatalf("union of int and double has type %s", got)
			}
			got := sortedStrRows(collect(t, wide.Filter(F.Col("qty").Gt(F.Lit(2.5)))))
			if !reflect.DeepEqual(got, []string{"3.0", "3.0", "5.0", "7.0"}) {
				t.Fatalf("filter over union: %v", got)
			}
			if n := len(collect(t, twice.Limit(3))); n != 3 {
				t.Fatalf("limit over union gave %d rows", n)
			}
			byName := p.Select(F.Col("name"), F.Col("id")).UnionByName(ids, false)
			if got := byName.Columns(); !reflect.DeepEqual(got, []string{"name", "id"}) {
				t.Fatalf("unionByName columns %v", got)
			}
			if got := sortedStrRows(collect(t, byName.Filter(F.Col("id").Eq(F.Lit(3))))); !reflect.DeepEqual(got, []string{"bob|3", "bob|3"}) {
				t.Fatalf("unionByName rows %v", got)
			}
			missing := p.Select(F.Col("id")).UnionByName(p.Select(F.Col("id"), F.Col("qty")), true)
			got = sortedStrRows(collect(t, missing.Filter(F.Col("id").Eq(F.Lit(2)))))
			if !reflect.DeepEqual(got, []string{"2|5", "2|NULL"}) {
				t.Fatalf("unionByName with missing columns: %v", got)
			}
		})
	}
}

func TestUnionErrorsNameTheColumns(t *testing.T) {
	s := frame.NewSession()
	p := people(t, s)
	err := p.Select(F.Col("id")).Union(p.Select(F.Col("day"))).Err()
	if err == nil || !strings.Contains(err.Error(), "id of the first input has type int") || !strings.Contains(err.Error(), "day of input 2 has type date") {
		t.Fatalf("want an error naming both columns, got %v", err)
	}
	err = p.Select(F.Col("id")).Union(p).Err()
	if err == nil || !strings.Contains(err.Error(), "same number of columns") {
		t.Fatalf("want a column count error, got %v", err)
	}
	err = p.Select(F.Col("id")).UnionByName(p.Select(F.Col("name")), false).Err()
	if err == nil || !strings.Contains(err.Error(), "column id is missing on the right side") {
		t.Fatalf("want a missing column error, got %v", err)
	}
}

func TestIntersectAndExceptTreatNullsAsEqual(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			p := people(t, s)
			// names: alice, NULL, bob, Carol; the second input: NULL, bob, zed, bob.
			a := p.Select(F.Col("name"))
			b := p.Filter(F.Col("id").Geq(F.Lit(2))).Select(F.Col("name")).
				Union(p.Filter(F.Col("id").Eq(F.Lit(3))).Select(F.Lit("zed").Alias("name"))).
				Union(p.Filter(F.Col("id").Eq(F.Lit(3))).Select(F.Col("name")))
			if got := sortedStrRows(collect(t, a.Intersect(b))); !reflect.DeepEqual(got, []string{"Carol", "NULL", "bob"}) {
				t.Fatalf("intersect: %v", got)
			}
			if got := sortedStrRows(collect(t, a.Except(b))); !reflect.DeepEqual(got, []string{"alice"}) {
				t.Fatalf("except: %v", got)
			}
			// Duplicates collapse, as SQL's INTERSECT/EXCEPT DISTINCT do.
			if got := sortedStrRows(collect(t, b.Intersect(b))); !reflect.DeepEqual(got, []string{"Carol", "NULL", "bob", "zed"}) {
				t.Fatalf("self intersect: %v", got)
			}
			if err := a.Intersect(p).Err(); err == nil || !strings.Contains(err.Error(), "same number of columns") {
				t.Fatalf("want a column count error, got %v", err)
			}
		})
	}
}

func TestDropDuplicatesOnSubsetKeepsWholeRows(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			orders := s.Table("samples.orders").Select(F.Col("o_orderstatus"), F.Col("o_orderkey"), F.Col("o_custkey"))
			d := orders.DropDuplicates("o_orderstatus")
			rows := collect(t, d)
			if len(rows) != 3 {
				t.Fatalf("%d rows, want one per status (3)", len(rows))
			}
			// Each kept row must be a real row of the input: its key and
			// customer belong together.
			for _, r := range rows {
				check := collect(t, orders.Filter(F.Col("o_orderkey").Eq(F.Lit(r[1])).And(F.Col("o_custkey").Eq(F.Lit(r[2]))).And(F.Col("o_orderstatus").Eq(F.Lit(r[0])))))
				if len(check) != 1 {
					t.Fatalf("kept row %v is not an input row", r)
				}
			}
		})
	}
}
