package unparse

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

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
	case x.Name == "subscript" && len(x.Args) == 2:
		return u.subscript(x, scope)
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
	case x.Name == "__interval_scale" && len(x.Args) == 5 && x.Type != nil && x.Type.ID() == arrow.DURATION:
		t, err := u.intervalScale(x, scope)
		return t, true, err
	case (x.Name == "nullifzero" || x.Name == "zeroifnull") && len(x.Args) == 2:
		a, err := arg(0)
		return x.Name + "(" + a + ")", true, err
	case x.Name == "uuid" && len(x.Args) == 1:
		return "uuid()", true, nil
	case optionFunctions[x.Name] && len(x.Args) >= 2:
		last, ok := x.Args[len(x.Args)-1].(*logical.Literal)
		text, isText := last.Value.(string)
		if !ok || !isText || !strings.HasPrefix(text, "{") {
			return "", false, nil
		}
		var m map[string]string
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			return "", false, nil
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		opts := make([]string, 0, 2*len(keys))
		for _, k := range keys {
			opts = append(opts, QuoteString(k), QuoteString(m[k]))
		}
		args := make([]string, len(x.Args))
		for i := range x.Args[:len(x.Args)-1] {
			a, err := arg(i)
			if err != nil {
				return "", true, err
			}
			args[i] = a
		}
		args[len(args)-1] = "map(" + strings.Join(opts, ", ") + ")"
		return x.Name + "(" + strings.Join(args, ", ") + ")", true, nil
	}
	return "", false, nil
}

// optionFunctions take their options as a last map argument, which the
// analyzer keeps as JSON text.
var optionFunctions = map[string]bool{
	"to_json": true, "from_json": true, "to_csv": true, "from_csv": true, "to_xml": true, "from_xml": true,
	"schema_of_json": true, "schema_of_csv": true, "schema_of_xml": true,
}

// reinterpret renders the analyzer's change of representation of interval
// arithmetic, __reinterpret(__reinterpret(a) op __reinterpret(b)) with a,
// b and the result of one type, as a op b; other uses have no Spark SQL
// form.
func (u *unparser) reinterpret(x *logical.Func, scope map[int64]string) (string, error) {
	inner := func(e logical.Expr) (logical.Expr, bool) {
		f, ok := e.(*logical.Func)
		if !ok || f.Name != "__reinterpret" || len(f.Args) != 1 || !arrow.TypeEqual(f.Args[0].DataType(), x.Type) {
			return nil, false
		}
		return f.Args[0], true
	}
	if f, ok := stripCast(x.Args[0]).(*logical.Func); ok && f.Name == "__interval_scale" && len(f.Args) == 5 {
		return u.intervalScale(f, scope)
	}
	if isInterval(x.Type) {
		if iv, ok := intervalOf(x.Args[0]); ok {
			return u.expr(iv, scope)
		}
	}
	if b, ok := x.Args[0].(*logical.Binary); ok && (b.Op == logical.OpAdd || b.Op == logical.OpSub) {
		l, okl := inner(b.L)
		r, okr := inner(b.R)
		if okl && okr {
			ls, err := u.expr(l, scope)
			if err != nil {
				return "", err
			}
			rs, err := u.expr(r, scope)
			if err != nil {
				return "", err
			}
			return "(" + ls + " " + b.Op.String() + " " + rs + ")", nil
		}
	}
	a, err := u.expr(x.Args[0], scope)
	if err != nil {
		return "", err
	}
	from, to := x.Args[0].DataType(), x.Type
	const micro = "INTERVAL '0 00:00:00.000001' DAY TO SECOND"
	switch {
	case from.ID() == arrow.INT64 && to.ID() == arrow.TIMESTAMP && to.(*arrow.TimestampType).TimeZone != "":
		return "timestamp_micros(" + a + ")", nil
	case from.ID() == arrow.TIMESTAMP && from.(*arrow.TimestampType).TimeZone != "" && to.ID() == arrow.INT64:
		return "unix_micros(" + a + ")", nil
	case from.ID() == arrow.INT64 && to.ID() == arrow.TIMESTAMP:
		return "(TIMESTAMP_NTZ '1970-01-01 00:00:00' + (" + micro + " * " + a + "))", nil
	case from.ID() == arrow.TIMESTAMP && to.ID() == arrow.INT64: // a wall clock's microseconds
		return "timestampdiff(MICROSECOND, TIMESTAMP_NTZ '1970-01-01 00:00:00', " + a + ")", nil
	case from.ID() == arrow.INT64 && (to.ID() == arrow.DECIMAL64 || to.ID() == arrow.DECIMAL128):
		dt := to.(arrow.DecimalType)
		ts, err := typeSQL(to)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("CAST((%s / 1%sBD) AS %s)", a, strings.Repeat("0", int(dt.GetScale())), ts), nil
	case from.ID() == arrow.INT64 && to.ID() == arrow.DURATION:
		return "(" + micro + " * " + a + ")", nil
	case from.ID() == arrow.DURATION && to.ID() == arrow.INT64:
		return "unix_micros(TIMESTAMP '1970-01-01 00:00:00Z' + " + a + ")", nil
	case from.ID() == arrow.INT32 && to.ID() == arrow.INTERVAL_MONTHS:
		return "(INTERVAL '0-1' YEAR TO MONTH * " + a + ")", nil
	case from.ID() == arrow.INTERVAL_MONTHS && to.ID() == arrow.INT32:
		return "CAST(months_between(DATE '1970-01-01' + " + a + ", DATE '1970-01-01') AS INT)", nil
	case from.ID() == arrow.INT32 && to.ID() == arrow.DATE32:
		return "date_from_unix_date(" + a + ")", nil
	case from.ID() == arrow.DATE32 && to.ID() == arrow.INT32:
		return "unix_date(" + a + ")", nil
	}
	return "", fmt.Errorf("unparse: the analyzer's conversion of %s to %s (interval or date-time arithmetic) has no Spark SQL form",
		logical.TypeName(from), logical.TypeName(to))
}

