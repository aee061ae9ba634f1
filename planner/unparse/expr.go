package unparse

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/logical"
)

// expr renders an expression whose columns are those of scope (and, in a
// correlated subquery, of the enclosing queries' scopes).
func (u *unparser) expr(e logical.Expr, scope map[int64]string) (string, error) {
	r := func(x logical.Expr) (string, error) { return u.expr(x, scope) }
	switch x := e.(type) {
	case *logical.Attribute:
		if s, ok := scope[x.ID]; ok {
			return s, nil
		}
		return "", fmt.Errorf("unparse: column %s is not in scope", x)
	case *logical.OuterRef:
		for i := len(u.outer) - 1; i >= 0; i-- {
			if s, ok := u.outer[i][x.Attr.ID]; ok {
				return s, nil
			}
		}
		return "", fmt.Errorf("unparse: outer column %s is not in scope", x.Attr)
	case *logical.Literal:
		return literalSQL(x)
	case *logical.Alias:
		// Inside an expression a name only labels the value (the select
		// list names its items itself).
		return r(x.E)
	case *logical.Binary:
		return u.binary(x, scope)
	case *logical.Unary:
		s, err := r(x.E)
		if err != nil {
			return "", err
		}
		switch x.Op {
		case logical.OpNot:
			return "(NOT " + s + ")", nil
		case logical.OpNegate:
			return "(- " + s + ")", nil
		case logical.OpIsNull:
			return "(" + s + " IS NULL)", nil
		}
		return "(" + s + " IS NOT NULL)", nil
	case *logical.Cast:
		s, err := r(x.E)
		if err != nil {
			return "", err
		}
		ts, err := typeSQL(x.To)
		if err != nil {
			return "", err
		}
		kw := "CAST"
		if x.Try {
			kw = "TRY_CAST"
		}
		return kw + "(" + s + " AS " + ts + ")", nil
	case *logical.CaseWhen:
		var b strings.Builder
		b.WriteString("CASE")
		for i := range x.Whens {
			w, err := r(x.Whens[i])
			if err != nil {
				return "", err
			}
			t, err := r(x.Thens[i])
			if err != nil {
				return "", err
			}
			b.WriteString(" WHEN " + w + " THEN " + t)
		}
		if x.Else != nil {
			s, err := r(x.Else)
			if err != nil {
				return "", err
			}
			b.WriteString(" ELSE " + s)
		}
		b.WriteString(" END")
		return b.String(), nil
	case *logical.Like:
		s, err := r(x.E)
		if err != nil {
			return "", err
		}
		return "(" + s + " LIKE " + QuoteString(x.Pattern) + ")", nil
	case *logical.Func:
		return u.call(x, scope)
	case *logical.AggregateCall:
		return u.aggregateCall(x, scope)
	case *logical.WindowExpr:
		return u.windowExpr(x, scope)
	case *logical.WindowFunction:
		return u.windowFunction(x, scope)
	case *logical.SortOrder:
		s, err := r(x.E)
		if err != nil {
			return "", err
		}
		return s + sortSuffix(x), nil
	case *logical.Subquery:
		return u.subquery(x, scope)
	case *logical.Lambda:
		body, err := r(x.Body)
		if err != nil {
			return "", err
		}
		names := make([]string, len(x.Params))
		for i, p := range x.Params {
			names[i] = lambdaName(p)
		}
		if len(names) == 1 {
			return names[0] + " -> " + body, nil
		}
		return "(" + strings.Join(names, ", ") + ") -> " + body, nil
	case *logical.LambdaVar:
		return lambdaName(x.Name), nil
	case *logical.UDF:
		return "", fmt.Errorf("unparse: Go UDF %q cannot run remotely", x.Name)
	case *logical.UnresolvedColumn:
		parts := strings.Split(x.Name, ".")
		for i, p := range parts {
			parts[i] = Quote(p)
		}
		return strings.Join(parts, "."), nil
	case *logical.Star:
		if x.Qualifier != "" {
			return Quote(x.Qualifier) + ".*", nil
		}
		return "*", nil
	}
	return "", fmt.Errorf("unparse: expression %T (%s) has no Spark SQL form", e, logical.StripIDs(e.String()))
}

