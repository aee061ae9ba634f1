package functions

import (
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/logical"
)

// Sin is the sine of c (radians), a DOUBLE.
func Sin(c frame.Column) frame.Column { return frame.Call("sin", c) }

// Cos is the cosine of c (radians), a DOUBLE.
func Cos(c frame.Column) frame.Column { return frame.Call("cos", c) }

// Tan is the tangent of c (radians), a DOUBLE.
func Tan(c frame.Column) frame.Column { return frame.Call("tan", c) }

// Cot is the cotangent of c (radians), 1/tan(c).
func Cot(c frame.Column) frame.Column { return frame.Call("cot", c) }

// Sec is the secant of c (radians), 1/cos(c).
func Sec(c frame.Column) frame.Column { return frame.Call("sec", c) }

// Csc is the cosecant of c (radians), 1/sin(c).
func Csc(c frame.Column) frame.Column { return frame.Call("csc", c) }

// Asin is the arc sine of c in radians; NaN outside [-1, 1].
func Asin(c frame.Column) frame.Column { return frame.Call("asin", c) }

// Acos is the arc cosine of c in radians; NaN outside [-1, 1].
func Acos(c frame.Column) frame.Column { return frame.Call("acos", c) }

// Atan is the arc tangent of c in radians.
func Atan(c frame.Column) frame.Column { return frame.Call("atan", c) }

// Atan2 is the angle in radians of the point (x, y) from the positive x
// axis (Spark's atan2(y, x)).
func Atan2(y, x frame.Column) frame.Column { return frame.Call("atan2", y, x) }

// Sinh is the hyperbolic sine of c.
func Sinh(c frame.Column) frame.Column { return frame.Call("sinh", c) }

// Cosh is the hyperbolic cosine of c.
func Cosh(c frame.Column) frame.Column { return frame.Call("cosh", c) }

// Tanh is the hyperbolic tangent of c.
func Tanh(c frame.Column) frame.Column { return frame.Call("tanh", c) }

// Asinh is the inverse hyperbolic sine of c.
func Asinh(c frame.Column) frame.Column { return frame.Call("asinh", c) }

// Acosh is the inverse hyperbolic cosine of c; NaN below 1.
func Acosh(c frame.Column) frame.Column { return frame.Call("acosh", c) }

// Atanh is the inverse hyperbolic tangent of c; NaN outside [-1, 1].
func Atanh(c frame.Column) frame.Column { return frame.Call("atanh", c) }

// Cbrt is the cube root of c.
func Cbrt(c frame.Column) frame.Column { return frame.Call("cbrt", c) }

// Degrees converts c from radians to degrees.
func Degrees(c frame.Column) frame.Column { return frame.Call("degrees", c) }

// Radians converts c from degrees to radians.
func Radians(c frame.Column) frame.Column { return frame.Call("radians", c) }

// Hypot is sqrt(a² + b²) without intermediate overflow.
func Hypot(a, b frame.Column) frame.Column { return frame.Call("hypot", a, b) }

// Pi is the constant π as a DOUBLE.
func Pi() frame.Column { return frame.Call("pi") }

// E is Euler's number as a DOUBLE.
func E() frame.Column { return frame.Call("e") }

// BitwiseAnd is a & b of integers widened to their common type.
func BitwiseAnd(a, b frame.Column) frame.Column { return frame.Call("&", a, b) }

// BitwiseOr is a | b of integers widened to their common type.
func BitwiseOr(a, b frame.Column) frame.Column { return frame.Call("|", a, b) }

// BitwiseXor is a ^ b of integers widened to their common type.
func BitwiseXor(a, b frame.Column) frame.Column { return frame.Call("^", a, b) }

// BitwiseNot is ~c of an integer, of c's type.
func BitwiseNot(c frame.Column) frame.Column { return frame.Call("~", c) }

// ShiftLeft is c << n: c an INT (TINYINT and SMALLINT widen) or BIGINT, of
// c's type, the distance taken modulo the width as in Java.
func ShiftLeft(c frame.Column, n int) frame.Column {
	return frame.Call("shiftleft", c, frame.Lit(int32(n)))
}

