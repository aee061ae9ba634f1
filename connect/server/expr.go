package server

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	cproto "github.com/gspark/gspark/connect/proto"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/sql"
)

// Spark Connect expressions are rendered as Spark SQL expression text and
// parsed by gspark's SQL parser (sql.ParseExpression), so that a function
// name resolves exactly as it does in a SQL query: aggregate functions,
// the function registry, special forms such as CASE, IN and LIKE. Sort
// orders are applied on the parsed column, since they are not expressions
// of a select list.

// infixOp maps the operator names Spark Connect clients send to SQL.
func infixOp(name string) (string, bool) {
	switch name {
	case "==", "=":
		return "=", true
	case "!=", "<>":
		return "<>", true
	case "and":
		return "AND", true
	case "or":
		return "OR", true
	case "<", "<=", ">", ">=", "<=>", "+", "-", "*", "/", "%", "&", "|", "^", "||":
		return name, true
	}
	return "", false
}

// column translates an expression into a gspark column.
func column(e cproto.Msg) (frame.Column, error) {
	if e.Which("expr_type") == "sort_order" {
		return sortColumn(e.Get("sort_order"))
	}
	text, err := exprText(e, true)
	if err != nil {
		return frame.Column{}, err
	}
	x, err := sql.ParseExpression(text)
	if err != nil {
		return frame.Column{}, fmt.Errorf("expression %s: %w", text, err)
	}
	return frame.ColumnOf(x), nil
}

