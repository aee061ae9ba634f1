package expr_test

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// runUnary checks e (over column 0 of type t) against ref on random data.
func runUnary(t *testing.T, r *rand.Rand, e expr.Expr, typ arrow.DataType, ref func(v any) (any, error)) {
	t.Helper()
	mem := exectest.Alloc(t)
	for _, n := range sizes {
		for _, nullFrac := range []float64{0, 0.25, 1} {
			vals := randVals(r, typ, n, nullFrac)
			for pass := 0; pass < 2; pass++ {
				arr := build(mem, typ, vals)
				rows := rowValues(arr)
				want := make([]any, n)
				var wantErr error
				var failed []int
				for i, v := range rows {
					var err error
					want[i], err = ref(v)
					if err != nil {
						failed = append(failed, i)
						if wantErr == nil {
							wantErr = err
						}
					}
				}
				got, err := evalCols(mem, e, n, arr)
				arr.Release()
				if wantErr != nil {
					if !isErr(err, wantErr) {
						t.Fatalf("%s on %s: got error %v, want %v (row %d = %v)", e, typ, err, wantErr, failed[0], rows[failed[0]])
					}
					for _, i := range failed {
						vals[i] = nil
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s on %s: %v", e, typ, err)
				}
				if !arrow.TypeEqual(got.DataType(), e.DataType()) {
					t.Fatalf("%s: type %s, declared %s", e, got.DataType(), e.DataType())
				}
				checkRows(t, e.String()+" on "+typ.String(), got, want)
				got.Release()
				break
			}
		}
	}
}

func TestNegateNotIsNull(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, typ := range append(append([]arrow.DataType{}, intTypes...), arrow.PrimitiveTypes.Float64, dec(10, 2), dec(30, 3)) {
		runUnary(t, r, must(expr.Negate(col(0, typ))), typ, func(v any) (any, error) {
			switch x := v.(type) {
			case nil:
				return nil, nil
			case float64:
				return -x, nil
			case values.Decimal:
				return values.Decimal{Unscaled: x.Unscaled.Negate(), Scale: x.Scale}, nil
			}
			return refBinary(expr.Sub, typ, fromI64(typ, 0), v)
		})
		runUnary(t, r, expr.IsNull(col(0, typ)), typ, func(v any) (any, error) { return v == nil, nil })
		runUnary(t, r, expr.IsNotNull(col(0, typ)), typ, func(v any) (any, error) { return v != nil, nil })
	}
	bt := arrow.FixedWidthTypes.Boolean
	runUnary(t, r, must(expr.Not(col(0, bt))), bt, func(v any) (any, error) {
		if v == nil {
			return nil, nil
		}
		return !v.(bool), nil
	})
}

// refCast converts one row value with Spark's ANSI rules (for the cases the
// random test generates).
func refCast(v any, from, to arrow.DataType) (any, error) {
	if v == nil {
		return nil, nil
	}
	if x, ok := v.(float32); ok {
		v = float64(x)
	}
	switch x := v.(type) {
	case int8, int16, int32, int64:
		i := toI64(x)
		switch {
		case to.ID() == arrow.FLOAT64:
			return float64(i), nil
		case to.ID() == arrow.STRING:
			return fmt.Sprint(i), nil
		case to.ID() == arrow.BOOL:
			return i != 0, nil
		case isDecimalType(to):
			return refDecFromRat(new(big.Rat).SetInt64(i), to)
		}
		return refBinary(expr.Add, to, fromI64(to, 0), fromI64(arrow.PrimitiveTypes.Int64, i))
	case float64:
		switch {
		case to.ID() == arrow.FLOAT64:
			return x, nil
		case to.ID() == arrow.STRING:
			return values.FormatDouble(x), nil
		case isDecimalType(to):
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, expr.ErrInvalidCast
			}
			r, _ := new(big.Rat).SetString(fmt.Sprint(x))
			return refDecFromRat(r, to)
		}
		tr := math.Trunc(x)
		if math.IsNaN(x) || tr < math.MinInt64 || tr >= math.MaxInt64 {
			return nil, expr.ErrOverflow
		}
		return refBinary(expr.Add, to, fromI64(to, 0), int64(tr))
	case values.Decimal:
		switch {
		case to.ID() == arrow.STRING:
			return x.String(), nil
		case to.ID() == arrow.FLOAT64:
			if p, _ := kernels.DecimalParams(from); p <= 18 {
				return float64(x.Unscaled.BigInt().Int64()) / math.Pow10(int(x.Scale)), nil
			}
			f, _ := new(big.Rat).Set(x.Rat()).Float64()
			return f, nil
		case isDecimalType(to):
			return refDecFromRat(x.Rat(), to)
		}
		q := new(big.Int).Quo(x.Unscaled.BigInt(), pow10(x.Scale))
		if !q.IsInt64() {
			return nil, expr.ErrOverflow
		}
		return refBinary(expr.Add, to, fromI64(to, 0), q.Int64())
	case string:
		return x, nil
	}
	panic(fmt.Sprintf("refCast %T", v))
}

