package main

import (
	"slices"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

func TestStructFields(t *testing.T) {
	names, types := structFields(`STRUCT("a" INTEGER, "b ""q""" STRUCT("x" VARCHAR[], "y" MAP(VARCHAR, INTEGER)), "c" DECIMAL(3,2))`)
	if want := []string{"a", `b "q"`, "c"}; !slices.Equal(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	if want := []string{"INTEGER", `STRUCT("x" VARCHAR[], "y" MAP(VARCHAR, INTEGER))`, "DECIMAL(3,2)"}; !slices.Equal(types, want) {
		t.Errorf("types %q, want %q", types, want)
	}
	if k, v := mapTypes("MAP(VARCHAR, STRUCT(\"a\" INTEGER, \"b\" INTEGER))"); k != "VARCHAR" || v != `STRUCT("a" INTEGER, "b" INTEGER)` {
		t.Errorf("mapTypes: %q, %q", k, v)
	}
	if e := listElem("INTEGER[][]"); e != "INTEGER[]" {
		t.Errorf("listElem: %q", e)
	}
}

func TestFormatNested(t *testing.T) {
	var m duckdb.OrderedMap
	m.Set("b", int32(2))
	m.Set("a", nil)
	st := map[string]any{"y": []any{time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}, "x": 1.5}
	cases := []struct {
		v    any
		typ  string
		want string
	}{
		{[]any{int32(1), nil, int32(3)}, "INTEGER[]", "[1, NULL, 3]"},
		{[]any{"a", ""}, "VARCHAR[]", "[a, (empty)]"},
		{st, `STRUCT("x" DOUBLE, "y" DATE[])`, "{1.500, [2024-01-02]}"},
		{m, "MAP(VARCHAR, INTEGER)", "{b -> 2, a -> NULL}"},
		{[]any{}, "INTEGER[]", "[]"},
	}
	for _, c := range cases {
		if got := format(c.v, c.typ); got != c.want {
			t.Errorf("format(%v, %s) = %q, want %q", c.v, c.typ, got, c.want)
		}
	}
}
