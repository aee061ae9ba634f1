package strfn

import (
	"fmt"
	"unicode/utf8"

	"github.com/gspark/gspark/exec/expr"
)

// RegexpCount returns regexp_count(str, pattern): how many times pattern
// matches in str (non-overlapping matches, left to right).
func RegexpCount(str expr.Expr, pattern string) (expr.Expr, error) {
	re, err := CompilePattern("regexp_count", pattern)
	if err != nil {
		return nil, err
	}
	return newKernel(&kernel{name: "regexp_count", label: fmt.Sprintf("regexp_count(%s, %s)", str, quote(pattern)), args: []expr.Expr{str}, want: strs(1), typ: int32Type,
		i32: func(c []col, i int) int32 { return int32(len(re.FindAllIndex(c[0].str(i), -1))) }})
}

// RegexpSubstr returns regexp_substr(str, pattern): the first match of
// pattern in str, NULL when there is none.
func RegexpSubstr(str expr.Expr, pattern string) (expr.Expr, error) {
	re, err := CompilePattern("regexp_substr", pattern)
	if err != nil {
		return nil, err
	}
	return newKernel(&kernel{name: "regexp_substr", label: fmt.Sprintf("regexp_substr(%s, %s)", str, quote(pattern)), args: []expr.Expr{str}, want: strs(1), typ: stringType,
		rowValid: func(c []col, i int) bool { return c[0].ok(i) && re.Match(c[0].str(i)) },
		str: func(c []col, i int, dst []byte) []byte {
			s := c[0].str(i)
			m := re.FindIndex(s)
			return append(dst, s[m[0]:m[1]]...)
		}})
}

// RegexpInstr returns regexp_instr(str, pattern): the 1-based character
// position where the first match of pattern in str starts, 0 when there is
// none.
func RegexpInstr(str expr.Expr, pattern string) (expr.Expr, error) {
	re, err := CompilePattern("regexp_instr", pattern)
	if err != nil {
		return nil, err
	}
	return newKernel(&kernel{name: "regexp_instr", label: fmt.Sprintf("regexp_instr(%s, %s)", str, quote(pattern)), args: []expr.Expr{str}, want: strs(1), typ: int32Type,
		i32: func(c []col, i int) int32 {
			s := c[0].str(i)
			m := re.FindIndex(s)
			if m == nil {
				return 0
			}
			return int32(utf8.RuneCount(s[:m[0]]) + 1)
		}})
}
