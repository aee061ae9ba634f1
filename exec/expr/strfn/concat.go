package strfn

import (
	"github.com/gspark/gspark/exec/expr"
)

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
