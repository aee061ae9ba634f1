package optimizer

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/compile"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

func TestArrayFunctionsThroughRegistry(t *testing.T) {
	i32, i64, f64, str := arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64, arrow.BinaryTypes.String
	b := arrow.FixedWidthTypes.Boolean
	null := lit(nil, arrow.Null)
	arr := func(args ...logical.Expr) logical.Expr { return call(t, "array", args...) }
	ints := arr(lit(int64(1), i64), lit(int32(2), i32), null)
	words := call(t, "split", lit("b,a,,c", str), lit(",", str))
	m := call(t, "map", lit("a", str), lit(int32(1), i32), lit("b", str), lit(2.5, f64))
	for _, c := range []struct {
		e        logical.Expr
		typeName string
		want     string
	}{
		{ints, "array<bigint>", "[1, 2, null]"},
		{arr(lit(int32(1), i32), lit(1.5, f64)), "array<double>", "[1.0, 1.5]"},
		{arr(), "array<void>", "[]"},
		{words, "array<string>", "[b, a, , c]"},
		{call(t, "split", lit("a1b22c", str), lit("[0-9]+", str), lit(int32(2), i32)), "array<string>", "[a, b22c]"},
		{call(t, "split", lit("abc", str), null), "array<string>", "NULL"},
		{call(t, "size", ints), "int", "3"},
		{call(t, "cardinality", m), "int", "2"},
		{call(t, "size", null), "int", "NULL"},
		{call(t, "array_contains", ints, lit(int32(2), i32)), "boolean", "true"},
		{call(t, "array_contains", ints, lit(int32(5), i32)), "boolean", "NULL"},
		{call(t, "element_at", ints, lit(int64(-3), i64)), "bigint", "1"},
		{call(t, "try_element_at", ints, lit(int32(9), i32)), "bigint", "NULL"},
		{call(t, "element_at", m, lit("b", str)), "double", "2.5"},
		{call(t, "named_struct", lit("x", str), lit(int32(1), i32), lit("y", str), lit("q", str)), "struct<x:int,y:string>", "{1, q}"},
		{call(t, "struct", &logical.Alias{E: lit(int32(1), i32), Name: "a"}, lit(true, b)), "struct<a:int,col2:boolean>", "{1, true}"},
		{m, "map<string,double>", "{a -> 1.0, b -> 2.5}"},
		{call(t, "map_keys", m), "array<string>", "[a, b]"},
		{call(t, "map_values", m), "array<double>", "[1.0, 2.5]"},
		{call(t, "sort_array", words), "array<string>", "[, a, b, c]"},
		{call(t, "sort_array", ints, lit(false, b)), "array<bigint>", "[2, 1, null]"},
		{call(t, "array_distinct", arr(lit(int32(1), i32), lit(int32(1), i32), null, null)), "array<int>", "[1, null]"},
		{call(t, "array_min", ints), "bigint", "1"},
		{call(t, "array_max", words), "string", "c"},
		{call(t, "array_join", words, lit("-", str)), "string", "b-a--c"},
		{call(t, "array_join", arr(lit("x", str), null), lit(",", str), lit("?", str)), "string", "x,?"},
	} {
		if got := logical.TypeName(c.e.DataType()); got != c.typeName {
			t.Errorf("%s: type %s, want %s", c.e, got, c.typeName)
		}
		v, ok := compile.EvalConstant(c.e)
		if !ok {
			t.Errorf("%s: evaluation failed", c.e)
			continue
		}
		if got := values.FormatValue(v); got != c.want {
			t.Errorf("%s = %s, want %s", c.e, got, c.want)
		}
	}
	if out, changed := foldExpr(ints); changed {
		t.Errorf("array(...) over literals must not fold into a nested literal, got %s", out)
	}
	if _, ok := compile.EvalConstant(call(t, "element_at", ints, lit(int32(4), i32))); ok {
		t.Error("element_at out of range must fail (ANSI)")
	}
	for _, c := range []struct {
		f    *logical.Func
		want string
	}{
		{&logical.Func{Name: "size", Args: []logical.Expr{lit(int32(1), i32)}}, "size needs an array or map argument"},
		{&logical.Func{Name: "array", Args: []logical.Expr{lit(int32(1), i32), ints}}, "no common type"},
		{&logical.Func{Name: "split", Args: []logical.Expr{lit("a", str), &logical.Attribute{ID: 1, Name: "p", Type: str}}}, "string literal"},
		{&logical.Func{Name: "named_struct", Args: []logical.Expr{lit("a", str), lit(int32(1), i32), lit("b", str)}}, "even number"},
		{&logical.Func{Name: "map", Args: []logical.Expr{ints, lit(int32(1), i32)}}, "keys of type array<bigint>"},
		{&logical.Func{Name: "array_contains", Args: []logical.Expr{ints, lit(true, b)}}, "does not match"},
		{&logical.Func{Name: "sort_array", Args: []logical.Expr{ints, &logical.Attribute{ID: 1, Name: "b", Type: b}}}, "boolean literal"},
		{&logical.Func{Name: "array_join", Args: []logical.Expr{ints, lit(",", str)}}, "array<string>"},
		{&logical.Func{Name: "map_keys", Args: []logical.Expr{ints}}, "a map argument"},
	} {
		_, err := functions.TypeFunc(c.f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.f, err, c.want)
		}
	}
}

func TestConstantFoldingLeavesNondeterministicCalls(t *testing.T) {
	call, err := functions.TypeFunc(&logical.Func{Name: "rand", Args: []logical.Expr{lit(int64(11), arrow.PrimitiveTypes.Int64)}})
	if err != nil {
		t.Fatal(err)
	}
	if out, changed := foldExpr(call); changed {
		t.Fatalf("rand(11) was folded to %s", out)
	}
	if out, changed := foldExpr(&logical.Func{Name: "abs", Args: []logical.Expr{lit(int64(-3), arrow.PrimitiveTypes.Int64)}, Type: arrow.PrimitiveTypes.Int64}); !changed || out.(*logical.Literal).Value != int64(3) {
		t.Fatalf("abs(-3) should fold to 3, got %v", out)
	}
}