func columns(es []cproto.Msg) ([]frame.Column, error) {
	out := make([]frame.Column, len(es))
	for i, e := range es {
		c, err := column(e)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// sortColumn applies a SortOrder's direction and null ordering. Spark's
// defaults: ascending puts nulls first, descending last.
func sortColumn(so cproto.Msg) (frame.Column, error) {
	c, err := column(so.Get("child"))
	if err != nil {
		return c, err
	}
	desc := so.Int("direction") == 2
	nulls := so.Int("null_ordering") // 1 first, 2 last
	switch {
	case desc && nulls == 1:
		return c.DescNullsFirst(), nil
	case desc:
		return c.Desc(), nil
	case nulls == 2:
		return c.AscNullsLast(), nil
	}
	return c.Asc(), nil
}

// quoteIdent quotes one name part with backticks.
func quoteIdent(s string) string {
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

// identifierParts splits a Spark multi-part identifier (a.b, `a.b`.c) at
// the dots outside backticks.
func identifierParts(s string) []string {
	var parts []string
	var cur strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '`' && quoted && i+1 < len(s) && s[i+1] == '`':
			cur.WriteByte('`')
			i++
		case c == '`':
			quoted = !quoted
		case c == '.' && !quoted:
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, cur.String())
}

func quoteIdentifier(s string) string {
	parts := identifierParts(s)
	for i, p := range parts {
		parts[i] = quoteIdent(p)
	}
	return strings.Join(parts, ".")
}

// exprText renders an expression as SQL text; top is true for an item of a
// select list, where an alias may stand.
func exprText(e cproto.Msg, top bool) (string, error) {
	kind := e.Which("expr_type")
	x := e.Get(kind)
	switch kind {
	case "literal":
		return literalText(x)
	case "unresolved_attribute":
		return quoteIdentifier(x.Str("unparsed_identifier")), nil
	case "unresolved_star":
		if t := x.Str("unparsed_target"); t != "" {
			t = strings.TrimSuffix(t, ".*")
			return quoteIdentifier(t) + ".*", nil
		}
		return "*", nil
	case "expression_string":
		if top {
			return x.Str("expression"), nil
		}
		return "(" + x.Str("expression") + ")", nil
	case "alias":
		inner, err := exprText(x.Get("expr"), false)
		if err != nil || !top {
			return inner, err
		}
		names := x.Strings("name")
		if len(names) == 1 {
			return inner + " AS " + quoteIdent(names[0]), nil
		}
		q := make([]string, len(names))
		for i, n := range names {
			q[i] = quoteIdent(n)
		}
		return inner + " AS (" + strings.Join(q, ", ") + ")", nil
	case "cast":
		inner, err := exprText(x.Get("expr"), false)
		if err != nil {
			return "", err
		}
		t := x.Str("type_str")
		if x.Which("cast_to_type") == "type" {
			if t, err = typeName(x.Get("type")); err != nil {
				return "", err
			}
		}
		fn := "CAST"
		if x.Int("eval_mode") == 3 {
			fn = "TRY_CAST"
		}
		return fn + "(" + inner + " AS " + t + ")", nil
	case "unresolved_function":
		return functionText(x.Str("function_name"), x.List("arguments"), x.Bool("is_distinct"))
	case "call_function":
		return functionText(x.Str("function_name"), x.List("arguments"), false)
	case "sort_order":
		inner, err := exprText(x.Get("child"), false)
		if err != nil {
			return "", err
		}
		return inner, nil
	case "unresolved_extract_value":
		child, err := exprText(x.Get("child"), false)
		if err != nil {
			return "", err
		}
		key, err := exprText(x.Get("extraction"), false)
		if err != nil {
			return "", err
		}
		return "(" + child + ")[" + key + "]", nil
	case "lambda_function":
		var names []string
		for _, v := range x.List("arguments") {
			names = append(names, strings.Join(v.Strings("name_parts"), "."))
		}
		body, err := exprText(x.Get("function"), false)
		if err != nil {
			return "", err
		}
		return "(" + strings.Join(names, ", ") + ") -> " + body, nil
	case "unresolved_named_lambda_variable":
		return strings.Join(x.Strings("name_parts"), "."), nil
	case "window":
		return windowText(x)
	case "":
		return "", fmt.Errorf("expression not set")
	}
	return "", fmt.Errorf("%w: expression %s", errUnsupported, kind)
}

func argTexts(args []cproto.Msg) ([]string, error) {
	out := make([]string, len(args))
	for i, a := range args {
		t, err := exprText(a, false)
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

func functionText(name string, args []cproto.Msg, distinct bool) (string, error) {
	a, err := argTexts(args)
	if err != nil {
		return "", err
	}
	lower := strings.ToLower(name)
	if op, ok := infixOp(lower); ok && len(a) == 2 {
		return "(" + a[0] + " " + op + " " + a[1] + ")", nil
	}
	switch {
	case lower == "not" && len(a) == 1:
		return "(NOT " + a[0] + ")", nil
	case lower == "negative" && len(a) == 1, lower == "-" && len(a) == 1:
		return "(- " + a[0] + ")", nil
	case lower == "isnull" && len(a) == 1:
		return "(" + a[0] + " IS NULL)", nil
	case lower == "isnotnull" && len(a) == 1:
		return "(" + a[0] + " IS NOT NULL)", nil
	case lower == "in" && len(a) >= 1:
		return "(" + a[0] + " IN (" + strings.Join(a[1:], ", ") + "))", nil
	case (lower == "like" || lower == "rlike" || lower == "ilike") && len(a) == 2:
		return "(" + a[0] + " " + strings.ToUpper(lower) + " " + a[1] + ")", nil
	case lower == "when" && len(a) >= 2:
		var b strings.Builder
		b.WriteString("CASE")
		for i := 0; i+1 < len(a); i += 2 {
			b.WriteString(" WHEN " + a[i] + " THEN " + a[i+1])
		}
		if len(a)%2 == 1 {
			b.WriteString(" ELSE " + a[len(a)-1])
		}
		b.WriteString(" END")
		return b.String(), nil
	}
	d := ""
	if distinct {
		d = "DISTINCT "
	}
	return quoteFunction(name) + "(" + d + strings.Join(a, ", ") + ")", nil
}

// quoteFunction leaves a plain function name as it is (so the parser's
// special forms apply) and quotes one with other characters.
func quoteFunction(name string) string {
	for _, r := range name {
		if !(r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return quoteIdent(name)
		}
	}
	return name
}

func windowText(w cproto.Msg) (string, error) {
	fn, err := exprText(w.Get("window_function"), false)
	if err != nil {
		return "", err
	}
	var spec []string
	if ps := w.List("partition_spec"); len(ps) > 0 {
		a, err := argTexts(ps)
		if err != nil {
			return "", err
		}
		spec = append(spec, "PARTITION BY "+strings.Join(a, ", "))
	}
	if os := w.List("order_spec"); len(os) > 0 {
		var items []string
		for _, so := range os {
			t, err := exprText(so.Get("child"), false)
			if err != nil {
				return "", err
			}
			if so.Int("direction") == 2 {
				t += " DESC"
			} else {
				t += " ASC"
			}
			switch so.Int("null_ordering") {
			case 1:
				t += " NULLS FIRST"
			case 2:
				t += " NULLS LAST"
			}
			items = append(items, t)
		}
		spec = append(spec, "ORDER BY "+strings.Join(items, ", "))
	}
	if f := w.Get("frame_spec"); f.Valid() {
		kind := "ROWS"
		if f.Int("frame_type") == 2 {
			kind = "RANGE"
		}
		lo, err := boundText(f.Get("lower"), "PRECEDING")
		if err != nil {
			return "", err
		}
		hi, err := boundText(f.Get("upper"), "FOLLOWING")
		if err != nil {
			return "", err
		}
		spec = append(spec, kind+" BETWEEN "+lo+" AND "+hi)
	}
	return fn + " OVER (" + strings.Join(spec, " ") + ")", nil
}

func boundText(b cproto.Msg, unbounded string) (string, error) {
	switch b.Which("boundary") {
	case "current_row":
		return "CURRENT ROW", nil
	case "unbounded":
		return "UNBOUNDED " + unbounded, nil
	case "value":
		t, err := exprText(b.Get("value"), false)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "(- ") {
			return strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(t, "(- "), "-"), ")") + " PRECEDING", nil
		}
		return t + " FOLLOWING", nil
	}
	return "", fmt.Errorf("window frame boundary not set")
}

// stringLiteral quotes s as a Spark SQL string literal.
func stringLiteral(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return "'" + r.Replace(s) + "'"
}

func floatText(f float64, typ string) string {
	switch {
	case math.IsNaN(f):
		return "CAST('NaN' AS " + typ + ")"
	case math.IsInf(f, 1):
		return "CAST('Infinity' AS " + typ + ")"
	case math.IsInf(f, -1):
		return "CAST('-Infinity' AS " + typ + ")"
	}
	bits := 64
	if typ == "FLOAT" {
		bits = 32
	}
	return "CAST(" + stringLiteral(strconv.FormatFloat(f, 'g', -1, bits)) + " AS " + typ + ")"
}

// literalText renders a Literal as SQL of the same type.
func literalText(l cproto.Msg) (string, error) {
	kind := l.Which("literal_type")
	switch kind {
	case "null":
		t, err := typeName(l.Get("null"))
		if err != nil || t == "void" {
			return "NULL", nil
		}
		return "CAST(NULL AS " + t + ")", nil
	case "binary":
		return "X'" + hex.EncodeToString(l.Bytes("binary")) + "'", nil
	case "boolean":
		if l.Bool("boolean") {
			return "TRUE", nil
		}
		return "FALSE", nil
	case "byte":
		return fmt.Sprintf("CAST(%d AS TINYINT)", l.Int("byte")), nil
	case "short":
		return fmt.Sprintf("CAST(%d AS SMALLINT)", l.Int("short")), nil
	case "integer":
		v := l.Int("integer")
		if v < 0 {
			return fmt.Sprintf("(%d)", v), nil
		}
		return strconv.FormatInt(v, 10), nil
	case "long":
		return fmt.Sprintf("CAST(%d AS BIGINT)", l.Int("long")), nil
	case "float":
		return floatText(l.Float("float"), "FLOAT"), nil
	case "double":
		return floatText(l.Float("double"), "DOUBLE"), nil
	case "decimal":
		d := l.Get("decimal")
		if d.Has("precision") {
			return fmt.Sprintf("CAST(%s AS DECIMAL(%d,%d))", stringLiteral(d.Str("value")), d.Int("precision"), d.Int("scale")), nil
		}
		return "CAST(" + stringLiteral(d.Str("value")) + " AS DECIMAL(38,18))", nil
	case "string":
		return stringLiteral(l.Str("string")), nil
	case "date":
		day := time.Unix(l.Int("date")*86400, 0).UTC()
		return "DATE '" + day.Format("2006-01-02") + "'", nil
	case "timestamp":
		return fmt.Sprintf("timestamp_micros(CAST(%d AS BIGINT))", l.Int("timestamp")), nil
	case "array":
		a, err := literalTexts(l.Get("array").List("elements"))
		return "array(" + strings.Join(a, ", ") + ")", err
	case "map":
		m := l.Get("map")
		ks, err := literalTexts(m.List("keys"))
		if err != nil {
			return "", err
		}
		vs, err := literalTexts(m.List("values"))
		if err != nil {
			return "", err
		}
		var kv []string
		for i := range min(len(ks), len(vs)) {
			kv = append(kv, ks[i], vs[i])
		}
		return "map(" + strings.Join(kv, ", ") + ")", nil
	case "struct":
		s := l.Get("struct")
		es, err := literalTexts(s.List("elements"))
		if err != nil {
			return "", err
		}
		fields := s.Get("struct_type").Get("struct").List("fields")
		if len(fields) != len(es) {
			return "struct(" + strings.Join(es, ", ") + ")", nil
		}
		var kv []string
		for i, f := range fields {
			kv = append(kv, stringLiteral(f.Str("name")), es[i])
		}
		return "named_struct(" + strings.Join(kv, ", ") + ")", nil
	case "":
		return "", fmt.Errorf("literal not set")
	}
	return "", fmt.Errorf("%w: literal of type %s", errUnsupported, kind)
}

func literalTexts(ls []cproto.Msg) ([]string, error) {
	out := make([]string, len(ls))
	for i, l := range ls {
		t, err := literalText(l)
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}
