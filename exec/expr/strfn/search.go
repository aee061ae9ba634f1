package strfn

import (
	"bytes"
	"math"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

var (
	stringType = arrow.BinaryTypes.String
	int32Type  = arrow.PrimitiveTypes.Int32
	boolType   = arrow.FixedWidthTypes.Boolean
)

// maxLen is the largest string a result may hold.
const maxLen = math.MaxInt32

// Concat returns concat(args...): the arguments joined, null when any is.
func Concat(args ...expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "concat", args: args, want: strs(len(args)), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			for j := range c {
				dst = append(dst, c[j].str(i)...)
			}
			return dst
		}})
}

// ConcatWs returns concat_ws(sep, args...): the non-null arguments joined
// by sep; null only when sep is null.
func ConcatWs(sep expr.Expr, args ...expr.Expr) (expr.Expr, error) {
	all := append([]expr.Expr{sep}, args...)
	return newKernel(&kernel{name: "concat_ws", args: all, want: strs(len(all)), typ: stringType,
		rowValid: func(c []col, i int) bool { return c[0].ok(i) },
		str: func(c []col, i int, dst []byte) []byte {
			first := true
			s := c[0].str(i)
			for j := 1; j < len(c); j++ {
				if !c[j].ok(i) {
					continue
				}
				if !first {
					dst = append(dst, s...)
				}
				first = false
				dst = append(dst, c[j].str(i)...)
			}
			return dst
		}})
}

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