func isDecimalType(t arrow.DataType) bool { p, _ := kernels.DecimalParams(t); return p > 0 }

func refDecFromRat(r *big.Rat, to arrow.DataType) (any, error) {
	p, s := kernels.DecimalParams(to)
	u := roundHalfUp(r, s)
	if !fitsPrec(u, p) {
		return nil, expr.ErrOverflow
	}
	return values.Decimal{Unscaled: decimal128.FromBigInt(u), Scale: s}, nil
}

func TestCastMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	f64, str := arrow.PrimitiveTypes.Float64, arrow.BinaryTypes.String
	var pairs [][2]arrow.DataType
	for _, a := range intTypes {
		for _, b := range intTypes {
			pairs = append(pairs, [2]arrow.DataType{a, b})
		}
		pairs = append(pairs, [2]arrow.DataType{a, f64}, [2]arrow.DataType{a, str}, [2]arrow.DataType{a, dec(5, 2)},
			[2]arrow.DataType{a, dec(25, 3)}, [2]arrow.DataType{f64, a}, [2]arrow.DataType{dec(12, 3), a},
			[2]arrow.DataType{dec(30, 2), a}, [2]arrow.DataType{a, arrow.FixedWidthTypes.Boolean})
	}
	decs := []arrow.DataType{dec(15, 2), dec(5, 4), dec(18, 0), dec(30, 10), dec(38, 0), dec(7, 3)}
	for _, a := range decs {
		for _, b := range decs {
			pairs = append(pairs, [2]arrow.DataType{a, b})
		}
		pairs = append(pairs, [2]arrow.DataType{a, str}, [2]arrow.DataType{a, f64}, [2]arrow.DataType{f64, a})
	}
	pairs = append(pairs, [2]arrow.DataType{f64, str}, [2]arrow.DataType{arrow.PrimitiveTypes.Float32, f64})
	for _, p := range pairs {
		from, to := p[0], p[1]
		if !expr.CanCast(from, to) {
			t.Fatalf("CanCast(%s, %s) = false", from, to)
		}
		runUnary(t, r, must(expr.Cast(col(0, from), to)), from, func(v any) (any, error) { return refCast(v, from, to) })
	}
}

func TestCastRoundTripsThroughString(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	str := arrow.BinaryTypes.String
	for _, typ := range []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Float64,
		dec(15, 2), dec(33, 7), arrow.FixedWidthTypes.Date32, tsType, arrow.FixedWidthTypes.Boolean} {
		back := must(expr.Cast(must(expr.Cast(col(0, typ), str)), typ))
		runUnary(t, r, back, typ, func(v any) (any, error) { return v, nil })
	}
}

func TestCaseWhenMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	mem := exectest.Alloc(t)
	i64 := arrow.PrimitiveTypes.Int64
	bin := func(op expr.BinaryOp, l, rr expr.Expr) expr.Expr { return must(expr.Binary(op, l, rr)) }
	// CASE WHEN c0 = 0 THEN -1 WHEN 100 % c0 > 3 THEN 100 % c0 WHEN c1 IS NULL THEN c1 ELSE c0 * c1 END
	x, y := col(0, i64), col(1, i64)
	cw := must(expr.CaseWhen(
		[]expr.Expr{bin(expr.Eq, x, lit(0, i64)), bin(expr.Gt, bin(expr.Mod, lit(100, i64), x), lit(3, i64)), expr.IsNull(y)},
		[]expr.Expr{lit(-1, i64), bin(expr.Mod, lit(100, i64), x), y},
		bin(expr.Mul, x, y)))
	noElse := must(expr.CaseWhen([]expr.Expr{bin(expr.Gt, x, lit(0, i64))}, []expr.Expr{x}, nil))
	for _, n := range sizes {
		for _, nullFrac := range []float64{0, 0.2, 1} {
			xv, yv := make([]any, n), make([]any, n)
			for i := range xv {
				if r.Float64() >= nullFrac {
					xv[i] = int64(r.IntN(21) - 10)
				}
				if r.Float64() >= nullFrac {
					yv[i] = int64(r.IntN(21) - 10)
				}
			}
			xa, ya := build(mem, i64, xv), build(mem, i64, yv)
			got := must(evalCols(mem, cw, n, xa, ya))
			got2 := must(evalCols(mem, noElse, n, xa, ya))
			want, want2 := make([]any, n), make([]any, n)
			for i := range want {
				a, b := xv[i], yv[i]
				switch {
				case a != nil && a.(int64) == 0:
					want[i] = int64(-1)
				case a != nil && 100%a.(int64) > 3:
					want[i] = 100 % a.(int64)
				case b == nil:
					want[i] = nil
				case a == nil:
					want[i] = nil
				default:
					want[i] = a.(int64) * b.(int64)
				}
				if a != nil && a.(int64) > 0 {
					want2[i] = a
				}
			}
			checkRows(t, cw.String(), got, want)
			checkRows(t, noElse.String(), got2, want2)
			for _, a := range []arrow.Array{got, got2, xa, ya} {
				a.Release()
			}
		}
	}
}

func TestStringFunctionsMatchNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	str := arrow.BinaryTypes.String
	patterns := []string{"a%", "%b", "%ab%", "ab", "a_", "%", "", "_", "a%b%", `x\%y`, "%日本", "a%b_c", "_b%"}
	for _, p := range patterns {
		re := likeRegexp(p)
		runUnary(t, r, must(expr.Like(col(0, str), p)), str, func(v any) (any, error) {
			if v == nil {
				return nil, nil
			}
			return re(v.(string)), nil
		})
	}
	runUnary(t, r, expr.Upper(col(0, str)), str, func(v any) (any, error) {
		if v == nil {
			return nil, nil
		}
		return strings.ToUpper(v.(string)), nil
	})
	runUnary(t, r, expr.Lower(col(0, str)), str, func(v any) (any, error) {
		if v == nil {
			return nil, nil
		}
		return strings.ToLower(v.(string)), nil
	})
	for _, pl := range [][2]int64{{1, 2}, {0, 3}, {-2, 1}, {-10, 12}, {3, 100}, {2, 0}, {5, -1}, {-1, math.MaxInt64}} {
		runUnary(t, r, expr.Substring(col(0, str), pl[0], pl[1]), str, func(v any) (any, error) {
			if v == nil {
				return nil, nil
			}
			return refSubstring(v.(string), pl[0], pl[1]), nil
		})
	}
}

// likeRegexp is a naive LIKE matcher by recursion over code points.
func likeRegexp(p string) func(string) bool {
	var match func(s, p []rune) bool
	match = func(s, p []rune) bool {
		if len(p) == 0 {
			return len(s) == 0
		}
		switch p[0] {
		case '\\':
			return len(s) > 0 && len(p) > 1 && s[0] == p[1] && match(s[1:], p[2:])
		case '%':
			for k := 0; k <= len(s); k++ {
				if match(s[k:], p[1:]) {
					return true
				}
			}
			return false
		case '_':
			return len(s) > 0 && match(s[1:], p[1:])
		}
		return len(s) > 0 && s[0] == p[0] && match(s[1:], p[1:])
	}
	return func(s string) bool { return match([]rune(s), []rune(p)) }
}

