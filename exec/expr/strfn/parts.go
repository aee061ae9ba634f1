package strfn

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// ErrInvalidIndex is wrapped by errors for an index Spark rejects under
// ANSI mode (split_part's part 0, elt's index out of range).
var ErrInvalidIndex = fmt.Errorf("invalid index")

// SplitPart returns split_part(str, delim, part): the part-th field of str
// split by delim, counting from the end when part is negative; empty when
// there are fewer fields, the whole of str when delim is empty. Part 0 is
// an error.
func SplitPart(str, delim, part expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "split_part", args: []expr.Expr{str, delim, part}, want: []arrow.Type{arrow.STRING, arrow.STRING, arrow.INT32}, typ: stringType,
		check: func(c []col, i int) error {
			if c[2].int(i) == 0 {
				return fmt.Errorf("[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1): %w", ErrInvalidIndex)
			}
			return nil
		},
		str: func(c []col, i int, dst []byte) []byte {
			s, d, p := c[0].str(i), c[1].str(i), int(c[2].int(i))
			var fields [][]byte
			if len(d) == 0 {
				fields = [][]byte{s}
			} else {
				fields = bytes.Split(s, d)
			}
			if p < 0 {
				p = len(fields) + p + 1
			}
			if p < 1 || p > len(fields) {
				return dst
			}
			return append(dst, fields[p-1]...)
		}})
}

// SubstringIndex returns substring_index(str, delim, count): str before
// the count-th occurrence of delim, or after the count-th from the end when
// count is negative; empty when delim is empty or count is 0, the whole of
// str when delim occurs fewer than |count| times. Occurrences may overlap,
// as in Spark.
func SubstringIndex(str, delim, count expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "substring_index", args: []expr.Expr{str, delim, count}, want: []arrow.Type{arrow.STRING, arrow.STRING, arrow.INT32}, typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s, d, n := c[0].str(i), c[1].str(i), int(c[2].int(i))
			if len(d) == 0 || n == 0 {
				return dst
			}
			if n > 0 {
				idx := -1
				for ; n > 0; n-- {
					j := bytes.Index(s[idx+1:], d)
					if j < 0 {
						return append(dst, s...)
					}
					idx += 1 + j
				}
				return append(dst, s[:idx]...)
			}
			idx := len(s) - len(d) + 1
			for ; n < 0; n++ {
				if idx-1 < 0 {
					return append(dst, s...)
				}
				// The occurrence must start at or before idx-1.
				j := bytes.LastIndex(s[:min(idx-1+len(d), len(s))], d)
				if j < 0 {
					return append(dst, s...)
				}
				idx = j
			}
			return append(dst, s[idx+len(d):]...)
		}})
}

// FindInSet returns find_in_set(str, list): the 1-based position of str
// among the comma-separated fields of list, 0 when absent or when str
// holds a comma.
func FindInSet(str, list expr.Expr) (expr.Expr, error) {
	return newKernel(&kernel{name: "find_in_set", args: []expr.Expr{str, list}, want: strs(2), typ: int32Type,
		i32: func(c []col, i int) int32 {
			s, l := c[0].str(i), c[1].str(i)
			if bytes.IndexByte(s, ',') >= 0 {
				return 0
			}
			n := int32(1)
			for {
				j := bytes.IndexByte(l, ',')
				if j < 0 {
					if bytes.Equal(l, s) {
						return n
					}
					return 0
				}
				if bytes.Equal(l[:j], s) {
					return n
				}
				l = l[j+1:]
				n++
			}
		}})
}

// Elt returns elt(n, args...): the n-th of args (1-based); an index out
// of range is an error, as under Spark's ANSI mode.
func Elt(n expr.Expr, args ...expr.Expr) (expr.Expr, error) {
	all := append([]expr.Expr{n}, args...)
	want := append([]arrow.Type{arrow.INT32}, strs(len(args))...)
	return newKernel(&kernel{name: "elt", args: all, want: want, typ: stringType,
		rowValid: func(c []col, i int) bool {
			if !c[0].ok(i) {
				return false
			}
			k := int(c[0].int(i))
			return k < 1 || k >= len(c) || c[k].ok(i)
		},
		check: func(c []col, i int) error {
			if k := int(c[0].int(i)); k < 1 || k >= len(c) {
				return fmt.Errorf("[INVALID_ARRAY_INDEX] The index %d is out of bounds. The array has %d elements: %w", k, len(c)-1, ErrInvalidIndex)
			}
			return nil
		},
		str: func(c []col, i int, dst []byte) []byte {
			return append(dst, c[c[0].int(i)].str(i)...)
		}})
}

// charRange returns the bytes of s from code point start (0-based) to
// code point end (exclusive), both clamped to s.
func charRange(s []byte, start, end int) []byte {
	if start < 0 {
		start = 0
	}
	if end <= start {
		return nil
	}
	bs, c := 0, 0
	for bs < len(s) && c < start {
		_, size := utf8.DecodeRune(s[bs:])
		bs += size
		c++
	}
	be := bs
	for be < len(s) && c < end {
		_, size := utf8.DecodeRune(s[be:])
		be += size
		c++
	}
	return s[bs:be]
}

// substringSQL is Spark's substring(s, pos, length) with a 1-based pos, 0
// acting as 1 and a negative pos counting from the end.
func substringSQL(s []byte, pos, length int64) []byte {
	n := int64(runeCount(s))
	var start int64
	switch {
	case pos > 0:
		start = pos - 1
	case pos < 0:
		start = n + pos
	}
	end := start + length
	start = max(start, 0)
	if start >= end {
		return nil
	}
	return charRange(s, int(start), int(min(end, n)))
}

// Overlay returns overlay(str PLACING rep FROM pos FOR length): str with
// length characters from pos replaced by rep; a negative length (the
// default) stands for the length of rep.
func Overlay(str, rep, pos, length expr.Expr) (expr.Expr, error) {
	args := []expr.Expr{str, rep, pos}
	want := []arrow.Type{arrow.STRING, arrow.STRING, arrow.INT32}
	if length != nil {
		args = append(args, length)
		want = append(want, arrow.INT32)
	}
	return newKernel(&kernel{name: "overlay", args: args, want: want, typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s, r, p := c[0].str(i), c[1].str(i), int64(c[2].int(i))
			l := int64(-1)
			if len(c) > 3 {
				l = int64(c[3].int(i))
			}
			if l < 0 {
				l = int64(runeCount(r))
			}
			dst = append(dst, substringSQL(s, 1, p-1)...)
			dst = append(dst, r...)
			return append(dst, substringSQL(s, p+l, 1<<31-1)...)
		}})
}
