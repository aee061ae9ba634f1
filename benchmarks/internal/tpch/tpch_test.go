package tpch

import (
	"encoding/csv"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSameCell(t *testing.T) {
	dec := func(s string, scale int32) Cell {
		n, _ := new(big.Int).SetString(s, 10)
		return Decimal(n, scale)
	}
	cases := []struct {
		a, b Cell
		want bool
	}{
		{Str("A"), Str("A"), true},
		{Str("A"), Str("a"), false},
		{Cell{Null: true}, Cell{Null: true}, true},
		{Cell{Null: true}, Str(""), false},
		{Int(5), Float(5), true},
		{Int(5), Str("5"), true},    // equal texts agree (answer files carry no types)
		{Int(5), Str("5.0"), false}, // but only numbers compare by value
		{dec("12345", 2), Float(123.45), true},
		{dec("12345", 2), Float(123.46), false},
		// Spark's avg rounded to 6 places against DuckDB's double.
		{dec("49729", 6), Float(0.04972878330129085), true},
		{dec("49728", 6), Float(0.04972878330129085), false},
		{Float(1e6), Float(1e6 + 0.5), true},
		{Float(1e6), Float(1e6 + 2), false},
		{Float(0), Float(1e-10), true},
		{Float(0), Float(1e-8), false},
		{Date(time.Date(1995, 3, 15, 0, 0, 0, 0, time.UTC)), Str("1995-03-15"), true},
	}
	for i, c := range cases {
		if got := SameCell(c.a, c.b); got != c.want {
			t.Errorf("case %d: SameCell(%+v, %+v) = %v, want %v", i, c.a, c.b, got, c.want)
		}
		if got := SameCell(c.b, c.a); got != c.want {
			t.Errorf("case %d reversed: got %v, want %v", i, got, c.want)
		}
	}
}

func TestCompareOrderAndTies(t *testing.T) {
	row := func(k string, v int64, s string) []Cell { return []Cell{Str(k), Int(v), Str(s)} }
	want := Table{Cols: []string{"k", "v", "s"}, Rows: [][]Cell{
		row("a", 1, "x"), row("b", 2, "y"), row("b", 2, "z"), row("c", 3, "w"),
	}}
	keys := []int{0, 1}
	ok := []Table{
		want,
		{Cols: want.Cols, Rows: [][]Cell{row("a", 1, "x"), row("b", 2, "z"), row("b", 2, "y"), row("c", 3, "w")}},
	}
	for i, g := range ok {
		if err := Compare(g, want, keys); err != nil {
			t.Errorf("ok %d: %v", i, err)
		}
	}
	bad := []Table{
		// Rows out of order across different keys.
		{Cols: want.Cols, Rows: [][]Cell{row("b", 2, "y"), row("a", 1, "x"), row("b", 2, "z"), row("c", 3, "w")}},
		// A value differs.
		{Cols: want.Cols, Rows: [][]Cell{row("a", 1, "x"), row("b", 2, "y"), row("b", 2, "y"), row("c", 3, "w")}},
		// Row count.
		{Cols: want.Cols, Rows: want.Rows[:3]},
		// Column count.
		{Cols: want.Cols[:2], Rows: want.Rows},
	}
	for i, g := range bad {
		if err := Compare(g, want, keys); err == nil {
			t.Errorf("bad %d: no error", i)
		}
	}
	// Without keys the answer is a multiset.
	shuffled := Table{Cols: want.Cols, Rows: [][]Cell{want.Rows[3], want.Rows[1], want.Rows[0], want.Rows[2]}}
	if err := Compare(shuffled, want, nil); err != nil {
		t.Errorf("multiset: %v", err)
	}
	if err := Compare(shuffled, want, keys); err == nil {
		t.Error("ordered comparison accepted a shuffled answer")
	}
	// Duplicates are counted: {x, x} is not {x, y}.
	dup := Table{Cols: want.Cols, Rows: [][]Cell{want.Rows[0], want.Rows[0], want.Rows[1], want.Rows[2]}}
	if err := Compare(dup, Table{Cols: want.Cols, Rows: want.Rows[:3:3]}, nil); err == nil {
		t.Error("row count mismatch accepted")
	}
	if err := Compare(Table{Cols: want.Cols, Rows: [][]Cell{want.Rows[0], want.Rows[0]}},
		Table{Cols: want.Cols, Rows: [][]Cell{want.Rows[0], want.Rows[1]}}, nil); err == nil {
		t.Error("duplicate row matched twice")
	}
}

func TestWriteCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	tbl := Table{Cols: []string{"x", "s"}, Rows: [][]Cell{
		{Cell{Null: true}, Str("a,b")},
		{Decimal(big.NewInt(-5), 2), Str(`q"uote`)},
	}}
	if err := WriteCSV(path, tbl); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(recs))
	for i, r := range recs {
		got[i] = strings.Join(r, "|")
	}
	want := []string{"x|s", "NULL|a,b", `-0.05|q"uote`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestQueriesExistAndKeysInRange(t *testing.T) {
	keys := OrderKeys()
	for _, name := range QueryNames() {
		text, err := LoadQuery("../../../testdata/tpch", name)
		if err != nil {
			t.Fatal(err)
		}
		hasOrder := strings.Contains(strings.ToUpper(text), "ORDER BY")
		if _, ok := keys[name]; ok != hasOrder {
			t.Errorf("%s: ORDER BY in text %v, in OrderKeys %v", name, hasOrder, ok)
		}
	}
}
