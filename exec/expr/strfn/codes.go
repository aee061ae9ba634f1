package strfn

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// soundexCodes maps A..Z to their American Soundex digit; '7' marks H and
// W, which do not separate letters of the same code.
const soundexCodes = "01230127022455012623017202"

// Soundex returns soundex(e): the four-character Soundex code of e, or e
// itself when it does not start with an ASCII letter.
func Soundex(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "soundex", args: []expr.Expr{e}, want: strs(1), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s := c[0].str(i)
			if len(s) == 0 {
				return dst
			}
			upper := func(b byte) (byte, bool) {
				if b >= 'a' && b <= 'z' {
					b -= 'a' - 'A'
				}
				return b, b >= 'A' && b <= 'Z'
			}
			b, ok := upper(s[0])
			if !ok {
				return append(dst, s...)
			}
			code := [4]byte{b, '0', '0', '0'}
			n := 1
			last := soundexCodes[b-'A']
			for _, x := range s[1:] {
				b, ok := upper(x)
				if !ok {
					last = '0'
					continue
				}
				k := soundexCodes[b-'A']
				if k == '7' {
					continue
				}
				if k != '0' && k != last {
					code[n] = k
					n++
					if n > 3 {
						break
					}
				}
				last = k
			}
			return append(dst, code[:]...)
		}})
}

// Levenshtein returns levenshtein(a, b[, threshold]): the edit distance
// between a and b in characters, or -1 when it exceeds threshold.
func Levenshtein(a, b, threshold expr.Expr) (expr.Expr, error) {
	args := []expr.Expr{a, b}
	want := strs(2)
	if threshold != nil {
		args = append(args, threshold)
		want = append(want, arrow.INT32)
	}
	return newKernel(&kernel{name: "levenshtein", args: args, want: want, typ: int32Type,
		i32: func(c []col, i int) int32 {
			d := editDistance([]rune(string(c[0].str(i))), []rune(string(c[1].str(i))))
			if len(c) > 2 && d > int(c[2].int(i)) {
				return -1
			}
			return int32(d)
		}})
}

// editDistance is the Levenshtein distance of a and b (insertions,
// deletions and substitutions of one character each cost 1).
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// LuhnCheck returns luhn_check(e): whether e is a non-empty string of
// digits that passes the Luhn checksum.
func LuhnCheck(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "luhn_check", args: []expr.Expr{e}, want: strs(1), typ: boolType,
		bool: func(c []col, i int) bool {
			s := c[0].str(i)
			if len(s) == 0 {
				return false
			}
			sum, second := 0, false
			for j := len(s) - 1; j >= 0; j-- {
				if s[j] < '0' || s[j] > '9' {
					return false
				}
				d := int(s[j] - '0')
				if second {
					d *= 2
				}
				sum += d%10 + d/10
				second = !second
			}
			return sum%10 == 0
		}})
}

// StartsWith returns startswith(str, prefix).
func StartsWith(str, prefix expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "startswith", bytesOK: true, args: []expr.Expr{str, prefix}, want: strs(2), typ: boolType,
		bool: func(c []col, i int) bool { return bytes.HasPrefix(c[0].str(i), c[1].str(i)) }})
}

// EndsWith returns endswith(str, suffix).
func EndsWith(str, suffix expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "endswith", bytesOK: true, args: []expr.Expr{str, suffix}, want: strs(2), typ: boolType,
		bool: func(c []col, i int) bool { return bytes.HasSuffix(c[0].str(i), c[1].str(i)) }})
}

// Contains returns contains(str, sub).
func Contains(str, sub expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "contains", bytesOK: true, args: []expr.Expr{str, sub}, want: strs(2), typ: boolType,
		bool: func(c []col, i int) bool { return bytes.Contains(c[0].str(i), c[1].str(i)) }})
}

// chrExpr is chr(n) of a bigint n.
type chrExpr struct{ n expr.Expr }

// Chr returns chr(n) of a bigint n: the character of code n mod 256
// (ISO-8859-1), the empty string when n is negative and U+0000 when n mod
// 256 is 0.
func Chr(n expr.Expr) (expr.Expr, error) {
	if id := n.DataType().ID(); id != arrow.INT64 && id != arrow.INT32 && id != arrow.NULL {
		return nil, fmt.Errorf("chr(%s): the argument is %s, want bigint or int", n, n.DataType())
	}
	return &chrExpr{n: n}, nil
}

func (c *chrExpr) DataType() arrow.DataType { return stringType }
func (c *chrExpr) String() string           { return "chr(" + c.n.String() + ")" }

