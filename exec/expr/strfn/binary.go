package strfn

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

var binaryType = arrow.BinaryTypes.Binary

// hexNibble returns the value of hexadecimal digit b, or -1.
func hexNibble(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'a' && b <= 'f':
		return int(b-'a') + 10
	case b >= 'A' && b <= 'F':
		return int(b-'A') + 10
	}
	return -1
}

// validHex reports whether every byte of s is a hexadecimal digit.
func validHex(s []byte) bool {
	for _, b := range s {
		if hexNibble(b) < 0 {
			return false
		}
	}
	return true
}

// appendUnhex appends the bytes the hexadecimal digits s stand for; an
// odd number of digits reads as if a leading 0 were there. s must be
// validHex.
func appendUnhex(dst, s []byte) []byte {
	if len(s)%2 == 1 {
		dst = append(dst, byte(hexNibble(s[0])))
		s = s[1:]
	}
	for i := 0; i+1 < len(s); i += 2 {
		dst = append(dst, byte(hexNibble(s[i])<<4|hexNibble(s[i+1])))
	}
	return dst
}

// Unhex returns unhex(e) as a binary: the bytes the hexadecimal digits of
// e stand for, a leading 0 added to an odd number of digits. Text with a
// character that is not a hexadecimal digit is NULL, as in Spark.
func Unhex(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "unhex", args: []expr.Expr{e}, want: strs(1), typ: binaryType,
		rowValid: func(c []col, i int) bool { return c[0].ok(i) && validHex(c[0].str(i)) },
		str: func(c []col, i int, dst []byte) []byte {
			return appendUnhex(dst, c[0].str(i))
		}})
}

// OctetLength returns octet_length(e): the number of bytes of a string
// (its UTF-8 encoding) or binary.
func OctetLength(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "octet_length", bytesOK: true, args: []expr.Expr{e}, want: strs(1), typ: int32Type,
		i32: func(c []col, i int) int32 { return int32(len(c[0].str(i))) }})
}

// BitLength returns bit_length(e): 8 times the number of bytes of a
// string (its UTF-8 encoding) or binary.
func BitLength(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "bit_length", bytesOK: true, args: []expr.Expr{e}, want: strs(1), typ: int32Type,
		i32: func(c []col, i int) int32 { return int32(len(c[0].str(i)) * 8) }})
}

// BinaryLength returns length(b) of a binary b: its number of bytes.
func BinaryLength(e expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "length", bytesOK: true, args: []expr.Expr{e}, want: strs(1), typ: int32Type,
		i32: func(c []col, i int) int32 { return int32(len(c[0].str(i))) }})
}

// charset returns the canonical name of a character set encode and
// decode support, or an error naming the supported ones.
func charset(fn, name string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(name, "_", "-")) {
	case "UTF-8", "UTF8":
		return "UTF-8", nil
	case "US-ASCII", "ASCII":
		return "US-ASCII", nil
	case "ISO-8859-1", "LATIN1":
		return "ISO-8859-1", nil
	}
	return "", fmt.Errorf("%s: [INVALID_PARAMETER_VALUE.CHARSET] unsupported character set %s: expected one of 'UTF-8', 'US-ASCII', 'ISO-8859-1'", fn, quote(name))
}

// Encode returns encode(s, cs): the bytes of string s in character set cs
// (UTF-8, US-ASCII or ISO-8859-1). A character cs cannot hold is an
// error, as in Spark 4.0.
func Encode(s expr.Expr, cs string) (expr.Expr, error) {
	name, err := charset("encode", cs)
	if err != nil {
		return nil, err
	}
	k := &kernel{name: "encode", label: "encode(" + s.String() + ", " + quote(cs) + ")", args: []expr.Expr{s}, want: strs(1), typ: binaryType}
	limit := rune(0x7f)
	switch name {
	case "UTF-8":
		k.str = func(c []col, i int, dst []byte) []byte { return append(dst, c[0].str(i)...) }
		return newKernel(k)
	case "ISO-8859-1":
		limit = 0xff
	}
	k.check = func(c []col, i int) error {
		for _, r := range string(c[0].str(i)) {
			if r > limit {
				return fmt.Errorf("encode: [MALFORMED_CHARACTER_CODING] the character %q of %s has no %s encoding: %w", r, quote(string(c[0].str(i))), name, expr.ErrInvalidCast)
			}
		}
		return nil
	}
	k.str = func(c []col, i int, dst []byte) []byte {
		for _, r := range string(c[0].str(i)) {
			dst = append(dst, byte(r))
		}
		return dst
	}
	return newKernel(k)
}

// Decode returns decode(b, cs): the string the bytes of binary b encode
// in character set cs (UTF-8, US-ASCII or ISO-8859-1). Bytes that are not
// valid in cs are an error, as in Spark 4.0.
func Decode(b expr.Expr, cs string) (expr.Expr, error) {
	name, err := charset("decode", cs)
	if err != nil {
		return nil, err
	}
	k := &kernel{name: "decode", label: "decode(" + b.String() + ", " + quote(cs) + ")", bytesOK: true, args: []expr.Expr{b}, want: strs(1), typ: stringType}
	switch name {
	case "UTF-8":
		k.check = func(c []col, i int) error {
			if !utf8.Valid(c[0].str(i)) {
				return fmt.Errorf("decode: [MALFORMED_CHARACTER_CODING] the bytes are not valid UTF-8: %w", expr.ErrInvalidCast)
			}
			return nil
		}
		k.str = func(c []col, i int, dst []byte) []byte { return append(dst, c[0].str(i)...) }
	case "US-ASCII":
		k.check = func(c []col, i int) error {
			for _, x := range c[0].str(i) {
				if x > 0x7f {
					return fmt.Errorf("decode: [MALFORMED_CHARACTER_CODING] byte 0x%02X is not US-ASCII: %w", x, expr.ErrInvalidCast)
				}
			}
			return nil
		}
		k.str = func(c []col, i int, dst []byte) []byte { return append(dst, c[0].str(i)...) }
	default:
		k.str = func(c []col, i int, dst []byte) []byte {
			for _, x := range c[0].str(i) {
				dst = utf8.AppendRune(dst, rune(x))
			}
			return dst
		}
	}
	return newKernel(k)
}

// ConcatBinary returns concat(args...) of binaries: their bytes joined,
// null when any argument is.
func ConcatBinary(args ...expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "concat", bytesOK: true, args: args, want: strs(len(args)), typ: binaryType,
		str: func(c []col, i int, dst []byte) []byte {
			for j := range c {
				dst = append(dst, c[j].str(i)...)
			}
			return dst
		}})
}
