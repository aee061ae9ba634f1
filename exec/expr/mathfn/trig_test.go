package mathfn

import (
	"math"
	"testing"

	"github.com/gspark/gspark/exec/expr"
)

// TestDoubleFuncValues checks each function on values from Spark's
// documented examples (cot(1), csc(1)) and hand-computed ones; tol 0 means
// exact.
func TestDoubleFuncValues(t *testing.T) {
	mem := alloc(t)
	inf := math.Inf(1)
	for _, c := range []struct {
		name    string
		x, want float64
		tol     float64
	}{
		{"sin", math.Pi / 2, 1, 1e-15}, {"cos", 0, 1, 0}, {"tan", math.Pi / 4, 1, 1e-15},
		{"cot", 1, 0.6420926159343306, 1e-15}, {"sec", 0, 1, 0}, {"csc", 1, 1.1883951057781212, 1e-15},
		{"asin", 1, math.Pi / 2, 0}, {"asin", 2, math.NaN(), 0}, {"acos", -1, math.Pi, 0}, {"atan", inf, math.Pi / 2, 0},
		{"sinh", 1, (math.E - 1/math.E) / 2, 1e-15}, {"cosh", 1, (math.E + 1/math.E) / 2, 1e-15}, {"tanh", inf, 1, 0},
		{"asinh", 0, 0, 0}, {"asinh", -inf, -inf, 0}, {"asinh", inf, inf, 0}, {"acosh", 1, 0, 0}, {"acosh", 0, math.NaN(), 0},
		{"atanh", 0, 0, 0}, {"atanh", 1, inf, 0}, {"atanh", 2, math.NaN(), 0},
		{"cbrt", -27, -3, 0}, {"degrees", math.Pi, 180, 0}, {"radians", 180, math.Pi, 0},
	} {
		in := build(mem, f64, []any{c.x, nil})
		e, err := DoubleFunc(c.name, col(0, in))
		if err != nil {
			t.Fatal(err)
		}
		got, err := eval(mem, e, 2, in)
		if err != nil {
			t.Fatal(err)
		}
		g := got.(interface{ Value(int) float64 }).Value(0)
		ok := math.IsNaN(c.want) && math.IsNaN(g) || g == c.want || math.Abs(g-c.want) <= c.tol
		if !ok || got.IsValid(1) {
			t.Errorf("%s(%v) = %v (second row valid %v), want %v", c.name, c.x, g, got.IsValid(1), c.want)
		}
		got.Release()
		in.Release()
	}
	if _, err := DoubleFunc("nosuch", expr.Column(0, "x", f64)); err == nil {
		t.Fatal("an unknown function compiled")
	}
}

func TestAtan2Hypot(t *testing.T) {
	mem := alloc(t)
	y, x := build(mem, f64, []any{0.0, 1.0, 3.0, nil}), build(mem, f64, []any{0.0, -1.0, 4.0, 1.0})
	defer y.Release()
	defer x.Release()
	a, _ := Atan2(col(0, y), col(1, x))
	got, err := eval(mem, a, 4, y, x)
	if err != nil {
		t.Fatal(err)
	}
	expectValues(t, "atan2", got, []any{0.0, 3 * math.Pi / 4, math.Atan(0.75), nil})
	got.Release()
	h, _ := Hypot(col(0, y), col(1, x))
	got, err = eval(mem, h, 4, y, x)
	if err != nil {
		t.Fatal(err)
	}
	expectValues(t, "hypot", got, []any{0.0, math.Sqrt2, 5.0, nil})
	got.Release()
}