// ShiftRight is c >> n, the sign bit shifted in.
func ShiftRight(c frame.Column, n int) frame.Column {
	return frame.Call("shiftright", c, frame.Lit(int32(n)))
}

// ShiftRightUnsigned is c >>> n, zeros shifted in.
func ShiftRightUnsigned(c frame.Column, n int) frame.Column {
	return frame.Call("shiftrightunsigned", c, frame.Lit(int32(n)))
}

// BitCount is the number of set bits of an integer c sign-extended to 64
// bits (or 1/0 of a BOOLEAN), an INT.
func BitCount(c frame.Column) frame.Column { return frame.Call("bit_count", c) }

// BitGet is bit pos of the integer c (from the right, from 0) as a TINYINT;
// a position outside the type's width is an error.
func BitGet(c frame.Column, pos int) frame.Column {
	return frame.Call("bit_get", c, frame.Lit(int32(pos)))
}

// Getbit is BitGet.
func Getbit(c frame.Column, pos int) frame.Column { return BitGet(c, pos) }

// Positive is c itself (a string is cast to DOUBLE).
func Positive(c frame.Column) frame.Column { return frame.Call("positive", c) }

// Negative is -c (ANSI: the minimum of an integer type overflows).
func Negative(c frame.Column) frame.Column { return frame.Call("negative", c) }

// Div is the integral division a div b of integers as a BIGINT, truncated
// toward zero (ANSI: a zero divisor is an error).
func Div(a, b frame.Column) frame.Column { return frame.Call("div", a, b) }

// Factorial is c! of an INT as a BIGINT, null outside [0, 20].
func Factorial(c frame.Column) frame.Column { return frame.Call("factorial", c) }

// Bin is the binary digits of c cast to BIGINT (two's complement).
func Bin(c frame.Column) frame.Column { return frame.Call("bin", c) }

// Hex is the upper-case hexadecimal digits of an integer c (two's
// complement) or of the bytes of a string c.
func Hex(c frame.Column) frame.Column { return frame.Call("hex", c) }

// BitAndAgg is the aggregate bit_and: the bitwise AND of the non-null
// values of the integer c in each group, of c's type.
func BitAndAgg(c frame.Column) frame.Column { return frame.AggOf(logical.AggBitAnd, false, false, c) }

// BitOrAgg is the aggregate bit_or: the bitwise OR of the non-null values.
func BitOrAgg(c frame.Column) frame.Column { return frame.AggOf(logical.AggBitOr, false, false, c) }

// BitXorAgg is the aggregate bit_xor: the bitwise XOR of the non-null
// values.
func BitXorAgg(c frame.Column) frame.Column { return frame.AggOf(logical.AggBitXor, false, false, c) }

// TryAdd is a + b, null where it overflows instead of the ANSI error.
func TryAdd(a, b frame.Column) frame.Column { return frame.Call("try_add", a, b) }

// TrySubtract is a - b, null where it overflows.
func TrySubtract(a, b frame.Column) frame.Column { return frame.Call("try_subtract", a, b) }

// TryMultiply is a * b, null where it overflows.
func TryMultiply(a, b frame.Column) frame.Column { return frame.Call("try_multiply", a, b) }

// TryDivide is a / b, null where b is zero.
func TryDivide(a, b frame.Column) frame.Column { return frame.Call("try_divide", a, b) }

// TryMod is a % b, null where b is zero.
func TryMod(a, b frame.Column) frame.Column { return frame.Call("try_mod", a, b) }

// WidthBucket is the number (1 to n) of the equal-width bucket of
// [min, max) holding c, 0 below and n+1 above; null for n ≤ 0 or min = max.
func WidthBucket(c, min, max frame.Column, n int) frame.Column {
	return frame.Call("width_bucket", c, min, max, frame.Lit(int64(n)))
}

// Conv converts the number c, a string in base from, to a string in base
// to (negative: signed), as Spark's conv.
func Conv(c frame.Column, from, to int) frame.Column {
	return frame.Call("conv", c, frame.Lit(int32(from)), frame.Lit(int32(to)))
}
