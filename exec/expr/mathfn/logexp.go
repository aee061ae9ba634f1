package mathfn

import (
	"math"

	"github.com/gspark/gspark/exec/expr"
)

// Rint is the DOUBLE integer closest to x, ties to the even one, as Java's
// Math.rint (NaN, ±Inf and ±0 are their own rint).
func Rint(x expr.Expr) (expr.Expr, error) {
	return newDoubleUnary("rint", x, func(v float64) (float64, bool) { return math.RoundToEven(v), true })
}

// Log1p is ln(1 + x), accurate for small x; null for x ≤ -1, as Spark's
// log1p (whose asymptote is -1).
func Log1p(x expr.Expr) (expr.Expr, error) {
	return newDoubleUnary("log1p", x, func(v float64) (float64, bool) { return math.Log1p(v), !(v <= -1) })
}

// Expm1 is e^x - 1, accurate for small x, as Java's Math.expm1.
func Expm1(x expr.Expr) (expr.Expr, error) {
	return newDoubleUnary("expm1", x, func(v float64) (float64, bool) { return math.Expm1(v), true })
}
