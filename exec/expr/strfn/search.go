package strfn

import (
	"bytes"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// charIndex returns the 0-based code point index of the first occurrence
// of sub in s at or after code point start, or -1; an empty sub is found at
// 0 whatever start is (as Spark's UTF8String.indexOf).
func charIndex(s, sub []byte, start int) int {
	if len(sub) == 0 {
		return 0
	}
	i, c := 0, 0
	for i < len(s) && c < start {
		_, size := utf8.DecodeRune(s[i:])
		i += size
		c++
	}
	if c < start {
		return -1
	}
	j := bytes.Index(s[i:], sub)
	if j < 0 {
		return -1
	}
	return c + runeCount(s[i:i+j])
}

// Instr returns instr(str, substr): the 1-based character position of the
// first occurrence of substr in str, 0 when absent.
func Instr(str, substr expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "instr", args: []expr.Expr{str, substr}, want: strs(2), typ: int32Type,
		i32: func(c []col, i int) int32 { return int32(charIndex(c[0].str(i), c[1].str(i), 0) + 1) }})
}

// Locate returns locate(substr, str, pos): the 1-based character position
// of the first occurrence of substr in str at or after pos (1 when pos is
// nil); 0 when absent or pos < 1, and 0 (not null) when pos is null.
func Locate(substr, str, pos expr.Expr) (expr.Expr, error) {
	args := []expr.Expr{substr, str}
	want := strs(2)
	k := &kernel{name: "locate", typ: int32Type}
	if pos != nil {
		args = append(args, pos)
		want = append(want, arrow.INT32)
		k.rowValid = func(c []col, i int) bool { return !c[2].ok(i) || c[0].ok(i) && c[1].ok(i) }
	}
	k.args, k.want = args, want
	k.i32 = func(c []col, i int) int32 {
		start := 1
		if len(c) > 2 {
			if !c[2].ok(i) {
				return 0
			}
			start = int(c[2].int(i))
		}
		if start < 1 {
			return 0
		}
		return int32(charIndex(c[1].str(i), c[0].str(i), start-1) + 1)
	}
	return newKernel(k)
}

// Replace returns replace(str, search, rep): every occurrence of search
// replaced by rep (removed when rep is nil); an empty search leaves str.
func Replace(str, search, rep expr.Expr) (expr.Expr, error) {
	args := []expr.Expr{str, search}
	if rep != nil {
		args = append(args, rep)
	}
	return newKernel(&kernel{name: "replace", args: args, want: strs(len(args)), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s, old := c[0].str(i), c[1].str(i)
			var nw []byte
			if len(c) > 2 {
				nw = c[2].str(i)
			}
			if len(old) == 0 {
				return append(dst, s...)
			}
			for {
				j := bytes.Index(s, old)
				if j < 0 {
					break
				}
				dst = append(dst, s[:j]...)
				dst = append(dst, nw...)
				if len(dst) > maxLen {
					return nil
				}
				s = s[j+len(old):]
			}
			return append(dst, s...)
		}})
}

// Translate returns translate(e, from, to): each character of e found in
// from replaced by the character at the same position in to, or removed
// when to is shorter; the first occurrence of a repeated from character
// wins.
func Translate(e expr.Expr, from, to string) (expr.Expr, error) {
	toR := []rune(to)
	m := map[rune]rune{} // -1 deletes
	var ascii [128]int32
	for i := range ascii {
		ascii[i] = int32(i)
	}
	for i, r := range []rune(from) {
		if _, seen := m[r]; seen {
			continue
		}
		v := rune(-1)
		if i < len(toR) {
			v = toR[i]
		}
		m[r] = v
		if r < utf8.RuneSelf {
			ascii[r] = v
		}
	}
	return newKernel(&kernel{name: "translate", label: "translate(" + e.String() + ", " + quote(from) + ", " + quote(to) + ")", args: []expr.Expr{e}, want: strs(1), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s := c[0].str(i)
			for len(s) > 0 {
				var v rune
				if b := s[0]; b < utf8.RuneSelf {
					v = ascii[b]
					s = s[1:]
				} else {
					r, size := utf8.DecodeRune(s)
					s = s[size:]
					mv, ok := m[r]
					switch {
					case r == utf8.RuneError && size == 1:
						dst = append(dst, b)
						continue
					case ok:
						v = mv
					default:
						v = r
					}
				}
				if v >= 0 {
					dst = utf8.AppendRune(dst, v)
				}
			}
			return dst
		}})
}
