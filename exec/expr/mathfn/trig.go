package mathfn

import (
	"fmt"
	"math"

	"github.com/gspark/gspark/exec/expr"
)

// doubleFn is the one-argument DOUBLE function of Spark's math family
// beyond sqrt/exp/ln called name: trigonometric, hyperbolic and their
// inverses, cbrt, degrees and radians. Each follows java.lang.Math: a result
// outside the domain is NaN (asin(2)), not null.
func doubleFn(name string) func(float64) float64 {
	switch name {
	case "sin":
		return math.Sin
	case "cos":
		return math.Cos
	case "tan":
		return math.Tan
	case "cot":
		return func(x float64) float64 { return 1 / math.Tan(x) }
	case "sec":
		return func(x float64) float64 { return 1 / math.Cos(x) }
	case "csc":
		return func(x float64) float64 { return 1 / math.Sin(x) }
	case "asin":
		return math.Asin
	case "acos":
		return math.Acos
	case "atan":
		return math.Atan
	case "sinh":
		return math.Sinh
	case "cosh":
		return math.Cosh
	case "tanh":
		return math.Tanh
	case "asinh":
		return asinh
	case "acosh":
		return acosh
	case "atanh":
		return atanh
	case "cbrt":
		return math.Cbrt
	case "degrees":
		return func(x float64) float64 { return x * (180 / math.Pi) }
	case "radians":
		return func(x float64) float64 { return x / 180 * math.Pi }
	}
	return nil
}

// asinh is Spark's asinh: ln(x + sqrt(x² + 1)), with -Inf for -Inf.
func asinh(x float64) float64 {
	if math.IsInf(x, -1) {
		return x
	}
	return math.Log(x + math.Sqrt(x*x+1))
}

// acosh is Spark's acosh: ln(x + sqrt(x² - 1)), NaN below 1.
func acosh(x float64) float64 { return math.Log(x + math.Sqrt(x*x-1)) }

// atanh is Spark's atanh: 0.5 * ln((1 + x) / (1 - x)), NaN outside [-1, 1].
func atanh(x float64) float64 { return 0.5 * math.Log((1+x)/(1-x)) }

// DoubleFunc is the one-argument DOUBLE function name of Spark (sin, cos,
// tan, cot, sec, csc, asin, acos, atan, sinh, cosh, tanh, asinh, acosh,
// atanh, cbrt, degrees, radians) of x, a DOUBLE.
func DoubleFunc(name string, x expr.Expr) (expr.Expr, error) {
	f := doubleFn(name)
	if f == nil {
		return nil, fmt.Errorf("no DOUBLE function %s", name)
	}
	return newDoubleUnary(name, x, func(v float64) (float64, bool) { return f(v), true })
}

// DoubleFuncNames lists the names DoubleFunc accepts.
func DoubleFuncNames() []string {
	return []string{"sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "sinh", "cosh", "tanh",
		"asinh", "acosh", "atanh", "cbrt", "degrees", "radians"}
}

// Atan2 is the angle of the point (x, y) from the positive x axis, in
// radians, as java.lang.Math.atan2(y, x).
func Atan2(y, x expr.Expr) (expr.Expr, error) {
	return newDoubleBinary("atan2", y, x, func(a, b float64) (float64, bool) { return math.Atan2(a, b), true })
}

// Hypot is sqrt(x² + y²) without intermediate overflow.
func Hypot(x, y expr.Expr) (expr.Expr, error) {
	return newDoubleBinary("hypot", x, y, func(a, b float64) (float64, bool) { return math.Hypot(a, b), true })
}