func (u *unparser) binary(x *logical.Binary, scope map[int64]string) (string, error) {
	// Long AND/OR chains are flattened, so deep trees render without deep recursion.
	if x.Op == logical.OpAnd || x.Op == logical.OpOr {
		ops := logical.SplitBinary(x, x.Op)
		parts := make([]string, len(ops))
		for i, o := range ops {
			s, err := u.expr(o, scope)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "(" + strings.Join(parts, " "+x.Op.String()+" ") + ")", nil
	}
	l, err := u.expr(x.L, scope)
	if err != nil {
		return "", err
	}
	r, err := u.expr(x.R, scope)
	if err != nil {
		return "", err
	}
	return "(" + l + " " + x.Op.String() + " " + r + ")", nil
}

// call renders a scalar function call.
func (u *unparser) call(x *logical.Func, scope map[int64]string) (string, error) {
	if strings.HasPrefix(x.Name, "__reinterpret_") && len(x.Args) >= 1 {
		// A session time zone shift the analyzer inserted; analyzing the
		// text again inserts it again.
		return u.expr(x.Args[0], scope)
	}
	if x.Name == "__reinterpret" && len(x.Args) == 1 {
		return u.reinterpret(x, scope)
	}
	if s, ok, err := u.internalCall(x, scope); ok || err != nil {
		return s, err
	}
	if strings.HasPrefix(x.Name, "__") {
		return "", fmt.Errorf("unparse: internal function %s has no Spark SQL form", x.Name)
	}
	args := make([]string, len(x.Args))
	for i, a := range x.Args {
		s, err := u.expr(a, scope)
		if err != nil {
			return "", err
		}
		args[i] = s
	}
	switch x.Name {
	case "&", "|", "^", "div":
		if len(args) == 2 {
			return "(" + args[0] + " " + x.Name + " " + args[1] + ")", nil
		}
	case "~":
		if len(args) == 1 {
			return "(~ " + args[0] + ")", nil
		}
	}
	if strings.EqualFold(x.Name, "struct") {
		if st, ok := x.Type.(*arrow.StructType); ok && st.NumFields() == len(args) {
			parts := make([]string, 0, 2*len(args))
			for i, a := range args {
				parts = append(parts, QuoteString(st.Field(i).Name), a)
			}
			return "named_struct(" + strings.Join(parts, ", ") + ")", nil
		}
	}
	return x.Name + "(" + strings.Join(args, ", ") + ")", nil
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// aggregateCall renders an aggregate function call as Spark writes it.
func (u *unparser) aggregateCall(e *logical.AggregateCall, scope map[int64]string) (string, error) {
	name := e.Func.String()
	if e.Arg == nil {
		if e.Func == logical.AggCount {
			return "count(*)", nil
		}
		return name + "()", nil
	}
	arg, err := u.expr(e.Arg, scope)
	if err != nil {
		return "", err
	}
	arg2 := ""
	if e.Arg2 != nil {
		if arg2, err = u.expr(e.Arg2, scope); err != nil {
			return "", err
		}
	}
	distinct := ""
	if e.Distinct {
		distinct = "DISTINCT "
	}
	dir := ""
	if e.Desc {
		dir = " DESC"
	}
	switch e.Func {
	case logical.AggPercentileDisc, logical.AggPercentileCont:
		ps := make([]string, len(e.Percentages))
		for i, p := range e.Percentages {
			ps[i] = formatFloat(p)
		}
		return fmt.Sprintf("%s(%s) WITHIN GROUP (ORDER BY %s%s)", name, strings.Join(ps, ", "), arg, dir), nil
	case logical.AggMode:
		if e.Desc {
			return fmt.Sprintf("mode() WITHIN GROUP (ORDER BY %s DESC)", arg), nil
		}
		return fmt.Sprintf("mode(%s)", arg), nil
	case logical.AggListAgg:
		s := fmt.Sprintf("listagg(%s%s, %s)", distinct, arg, QuoteString(e.Delimiter))
		if f, ok := e.Arg2.(*logical.Func); ok && len(e.KeyDesc) > 0 && len(f.Args) == len(e.KeyDesc) {
			keys := make([]string, len(f.Args))
			for i, k := range f.Args {
				ks, err := u.expr(k, scope)
				if err != nil {
					return "", err
				}
				keys[i] = ks
				if e.KeyDesc[i] {
					keys[i] += " DESC"
				}
				if i < len(e.KeyNullsFirst) {
					if e.KeyNullsFirst[i] {
						keys[i] += " NULLS FIRST"
					} else {
						keys[i] += " NULLS LAST"
					}
				}
			}
			return s + " WITHIN GROUP (ORDER BY " + strings.Join(keys, ", ") + ")", nil
		}
		if e.Arg2 != nil {
			nulls := " NULLS LAST"
			if e.NullsFirst {
				nulls = " NULLS FIRST"
			}
			return s + " WITHIN GROUP (ORDER BY " + arg2 + dir + nulls + ")", nil
		}
		return s, nil
	case logical.AggHistogramNumeric:
		return fmt.Sprintf("histogram_numeric(%s, %d)", arg, e.Bins), nil
	case logical.AggCountMinSketch:
		ps := make([]string, len(e.Percentages))
		for i, p := range e.Percentages {
			ps[i] = formatFloat(p) + "D"
		}
		return fmt.Sprintf("count_min_sketch(%s, %s, %d)", arg, strings.Join(ps, ", "), e.Accuracy), nil
	case logical.AggMedian:
		return "median(" + arg + ")", nil
	case logical.AggPercentile:
		if e.Desc && len(e.Percentages) == 1 && !e.ArrayResult {
			return fmt.Sprintf("percentile_cont(%s) WITHIN GROUP (ORDER BY %s DESC)", formatFloat(e.Percentages[0]), arg), nil
		}
		fallthrough
	case logical.AggPercentileApprox:
		ps := make([]string, len(e.Percentages))
		for i, p := range e.Percentages {
			ps[i] = formatFloat(p) + "D"
		}
		s := name + "(" + distinct + arg + ", "
		if e.ArrayResult {
			s += "array(" + strings.Join(ps, ", ") + ")"
		} else {
			s += strings.Join(ps, ", ")
		}
		if e.Accuracy > 0 {
			s += fmt.Sprintf(", %d", e.Accuracy)
		}
		return s + ")", nil
	case logical.AggHLLSketch:
		if e.Bins > 0 {
			return fmt.Sprintf("hll_sketch_agg(%s, %d)", arg, e.Bins), nil
		}
	case logical.AggHLLUnion:
		if e.Desc {
			return fmt.Sprintf("hll_union_agg(%s, TRUE)", arg), nil
		}
	}
	s := name + "(" + distinct + arg
	if e.Arg2 != nil {
		s += ", " + arg2
	}
	s += ")"
	if e.IgnoreNulls {
		s += " IGNORE NULLS"
	}
	return s, nil
}

func (u *unparser) windowFunction(e *logical.WindowFunction, scope map[int64]string) (string, error) {
	var args []string
	if e.Arg != nil {
		s, err := u.expr(e.Arg, scope)
		if err != nil {
			return "", err
		}
		args = append(args, s)
	}
	switch e.Func {
	case window.Ntile, window.NthValue:
		args = append(args, fmt.Sprint(e.N))
	case window.Lag, window.Lead:
		args = append(args, fmt.Sprint(e.N))
		if e.Default != nil {
			s, err := u.expr(e.Default, scope)
			if err != nil {
				return "", err
			}
			args = append(args, s)
		}
	}
	s := e.Func.String() + "(" + strings.Join(args, ", ") + ")"
	if e.IgnoreNulls {
		s += " IGNORE NULLS"
	}
	return s, nil
}

func (u *unparser) windowExpr(e *logical.WindowExpr, scope map[int64]string) (string, error) {
	fn, err := u.expr(e.Func, scope)
	if err != nil {
		return "", err
	}
	var spec []string
	if len(e.PartitionBy) > 0 {
		ps := make([]string, len(e.PartitionBy))
		for i, p := range e.PartitionBy {
			if ps[i], err = u.expr(p, scope); err != nil {
				return "", err
			}
		}
		spec = append(spec, "PARTITION BY "+strings.Join(ps, ", "))
	}
	if len(e.OrderBy) > 0 {
		os := make([]string, len(e.OrderBy))
		for i, o := range e.OrderBy {
			if os[i], err = u.expr(o, scope); err != nil {
				return "", err
			}
		}
		spec = append(spec, "ORDER BY "+strings.Join(os, ", "))
	}
	if e.Frame != nil {
		f, err := frameSQL(*e.Frame, e.OrderBy)
		if err != nil {
			return "", err
		}
		spec = append(spec, f)
	}
	return fn + " OVER (" + strings.Join(spec, " ") + ")", nil
}

// frameSQL renders a window frame. A RANGE offset is kept by the analyzer
// in the order key's units: unscaled units of a decimal key are written
// back as a decimal, microseconds of a timestamp key as an interval.
func frameSQL(f window.Frame, order []*logical.SortOrder) (string, error) {
	if !f.Range || len(order) != 1 {
		return f.String(), nil
	}
	t := order[0].E.DataType()
	bound := func(b window.Bound) string {
		if b.Kind != window.Preceding && b.Kind != window.Following || b.Interval || b.Months || b.FloatOffset != 0 {
			return b.String()
		}
		dir := " PRECEDING"
		if b.Kind == window.Following {
			dir = " FOLLOWING"
		}
		switch tt := t.(type) {
		case arrow.DecimalType:
			d := decimalText(b.Offset, tt.GetScale())
			return d + "BD" + dir
		case *arrow.TimestampType:
			c := b
			c.Interval = true
			return c.String()
		}
		return b.String()
	}
	k := "RANGE"
	return fmt.Sprintf("%s BETWEEN %s AND %s", k, bound(f.Start), bound(f.End)), nil
}

// decimalText writes an unscaled integer with scale fractional digits.
func decimalText(n int64, scale int32) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	if scale > 0 {
		for int32(len(s)) <= scale {
			s = "0" + s
		}
		s = s[:int32(len(s))-scale] + "." + s[int32(len(s))-scale:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// subquery renders a subquery expression; its plan sees the current scope
// as its enclosing query's.
func (u *unparser) subquery(x *logical.Subquery, scope map[int64]string) (string, error) {
	u.outer = append(u.outer, scope)
	b, err := u.plan(x.Plan)
	var text string
	if err == nil {
		text, _, err = u.innerText(b)
	}
	u.outer = u.outer[:len(u.outer)-1]
	if err != nil {
		return "", err
	}
	switch x.Kind {
	case logical.ExistsSubquery:
		return "EXISTS (" + text + ")", nil
	case logical.InSubquery:
		vals := logical.InValues(x, len(x.Plan.Output()))
		parts := make([]string, len(vals))
		for i, v := range vals {
			if parts[i], err = u.expr(v, scope); err != nil {
				return "", err
			}
		}
		left := parts[0]
		if len(parts) > 1 {
			left = "(" + strings.Join(parts, ", ") + ")"
		}
		return "(" + left + " IN (" + text + "))", nil
	}
	return "(" + text + ")", nil
}

// lambdaName writes a lambda parameter bare when it is a plain identifier
// (as Spark's grammar expects), else quoted.
func lambdaName(n string) string {
	for i, c := range n {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return Quote(n)
		}
	}
	if n == "" {
		return Quote(n)
	}
	return n
}
