package frame

import (
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// Column is an expression over the columns of a DataFrame. A Column built from
// invalid input (a bad type name, an unsupported literal) carries an error that
// the DataFrame using it reports.
type Column struct {
	expr logical.Expr
	err  error
}

// ColumnOf wraps a logical expression as a Column.
func ColumnOf(e logical.Expr) Column { return Column{expr: e} }

// ErrColumn returns a Column that carries err.
func ErrColumn(err error) Column { return Column{err: err} }

// Expr returns the column's logical expression.
func (c Column) Expr() logical.Expr { return c.expr }

// Err returns the error the column carries, if any.
func (c Column) Err() error { return c.err }

// String renders the expression.
func (c Column) String() string {
	if c.err != nil {
		return "<error: " + c.err.Error() + ">"
	}
	return c.expr.String()
}

// Col refers to a column by name; "t.c" refers to column c of the table or
// alias t, and "*" to all columns.
func Col(name string) Column {
	if name == "*" {
		return Column{expr: &logical.Star{}}
	}
	if len(name) > 2 && name[len(name)-2:] == ".*" {
		return Column{expr: &logical.Star{Qualifier: name[:len(name)-2]}}
	}
	return Column{expr: &logical.UnresolvedColumn{Name: name}}
}

// Lit makes a literal column from a Go value: nil, bool, int (int when it
// fits 32 bits, like Spark's lit of an Int, else bigint), int8..int64,
// float32, float64, string, time.Time (timestamp), values.Decimal, or a
// Column (returned as it is).
func Lit(v any) Column {
	switch x := v.(type) {
	case Column:
		return x
	case nil:
		return Column{expr: &logical.Literal{Type: arrow.Null}}
	case bool:
		return Column{expr: &logical.Literal{Value: x, Type: arrow.FixedWidthTypes.Boolean}}
	case int:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return Column{expr: &logical.Literal{Value: int32(x), Type: arrow.PrimitiveTypes.Int32}}
		}
		return Column{expr: &logical.Literal{Value: int64(x), Type: arrow.PrimitiveTypes.Int64}}
	case int8:
		return Column{expr: &logical.Literal{Value: x, Type: arrow.PrimitiveTypes.Int8}}
	case int16:
		return Column{expr: &logical.Literal{Value: x, Type: arrow.PrimitiveTypes.Int16}}
	case int32:
		return Column{expr: &logical.Literal{Value: x, Type: arrow.PrimitiveTypes.Int32}}
	case int64:
		return Column{expr: &logical.Literal{Value: x, Type: arrow.PrimitiveTypes.Int64}}
	case float32:
		return Column{expr: &logical.Literal{Value: x, Type: arrow.PrimitiveTypes.Float32}}
	case float64:
		return Column{expr: &logical.Literal{Value: x, Type: arrow.PrimitiveTypes.Float64}}
	case string:
		return Column{expr: &logical.Literal{Value: x, Type: arrow.BinaryTypes.String}}
	case time.Time:
		return Column{expr: &logical.Literal{Value: x.UTC(), Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}}}
	case values.Decimal:
		digits := int32(len(x.Unscaled.Abs().BigInt().String()))
		p := max(digits, x.Scale)
		if p > 38 {
			return ErrColumn(fmt.Errorf("decimal literal %s has more than 38 digits", x))
		}
		return Column{expr: &logical.Literal{Value: x, Type: logical.DecimalType(p, x.Scale)}}
	case time.Duration: // a day-time interval, whole microseconds
		return Column{expr: &logical.Literal{Value: values.DayTimeInterval(x.Microseconds()), Type: values.DayTimeIntervalType}}
	case values.DayTimeInterval:
		return Column{expr: &logical.Literal{Value: x, Type: values.DayTimeIntervalType}}
	case values.YearMonthInterval:
		return Column{expr: &logical.Literal{Value: x, Type: values.YearMonthIntervalType}}
	}
	return ErrColumn(fmt.Errorf("unsupported literal %v of type %T", v, v))
}

