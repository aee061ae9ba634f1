package expr_test

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// evalRows evaluates e over a batch of n rows with no columns.
func evalRows(mem memory.Allocator, e expr.Expr, n int) (arrow.Array, error) {
	b := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, int64(n))
	defer b.Release()
	return e.Eval(mem, b)
}

func lit(v any, t arrow.DataType) expr.Expr { return must(expr.Literal(v, t)) }

func decLit(s string, t arrow.DataType) expr.Expr {
	d := must(values.ParseDecimal(s))
	return lit(d, t)
}

// one evaluates e on a single-row batch and returns the value.
func one(t *testing.T, mem memory.Allocator, e expr.Expr) (any, error) {
	t.Helper()
	a, err := evalRows(mem, e, 1)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	if a.Len() != 1 {
		t.Fatalf("%s: %d rows", e, a.Len())
	}
	return values.Value(a, 0), nil
}

func TestSparkCases(t *testing.T) {
	mem := exectest.Alloc(t)
	i32 := arrow.PrimitiveTypes.Int32
	i64 := arrow.PrimitiveTypes.Int64
	f64 := arrow.PrimitiveTypes.Float64
	bt := arrow.FixedWidthTypes.Boolean
	str := arrow.BinaryTypes.String
	bin := func(op expr.BinaryOp, l, r expr.Expr) expr.Expr { return must(expr.Binary(op, l, r)) }
	cast := func(e expr.Expr, to arrow.DataType) expr.Expr { return must(expr.Cast(e, to)) }
	cases := []struct {
		e    expr.Expr
		want any
		err  error
		text string
	}{
		{e: bin(expr.Mod, lit(7, i32), lit(-3, i32)), want: int32(1)},
		{e: bin(expr.Mod, lit(-7, i32), lit(3, i32)), want: int32(-1)},
		{e: bin(expr.Mod, lit(-7, i64), lit(0, i64)), err: expr.ErrDivideByZero},
		{e: bin(expr.Add, lit(2147483647, i32), lit(1, i32)), err: expr.ErrOverflow},
		{e: bin(expr.Mul, lit(int64(-9223372036854775808), i64), lit(-1, i64)), err: expr.ErrOverflow},
		{e: bin(expr.Div, lit(1.0, f64), lit(0.0, f64)), err: expr.ErrDivideByZero},
		{e: bin(expr.Div, lit(1.0, f64), lit(4.0, f64)), want: 0.25},
		{e: bin(expr.Div, decLit("1", dec(1, 0)), decLit("0", dec(1, 0))), err: expr.ErrDivideByZero},
		{e: bin(expr.Div, decLit("1", dec(1, 0)), decLit("3", dec(1, 0))), want: values.Decimal{Unscaled: decimal128.FromI64(333333), Scale: 6}},
		{e: bin(expr.Div, decLit("2", dec(1, 0)), decLit("3", dec(1, 0))), want: values.Decimal{Unscaled: decimal128.FromI64(666667), Scale: 6}},
		{e: bin(expr.Div, decLit("-2", dec(1, 0)), decLit("3", dec(1, 0))), want: values.Decimal{Unscaled: decimal128.FromI64(-666667), Scale: 6}},
		{e: cast(decLit("1.005", dec(15, 3)), dec(15, 2)), want: values.Decimal{Unscaled: decimal128.FromI64(101), Scale: 2}},
		{e: cast(decLit("-1.005", dec(15, 3)), dec(15, 2)), want: values.Decimal{Unscaled: decimal128.FromI64(-101), Scale: 2}},
		{e: cast(decLit("1.004", dec(15, 3)), dec(15, 2)), want: values.Decimal{Unscaled: decimal128.FromI64(100), Scale: 2}},
		{e: cast(decLit("123.45", dec(5, 2)), dec(4, 2)), err: expr.ErrOverflow},
		{e: cast(lit("abc", str), i32), err: expr.ErrInvalidCast, text: "cast 'abc' to int: invalid value"},
		{e: cast(lit(" 12 ", str), i32), want: int32(12)},
		{e: cast(lit("12.7", str), i32), want: int32(12)},
		{e: cast(lit("-12", str), arrow.PrimitiveTypes.Int8), want: int8(-12)},
		{e: cast(lit("300", str), arrow.PrimitiveTypes.Int8), err: expr.ErrOverflow},
		{e: cast(lit("1.5e2", str), f64), want: 150.0},
		{e: cast(lit(" 1.25 ", str), dec(5, 1)), want: values.Decimal{Unscaled: decimal128.FromI64(13), Scale: 1}},
		{e: cast(lit("x1", str), dec(5, 1)), err: expr.ErrInvalidCast},
		{e: cast(lit("1998-12-01", str), arrow.FixedWidthTypes.Date32), want: time.Date(1998, 12, 1, 0, 0, 0, 0, time.UTC)},
		{e: cast(lit("1998-02-30", str), arrow.FixedWidthTypes.Date32), err: expr.ErrInvalidCast},
		{e: cast(lit("2020-01-02 03:04:05.5", str), tsType), want: time.Date(2020, 1, 2, 3, 4, 5, 500000000, time.UTC)},
		{e: cast(lit(" yes ", str), bt), want: true},
		{e: cast(lit("maybe", str), bt), err: expr.ErrInvalidCast},
		{e: cast(lit(int64(300), i32), arrow.PrimitiveTypes.Int8), err: expr.ErrOverflow},
		{e: cast(lit(1e10, f64), i32), err: expr.ErrOverflow},
		{e: cast(lit(-2.9, f64), i32), want: int32(-2)},
		{e: cast(lit(0.125, f64), dec(5, 2)), want: values.Decimal{Unscaled: decimal128.FromI64(13), Scale: 2}},
		{e: cast(lit(0.1, f64), dec(5, 3)), want: values.Decimal{Unscaled: decimal128.FromI64(100), Scale: 3}},
		{e: cast(decLit("-12.99", dec(4, 2)), i32), want: int32(-12)},
		{e: cast(decLit("12.5", dec(4, 1)), f64), want: 12.5},
		{e: cast(lit(int64(7), i32), dec(3, 1)), want: values.Decimal{Unscaled: decimal128.FromI64(70), Scale: 1}},
		{e: cast(lit(int64(700), i32), dec(3, 1)), err: expr.ErrOverflow},
		{e: cast(lit(true, bt), i32), want: int32(1)},
		{e: cast(lit(int64(0), i64), bt), want: false},
		{e: cast(lit(int64(-42), i64), str), want: "-42"},
		{e: cast(lit(1e7, f64), str), want: "1.0E7"},
		{e: cast(lit(0.1, f64), str), want: "0.1"},
		{e: cast(lit(0.1, arrow.PrimitiveTypes.Float32), str), want: "0.1"},
		{e: cast(decLit("-0.05", dec(5, 2)), str), want: "-0.05"},
		{e: cast(decLit("12", dec(5, 0)), str), want: "12"},
		{e: cast(lit(int64(10561), arrow.FixedWidthTypes.Date32), str), want: "1998-12-01"},
		{e: cast(lit(int64(1_500_000), tsType), str), want: "1970-01-01 00:00:01.5"},
		{e: cast(lit(int64(0), tsType), str), want: "1970-01-01 00:00:00"},
		{e: cast(lit(true, bt), str), want: "true"},
		{e: cast(lit(int64(1), arrow.FixedWidthTypes.Date32), tsType), want: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)},
		{e: cast(lit(int64(-1), tsType), arrow.FixedWidthTypes.Date32), want: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)},
		{e: cast(lit(nil, arrow.Null), i32), want: nil},
		{e: cast(lit(1e10, arrow.PrimitiveTypes.Float32), str), want: "1.0E10"},
		{e: cast(lit(int64(16777217), i64), arrow.PrimitiveTypes.Float32), want: float32(16777216)},
		{e: cast(lit("2020-01-02T03:04:05Z", str), tsType), want: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)},
		{e: cast(lit("2020-01-02", str), tsType), want: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)},
		{e: cast(lit("2020-13-02", str), tsType), err: expr.ErrInvalidCast, text: "'2020-13-02'"},
		{e: cast(lit("12:00", str), arrow.FixedWidthTypes.Date32), err: expr.ErrInvalidCast},
		{e: cast(decLit("-123456789012345678901.5", dec(22, 1)), str), want: "-123456789012345678901.5"},
		{e: cast(decLit("99999999999999999999.99", dec(22, 2)), dec(21, 1)), err: expr.ErrOverflow},
		{e: cast(decLit("99999999999999999999.94", dec(22, 2)), dec(21, 1)), want: values.Decimal{Unscaled: must(values.ParseDecimal("99999999999999999999.9")).Unscaled, Scale: 1}},
		{e: lit(time.Date(1998, 12, 1, 0, 0, 0, 0, time.UTC), arrow.FixedWidthTypes.Date32), want: time.Date(1998, 12, 1, 0, 0, 0, 0, time.UTC)},
		{e: lit(time.Date(1998, 12, 1, 1, 2, 3, 4000, time.UTC), tsType), want: time.Date(1998, 12, 1, 1, 2, 3, 4000, time.UTC)},
		{e: must(expr.CaseWhen([]expr.Expr{lit(true, bt)}, []expr.Expr{bin(expr.Div, lit(1.0, f64), lit(0.0, f64))}, lit(1.0, f64))), err: expr.ErrDivideByZero},
		{e: must(expr.CaseWhen([]expr.Expr{lit(nil, bt)}, []expr.Expr{lit(1.0, f64)}, lit(2.0, f64))), want: 2.0},
		{e: bin(expr.Lt, lit(math.NaN(), f64), lit(math.Inf(1), f64)), want: false},
		{e: bin(expr.Eq, lit(math.NaN(), f64), lit(math.NaN(), f64)), want: true},
		{e: bin(expr.Gt, decLit("0.050", dec(4, 3)), decLit("0.05", dec(3, 2))), want: false},
		{e: bin(expr.Eq, decLit("0.050", dec(4, 3)), decLit("0.05", dec(3, 2))), want: true},
		{e: bin(expr.Add, decLit("0.5", dec(2, 1)), decLit("0.25", dec(3, 2))), want: values.Decimal{Unscaled: decimal128.FromI64(75), Scale: 2}},
		{e: bin(expr.And, lit(nil, bt), lit(false, bt)), want: false},
		{e: bin(expr.Or, lit(nil, bt), lit(true, bt)), want: true},
		{e: bin(expr.And, lit(nil, bt), lit(true, bt)), want: nil},
		{e: bin(expr.Eq, lit(0.0, f64), bin(expr.Div, lit(0.0, f64), lit(1.0, f64))), want: true},
		{e: must(expr.Negate(lit(int64(-2147483648), i32))), err: expr.ErrOverflow},
		{e: must(expr.Negate(decLit("1.50", dec(20, 2)))), want: values.Decimal{Unscaled: decimal128.FromI64(-150), Scale: 2}},
		{e: must(expr.Not(lit(nil, bt))), want: nil},
		{e: must(expr.Not(lit(false, bt))), want: true},
		{e: expr.IsNull(lit(nil, i32)), want: true},
		{e: expr.IsNotNull(lit(nil, i32)), want: false},
		{e: expr.IsNotNull(lit(int64(3), i32)), want: true},
		{e: must(expr.Like(lit("aXXbYc", str), "a%b_c")), want: true},
		{e: must(expr.Like(lit("abc", str), "a%b_c")), want: false},
		{e: must(expr.Like(lit("a%c", str), `a\%c`)), want: true},
		{e: must(expr.Like(lit("abc", str), `a\%c`)), want: false},
		{e: must(expr.Like(lit("日本語", str), "日_語")), want: true},
		{e: expr.Upper(lit("abcé", str)), want: "ABCÉ"},
		{e: expr.Lower(lit("ABC", str)), want: "abc"},
		{e: expr.Substring(lit("Spark SQL", str), 5, 1), want: "k"},
		{e: expr.Substring(lit("Spark SQL", str), -3, 2), want: "SQ"},
		{e: expr.Substring(lit("Spark SQL", str), 0, 3), want: "Spa"},
		{e: expr.Substring(lit("abc", str), -5, 3), want: "a"},
		{e: expr.Substring(lit("abc", str), 2, -1), want: ""},
		{e: expr.Substring(lit("日本語", str), 2, 5), want: "本語"},
		{e: must(expr.Year(lit(int64(10561), arrow.FixedWidthTypes.Date32))), want: int32(1998)},
		{e: must(expr.Year(lit(int64(-1), tsType))), want: int32(1969)},
		{e: must(expr.CaseWhen([]expr.Expr{lit(false, bt), lit(true, bt)},
			[]expr.Expr{bin(expr.Div, lit(1.0, f64), lit(0.0, f64)), lit(2.0, f64)}, nil)), want: 2.0},
	}
	for _, c := range cases {
		got, err := one(t, mem, c.e)
		if c.err != nil {
			if !isErr(err, c.err) {
				t.Errorf("%s: got %v, %v; want error %v", c.e, got, err, c.err)
			} else if c.text != "" && !strings.Contains(err.Error(), c.text) {
				t.Errorf("%s: error %q does not contain %q", c.e, err, c.text)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.e, err)
			continue
		}
		if !sameValue(got, c.want) {
			t.Errorf("%s: got %v (%T), want %v (%T)", c.e, got, got, c.want, c.want)
		}
	}
}