func refSubstring(s string, pos, length int64) string {
	rs := []rune(s)
	n := int64(len(rs))
	start := int64(0)
	if pos > 0 {
		start = pos - 1
	} else if pos < 0 {
		start = n + pos
	}
	if length <= 0 {
		return ""
	}
	end := start + length
	if end < start {
		end = math.MaxInt64
	}
	start = max(start, 0)
	end = min(end, n)
	if start >= end {
		return ""
	}
	return string(rs[start:end])
}

func TestYearMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, typ := range []arrow.DataType{arrow.FixedWidthTypes.Date32, tsType} {
		runUnary(t, r, must(expr.Year(col(0, typ))), typ, func(v any) (any, error) {
			if v == nil {
				return nil, nil
			}
			return int32(v.(interface{ Year() int }).Year()), nil
		})
	}
}

func TestDictionaryInputs(t *testing.T) {
	mem := exectest.Alloc(t)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	b := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	for _, s := range []string{"apple", "banana", "", "apple"} {
		if s == "" {
			b.AppendNull()
			continue
		}
		if err := b.AppendString(s); err != nil {
			t.Fatal(err)
		}
	}
	d := b.NewArray()
	b.Release()
	defer d.Release()
	plain := build(mem, arrow.BinaryTypes.String, []any{"apple", "apple", "x", "b"})
	defer plain.Release()
	c0, c1 := col(0, dt), col(1, arrow.BinaryTypes.String)
	check := func(e expr.Expr, want ...any) {
		t.Helper()
		got := must(evalCols(mem, e, 4, d, plain))
		defer got.Release()
		checkRows(t, e.String(), got, want)
	}
	check(must(expr.Binary(expr.Eq, c0, c1)), true, false, nil, false)
	check(must(expr.Like(c0, "%an%")), false, true, nil, false)
	check(expr.Upper(c0), "APPLE", "BANANA", nil, "APPLE")
	check(expr.Substring(c0, 2, 2), "pp", "an", nil, "pp")
	check(must(expr.Cast(c0, arrow.BinaryTypes.String)), "apple", "banana", nil, "apple")
	check(must(expr.CaseWhen([]expr.Expr{expr.IsNull(c0)}, []expr.Expr{c1}, c0)), "apple", "banana", "x", "apple")
}

func TestLiteralsAllTypes(t *testing.T) {
	mem := exectest.Alloc(t)
	cases := []struct {
		v    any
		t    arrow.DataType
		want any
	}{
		{true, arrow.FixedWidthTypes.Boolean, true},
		{int64(-5), arrow.PrimitiveTypes.Int8, int8(-5)},
		{int64(7), arrow.PrimitiveTypes.Int16, int16(7)},
		{int64(7), arrow.PrimitiveTypes.Int32, int32(7)},
		{int64(1) << 40, arrow.PrimitiveTypes.Int64, int64(1) << 40},
		{1.5, arrow.PrimitiveTypes.Float32, float32(1.5)},
		{1.5, arrow.PrimitiveTypes.Float64, 1.5},
		{"héllo", arrow.BinaryTypes.String, "héllo"},
		{must(values.ParseDecimal("1.5")), dec(10, 2), values.Decimal{Unscaled: decimal128.FromI64(150), Scale: 2}},
		{must(values.ParseDecimal("-1.5")), dec(30, 2), values.Decimal{Unscaled: decimal128.FromI64(-150), Scale: 2}},
		{nil, arrow.PrimitiveTypes.Int32, nil},
	}
	for _, c := range cases {
		e := must(expr.Literal(c.v, c.t))
		for _, n := range []int{0, 1, 9, 100} {
			got := must(evalRows(mem, e, n))
			want := make([]any, n)
			for i := range want {
				want[i] = c.want
			}
			checkRows(t, e.String(), got, want)
			got.Release()
		}
	}
	for _, bad := range []struct {
		v any
		t arrow.DataType
	}{{"x", arrow.PrimitiveTypes.Int32}, {int64(300), arrow.PrimitiveTypes.Int8}, {1.5, arrow.PrimitiveTypes.Int64},
		{must(values.ParseDecimal("123.4")), dec(3, 1)}, {must(values.ParseDecimal("1.25")), dec(5, 1)}} {
		if _, err := expr.Literal(bad.v, bad.t); err == nil {
			t.Errorf("Literal(%v, %s) accepted", bad.v, bad.t)
		}
	}
	_ = utf8.RuneLen
}