// DateLit makes a DATE literal from "yyyy-mm-dd".
func DateLit(s string) Column {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return ErrColumn(fmt.Errorf("invalid date literal %q: want yyyy-mm-dd", s))
	}
	return Column{expr: &logical.Literal{Value: t, Type: arrow.FixedWidthTypes.Date32}}
}

// DecimalLit makes an exact DECIMAL literal from its text, e.g. "0.06" is DECIMAL(2,2).
func DecimalLit(s string) Column {
	d, err := values.ParseDecimal(s)
	if err != nil {
		return ErrColumn(err)
	}
	return Lit(d)
}

func (c Column) binary(op logical.BinaryOp, other any) Column {
	o := Lit(other)
	if c.err != nil {
		return c
	}
	if o.err != nil {
		return o
	}
	return Column{expr: &logical.Binary{Op: op, L: c.expr, R: o.expr}}
}

// Add is c + other (a Column or a Go value).
func (c Column) Add(other any) Column { return c.binary(logical.OpAdd, other) }

// Sub is c - other.
func (c Column) Sub(other any) Column { return c.binary(logical.OpSub, other) }

// Mul is c * other.
func (c Column) Mul(other any) Column { return c.binary(logical.OpMul, other) }

// Div is c / other; integer operands divide as doubles, like Spark's "/".
func (c Column) Div(other any) Column { return c.binary(logical.OpDiv, other) }

// Mod is c % other.
func (c Column) Mod(other any) Column { return c.binary(logical.OpMod, other) }

// Eq is c = other (null when either side is null).
func (c Column) Eq(other any) Column { return c.binary(logical.OpEq, other) }

// EqNullSafe is c <=> other: equality where two nulls are equal and a null
// never equals a value; it is never null itself.
func (c Column) EqNullSafe(other any) Column { return c.binary(logical.OpNullSafeEq, other) }

// NotEq is c != other.
func (c Column) NotEq(other any) Column { return c.binary(logical.OpNotEq, other) }

// Lt is c < other.
func (c Column) Lt(other any) Column { return c.binary(logical.OpLt, other) }

// Leq is c <= other.
func (c Column) Leq(other any) Column { return c.binary(logical.OpLtEq, other) }

// Gt is c > other.
func (c Column) Gt(other any) Column { return c.binary(logical.OpGt, other) }

// Geq is c >= other.
func (c Column) Geq(other any) Column { return c.binary(logical.OpGtEq, other) }

// And is c AND other with SQL three-valued logic.
func (c Column) And(other Column) Column { return c.binary(logical.OpAnd, other) }

// Or is c OR other with SQL three-valued logic.
func (c Column) Or(other Column) Column { return c.binary(logical.OpOr, other) }

// Between is lo <= c AND c <= hi.
func (c Column) Between(lo, hi any) Column { return c.Geq(lo).And(c.Leq(hi)) }

func (c Column) unary(op logical.UnaryOp) Column {
	if c.err != nil {
		return c
	}
	return Column{expr: &logical.Unary{Op: op, E: c.expr}}
}

// Not is NOT c.
func (c Column) Not() Column { return c.unary(logical.OpNot) }

// Negate is -c.
func (c Column) Negate() Column { return c.unary(logical.OpNegate) }

// IsNull is true where c is null.
func (c Column) IsNull() Column { return c.unary(logical.OpIsNull) }

// IsNotNull is true where c is not null.
func (c Column) IsNotNull() Column { return c.unary(logical.OpIsNotNull) }

// Cast converts c to a Spark SQL type given by name ("int", "double",
// "decimal(15,2)", "date", "string", ...).
func (c Column) Cast(typeName string) Column {
	t, err := logical.ParseType(typeName)
	if err != nil {
		return ErrColumn(err)
	}
	return c.CastTo(t)
}

// TryCast is Cast, but a value that cannot be converted becomes null
// instead of failing the query (Spark's try_cast).
func (c Column) TryCast(typeName string) Column {
	t, err := logical.ParseType(typeName)
	if err != nil {
		return ErrColumn(err)
	}
	if c.err != nil {
		return c
	}
	return Column{expr: &logical.Cast{E: c.expr, To: t, Try: true}}
}