func (c *chrExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := c.n.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(a.Len())
	var buf []byte
	i64, _ := a.(*array.Int64)
	i32, _ := a.(*array.Int32)
	for i := 0; i < a.Len(); i++ {
		if i64 == nil && i32 == nil || a.IsNull(i) {
			b.AppendNull()
			continue
		}
		var v int64
		if i64 != nil {
			v = i64.Value(i)
		} else {
			v = int64(i32.Value(i))
		}
		buf = buf[:0]
		if v >= 0 {
			buf = utf8.AppendRune(buf, rune(v&0xFF))
		}
		b.BinaryBuilder.Append(buf)
	}
	return b.NewArray(), nil
}

// MaskChars are the replacements of mask; a negative rune leaves its
// class of characters as it is.
type MaskChars struct {
	Upper, Lower, Digit, Other rune
}

// Mask returns mask(str, upper, lower, digit, other): each upper-case
// letter, lower-case letter and digit of str replaced by its class's
// character, any other character by other.
func Mask(str expr.Expr, m MaskChars) (expr.Expr, error) {
	label := "mask(" + str.String()
	for _, r := range []rune{m.Upper, m.Lower, m.Digit, m.Other} {
		if r < 0 {
			label += ", NULL"
		} else {
			label += ", " + quote(string(r))
		}
	}
	return newKernel(&kernel{name: "mask", label: label + ")", args: []expr.Expr{str}, want: strs(1), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s := c[0].str(i)
			for len(s) > 0 {
				r, size := utf8.DecodeRune(s)
				var to rune
				switch {
				case unicode.IsUpper(r):
					to = m.Upper
				case unicode.IsLower(r):
					to = m.Lower
				case unicode.IsDigit(r):
					to = m.Digit
				default:
					to = m.Other
				}
				if to < 0 {
					dst = append(dst, s[:size]...)
				} else {
					dst = utf8.AppendRune(dst, to)
				}
				s = s[size:]
			}
			return dst
		}})
}

// Base64 returns base64(e): the standard Base64 encoding (with padding,
// without line breaks) of the UTF-8 bytes of e.
func Base64(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "base64", bytesOK: true, args: []expr.Expr{e}, want: strs(1), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			return base64.StdEncoding.AppendEncode(dst, c[0].str(i))
		}})
}

// ErrBadBase64 is wrapped by the error of unbase64 on text that is not
// Base64.
var ErrBadBase64 = fmt.Errorf("invalid base64")

// Unbase64 returns unbase64(e) as a binary: the bytes e encodes in
// Base64 (padding optional). Text that is not Base64 is an error, as
// under Spark's ANSI mode.
func Unbase64(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "unbase64", args: []expr.Expr{e}, want: strs(1), typ: binaryType,
		check: func(c []col, i int) error {
			if _, err := decodeBase64(nil, c[0].str(i)); err != nil {
				return fmt.Errorf("[CONVERSION_INVALID_INPUT] The value %s (STRING) cannot be converted to BINARY because it is malformed: %w", quote(string(c[0].str(i))), ErrBadBase64)
			}
			return nil
		},
		str: func(c []col, i int, dst []byte) []byte {
			out, _ := decodeBase64(dst, c[0].str(i))
			return out
		}})
}

// decodeBase64 appends the bytes s encodes to dst, with or without
// padding.
func decodeBase64(dst, s []byte) ([]byte, error) {
	if len(s)%4 == 0 {
		return base64.StdEncoding.AppendDecode(dst, s)
	}
	return base64.RawStdEncoding.AppendDecode(dst, s)
}

// BinaryToChar returns to_char(b, format) of a binary b: its Base64
// encoding ("base64"), its upper-case hexadecimal digits ("hex") or its
// bytes read as UTF-8 text ("utf-8"), the format case-insensitive.
func BinaryToChar(b expr.Expr, format string) (expr.Expr, error) {
	k := &kernel{name: "to_char", label: "to_char(" + b.String() + ", " + quote(format) + ")", args: []expr.Expr{b}, want: strs(1), typ: stringType, bytesOK: true}
	switch strings.ToLower(format) {
	case "base64":
		k.str = func(c []col, i int, dst []byte) []byte { return base64.StdEncoding.AppendEncode(dst, c[0].str(i)) }
	case "hex":
		k.str = func(c []col, i int, dst []byte) []byte {
			return append(dst, strings.ToUpper(hex.EncodeToString(c[0].str(i)))...)
		}
	case "utf-8", "utf8":
		k.str = func(c []col, i int, dst []byte) []byte { return append(dst, c[0].str(i)...) }
	default:
		return nil, CheckBinaryFormat(format)
	}
	return newKernel(k)
}

// CheckBinaryFormat reports whether format is one that to_char of a
// binary reads: 'base64', 'hex' or 'utf-8' (or 'utf8'), in any case.
func CheckBinaryFormat(format string) error {
	switch strings.ToLower(format) {
	case "base64", "hex", "utf-8", "utf8":
		return nil
	}
	return fmt.Errorf("[INVALID_PARAMETER_VALUE.BINARY_FORMAT] to_char of a binary needs the format 'base64', 'hex' or 'utf-8', got %s: %w", quote(format), ErrNumberFormat)
}
