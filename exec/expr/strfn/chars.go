package strfn

import (
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// runeCount counts the code points of s, with a fast path for ASCII.
func runeCount(s []byte) int {
	for _, b := range s {
		if b >= utf8.RuneSelf {
			return utf8.RuneCount(s)
		}
	}
	return len(s)
}

// Length returns length(e): the number of characters (code points) of e.
func Length(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "length", args: []expr.Expr{e}, want: strs(1), typ: int32Type,
		i32: func(c []col, i int) int32 { return int32(runeCount(c[0].str(i))) }})
}

// InitCap returns initcap(e): e in lower case with the first letter of each
// space-separated word in title case.
func InitCap(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "initcap", args: []expr.Expr{e}, want: strs(1), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s := c[0].str(i)
			start := true
			for len(s) > 0 {
				r, size := utf8.DecodeRune(s)
				switch {
				case r == utf8.RuneError && size == 1:
					dst = append(dst, s[0])
				case start:
					dst = utf8.AppendRune(dst, unicode.ToTitle(r))
				default:
					dst = utf8.AppendRune(dst, unicode.ToLower(r))
				}
				start = r == ' '
				s = s[size:]
			}
			return dst
		}})
}

// Reverse returns reverse(e): the characters of e in reverse order.
func Reverse(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "reverse", args: []expr.Expr{e}, want: strs(1), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s := c[0].str(i)
			for end := len(s); end > 0; {
				_, size := utf8.DecodeLastRune(s[:end])
				dst = append(dst, s[end-size:end]...)
				end -= size
			}
			return dst
		}})
}

// Repeat returns repeat(e, n): e repeated n times, empty when n ≤ 0.
func Repeat(e, n expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "repeat", args: []expr.Expr{e, n}, want: []arrow.Type{arrow.STRING, arrow.INT32}, typ: stringType,
		check: func(c []col, i int) error {
			k := max(int64(c[1].int(i)), 0)
			return checkSize("repeat", k*int64(len(c[0].str(i))), i)
		},
		str: func(c []col, i int, dst []byte) []byte {
			s, k := c[0].str(i), int64(c[1].int(i))
			if k <= 0 || len(s) == 0 {
				return dst
			}
			if int64(len(dst))+k*int64(len(s)) > maxLen {
				return nil
			}
			for ; k > 0; k-- {
				dst = append(dst, s...)
			}
			return dst
		}})
}

// Ascii returns ascii(e): the code point of the first character of e, 0
// for the empty string.
func Ascii(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "ascii", args: []expr.Expr{e}, want: strs(1), typ: int32Type,
		i32: func(c []col, i int) int32 {
			s := c[0].str(i)
			if len(s) == 0 {
				return 0
			}
			r, size := utf8.DecodeRune(s)
			if r == utf8.RuneError && size == 1 {
				return int32(s[0])
			}
			return r
		}})
}