func TestQ1Expression(t *testing.T) {
	mem := exectest.Alloc(t)
	price, disc, tax := dec(15, 2), dec(15, 2), dec(15, 2)
	one := decLit("1", dec(1, 0))
	bin := func(op expr.BinaryOp, l, r expr.Expr) expr.Expr { return must(expr.Binary(op, l, r)) }
	discPrice := bin(expr.Mul, col(0, price), bin(expr.Sub, one, col(1, disc)))
	charge := bin(expr.Mul, discPrice, bin(expr.Add, one, col(2, tax)))
	if !arrow.TypeEqual(discPrice.DataType(), dec(32, 4)) || !arrow.TypeEqual(charge.DataType(), dec(38, 6)) {
		t.Fatalf("types %s %s", discPrice.DataType(), charge.DataType())
	}
	rows := [][3]any{{"90000.00", "0.05", "0.08"}, {"104949.50", "0.10", "0.00"}, {nil, "0.01", "0.02"}, {"-1.23", "1.00", "0.06"}}
	var cols [3][]any
	for _, r := range rows {
		for k := range 3 {
			if r[k] == nil {
				cols[k] = append(cols[k], nil)
				continue
			}
			d := must(values.ParseDecimal(r[k].(string)))
			cols[k] = append(cols[k], d.Unscaled.BigInt())
		}
	}
	arrs := []arrow.Array{build(mem, price, cols[0]), build(mem, disc, cols[1]), build(mem, tax, cols[2])}
	defer releaseArrs(arrs)
	got := must(evalCols(mem, charge, len(rows), arrs...))
	defer got.Release()
	want := []string{"92340.000000", "94454.550000", "", "0.000000"}
	for i, w := range want {
		v := values.Value(got, i)
		if w == "" {
			if v != nil {
				t.Errorf("row %d: %v, want null", i, v)
			}
			continue
		}
		if v.(values.Decimal).String() != w {
			t.Errorf("row %d: %v, want %s", i, v, w)
		}
	}
}

func releaseArrs(as []arrow.Array) {
	for _, a := range as {
		a.Release()
	}
}

var _ = big.NewInt
