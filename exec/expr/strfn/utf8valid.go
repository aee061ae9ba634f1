package strfn

import (
	"fmt"

	"github.com/gspark/gspark/exec/expr"
)

// utf8Seq returns the length of the well-formed UTF-8 sequence at the start
// of s (Unicode 15, table 3-7), or, when there is none, -n where n ≥ 1 is
// the length of its maximal subpart: the longest prefix of a well-formed
// sequence, which one U+FFFD replaces (section 3.9, D86).
func utf8Seq(s []byte) int {
	b := s[0]
	var want int
	lo, hi := byte(0x80), byte(0xBF) // the range of the second byte
	switch {
	case b < 0x80:
		return 1
	case b >= 0xC2 && b <= 0xDF:
		want = 2
	case b == 0xE0:
		want, lo = 3, 0xA0
	case b == 0xED:
		want, hi = 3, 0x9F
	case b >= 0xE1 && b <= 0xEF:
		want = 3
	case b == 0xF0:
		want, lo = 4, 0x90
	case b == 0xF4:
		want, hi = 4, 0x8F
	case b >= 0xF1 && b <= 0xF3:
		want = 4
	default: // 80..C1, F5..FF never start a sequence
		return -1
	}
	n := 1
	for n < want && n < len(s) {
		c := s[n]
		if n == 1 && (c < lo || c > hi) || n > 1 && (c < 0x80 || c > 0xBF) {
			break
		}
		n++
	}
	if n == want {
		return n
	}
	return -n
}

// validUTF8 reports whether s is well-formed UTF-8.
func validUTF8(s []byte) bool {
	for i := 0; i < len(s); {
		n := utf8Seq(s[i:])
		if n < 0 {
			return false
		}
		i += n
	}
	return true
}

// appendValidUTF8 appends s with each maximal subpart of an ill-formed
// sequence replaced by U+FFFD, as Spark's UTF8String.makeValid.
func appendValidUTF8(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		n := utf8Seq(s[i:])
		if n < 0 {
			dst = append(dst, 0xEF, 0xBF, 0xBD)
			i -= n
			continue
		}
		dst = append(dst, s[i:i+n]...)
		i += n
	}
	return dst
}

// IsValidUTF8 returns is_valid_utf8(e): whether the bytes of a string or
// binary are well-formed UTF-8.
func IsValidUTF8(e expr.Expr) (expr.Expr, error) {
	return newBytesRow(&bytesRow{name: "is_valid_utf8", args: []expr.Expr{e}, typ: boolType,
		row: func(v [][]byte, dst []byte) ([]byte, bool, error) {
			if validUTF8(v[0]) {
				dst = append(dst, 1)
			}
			return dst, true, nil
		}})
}

// MakeValidUTF8 returns make_valid_utf8(e): the bytes of e as a string, each
// maximal ill-formed subsequence replaced by one U+FFFD (Spark's
// UTF8String.makeValid).
func MakeValidUTF8(e expr.Expr) (expr.Expr, error) {
	return newBytesRow(&bytesRow{name: "make_valid_utf8", args: []expr.Expr{e}, typ: stringType,
		row: func(v [][]byte, dst []byte) ([]byte, bool, error) {
			return appendValidUTF8(dst, v[0]), true, nil
		}})
}

// ValidateUTF8 returns validate_utf8(e) (try false): e as a string when its
// bytes are well-formed UTF-8, an error naming the function otherwise; and
// try_validate_utf8(e) (try true), NULL instead of the error.
func ValidateUTF8(e expr.Expr, try bool) (expr.Expr, error) {
	name := "validate_utf8"
	if try {
		name = "try_validate_utf8"
	}
	return newBytesRow(&bytesRow{name: name, args: []expr.Expr{e}, typ: stringType,
		row: func(v [][]byte, dst []byte) ([]byte, bool, error) {
			if validUTF8(v[0]) {
				return append(dst, v[0]...), true, nil
			}
			if try {
				return dst, false, nil
			}
			return nil, false, fmt.Errorf("[INVALID_UTF8_STRING] invalid UTF8 byte sequence found in string: %s (use try_validate_utf8 for NULL or make_valid_utf8 to replace the bytes): %w",
				hexBytes(v[0]), expr.ErrInvalidCast)
		}})
}

// hexBytes renders b as Spark shows bytes in errors: \x followed by two
// upper-case hex digits per byte.
func hexBytes(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, 4*len(b))
	for _, c := range b {
		out = append(out, '\\', 'x', digits[c>>4], digits[c&15])
	}
	return string(out)
}