// subscript renders x[key] (an array element, a map value or a struct
// field, as Spark's extract-value reads all three); a field of the struct
// json_tuple makes is get_json_object of the field's name.
func (u *unparser) subscript(x *logical.Func, scope map[int64]string) (string, bool, error) {
	if jt, ok := x.Args[0].(*logical.Func); ok && jt.Name == "json_tuple" {
		key, _ := x.Args[1].(*logical.Literal)
		st, _ := jt.Type.(*arrow.StructType)
		if key == nil || st == nil {
			return "", true, fmt.Errorf("unparse: json_tuple field %s has no Spark SQL form", x.Args[1])
		}
		idx, ok := st.FieldIdx(fmt.Sprint(key.Value))
		if !ok || idx+1 >= len(jt.Args) {
			return "", true, fmt.Errorf("unparse: json_tuple field %s has no Spark SQL form", x.Args[1])
		}
		name, _ := jt.Args[idx+1].(*logical.Literal)
		field, _ := name.Value.(string)
		if name == nil || lambdaName(field) != field {
			return "", true, fmt.Errorf("unparse: json_tuple field %s has no Spark SQL form", x.Args[1])
		}
		j, err := u.expr(jt.Args[0], scope)
		if err != nil {
			return "", true, err
		}
		return "get_json_object(" + j + ", " + QuoteString("$."+field) + ")", true, nil
	}
	a, err := u.expr(x.Args[0], scope)
	if err != nil {
		return "", true, err
	}
	k, err := u.expr(x.Args[1], scope)
	if err != nil {
		return "", true, err
	}
	return a + "[" + k + "]", true, nil
}

func stripCast(e logical.Expr) logical.Expr {
	if c, ok := e.(*logical.Cast); ok {
		return c.E
	}
	return e
}

// intervalValue is the interval whose representation e (a cast of a
// __reinterpret of it, or the interval itself) is.
func intervalValue(e logical.Expr) logical.Expr {
	e = stripCast(e)
	if f, ok := e.(*logical.Func); ok && f.Name == "__reinterpret" && len(f.Args) == 1 {
		return f.Args[0]
	}
	return e
}

