package functions

import "github.com/gspark/gspark/frame"

// Abs is the absolute value of c, of c's type (ANSI: abs of an integer
// type's minimum is an overflow error).
func Abs(c frame.Column) frame.Column { return frame.Call("abs", c) }

// Round rounds c HALF_UP to scale digits after the decimal point (before it
// when negative).
func Round(c frame.Column, scale int) frame.Column {
	return frame.Call("round", c, frame.Lit(scale))
}

// BRound rounds c HALF_EVEN (banker's rounding) to scale digits.
func BRound(c frame.Column, scale int) frame.Column {
	return frame.Call("bround", c, frame.Lit(scale))
}

// Floor is the largest integer not above c (BIGINT, or DECIMAL of scale 0).
func Floor(c frame.Column) frame.Column { return frame.Call("floor", c) }

// Ceil is the smallest integer not below c (BIGINT, or DECIMAL of scale 0).
func Ceil(c frame.Column) frame.Column { return frame.Call("ceil", c) }

// Sqrt is the square root of c as a DOUBLE.
func Sqrt(c frame.Column) frame.Column { return frame.Call("sqrt", c) }

// Exp is e raised to c.
func Exp(c frame.Column) frame.Column { return frame.Call("exp", c) }

// Ln is the natural logarithm of c, null when c ≤ 0.
func Ln(c frame.Column) frame.Column { return frame.Call("ln", c) }

// Log is the logarithm of c in the given base, null when either is ≤ 0.
func Log(base float64, c frame.Column) frame.Column {
	return frame.Call("log", frame.Lit(base), c)
}

// Log10 is the base-10 logarithm of c, null when c ≤ 0.
func Log10(c frame.Column) frame.Column { return frame.Call("log10", c) }

// Log2 is the base-2 logarithm of c, null when c ≤ 0.
func Log2(c frame.Column) frame.Column { return frame.Call("log2", c) }

// Pow is base raised to exp, as a DOUBLE.
func Pow(base, exp frame.Column) frame.Column { return frame.Call("pow", base, exp) }

// Signum is -1.0, 0.0 or 1.0 by the sign of c.
func Signum(c frame.Column) frame.Column { return frame.Call("signum", c) }

// Mod is the remainder of a divided by n (a % n; ANSI: n = 0 is an error).
func Mod(a, n frame.Column) frame.Column { return frame.Call("mod", a, n) }

// Pmod is the positive remainder of a divided by n.
func Pmod(a, n frame.Column) frame.Column { return frame.Call("pmod", a, n) }

// Greatest is the largest non-null value of cols, null when all are null.
func Greatest(cols ...frame.Column) frame.Column { return frame.Call("greatest", cols...) }

// Least is the smallest non-null value of cols, null when all are null.
func Least(cols ...frame.Column) frame.Column { return frame.Call("least", cols...) }

// Coalesce is the first non-null value of cols.
func Coalesce(cols ...frame.Column) frame.Column { return frame.Call("coalesce", cols...) }

// Nvl is a unless it is null, else b.
func Nvl(a, b frame.Column) frame.Column { return frame.Call("nvl", a, b) }

// IfNull is Nvl.
func IfNull(a, b frame.Column) frame.Column { return frame.Call("ifnull", a, b) }

// NullIf is null when a equals b, else a.
func NullIf(a, b frame.Column) frame.Column { return frame.Call("nullif", a, b) }

// Nvl2 is b when a is not null, else c.
func Nvl2(a, b, c frame.Column) frame.Column { return frame.Call("nvl2", a, b, c) }

// If is a where cond is true, else b; each row evaluates only its branch.
func If(cond, a, b frame.Column) frame.Column { return frame.Call("if", cond, a, b) }

// IsNaN is true when c is NaN (false for null).
func IsNaN(c frame.Column) frame.Column { return frame.Call("isnan", c) }

// NaNvl is a unless it is NaN, else b.
func NaNvl(a, b frame.Column) frame.Column { return frame.Call("nanvl", a, b) }

// Rand is a uniform random DOUBLE in [0, 1) from a generator seeded with seed.
func Rand(seed int64) frame.Column { return frame.Call("rand", frame.Lit(seed)) }

// Randn is a standard normal random DOUBLE from a generator seeded with seed.
func Randn(seed int64) frame.Column { return frame.Call("randn", frame.Lit(seed)) }

// Hash is Spark's Murmur3 hash (seed 42) of cols as an INT.
func Hash(cols ...frame.Column) frame.Column { return frame.Call("hash", cols...) }

// Md5 is the MD5 digest of c as a 32-character hex string.
func Md5(c frame.Column) frame.Column { return frame.Call("md5", c) }

// Sha1 is the SHA-1 digest of c as a hex string.
func Sha1(c frame.Column) frame.Column { return frame.Call("sha1", c) }

// Sha2 is the SHA-2 digest of c with bitLength 224, 256 (or 0), 384 or 512
// as a hex string; other lengths give null.
func Sha2(c frame.Column, bitLength int) frame.Column {
	return frame.Call("sha2", c, frame.Lit(bitLength))
}

// Crc32 is the CRC-32 checksum of c as a BIGINT.
func Crc32(c frame.Column) frame.Column { return frame.Call("crc32", c) }
