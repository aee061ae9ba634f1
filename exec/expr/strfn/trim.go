package strfn

import (
	"bytes"
	"unicode/utf8"

	"github.com/gspark/gspark/exec/expr"
)

// TrimMode selects which ends of the string Trim strips.
type TrimMode int

// The trim modes: both ends (trim, btrim), leading (ltrim), trailing (rtrim).
const (
	TrimBoth TrimMode = iota
	TrimLeading
	TrimTrailing
)

// Trim strips from one or both ends of e the characters of chars, or the
// space character (U+0020 only, as Spark) when chars is nil. name is the
// function name shown in messages (trim, btrim, ltrim, rtrim).
func Trim(name string, mode TrimMode, e, chars expr.Expr) (expr.Expr, error) {
	args := []expr.Expr{e}
	if chars != nil {
		args = append(args, chars)
	}
	return newKernel(&kernel{name: name, args: args, want: strs(len(args)), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s := c[0].str(i)
			if len(c) == 1 {
				if mode != TrimTrailing {
					s = bytes.TrimLeft(s, " ")
				}
				if mode != TrimLeading {
					s = bytes.TrimRight(s, " ")
				}
				return append(dst, s...)
			}
			return append(dst, trimSet(s, c[1].str(i), mode)...)
		}})
}

// trimSet strips the code points of set from the ends of s.
func trimSet(s, set []byte, mode TrimMode) []byte {
	in := func(r rune, size int, at []byte) bool {
		if r == utf8.RuneError && size == 1 {
			return bytes.IndexByte(set, at[0]) >= 0
		}
		return bytes.IndexRune(set, r) >= 0
	}
	if mode != TrimTrailing {
		for len(s) > 0 {
			r, size := utf8.DecodeRune(s)
			if !in(r, size, s) {
				break
			}
			s = s[size:]
		}
	}
	if mode != TrimLeading {
		for len(s) > 0 {
			r, size := utf8.DecodeLastRune(s)
			if !in(r, size, s[len(s)-size:]) {
				break
			}
			s = s[:len(s)-size]
		}
	}
	return s
}
