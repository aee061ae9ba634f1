package strfn

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// ToBinaryFormat returns the canonical name of a to_binary format ("hex",
// "utf-8" or "base64"; "utf8" is "utf-8", any case), or ok false.
func ToBinaryFormat(format string) (string, bool) {
	switch strings.ToLower(format) {
	case "hex":
		return "hex", true
	case "utf-8", "utf8":
		return "utf-8", true
	case "base64":
		return "base64", true
	}
	return "", false
}

// ToBinary returns to_binary(str, format) (try false) and
// try_to_binary(str, format) (try true): the bytes str stands for in
// format, "hex" (an odd number of digits reads with a leading 0),
// "utf-8" (its own bytes) or "base64" (padding optional). Text that is
// not in the format is an error naming try_to_binary, as in Spark 4.0, or
// NULL for try_to_binary.
func ToBinary(str expr.Expr, format string, try bool) (expr.Expr, error) {
	name := "to_binary"
	if try {
		name = "try_to_binary"
	}
	f, ok := ToBinaryFormat(format)
	if !ok {
		return nil, fmt.Errorf("%s: [INVALID_PARAMETER_VALUE.BINARY_FORMAT] the format must be a case-insensitive string literal of 'hex', 'utf-8', 'utf8', or 'base64', got %s: %w",
			name, quote(format), expr.ErrInvalidCast)
	}
	label := fmt.Sprintf("%s(%s, %s)", name, str, quote(format))
	malformed := func(s []byte) ([]byte, bool, error) {
		if try {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("[CONVERSION_INVALID_INPUT] The value %s (STRING) cannot be converted to BINARY because it is malformed in the format %s; use try_to_binary to tolerate malformed input and return NULL instead: %w",
			quote(string(s)), strings.ToUpper(f), expr.ErrInvalidCast)
	}
	k := &bytesRow{name: name, label: label, args: []expr.Expr{str}, typ: binaryType}
	switch f {
	case "hex":
		k.row = func(v [][]byte, dst []byte) ([]byte, bool, error) {
			if !validHex(v[0]) {
				return malformed(v[0])
			}
			return appendUnhex(dst, v[0]), true, nil
		}
	case "utf-8":
		k.row = func(v [][]byte, dst []byte) ([]byte, bool, error) { return append(dst, v[0]...), true, nil }
	default:
		k.row = func(v [][]byte, dst []byte) ([]byte, bool, error) {
			out, err := decodeBase64(dst, v[0])
			if err != nil {
				return malformed(v[0])
			}
			return out, true, nil
		}
	}
	return newBytesRow(k)
}

// regexpAll is regexp_extract_all: an array of strings per row.
type regexpAll struct {
	str   expr.Expr
	label string
	match func(s []byte) [][]int
	idx   int
}

// RegexpExtractAll returns regexp_extract_all(str, pattern, idx): group idx
// (0 for the whole match) of every match of pattern in str, left to right,
// an empty string for a group that did not take part. An idx beyond the
// pattern's groups is an error when the function is built.
func RegexpExtractAll(str expr.Expr, pattern string, idx int) (expr.Expr, error) {
	label := fmt.Sprintf("regexp_extract_all(%s, %s, %d)", str, quote(pattern), idx)
	re, err := CompilePattern("regexp_extract_all", pattern)
	if err != nil {
		return nil, err
	}
	if idx < 0 || idx > re.NumSubexp() {
		return nil, fmt.Errorf("%s: [INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] the regular expression has %d group(s), group index %d is out of range: %w",
			label, re.NumSubexp(), idx, expr.ErrInvalidCast)
	}
	if t := str.DataType(); t.ID() != arrow.STRING && t.ID() != arrow.NULL {
		return nil, fmt.Errorf("%s: the argument is %s, want a string", label, t)
	}
	return &regexpAll{str: str, label: label, idx: idx, match: func(s []byte) [][]int { return re.FindAllSubmatchIndex(s, -1) }}, nil
}

func (e *regexpAll) DataType() arrow.DataType { return arrow.ListOf(stringType) }
func (e *regexpAll) String() string           { return e.label }

func (e *regexpAll) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := expr.EvalArgs(mem, batch, e.str)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(in)
	view := viewOf(in[0])
	b := array.NewListBuilder(mem, stringType)
	defer b.Release()
	vb := b.ValueBuilder().(*array.StringBuilder)
	for i := 0; i < int(batch.NumRows()); i++ {
		s, ok := view(i)
		if !ok {
			b.AppendNull()
			continue
		}
		b.Append(true)
		for _, m := range e.match(s) {
			lo, hi := m[2*e.idx], m[2*e.idx+1]
			if lo < 0 {
				vb.Append("")
				continue
			}
			vb.Append(string(s[lo:hi]))
		}
	}
	return b.NewArray(), nil
}
