package functions

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// CastIntervalName is the internal function the SQL parser turns
// CAST(x AS INTERVAL YEAR TO MONTH | INTERVAL DAY TO SECOND) into:
// __cast_interval(x, 'YEAR TO MONTH' | 'DAY TO SECOND', try). A string is
// read in Spark's accepted forms — '1-2' or INTERVAL '1-2' YEAR TO MONTH,
// '1 2:03:04.5' or INTERVAL '1 2:03:04.5' DAY TO SECOND, signs before the
// quote and inside it — and any other string is an error (null for
// TRY_CAST); an interval of the same kind is kept.
const CastIntervalName = "__cast_interval"

// intervalCastFunctions is __cast_interval.
func intervalCastFunctions() []FunctionDef {
	return []FunctionDef{{Name: CastIntervalName, MinArgs: 3, MaxArgs: 3, Resolve: resolveCastInterval, Compile: compileCastInterval}}
}

// resolveCastInterval types __cast_interval(x, fields, try).
func resolveCastInterval(name string, args []logical.Expr) (logical.Expr, error) {
	fields, _ := args[1].(*logical.Literal)
	try, _ := args[2].(*logical.Literal)
	if fields == nil || try == nil {
		return nil, logical.AnalysisErr("%s needs constant fields and try arguments", name)
	}
	ym := fields.Value == "YEAR TO MONTH"
	to := values.DayTimeIntervalType
	if ym {
		to = values.YearMonthIntervalType
	}
	from := dtValueType(args[0].DataType())
	switch {
	case from.ID() == arrow.NULL:
		return &logical.Literal{Value: nil, Type: to}, nil
	case ym && values.IsYearMonthInterval(from), !ym && values.IsDayTimeInterval(from) && from.(*arrow.DurationType).Unit == arrow.Microsecond:
		return args[0], nil
	case logical.IsString(from):
		return &logical.Func{Name: name, Args: args, Type: to, MayBeNull: true}, nil
	}
	return nil, logical.AnalysisErr("cannot cast %s of type %s to INTERVAL %s", logical.StripIDs(args[0].String()), logical.TypeName(args[0].DataType()), fields.Value)
}

// compileCastInterval reads each string with parseYearMonth or
// parseDayTime.
func compileCastInterval(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	ym := call.Args[1].(*logical.Literal).Value == "YEAR TO MONTH"
	try, _ := call.Args[2].(*logical.Literal).Value.(bool)
	return expr.UDF("CAST", call.Type, a[:1], func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		in, ok := args[0].(interface {
			arrow.Array
			Value(int) string
		})
		if !ok {
			return nil, fmt.Errorf("CAST to an interval needs a string, got %s", args[0].DataType())
		}
		vals := make([]int64, in.Len())
		valid := make([]bool, in.Len())
		for i := range vals {
			if in.IsNull(i) {
				continue
			}
			var err error
			if ym {
				vals[i], err = parseYearMonth(in.Value(i))
			} else {
				vals[i], err = parseDayTime(in.Value(i))
			}
			if err != nil {
				if try {
					continue
				}
				return nil, err
			}
			valid[i] = true
		}
		if ym {
			b := array.NewMonthIntervalBuilder(mem)
			defer b.Release()
			for i, v := range vals {
				if valid[i] {
					b.Append(arrow.MonthInterval(v))
				} else {
					b.AppendNull()
				}
			}
			return b.NewArray(), nil
		}
		b := array.NewDurationBuilder(mem, values.DayTimeIntervalType.(*arrow.DurationType))
		defer b.Release()
		for i, v := range vals {
			if valid[i] {
				b.Append(arrow.Duration(v))
			} else {
				b.AppendNull()
			}
		}
		return b.NewArray(), nil
	}), nil
}

