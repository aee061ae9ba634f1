package arrayfn_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/arrayfn"
	"github.com/gspark/gspark/values"
)

var (
	i32 = arrow.PrimitiveTypes.Int32
	i64 = arrow.PrimitiveTypes.Int64
	str = arrow.BinaryTypes.String
)

// table builds a batch from named columns of row-form values.
type column struct {
	name string
	typ  arrow.DataType
	vals []any
}

func batch(t *testing.T, mem memory.Allocator, cols ...column) arrow.RecordBatch {
	t.Helper()
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: true}
	}
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	for i, c := range cols {
		for _, v := range c.vals {
			if err := values.Append(b.Field(i), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	return b.NewRecordBatch()
}

func col(b arrow.RecordBatch, i int) expr.Expr {
	return expr.Column(i, b.ColumnName(i), b.Schema().Field(i).Type)
}

func lit(t *testing.T, v any, dt arrow.DataType) expr.Expr {
	t.Helper()
	e, err := expr.Literal(v, dt)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// refCase is a function call checked row by row against a reference.
type refCase struct {
	name string
	e    func() (expr.Expr, error)
	ref  func(k int) any
}

// checkRefCases evaluates each case over b and compares every row with the
// case's reference; inputs describes row k's inputs for the failure message.
func checkRefCases(t *testing.T, mem memory.Allocator, b arrow.RecordBatch, cases []refCase, inputs func(k int) string) {
	t.Helper()
	for _, c := range cases {
		e, err := c.e()
		vs, err := eval(t, mem, e, err, b)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for k, v := range vs {
			if want := c.ref(k); !reflect.DeepEqual(v, want) {
				t.Fatalf("%s row %d (%s): got %v, want %v", c.name, k, inputs(k), v, want)
			}
		}
	}
}

// eval evaluates e (or fails on err) and returns its values and their text.
func eval(t *testing.T, mem memory.Allocator, e expr.Expr, err error, b arrow.RecordBatch) ([]any, error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Eval(mem, b)
	if err != nil {
		return nil, err
	}
	defer out.Release()
	if !arrow.TypeEqual(out.DataType(), e.DataType()) || out.Len() != int(b.NumRows()) {
		t.Fatalf("%s: got %s × %d, want %s × %d", e, out.DataType(), out.Len(), e.DataType(), b.NumRows())
	}
	if v, ok := out.(interface{ ValidateFull() error }); ok {
		if err := v.ValidateFull(); err != nil {
			t.Fatalf("%s: invalid result: %v", e, err)
		}
	}
	vs := make([]any, out.Len())
	for i := range vs {
		vs[i] = values.Value(out, i)
	}
	return vs, nil
}

func texts(vs []any) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = values.FormatValue(v)
	}
	return fmt.Sprint(s)
}

func check(t *testing.T, mem memory.Allocator, e expr.Expr, err error, b arrow.RecordBatch, want string) {
	t.Helper()
	vs, err := eval(t, mem, e, err, b)
	if err != nil {
		t.Fatalf("%v", err)
	}
	if got := texts(vs); got != want {
		t.Errorf("%s = %s, want %s", e, got, want)
	}
}

func TestSparkExamples(t *testing.T) {
	mem := exectest.Alloc(t)
	b := batch(t, mem,
		column{"s", str, []any{"oneAtwoBthreeC", "a,b,,", "", nil}},
		column{"a", arrow.ListOf(i64), []any{[]any{int64(1), int64(2), int64(3)}, []any{int64(1), nil}, []any{}, nil}},
		column{"m", arrow.MapOf(str, i64), []any{values.Map{Keys: []any{"a", "b"}, Values: []any{int64(1), int64(2)}}, values.Map{Keys: []any{}, Values: []any{}}, values.Map{Keys: []any{"c"}, Values: []any{nil}}, nil}},
		column{"w", arrow.ListOf(str), []any{[]any{"b", "d", nil, "c", "a"}, []any{"hello", nil, "world"}, []any{}, nil}},
		column{"i", i32, []any{int32(2), int32(-1), int32(1), int32(1)}},
		column{"n", arrow.ListOf(i64), []any{[]any{int64(1), int64(2), int64(3), nil, int64(3)}, []any{int64(1), int64(20), nil, int64(3)}, []any{}, []any{nil}}},
	)
	defer b.Release()
	s, a, m, w, i, n := col(b, 0), col(b, 1), col(b, 2), col(b, 3), col(b, 4), col(b, 5)

	e, err := arrayfn.Split(s, "[ABC]", -1)
	check(t, mem, e, err, b, "[[one, two, three, ] [a,b,,] [] NULL]")
	e, err = arrayfn.Split(s, "[ABC]", 2)
	check(t, mem, e, err, b, "[[one, twoBthreeC] [a,b,,] [] NULL]")
	e, err = arrayfn.Split(s, ",", 0)
	check(t, mem, e, err, b, "[[oneAtwoBthreeC] [a, b, , ] [] NULL]")
	e, err = arrayfn.Split(s, "", 3)
	check(t, mem, e, err, b, "[[o, n, eAtwoBthreeC] [a, ,, b,,] [] NULL]")
	e, err = arrayfn.Split(s, "x*", -1)
	check(t, mem, e, err, b, "[[o, n, e, A, t, w, o, B, t, h, r, e, e, C, ] [a, ,, b, ,, ,, ] [] NULL]")
	if _, err := arrayfn.Split(s, "(?<=a)b", -1); err == nil {
		t.Error("lookbehind must be rejected")
	}

	e, err = arrayfn.Array(i64, lit(t, int64(7), i64), lit(t, nil, arrow.Null), expr.Column(4, "i", i32))
	if err == nil {
		t.Fatal("an int argument to array<bigint> must be rejected")
	}
	e, err = arrayfn.Array(i64, lit(t, int64(7), i64), lit(t, nil, i64))
	check(t, mem, e, err, b, "[[7, null] [7, null] [7, null] [7, null]]")
	e, err = arrayfn.Array(arrow.ListOf(i64), a, n)
	check(t, mem, e, err, b, "[[[1, 2, 3], [1, 2, 3, null, 3]] [[1, null], [1, 20, null, 3]] [[], []] [null, [null]]]")
	e, err = arrayfn.Array(arrow.Null)
	check(t, mem, e, err, b, "[[] [] [] []]")

	e, err = arrayfn.Size(a)
	check(t, mem, e, err, b, "[3 2 0 NULL]")
	e, err = arrayfn.Size(m)
	check(t, mem, e, err, b, "[2 0 1 NULL]")

	e, err = arrayfn.ArrayContains(a, lit(t, int64(2), i64))
	check(t, mem, e, err, b, "[true NULL false NULL]")
	e, err = arrayfn.ArrayContains(a, lit(t, int64(1), i64))
	check(t, mem, e, err, b, "[true true false NULL]")
	e, err = arrayfn.ArrayContains(w, lit(t, nil, str))
	check(t, mem, e, err, b, "[NULL NULL NULL NULL]")

	e, err = arrayfn.ElementAt(a, i, true)
	check(t, mem, e, err, b, "[2 NULL NULL NULL]")
	e, err = arrayfn.ElementAt(n, i, true)
	check(t, mem, e, err, b, "[2 3 NULL NULL]")
	e, err = arrayfn.ElementAt(a, i, false)
	if _, err := eval(t, mem, e, err, b); !errors.Is(err, arrayfn.ErrIndexOutOfBounds) {
		t.Errorf("element_at([], 1): %v", err)
	}
	e, err = arrayfn.ElementAt(a, lit(t, int64(5), i32), false)
	if _, err := eval(t, mem, e, err, b); !errors.Is(err, arrayfn.ErrIndexOutOfBounds) {
		t.Errorf("element_at out of range: %v", err)
	}
	e, err = arrayfn.ElementAt(a, lit(t, int64(5), i32), true)
	check(t, mem, e, err, b, "[NULL NULL NULL NULL]")
	e, err = arrayfn.ElementAt(a, lit(t, int64(-3), i32), true)
	check(t, mem, e, err, b, "[1 NULL NULL NULL]")
	e, err = arrayfn.ElementAt(a, lit(t, int64(0), i32), true)
	if _, err := eval(t, mem, e, err, b); !errors.Is(err, arrayfn.ErrInvalidIndex) {
		t.Errorf("element_at(.., 0): %v", err)
	}
	e, err = arrayfn.MapElementAt(m, lit(t, "b", str))
	check(t, mem, e, err, b, "[2 NULL NULL NULL]")
	e, err = arrayfn.MapElementAt(m, lit(t, "c", str))
	check(t, mem, e, err, b, "[NULL NULL NULL NULL]")

	e, err = arrayfn.Struct([]string{"a", "b"}, lit(t, int64(1), i64), s)
	check(t, mem, e, err, b, "[{1, oneAtwoBthreeC} {1, a,b,,} {1, } {1, null}]")
	if e.DataType().String() != arrow.StructOf(arrow.Field{Name: "a", Type: i64, Nullable: true}, arrow.Field{Name: "b", Type: str, Nullable: true}).String() {
		t.Errorf("struct type %s", e.DataType())
	}

	e, err = arrayfn.Map(str, i64, lit(t, "a", str), lit(t, int64(1), i64), lit(t, "b", str), lit(t, nil, arrow.Null))
	check(t, mem, e, err, b, "[{a -> 1, b -> null} {a -> 1, b -> null} {a -> 1, b -> null} {a -> 1, b -> null}]")
	e, err = arrayfn.Map(str, i64, lit(t, "a", str), lit(t, int64(1), i64), lit(t, "a", str), lit(t, int64(2), i64))
	if _, err := eval(t, mem, e, err, b); !errors.Is(err, arrayfn.ErrDuplicateMapKey) {
		t.Errorf("duplicate map key: %v", err)
	}
	e, err = arrayfn.Map(str, i64, s, lit(t, int64(1), i64))
	if _, err := eval(t, mem, e, err, b); !errors.Is(err, arrayfn.ErrNullMapKey) {
		t.Errorf("null map key: %v", err)
	}

	e, err = arrayfn.MapKeys(m)
	check(t, mem, e, err, b, "[[a, b] [] [c] NULL]")
	e, err = arrayfn.MapValues(m)
	check(t, mem, e, err, b, "[[1, 2] [] [null] NULL]")

	e, err = arrayfn.SortArray(w, true)
	check(t, mem, e, err, b, "[[null, a, b, c, d] [null, hello, world] [] NULL]")
	e, err = arrayfn.SortArray(w, false)
	check(t, mem, e, err, b, "[[d, c, b, a, null] [world, hello, null] [] NULL]")
	e, err = arrayfn.ArrayDistinct(n)
	check(t, mem, e, err, b, "[[1, 2, 3, null] [1, 20, null, 3] [] [null]]")
	nested, err := arrayfn.Array(arrow.ListOf(i64), a, a, n)
	if err != nil {
		t.Fatal(err)
	}
	e, err = arrayfn.ArrayDistinct(nested)
	check(t, mem, e, err, b, "[[[1, 2, 3], [1, 2, 3, null, 3]] [[1, null], [1, 20, null, 3]] [[]] [null, [null]]]")
	e, err = arrayfn.ArrayContains(nested, n)
	check(t, mem, e, err, b, "[true true true true]")
	e, err = arrayfn.ArrayMin(n)
	check(t, mem, e, err, b, "[1 1 NULL NULL]")
	e, err = arrayfn.ArrayMax(n)
	check(t, mem, e, err, b, "[3 20 NULL NULL]")
	e, err = arrayfn.ArrayJoin(w, lit(t, " ", str), nil)
	check(t, mem, e, err, b, "[b d c a hello world  NULL]")
	e, err = arrayfn.ArrayJoin(w, lit(t, " ", str), lit(t, ",", str))
	check(t, mem, e, err, b, "[b d , c a hello , world  NULL]")
	e, err = arrayfn.Concat(a, n, a)
	check(t, mem, e, err, b, "[[1, 2, 3, 1, 2, 3, null, 3, 1, 2, 3] [1, null, 1, 20, null, 3, 1, null] [] NULL]")
	if _, err := arrayfn.Concat(a, w); err == nil {
		t.Error("concat of array<bigint> and array<string> must be rejected")
	}
	if _, err := arrayfn.SortArray(lit(t, int64(1), i64), true); err == nil {
		t.Error("sort_array of a bigint must be rejected")
	}
}

// TestRandomAgainstReference checks the element-moving functions against
// row-at-a-time references on random arrays with nulls, over a sliced batch.
func TestRandomAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	mem := exectest.Alloc(t)
	const rows = 300
	arrs := make([]any, rows)
	arrs2 := make([]any, rows)
	idxs := make([]any, rows)
	probes := make([]any, rows)
	randArr := func() any {
		if r.IntN(8) == 0 {
			return nil
		}
		xs := make([]any, r.IntN(7))
		for k := range xs {
			if r.IntN(6) > 0 {
				xs[k] = int64(r.IntN(10))
			}
		}
		return xs
	}
	for k := range arrs {
		arrs[k], arrs2[k] = randArr(), randArr()
		if r.IntN(8) > 0 {
			idxs[k] = int32(r.IntN(17) - 8)
			if idxs[k] == int32(0) {
				idxs[k] = int32(1)
			}
		}
		if r.IntN(8) > 0 {
			probes[k] = int64(r.IntN(10))
		}
	}
	full := batch(t, mem, column{"a", arrow.ListOf(i64), arrs}, column{"b", arrow.ListOf(i64), arrs2},
		column{"i", i32, idxs}, column{"p", i64, probes})
	defer full.Release()
	b := full.NewSlice(5, rows)
	defer b.Release()
	arrs, arrs2, idxs, probes = arrs[5:], arrs2[5:], idxs[5:], probes[5:]
	a, a2, ix, p := col(b, 0), col(b, 1), col(b, 2), col(b, 3)

	cmpNullsFirst := func(x, y any) int {
		switch {
		case x == nil && y == nil:
			return 0
		case x == nil:
			return -1
		case y == nil:
			return 1
		}
		return int(x.(int64) - y.(int64))
	}
	cases := []refCase{
		{"size", func() (expr.Expr, error) { return arrayfn.Size(a) }, func(k int) any {
			if arrs[k] == nil {
				return nil
			}
			return int32(len(arrs[k].([]any)))
		}},
		{"try_element_at", func() (expr.Expr, error) { return arrayfn.ElementAt(a, ix, true) }, func(k int) any {
			if arrs[k] == nil || idxs[k] == nil {
				return nil
			}
			xs, i := arrs[k].([]any), int(idxs[k].(int32))
			if i < 0 {
				i += len(xs) + 1
			}
			if i < 1 || i > len(xs) {
				return nil
			}
			return xs[i-1]
		}},
		{"array_contains", func() (expr.Expr, error) { return arrayfn.ArrayContains(a, p) }, func(k int) any {
			if arrs[k] == nil || probes[k] == nil {
				return nil
			}
			sawNull := false
			for _, x := range arrs[k].([]any) {
				if x == probes[k] {
					return true
				}
				sawNull = sawNull || x == nil
			}
			if sawNull {
				return nil
			}
			return false
		}},
		{"sort_array", func() (expr.Expr, error) { return arrayfn.SortArray(a, true) }, func(k int) any {
			if arrs[k] == nil {
				return nil
			}
			xs := slices.Clone(arrs[k].([]any))
			slices.SortStableFunc(xs, cmpNullsFirst)
			return xs
		}},
		{"sort_array_desc", func() (expr.Expr, error) { return arrayfn.SortArray(a, false) }, func(k int) any {
			if arrs[k] == nil {
				return nil
			}
			xs := slices.Clone(arrs[k].([]any))
			slices.SortStableFunc(xs, func(x, y any) int { return -cmpNullsFirst(x, y) })
			return xs
		}},
		{"array_distinct", func() (expr.Expr, error) { return arrayfn.ArrayDistinct(a) }, func(k int) any {
			if arrs[k] == nil {
				return nil
			}
			out := []any{}
			for _, x := range arrs[k].([]any) {
				if !slices.Contains(out, x) {
					out = append(out, x)
				}
			}
			return out
		}},
		{"array_max", func() (expr.Expr, error) { return arrayfn.ArrayMax(a) }, func(k int) any {
			var best any
			if arrs[k] != nil {
				for _, x := range arrs[k].([]any) {
					if x != nil && (best == nil || x.(int64) > best.(int64)) {
						best = x
					}
				}
			}
			return best
		}},
		{"concat", func() (expr.Expr, error) { return arrayfn.Concat(a, a2) }, func(k int) any {
			if arrs[k] == nil || arrs2[k] == nil {
				return nil
			}
			return append(slices.Clone(arrs[k].([]any)), arrs2[k].([]any)...)
		}},
		{"array", func() (expr.Expr, error) { return arrayfn.Array(arrow.ListOf(i64), a2, a) }, func(k int) any {
			return []any{arrs2[k], arrs[k]}
		}},
	}
	checkRefCases(t, mem, b, cases, func(k int) string {
		return fmt.Sprintf("%v", arrs[k])
	})
}

