package strfn

import (
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// prefixChars returns the first n code points of s (all of s when shorter).
func prefixChars(s []byte, n int) []byte {
	if n <= 0 {
		return s[:0]
	}
	if n >= len(s) {
		return s
	}
	for off := range string(s) {
		if n == 0 {
			return s[:off]
		}
		n--
	}
	return s
}

// suffixChars returns the last n code points of s (all of s when shorter).
func suffixChars(s []byte, n int) []byte {
	if n <= 0 {
		return s[len(s):]
	}
	end := len(s)
	for end > 0 && n > 0 {
		_, size := utf8.DecodeLastRune(s[:end])
		end -= size
		n--
	}
	return s[end:]
}

// appendPad appends n characters of pad, repeated, to dst; nil when the
// result would be too large.
func appendPad(dst, pad []byte, n int) []byte {
	pc := runeCount(pad)
	full, rest := n/pc, n%pc
	if int64(len(dst))+int64(full+1)*int64(len(pad)) > maxLen {
		return nil
	}
	for ; full > 0; full-- {
		dst = append(dst, pad...)
	}
	return append(dst, prefixChars(pad, rest)...)
}

// Lpad returns lpad(e, length, pad): e left-padded with pad (a space when
// pad is nil) to length characters, or cut to length when longer; an empty
// pad leaves a short e as it is.
func Lpad(e, length, pad expr.Expr) (expr.Expr, error) { return newPad("lpad", e, length, pad, true) }

// Rpad returns rpad(e, length, pad), right-padding like Lpad.
func Rpad(e, length, pad expr.Expr) (expr.Expr, error) { return newPad("rpad", e, length, pad, false) }

func newPad(name string, e, length, pad expr.Expr, left bool) (expr.Expr, error) {
	args := []expr.Expr{e, length}
	want := []arrow.Type{arrow.STRING, arrow.INT32}
	if pad != nil {
		args = append(args, pad)
		want = append(want, arrow.STRING)
	}
	space := []byte(" ")
	return newKernel(&kernel{name: name, args: args, want: want, typ: stringType,
		check: func(c []col, i int) error {
			s, n := c[0].str(i), int64(c[1].int(i))
			p := space
			if len(c) > 2 {
				p = c[2].str(i)
			}
			// Only padding grows a value, by at most n/|p|+1 copies of p
			// (|p| in characters); count characters only past that bound.
			if len(p) == 0 || n <= 0 || int64(len(s))+(n+1)*int64(len(p)) <= MaxStringBytes {
				return nil
			}
			sc := int64(runeCount(s))
			if n <= sc {
				return nil
			}
			pc := int64(runeCount(p))
			full, rest := (n-sc)/pc, int((n-sc)%pc)
			return checkSize(name, int64(len(s))+full*int64(len(p))+int64(len(prefixChars(p, rest))), i)
		},
		str: func(c []col, i int, dst []byte) []byte {
			s, n := c[0].str(i), int(c[1].int(i))
			p := space
			if len(c) > 2 {
				p = c[2].str(i)
			}
			sc := runeCount(s)
			if n <= sc || len(p) == 0 {
				return append(dst, prefixChars(s, n)...)
			}
			if !left {
				dst = append(dst, s...)
			}
			dst = appendPad(dst, p, n-sc)
			if dst != nil && left {
				dst = append(dst, s...)
			}
			return dst
		}})
}

// Left returns left(e, n): the first n characters of e, empty when n ≤ 0.
func Left(e, n expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "left", args: []expr.Expr{e, n}, want: []arrow.Type{arrow.STRING, arrow.INT32}, typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			return append(dst, prefixChars(c[0].str(i), int(c[1].int(i)))...)
		}})
}

// Right returns right(e, n): the last n characters of e, empty when n ≤ 0.
func Right(e, n expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "right", args: []expr.Expr{e, n}, want: []arrow.Type{arrow.STRING, arrow.INT32}, typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			return append(dst, suffixChars(c[0].str(i), int(c[1].int(i)))...)
		}})
}
