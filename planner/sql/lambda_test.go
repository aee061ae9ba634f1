package sql

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

func TestLambdaArguments(t *testing.T) {
	cases := map[string]string{
		"transform(xs, x -> x + 1)":                         "transform(xs, x -> (x + 1))",
		"transform(xs, (x, i) -> x + i)":                    "transform(xs, (x, i) -> (x + i))",
		"filter(xs, (x) -> x > 0)":                          "filter(xs, x -> (x > 0))",
		"aggregate(xs, 0, (acc, x) -> acc + x, a -> a * 2)": "aggregate(xs, 0, (acc, x) -> (acc + x), a -> (a * 2))",
		// left and right are reserved words but name lambda parameters.
		"array_sort(xs, (left, right) -> left - right)": "array_sort(xs, (left, right) -> (left - right))",
		"transform(xs, x -> transform(ys, y -> x + y))": "transform(xs, x -> transform(ys, y -> (x + y)))",
		// A parenthesized expression is not a lambda.
		"coalesce((a), b)":              "coalesce(a, b)",
		"exists(xs, x -> x IS NULL)":    "exists(xs, x -> (x IS NULL))",
		"x - 1 > 0":                     "((x - 1) > 0)",
		"transform(xs, x -> x.f)":       "transform(xs, x -> x.f)",
		"transform(xs, `a b` -> `a b`)": "transform(xs, a b -> a b)",
	}
	for in, want := range cases {
		if got := parseExpr(t, in).String(); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
	for in, msg := range map[string]string{
		"transform(xs, (x, x) -> x)": "named twice",
		"transform(xs, x -> )":       "expected",
		"left":                       "expected",
	} {
		_, err := ParseQuery("SELECT " + in + " FROM t")
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: got %v, want an error containing %q", in, err, msg)
		}
	}
	// EXISTS (subquery) still parses as a subquery.
	if _, ok := parseExpr(t, "EXISTS (SELECT 1)").(*logical.Subquery); !ok {
		t.Errorf("EXISTS (SELECT 1) is not a subquery")
	}
}

func TestNestedTypeNames(t *testing.T) {
	cases := map[string]arrow.DataType{
		"ARRAY<INT>":                     arrow.ListOf(arrow.PrimitiveTypes.Int32),
		"array<array<bigint>>":           arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Int64)),
		"MAP<STRING, ARRAY<INT>>":        arrow.MapOf(arrow.BinaryTypes.String, arrow.ListOf(arrow.PrimitiveTypes.Int32)),
		"STRUCT<a: INT, b STRING>":       arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true}, arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true}),
		"ARRAY<STRUCT<x: DECIMAL(5,2)>>": arrow.ListOf(arrow.StructOf(arrow.Field{Name: "x", Type: &arrow.Decimal64Type{Precision: 5, Scale: 2}, Nullable: true})),
	}
	for in, want := range cases {
		c, ok := parseExpr(t, "CAST(NULL AS "+in+")").(*logical.Cast)
		if !ok {
			t.Fatalf("%s: not a cast", in)
		}
		if !arrow.TypeEqual(c.To, want) {
			t.Errorf("%s: got %s, want %s", in, c.To, want)
		}
	}
	if _, err := ParseQuery("SELECT CAST(NULL AS INT<STRING>) FROM t"); err == nil || !strings.Contains(err.Error(), "only ARRAY, MAP and STRUCT") {
		t.Errorf("INT<STRING>: got %v", err)
	}
}