// CastTo converts c to an Arrow type.
func (c Column) CastTo(t arrow.DataType) Column {
	if c.err != nil {
		return c
	}
	return Column{expr: &logical.Cast{E: c.expr, To: t}}
}

// Alias names the column.
func (c Column) Alias(name string) Column {
	if c.err != nil {
		return c
	}
	return Column{expr: &logical.Alias{E: c.expr, Name: name}}
}

// As is Alias.
func (c Column) As(name string) Column { return c.Alias(name) }

// Like matches c against a SQL LIKE pattern (% any run, _ one character).
func (c Column) Like(pattern string) Column {
	if c.err != nil {
		return c
	}
	return Column{expr: &logical.Like{E: c.expr, Pattern: pattern}}
}

// Substr is substring(c, pos, length) with Spark's 1-based positions.
func (c Column) Substr(pos, length int) Column {
	return Call("substring", c, Lit(pos), Lit(length))
}

func (c Column) order(desc, nullsFirst bool) Column {
	if c.err != nil {
		return c
	}
	return Column{expr: &logical.SortOrder{E: c.expr, Desc: desc, NullsFirst: nullsFirst}}
}

// Asc sorts ascending with nulls first (Spark's default).
func (c Column) Asc() Column { return c.order(false, true) }

// AscNullsLast sorts ascending with nulls last.
func (c Column) AscNullsLast() Column { return c.order(false, false) }

// Desc sorts descending with nulls last (Spark's default).
func (c Column) Desc() Column { return c.order(true, false) }

// DescNullsFirst sorts descending with nulls first.
func (c Column) DescNullsFirst() Column { return c.order(true, true) }

// When adds a branch to a CASE expression begun with functions.When.
func (c Column) When(cond Column, value any) Column {
	cw, ok := c.expr.(*logical.CaseWhen)
	if c.err != nil {
		return c
	}
	if !ok || cw.Else != nil {
		return ErrColumn(fmt.Errorf("When can only follow When(...), not %s", c))
	}
	v := Lit(value)
	if cond.err != nil {
		return cond
	}
	if v.err != nil {
		return v
	}
	return Column{expr: &logical.CaseWhen{Whens: append(append([]logical.Expr{}, cw.Whens...), cond.expr), Thens: append(append([]logical.Expr{}, cw.Thens...), v.expr)}}
}

// Otherwise sets the ELSE value of a CASE expression.
func (c Column) Otherwise(value any) Column {
	cw, ok := c.expr.(*logical.CaseWhen)
	if c.err != nil {
		return c
	}
	if !ok || cw.Else != nil {
		return ErrColumn(fmt.Errorf("Otherwise can only follow When(...), not %s", c))
	}
	v := Lit(value)
	if v.err != nil {
		return v
	}
	return Column{expr: &logical.CaseWhen{Whens: cw.Whens, Thens: cw.Thens, Else: v.expr}}
}

// When starts a CASE expression: When(cond, value).When(...).Otherwise(...).
func When(cond Column, value any) Column {
	v := Lit(value)
	if cond.err != nil {
		return cond
	}
	if v.err != nil {
		return v
	}
	return Column{expr: &logical.CaseWhen{Whens: []logical.Expr{cond.expr}, Thens: []logical.Expr{v.expr}}}
}

// Call invokes a scalar function by name.
func Call(name string, args ...Column) Column {
	exprs := make([]logical.Expr, len(args))
	for i, a := range args {
		if a.err != nil {
			return a
		}
		exprs[i] = a.expr
	}
	return Column{expr: &logical.Func{Name: name, Args: exprs}}
}

// Agg makes an aggregate function column; arg is ignored for count(*) when star is true.
func Agg(f logical.AggFunc, arg Column) Column {
	if arg.err != nil {
		return arg
	}
	if _, ok := arg.expr.(*logical.Star); ok && f == logical.AggCount {
		return Column{expr: &logical.AggregateCall{Func: f}}
	}
	return Column{expr: &logical.AggregateCall{Func: f, Arg: arg.expr}}
}
