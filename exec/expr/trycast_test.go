package expr_test

import (
	"math"
	"math/big"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

func TestTryCastTurnsBadValuesIntoNulls(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	b := exectest.Batch(mem, schema, [][]any{{" 12 "}, {"abc"}, {nil}, {"99999999999"}, {"-3"}})
	defer b.Release()
	col := expr.Column(0, "s", arrow.BinaryTypes.String)
	tc, err := expr.TryCast(col, arrow.PrimitiveTypes.Int32)
	if err != nil {
		t.Fatal(err)
	}
	out, err := tc.Eval(mem, b)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	want := []any{int32(12), nil, nil, nil, int32(-3)} // 'abc' is invalid, 99999999999 overflows int
	for i, w := range want {
		if got := values.Value(out, i); got != w {
			t.Fatalf("row %d: %v, want %v", i, got, w)
		}
	}
	// The same values through Cast fail, naming the value.
	c, _ := expr.Cast(col, arrow.PrimitiveTypes.Int32)
	if _, err := c.Eval(mem, b); err == nil {
		t.Fatal("cast of 'abc' to int must fail")
	}
	// A batch without bad values takes the plain path.
	good := exectest.Batch(mem, schema, [][]any{{"1"}, {"2"}})
	defer good.Release()
	g, err := tc.Eval(mem, good)
	if err != nil || g.Len() != 2 || values.Value(g, 1) != int32(2) {
		t.Fatalf("good batch: %v %v", g, err)
	}
	g.Release()
}

// TestTryCastMatchesRowByRowCast checks TRY_CAST over whole batches mixing
// good, bad and null values against the naive reference: a strict CAST of
// each row alone, null where that cast fails.
func TestTryCastMatchesRowByRowCast(t *testing.T) {
	mem := exectest.Alloc(t)
	str := arrow.BinaryTypes.String
	cases := []struct {
		from, to arrow.DataType
		vals     []any
	}{
		{str, arrow.PrimitiveTypes.Int32, []any{"1", "x", nil, " 7 ", "3000000000", "-2.9", "", "12"}},
		{str, arrow.PrimitiveTypes.Int8, []any{"127", "128", "-128", "-129", "n/a", nil, "5"}},
		{str, arrow.PrimitiveTypes.Int64, []any{"9223372036854775807", "9223372036854775808", "1e3", "42"}},
		{str, arrow.PrimitiveTypes.Float64, []any{"1.5", "abc", "inf", "1_0", nil, "-0.25d", "1e5F", "+1.5e-3", ".", "0x10", "NaN", "1.5dd"}},
		{str, dec(5, 2), []any{"123.456", "1234.5", "x", nil, "-0.005", "999.99"}},
		{str, arrow.FixedWidthTypes.Boolean, []any{"yes", "maybe", nil, "0", "T"}},
		{str, arrow.FixedWidthTypes.Date32, []any{"2024-02-29", "2023-02-29", "soon", nil, "2024-01-01"}},
		{str, &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, []any{"2024-01-01 10:00:00", "25:00", nil, "2024-01-02"}},
		{arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Int32, []any{1.9, math.NaN(), 3e9, nil, -4.5, math.Inf(1)}},
		{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int16, []any{int64(1), int64(40000), nil, int64(-32768), int64(-32769)}},
		{dec(10, 2), arrow.PrimitiveTypes.Int8, []any{big.NewInt(12345), big.NewInt(99900), nil}},
		{arrow.PrimitiveTypes.Float64, dec(4, 1), []any{1.25, 12345.0, math.NaN(), nil}},
	}
	for _, c := range cases {
		in := build(mem, c.from, c.vals)
		e := col(0, c.from)
		tc := must(expr.TryCast(e, c.to))
		strict := must(expr.Cast(e, c.to))
		want := make([]any, len(c.vals))
		bad := 0
		for i := range c.vals {
			one := array.NewSlice(in, int64(i), int64(i+1))
			r, err := evalCols(mem, strict, 1, one)
			one.Release()
			if err != nil {
				if !isErr(err, expr.ErrInvalidCast) && !isErr(err, expr.ErrOverflow) {
					t.Fatalf("%s row %d: %v", tc, i, err)
				}
				bad++
				continue
			}
			want[i] = values.Value(r, 0)
			r.Release()
		}
		if bad == 0 {
			t.Fatalf("%s: the case has no bad value", tc)
		}
		got, err := evalCols(mem, tc, in.Len(), in)
		if err != nil {
			t.Fatalf("%s: %v", tc, err)
		}
		checkRows(t, tc.String(), got, want)
		nulls := 0
		for _, w := range want {
			if w == nil {
				nulls++
			}
		}
		if got.NullN() != nulls {
			t.Fatalf("%s: null count %d, want %d", tc, got.NullN(), nulls)
		}
		got.Release()
		in.Release()
	}
}