func TestEmptyBatch(t *testing.T) {
	mem := exectest.Alloc(t)
	b := batch(t, mem,
		column{"a", arrow.ListOf(i64), nil},
		column{"m", arrow.MapOf(str, i64), nil},
		column{"s", str, nil},
		column{"w", arrow.ListOf(str), nil},
	)
	defer b.Release()
	a, m, s, w := col(b, 0), col(b, 1), col(b, 2), col(b, 3)
	one := lit(t, int64(1), i64)
	for _, mk := range []func() (expr.Expr, error){
		func() (expr.Expr, error) { return arrayfn.Split(s, ",", -1) },
		func() (expr.Expr, error) { return arrayfn.Array(i64, one, one) },
		func() (expr.Expr, error) { return arrayfn.Size(m) },
		func() (expr.Expr, error) { return arrayfn.ArrayContains(a, one) },
		func() (expr.Expr, error) { return arrayfn.ElementAt(a, lit(t, int64(1), i32), false) },
		func() (expr.Expr, error) { return arrayfn.MapElementAt(m, s) },
		func() (expr.Expr, error) { return arrayfn.Struct([]string{"x"}, a) },
		func() (expr.Expr, error) { return arrayfn.Map(str, i64, s, one) },
		func() (expr.Expr, error) { return arrayfn.MapKeys(m) },
		func() (expr.Expr, error) { return arrayfn.MapValues(m) },
		func() (expr.Expr, error) { return arrayfn.SortArray(a, true) },
		func() (expr.Expr, error) { return arrayfn.ArrayDistinct(w) },
		func() (expr.Expr, error) { return arrayfn.ArrayMin(w) },
		func() (expr.Expr, error) { return arrayfn.ArrayJoin(w, s, nil) },
		func() (expr.Expr, error) { return arrayfn.Concat(a, a) },
	} {
		e, err := mk()
		vs, err := eval(t, mem, e, err, b)
		if err != nil || len(vs) != 0 {
			t.Errorf("%s over no rows: %v %v", e, vs, err)
		}
	}
}

