package unparse

import (
	"fmt"
	"strings"

	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// intervalText renders the (kind, amount) pair the parser makes of an
// INTERVAL literal (kind ym: months, day: days, dt: microseconds) as the
// literal.
func intervalText(kind, amount logical.Expr) (string, bool) {
	k, ok := kind.(*logical.Literal)
	if !ok {
		return "", false
	}
	a, ok := amount.(*logical.Literal)
	if !ok {
		return "", false
	}
	n, ok := logical.IntValue(a.Value)
	if !ok {
		return "", false
	}
	switch k.Value {
	case "ym":
		return values.YearMonthInterval(n).ANSI(), true
	case "day":
		return fmt.Sprintf("INTERVAL '%d' DAY", n), true
	case "dt":
		return values.DayTimeInterval(n).ANSI(), true
	}
	return "", false
}

// internalCall renders the internal functions the parser and the analyzer
// make of SQL syntax back as that syntax; ok is false for other calls.
func (u *unparser) internalCall(x *logical.Func, scope map[int64]string) (string, bool, error) {
	arg := func(i int) (string, error) { return u.expr(x.Args[i], scope) }
	switch {
	case x.Name == "sequence" && len(x.Args) == 4:
		iv, ok := intervalText(x.Args[2], x.Args[3])
		if !ok {
			return "", false, nil
		}
		a, err := arg(0)
		if err != nil {
			return "", true, err
		}
		b, err := arg(1)
		if err != nil {
			return "", true, err
		}
		return "sequence(" + a + ", " + b + ", " + iv + ")", true, nil
	case x.Name == "__interval_arg" && len(x.Args) == 2:
		iv, ok := intervalText(x.Args[0], x.Args[1])
		return iv, ok, nil
	case x.Name == "__cast_interval" && len(x.Args) == 3:
		a, err := arg(0)
		if err != nil {
			return "", true, err
		}
		fields, _ := x.Args[1].(*logical.Literal)
		try, _ := x.Args[2].(*logical.Literal)
		if fields == nil || try == nil {
			return "", false, nil
		}
		kw := "CAST"
		if t, _ := try.Value.(bool); t {
			kw = "TRY_CAST"
		}
		return fmt.Sprintf("%s(%s AS INTERVAL %s)", kw, a, fields.Value), true, nil
	case x.Name == "__interval_scale" && len(x.Args) == 5:
		a, err := arg(0)
		if err != nil {
			return "", true, err
		}
		b, err := arg(1)
		if err != nil {
			return "", true, err
		}
		op := " * "
		if d, ok := x.Args[2].(*logical.Literal); ok {
			if n, _ := logical.IntValue(d.Value); n != 0 {
				op = " / "
			}
		}
		return "(" + a + op + b + ")", true, nil
	case strings.HasPrefix(x.Name, "__"):
		return "", false, nil
	}
	return "", false, nil
}