// intervalBody strips Spark's literal form INTERVAL [+|-]'body' FIELDS from
// s (fields such as "YEAR TO MONTH"), returning the body and whether the
// sign before the quote negates it; a plain body is returned as it is.
func intervalBody(s, fields string) (body string, neg bool, err error) {
	s = strings.TrimSpace(s)
	f := strings.Fields(s)
	if len(f) == 0 || !strings.EqualFold(f[0], "interval") {
		return s, false, nil
	}
	rest := strings.TrimSpace(s[len(f[0]):])
	switch {
	case strings.HasPrefix(rest, "-"):
		neg, rest = true, rest[1:]
	case strings.HasPrefix(rest, "+"):
		rest = rest[1:]
	}
	if !strings.HasPrefix(rest, "'") {
		return "", false, fmt.Errorf("invalid interval %q: expected INTERVAL '...' %s", s, fields)
	}
	end := strings.IndexByte(rest[1:], '\'')
	if end < 0 {
		return "", false, fmt.Errorf("invalid interval %q: unterminated quote", s)
	}
	body, tail := rest[1:1+end], strings.Fields(strings.ToUpper(rest[2+end:]))
	if strings.Join(tail, " ") != fields {
		return "", false, fmt.Errorf("invalid interval %q: expected the fields %s", s, fields)
	}
	return body, neg, nil
}

// signed strips a leading sign from s.
func signed(s string) (string, bool) {
	switch {
	case strings.HasPrefix(s, "-"):
		return s[1:], true
	case strings.HasPrefix(s, "+"):
		return s[1:], false
	}
	return s, false
}

// field reads a whole number of 1 to maxDigits digits (0: any) no greater
// than limit.
func field(s, name string, maxDigits int, limit int64) (int64, error) {
	if s == "" || (maxDigits > 0 && len(s) > maxDigits) || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%s %q is not a number of at most %d digits", name, s, maxDigits)
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v > limit {
		return 0, fmt.Errorf("%s %s is outside [0, %d]", name, s, limit)
	}
	return v, nil
}

// parseYearMonth reads an INTERVAL YEAR TO MONTH string as months:
// [+|-]y-m, or INTERVAL [+|-]'[+|-]y-m' YEAR TO MONTH.
func parseYearMonth(s string) (int64, error) {
	body, neg, err := intervalBody(s, "YEAR TO MONTH")
	if err != nil {
		return 0, err
	}
	b, neg2 := signed(strings.TrimSpace(body))
	y, m, ok := strings.Cut(b, "-")
	if !ok {
		return 0, fmt.Errorf("invalid interval %q: the year-month form is [+|-]y-m", s)
	}
	years, err := field(y, "year", 0, math.MaxInt32/12)
	if err != nil {
		return 0, fmt.Errorf("invalid interval %q: %w", s, err)
	}
	months, err := field(m, "month", 2, 11)
	if err != nil {
		return 0, fmt.Errorf("invalid interval %q: %w", s, err)
	}
	v := years*12 + months
	if neg != neg2 {
		v = -v
	}
	return v, nil
}

// parseDayTime reads an INTERVAL DAY TO SECOND string as microseconds:
// [+|-]d h:m:s[.fraction], or INTERVAL [+|-]'...' DAY TO SECOND. Digits
// of the fraction past microseconds are dropped.
func parseDayTime(s string) (int64, error) {
	body, neg, err := intervalBody(s, "DAY TO SECOND")
	if err != nil {
		return 0, err
	}
	b, neg2 := signed(strings.TrimSpace(body))
	d, hms, ok := strings.Cut(b, " ")
	parts := strings.Split(hms, ":")
	if !ok || len(parts) != 3 {
		return 0, fmt.Errorf("invalid interval %q: the day-time form is [+|-]d h:m:s[.n]", s)
	}
	sec, frac, _ := strings.Cut(parts[2], ".")
	days, err := field(d, "day", 0, math.MaxInt64/86400_000_000)
	if err == nil {
		var h, m, sc int64
		if h, err = field(parts[0], "hour", 2, 23); err == nil {
			if m, err = field(parts[1], "minute", 2, 59); err == nil {
				if sc, err = field(sec, "second", 2, 59); err == nil {
					us := ((days*24+h)*60+m)*60_000_000 + sc*1_000_000
					if strings.Contains(parts[2], ".") {
						var f int64
						if f, err = field(frac, "fraction", 9, 999_999_999); err == nil {
							f *= int64(math.Pow10(9 - len(frac)))
							us += f / 1000
						}
					}
					if err == nil {
						if us < 0 {
							return 0, fmt.Errorf("invalid interval %q: out of range", s)
						}
						if neg != neg2 {
							us = -us
						}
						return us, nil
					}
				}
			}
		}
	}
	return 0, fmt.Errorf("invalid interval %q: %w", s, err)
}
