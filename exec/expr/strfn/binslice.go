package strfn

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// sliceSQL returns the bytes of v that Spark's substring of a binary
// selects: pos counts from 1 (0 reads as 1) or, negative, from the end;
// length bytes from there, none when length ≤ 0; out-of-range parts are
// cut off.
func sliceSQL(v []byte, pos, length int64) []byte {
	if length <= 0 {
		return nil
	}
	n := int64(len(v))
	var start int64
	switch {
	case pos > 0:
		start = pos - 1
	case pos < 0:
		start = n + pos
	}
	end := start + length
	if end < start { // overflow: to the end
		end = math.MaxInt64
	}
	start = max(start, 0)
	end = min(end, n)
	if start >= end {
		return nil
	}
	return v[start:end]
}

// BinarySubstring returns substring(b, pos, length) of a binary b: a
// binary of its bytes from pos (1-based, negative from the end), as
// Spark's substring of BINARY.
func BinarySubstring(b expr.Expr, pos, length int64) (expr.Expr, error) {
	label := fmt.Sprintf("substring(%s, %d, %d)", b, pos, length)
	return newKernel(&kernel{name: "substring", label: label, bytesOK: true, args: []expr.Expr{b}, want: strs(1), typ: binaryType,
		str: func(c []col, i int, dst []byte) []byte {
			return append(dst, sliceSQL(c[0].str(i), pos, length)...)
		}})
}

// BinaryLeft returns left(b, n) of a binary b: its first n bytes, none
// when n ≤ 0 (Spark's left is substring(b, 1, n)).
func BinaryLeft(b, n expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "left", bytesOK: true, args: []expr.Expr{b, n}, want: []arrow.Type{arrow.STRING, arrow.INT32}, typ: binaryType,
		str: func(c []col, i int, dst []byte) []byte {
			return append(dst, sliceSQL(c[0].str(i), 1, int64(c[1].int(i)))...)
		}})
}
