package arrayfn

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/strfn"
)

// Split is split(str, regex, limit): str split around the matches of the
// regular expression pattern (RE2 syntax; Java constructs RE2 lacks are
// rejected). With limit > 0 the array has at most limit elements, the last
// holding the rest of the string; with limit ≤ 0 the pattern is applied as
// often as possible and trailing empty strings are kept. As in Spark, an
// empty pattern splits into characters, and a zero-width match at the start
// yields no leading empty string. A null string gives null.
func Split(str expr.Expr, pattern string, limit int) (expr.Expr, error) {
	if err := checkArgs("split", str); err != nil {
		return nil, err
	}
	if id := valueType(str.DataType()).ID(); id != arrow.STRING && id != arrow.NULL {
		return nil, fmt.Errorf("split: argument %s has type %s, expected string", str, str.DataType())
	}
	var re *regexp.Regexp
	if pattern != "" {
		var err error
		if re, err = strfn.CompilePattern("split", pattern); err != nil {
			return nil, err
		}
	}
	typ := arrow.ListOf(arrow.BinaryTypes.String)
	f := &fn{name: "split", args: []expr.Expr{str}, typ: typ}
	f.eval = func(mem memory.Allocator, a []arrow.Array, n int) (arrow.Array, error) {
		b := array.NewListBuilder(mem, arrow.BinaryTypes.String)
		defer b.Release()
		vb := b.ValueBuilder().(*array.StringBuilder)
		s, _ := a[0].(*array.String)
		var parts [][2]int
		for i := 0; i < n; i++ {
			if s == nil || s.IsNull(i) {
				b.AppendNull()
				continue
			}
			text := s.Value(i)
			if re == nil {
				parts = splitChars(text, limit, parts[:0])
			} else {
				parts = splitJava(re, text, limit, parts[:0])
			}
			b.Append(true)
			for _, p := range parts {
				vb.Append(text[p[0]:p[1]])
			}
		}
		return b.NewArray(), nil
	}
	f.label = fmt.Sprintf("split(%s, %s, %d)", str, quote(pattern), limit)
	return f, nil
}

// quote renders s as a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "\\'") + "'" }

// splitJava follows java.lang.String.split(regex, limit) with limit ≠ 0
// (Spark passes -1 for limit ≤ 0): byte ranges of the pieces.
func splitJava(re *regexp.Regexp, s string, limit int, out [][2]int) [][2]int {
	index := 0
	limited := limit > 0
	for _, m := range re.FindAllStringIndex(s, -1) {
		if limited && len(out) >= limit-1 {
			break
		}
		if m[1] == 0 {
			// a zero-width match at the start gives no leading empty piece
			continue
		}
		out = append(out, [2]int{index, m[0]})
		index = m[1]
	}
	if index == 0 && len(out) == 0 {
		return append(out, [2]int{0, len(s)})
	}
	return append(out, [2]int{index, len(s)})
}

// splitChars splits s into characters, as Spark does for an empty pattern:
// with a positive limit below the length, the last piece holds the rest.
func splitChars(s string, limit int, out [][2]int) [][2]int {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return append(out, [2]int{0, 0})
	}
	if limit <= 0 || limit > n {
		limit = n
	}
	pos := 0
	for k := 0; k < limit-1; k++ {
		_, w := utf8.DecodeRuneInString(s[pos:])
		out = append(out, [2]int{pos, pos + w})
		pos += w
	}
	return append(out, [2]int{pos, len(s)})
}