// TestDictionaryMatchesPlain evaluates string expressions on dictionary
// encoded and plain copies of random data and compares the results.
func TestDictionaryMatchesPlain(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(27, 28))
	str := arrow.BinaryTypes.String
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: str}
	mk := func(c expr.Expr) []expr.Expr {
		return []expr.Expr{
			must(expr.Like(c, "a%")), must(expr.Like(c, "%b_")), must(expr.Like(c, "ab")),
			must(expr.Binary(expr.Eq, c, lit("ab", str))), must(expr.Binary(expr.Lt, lit("b", str), c)),
			must(expr.Binary(expr.GtEq, c, lit("", str))), expr.Upper(c), expr.Substring(c, 2, 2), expr.IsNull(c),
		}
	}
	dictExprs, plainExprs := mk(col(0, dt)), mk(col(0, str))
	for _, n := range sizes {
		for _, nullFrac := range []float64{0, 0.3, 1} {
			vals := randVals(r, str, n, nullFrac)
			b := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
			for _, v := range vals {
				if v == nil {
					b.AppendNull()
				} else if err := b.AppendString(v.(string)); err != nil {
					t.Fatal(err)
				}
			}
			d := b.NewArray()
			b.Release()
			p := build(mem, str, vals)
			for k := range dictExprs {
				got := must(evalCols(mem, dictExprs[k], n, d))
				want := must(evalCols(mem, plainExprs[k], n, p))
				checkRows(t, dictExprs[k].String(), got, rowValues(want))
				got.Release()
				want.Release()
			}
			d.Release()
			p.Release()
		}
	}
}

// TestLogicShortCircuit checks that AND/OR do not fail on rows whose result
// the left operand already decides, as Spark does not evaluate the right side
// there.
func TestLogicShortCircuit(t *testing.T) {
	mem := exectest.Alloc(t)
	i64 := arrow.PrimitiveTypes.Int64
	bin := func(op expr.BinaryOp, l, r expr.Expr) expr.Expr { return must(expr.Binary(op, l, r)) }
	x := col(0, i64)
	// x != 0 AND 10 % x > 1 ; x = 0 OR 10 % x > 1
	and := bin(expr.And, bin(expr.NotEq, x, lit(0, i64)), bin(expr.Gt, bin(expr.Mod, lit(10, i64), x), lit(1, i64)))
	or := bin(expr.Or, bin(expr.Eq, x, lit(0, i64)), bin(expr.Gt, bin(expr.Mod, lit(10, i64), x), lit(1, i64)))
	// null left: the right side is needed and fails
	bad := bin(expr.And, bin(expr.NotEq, x, lit(nil, i64)), bin(expr.Gt, bin(expr.Mod, lit(10, i64), x), lit(1, i64)))
	xs := []any{int64(0), int64(3), nil, int64(4), int64(0), int64(7)}
	arr := build(mem, i64, xs)
	defer arr.Release()
	got := must(evalCols(mem, and, len(xs), arr))
	checkRows(t, and.String(), got, []any{false, false, nil, true, false, true})
	got.Release()
	got = must(evalCols(mem, or, len(xs), arr))
	checkRows(t, or.String(), got, []any{true, false, nil, true, true, true})
	got.Release()
	if _, err := evalCols(mem, bad, len(xs), arr); !isErr(err, expr.ErrDivideByZero) {
		t.Errorf("%s: got %v, want division by zero", bad, err)
	}
}