func TestGetField(t *testing.T) {
	mem := exectest.Alloc(t)
	st := arrow.StructOf(arrow.Field{Name: "a", Type: i64, Nullable: true}, arrow.Field{Name: "b", Type: arrow.ListOf(str), Nullable: true})
	mk := func(a, b any) any { return values.Struct{Names: []string{"a", "b"}, Values: []any{a, b}} }
	full := batch(t, mem, column{"s", st, []any{mk(int64(9), nil), mk(int64(1), []any{"x"}), nil, mk(nil, []any{}), mk(int64(3), []any{"y", nil})}})
	defer full.Release()
	b := full.NewSlice(1, 5)
	defer b.Release()
	s := col(b, 0)
	e, err := arrayfn.GetField(s, "a")
	check(t, mem, e, err, b, "[1 NULL NULL 3]")
	if e.String() != "s.a" {
		t.Errorf("String() = %q", e.String())
	}
	e, err = arrayfn.GetField(s, "b")
	check(t, mem, e, err, b, "[[x] NULL [] [y, null]]")
	noNulls := batch(t, mem, column{"s", st, []any{mk(int64(5), nil)}})
	defer noNulls.Release()
	e, err = arrayfn.GetField(col(noNulls, 0), "a")
	check(t, mem, e, err, noNulls, "[5]")
	if _, err := arrayfn.GetField(s, "c"); err == nil {
		t.Error("a missing field must be rejected")
	}
	if _, err := arrayfn.GetField(lit(t, int64(1), i64), "a"); err == nil {
		t.Error("field access on a bigint must be rejected")
	}
}
