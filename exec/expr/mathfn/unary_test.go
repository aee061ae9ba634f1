package mathfn

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// refAbs is the naive absolute value of one value as values.Value yields it.
func refAbs(v any, t arrow.DataType) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int64:
		if x < 0 {
			x = -x
		}
		switch t.ID() {
		case arrow.INT8:
			return int8(x)
		case arrow.INT16:
			return int16(x)
		case arrow.INT32:
			return int32(x)
		}
		return x
	case float64:
		if t.ID() == arrow.FLOAT32 {
			return float32(math.Abs(x))
		}
		return math.Abs(x)
	case decimal128.Num:
		_, s := kernels.DecimalParams(t)
		if x.Sign() < 0 {
			x = x.Negate()
		}
		return values.Decimal{Unscaled: x, Scale: s}
	}
	panic("refAbs")
}

func TestAbsRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	for _, typ := range []arrow.DataType{i8, i16, i32, i64, f32, f64, dec(9, 2), dec(18, 0), dec(38, 10)} {
		for _, n := range sizes {
			vals := randVals(r, typ, n, 0.2)
			in := build(mem, typ, vals)
			e, err := Abs(col(0, in))
			if err != nil {
				t.Fatal(err)
			}
			got, err := eval(mem, e, n, in)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]any, n)
			for i, v := range vals {
				want[i] = refAbs(v, typ)
			}
			expectValues(t, e.String()+" "+typ.String(), got, want)
			if !arrow.TypeEqual(got.DataType(), typ) {
				t.Fatalf("abs of %s has type %s", typ, got.DataType())
			}
			got.Release()
			in.Release()
		}
	}
}

func TestAbsOverflow(t *testing.T) {
	mem := alloc(t)
	for _, typ := range []arrow.DataType{i8, i16, i32, i64} {
		lo, _ := intRange(typ)
		// a null row holding the minimum must not fail
		in := build(mem, typ, []any{int64(1), nil, lo})
		e, _ := Abs(col(0, in))
		_, err := eval(mem, e, 3, in)
		if !errors.Is(err, expr.ErrOverflow) || !strings.Contains(err.Error(), "abs") {
			t.Fatalf("abs(%d): got %v, want overflow", lo, err)
		}
		in.Release()
	}
	if _, err := Abs(expr.Column(0, "s", str)); err == nil {
		t.Fatal("abs of a string compiled")
	}
}

func TestDoubleFunctionsRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	type fn struct {
		name string
		make func(expr.Expr) (expr.Expr, error)
		ref  func(float64) any
	}
	logRef := func(f func(float64) float64) func(float64) any {
		return func(x float64) any {
			if x <= 0 || x != x {
				if x != x {
					return math.NaN()
				}
				return nil
			}
			return f(x)
		}
	}
	fns := []fn{
		{"sqrt", Sqrt, func(x float64) any { return math.Sqrt(x) }},
		{"exp", Exp, func(x float64) any { return math.Exp(x) }},
		{"ln", Ln, logRef(math.Log)},
		{"log10", Log10, logRef(func(x float64) float64 { return log10(x) })},
		{"log2", Log2, logRef(func(x float64) float64 { return math.Log(x) / math.Ln2 })},
		{"signum", Signum, func(x float64) any {
			if x != x || x == 0 {
				return x
			}
			return math.Copysign(1, x)
		}},
		{"isnan", IsNaN, func(x float64) any { return x != x }},
	}
	for _, f := range fns {
		for _, n := range sizes {
			vals := randVals(r, f64, n, 0.2)
			in := build(mem, f64, vals)
			e, err := f.make(col(0, in))
			if err != nil {
				t.Fatal(err)
			}
			got, err := eval(mem, e, n, in)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]any, n)
			for i, v := range vals {
				switch {
				case v != nil:
					want[i] = f.ref(v.(float64))
				case f.name == "isnan":
					want[i] = false // isnan(null) is false, never null
				}
			}
			expectValues(t, e.String(), got, want)
			got.Release()
			in.Release()
		}
	}
	if _, err := Sqrt(expr.Column(0, "i", i64)); err == nil {
		t.Fatal("sqrt of BIGINT compiled (the planner casts to DOUBLE)")
	}
}

func TestDoubleBinaryRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	refs := map[string]func(x, y float64) any{
		"pow": func(x, y float64) any {
			if y != y || (math.IsInf(y, 0) && math.Abs(x) == 1) {
				return math.NaN()
			}
			return math.Pow(x, y)
		},
		"log": func(b, x float64) any {
			if b <= 0 || x <= 0 {
				return nil
			}
			return math.Log(x) / math.Log(b)
		},
		"nanvl": func(x, y float64) any {
			if x != x {
				return y
			}
			return x
		},
	}
	makers := map[string]func(a, b expr.Expr) (expr.Expr, error){"pow": Pow, "log": Log, "nanvl": NaNvl}
	for name, ref := range refs {
		for _, n := range sizes {
			xs, ys := randVals(r, f64, n, 0.2), randVals(r, f64, n, 0.2)
			a, b := build(mem, f64, xs), build(mem, f64, ys)
			e, err := makers[name](col(0, a), col(1, b))
			if err != nil {
				t.Fatal(err)
			}
			got, err := eval(mem, e, n, a, b)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]any, n)
			for i := range want {
				x, y := xs[i], ys[i]
				switch {
				case x == nil:
				case name == "nanvl" && x.(float64) == x.(float64):
					want[i] = x // y is not needed, even when null
				case y == nil:
				default:
					want[i] = ref(x.(float64), y.(float64))
				}
			}
			expectValues(t, e.String(), got, want)
			got.Release()
			a.Release()
			b.Release()
		}
	}
}

// Spark docs examples of the one-argument DOUBLE functions.
func TestDoubleSparkExamples(t *testing.T) {
	mem := alloc(t)
	cases := []struct {
		make func(expr.Expr) (expr.Expr, error)
		in   float64
		want any
	}{
		{Sqrt, 4, 2.0},      // SELECT sqrt(4) → 2.0
		{Exp, 0, 1.0},       // SELECT exp(0) → 1.0
		{Ln, 1, 0.0},        // SELECT ln(1) → 0.0
		{Log10, 10, 1.0},    // SELECT log10(10) → 1.0
		{Log2, 2, 1.0},      // SELECT log2(2) → 1.0
		{Signum, 40, 1.0},   // SELECT signum(40) → 1.0
		{Log10, 1000, 3.0},  // exact on powers of ten, like StrictMath.log10
		{Log10, 1e-5, -5.0}, // idem
		{Ln, 0, nil},        // Spark: log of a non-positive value is null
		{Log2, -1, nil},     // idem
		{Sqrt, -1, math.NaN()},
	}
	for _, c := range cases {
		in := build(mem, f64, []any{c.in})
		e, _ := c.make(col(0, in))
		got, err := eval(mem, e, 1, in)
		if err != nil {
			t.Fatal(err)
		}
		expectValues(t, e.String(), got, []any{c.want})
		got.Release()
		in.Release()
	}
	// SELECT log(10, 100) → 2.0; SELECT pow(2, 3) → 8.0; nanvl(NaN, 123) → 123.0
	bin := []struct {
		make func(a, b expr.Expr) (expr.Expr, error)
		x, y float64
		want any
	}{{Log, 10, 100, 2.0}, {Pow, 2, 3, 8.0}, {NaNvl, math.NaN(), 123, 123.0}, {Log, 0, 100, nil}}
	for _, c := range bin {
		a, b := build(mem, f64, []any{c.x}), build(mem, f64, []any{c.y})
		e, _ := c.make(col(0, a), col(1, b))
		got, err := eval(mem, e, 1, a, b)
		if err != nil {
			t.Fatal(err)
		}
		expectValues(t, e.String(), got, []any{c.want})
		got.Release()
		a.Release()
		b.Release()
	}
}

func TestNaNvlLazy(t *testing.T) {
	mem := alloc(t)
	in := build(mem, f64, []any{1.0, nil, 2.0})
	e, _ := NaNvl(col(0, in), failExpr{})
	got, err := eval(mem, e, 3, in)
	if err != nil {
		t.Fatalf("nanvl evaluated its second argument with no NaN: %v", err)
	}
	expectValues(t, e.String(), got, []any{1.0, nil, 2.0})
	got.Release()
	in.Release()
}
