package frame_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	F "github.com/gspark/gspark/frame/functions"
)

// people: (1, alice, 3, 1.50, 2024-01-05), (2, NULL, 5, 2.25, 2023-12-31),
// (3, bob, NULL, 0.10, NULL), (4, Carol, 7, 3.00, 2024-02-29).
func TestNaFunctions(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			p := people(t, s).OrderBy(F.Col("id"))
			got := strRows(collect(t, p.Na().Fill(0).Select(F.Col("qty"))))
			if want := [][]string{{"3"}, {"5"}, {"0"}, {"7"}}; !reflect.DeepEqual(got, want) {
				t.Fatalf("fill(0): %v", got)
			}
			got = strRows(collect(t, p.Na().Fill("?").Select(F.Col("name"), F.Col("qty"))))
			if want := [][]string{{"alice", "3"}, {"?", "5"}, {"bob", "NULL"}, {"Carol", "7"}}; !reflect.DeepEqual(got, want) {
				t.Fatalf("fill(\"?\") touches only strings: %v", got)
			}
			got = strRows(collect(t, p.Na().Fill(9.9, "qty").Select(F.Col("qty"), F.Col("price"))))
			if got[2][0] != "9" {
				t.Fatalf("fill(9.9) on an int column casts the value: %v", got)
			}
			if n := len(collect(t, p.Na().Drop("any"))); n != 2 {
				t.Fatalf("drop(any) kept %d rows, want 2", n)
			}
			if n := len(collect(t, p.Na().Drop("all", "name", "qty"))); n != 4 {
				t.Fatalf("drop(all, name, qty) kept %d rows, want 4", n)
			}
			if n := len(collect(t, p.Na().DropThresh(4))); n != 3 { // row 3 has only 3 non-null values
				t.Fatalf("dropThresh(4) of 5 columns kept %d rows, want 3", n)
			}
			got = strRows(collect(t, p.Na().Replace(map[any]any{"bob": "robert", 7: 70}).Select(F.Col("name"), F.Col("qty"))))
			if want := [][]string{{"alice", "3"}, {"NULL", "5"}, {"robert", "NULL"}, {"Carol", "70"}}; !reflect.DeepEqual(got, want) {
				t.Fatalf("replace: %v", got)
			}
			if err := p.Na().Fill(1, "nope").Err(); err == nil {
				t.Fatal("fill on an unknown column must fail")
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			d, err := people(t, s).Describe(context.Background(), "qty", "name")
			if err != nil {
				t.Fatal(err)
			}
			if cols := d.Columns(); !reflect.DeepEqual(cols, []string{"summary", "qty", "name"}) {
				t.Fatalf("columns %v", cols)
			}
			// qty 3, 5, 7 (one null): mean 5, sample stddev 2; names sort Carol < alice < bob bytewise.
			want := [][]string{{"count", "3", "3"}, {"mean", "5.0", "NULL"}, {"stddev", "2.0", "NULL"}, {"min", "3", "Carol"}, {"max", "7", "bob"}}
			if got := strRows(collect(t, d)); !reflect.DeepEqual(got, want) {
				t.Fatalf("describe:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			d, err := people(t, s).Select(F.Col("qty"), F.Col("name")).Summary(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			// qty 3, 5, 7 (one null): the approximate percentiles are values of the
			// column: 25% → 3 (1 of 3 values ≤ 3), 50% → 5, 75% → 7.
			want := [][]string{{"count", "3", "3"}, {"mean", "5.0", "NULL"}, {"stddev", "2.0", "NULL"}, {"min", "3", "Carol"},
				{"25%", "3", "NULL"}, {"50%", "5", "NULL"}, {"75%", "7", "NULL"}, {"max", "7", "bob"}}
			if got := strRows(collect(t, d)); !reflect.DeepEqual(got, want) {
				t.Fatalf("summary:\n got %v\nwant %v", got, want)
			}
			d, err = people(t, s).Select(F.Col("qty")).Summary(context.Background(), "count_distinct", "90%")
			if err != nil {
				t.Fatal(err)
			}
			if got := strRows(collect(t, d)); !reflect.DeepEqual(got, [][]string{{"count_distinct", "3"}, {"90%", "7"}}) {
				t.Fatalf("summary with statistics: %v", got)
			}
			if _, err := people(t, s).Summary(context.Background(), "median"); err == nil || !strings.Contains(err.Error(), "unknown statistic") {
				t.Fatalf("unknown statistic: %v", err)
			}
		})
	}
}