// intervalScale renders __interval_scale(amount, num, div, lo, hi), the
// analyzer's form of interval * num, interval / num, and of sum and avg
// over intervals, as that operation on the interval.
func (u *unparser) intervalScale(f *logical.Func, scope map[int64]string) (string, error) {
	div := false
	if d, ok := f.Args[2].(*logical.Literal); ok {
		n, _ := logical.IntValue(d.Value)
		div = n != 0
	}
	if sum, ok := f.Args[0].(*logical.AggregateCall); ok && sum.Func == logical.AggSum && sum.Arg != nil {
		ive, ok := intervalOf(sum.Arg)
		if !ok {
			return "", fmt.Errorf("unparse: the analyzer's interval arithmetic %s has no Spark SQL form", logical.StripIDs(f.String()))
		}
		iv, err := u.expr(ive, scope)
		if err != nil {
			return "", err
		}
		distinct := ""
		if sum.Distinct {
			distinct = "DISTINCT "
		}
		if cnt, ok := f.Args[1].(*logical.AggregateCall); ok && cnt.Func == logical.AggCount && div {
			return "avg(" + distinct + iv + ")", nil
		}
		if one, ok := f.Args[1].(*logical.Literal); ok && !div {
			if n, _ := logical.IntValue(one.Value); n == 1 {
				return "sum(" + distinct + iv + ")", nil
			}
		}
	}
	ive, ok := intervalOf(f.Args[0])
	if !ok {
		return "", fmt.Errorf("unparse: the analyzer's interval arithmetic %s has no Spark SQL form", logical.StripIDs(f.String()))
	}
	iv, err := u.expr(ive, scope)
	if err != nil {
		return "", err
	}
	if one, ok := f.Args[1].(*logical.Literal); ok && !div {
		if n, _ := logical.IntValue(one.Value); n == 1 {
			return iv, nil
		}
	}
	n, err := u.expr(f.Args[1], scope)
	if err != nil {
		return "", err
	}
	op := " * "
	if div {
		op = " / "
	}
	return "(" + iv + op + n + ")", nil
}

func isInterval(t arrow.DataType) bool {
	return t != nil && (t.ID() == arrow.DURATION || t.ID() == arrow.INTERVAL_MONTHS)
}

// intervalOf rewrites an integer representation of interval arithmetic
// (casts and __reinterpret of intervals combined by +, -, negation, sum,
// min and max) as the same arithmetic on the intervals.
func intervalOf(e logical.Expr) (logical.Expr, bool) {
	switch x := e.(type) {
	case *logical.Cast:
		return intervalOf(x.E)
	case *logical.Func:
		if x.Name == "__reinterpret" && len(x.Args) == 1 {
			if isInterval(x.Args[0].DataType()) {
				return x.Args[0], true
			}
			return intervalOf(x.Args[0])
		}
	case *logical.Binary:
		if x.Op != logical.OpAdd && x.Op != logical.OpSub {
			return nil, false
		}
		l, okl := intervalOf(x.L)
		r, okr := intervalOf(x.R)
		if !okl || !okr {
			return nil, false
		}
		return &logical.Binary{Op: x.Op, L: l, R: r, Type: l.DataType()}, true
	case *logical.Unary:
		if x.Op != logical.OpNegate {
			return nil, false
		}
		in, ok := intervalOf(x.E)
		if !ok {
			return nil, false
		}
		return &logical.Unary{Op: x.Op, E: in}, true
	case *logical.AggregateCall:
		if (x.Func != logical.AggSum && x.Func != logical.AggMin && x.Func != logical.AggMax) || x.Arg == nil || x.Arg2 != nil {
			return nil, false
		}
		in, ok := intervalOf(x.Arg)
		if !ok {
			return nil, false
		}
		c := *x
		c.Arg, c.Type = in, in.DataType()
		return &c, true
	default:
		if isInterval(e.DataType()) {
			return e, true
		}
	}
	return nil, false
}
