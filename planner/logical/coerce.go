package logical

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/values"
)

// TypeBinary types a binary operation over typed operands, inserting the
// casts Spark's coercion rules call for (decimal precision, numeric widening,
// comparisons between strings and dates, ...).
func TypeBinary(b *Binary) (Expr, error) {
	lt, rt := b.L.DataType(), b.R.DataType()
	boolT := arrow.FixedWidthTypes.Boolean
	switch {
	case b.Op == OpAnd || b.Op == OpOr:
		l, r := b.L, b.R
		if lt.ID() == arrow.NULL {
			l = CastTo(l, boolT)
		}
		if rt.ID() == arrow.NULL {
			r = CastTo(r, boolT)
		}
		if l.DataType().ID() != arrow.BOOL || r.DataType().ID() != arrow.BOOL {
			return nil, AnalysisErr("type mismatch in %s: %s needs boolean operands, got %s and %s", StripIDs(b.String()), b.Op, TypeName(lt), TypeName(rt))
		}
		return &Binary{Op: b.Op, L: l, R: r, Type: boolT}, nil
	case b.Op.IsComparison():
		l, r, err := coerceComparison(b.L, b.R)
		if err != nil {
			return nil, AnalysisErr("type mismatch in %s: cannot compare %s with %s", StripIDs(b.String()), TypeName(lt), TypeName(rt))
		}
		return &Binary{Op: b.Op, L: l, R: r, Type: boolT}, nil
	}
	// Arithmetic.
	if e, ok := dateIntArith(b); ok {
		return e, nil
	}
	if isDatetime(lt) && isDatetime(rt) && b.Op == OpSub {
		return nil, AnalysisErr("%s: in Spark the difference of two dates or timestamps is an INTERVAL, a type gspark does not have yet; use datediff(end, start) for days or timestampdiff(unit, start, end)", StripIDs(b.String()))
	}
	if lt.ID() == arrow.NULL {
		lt = rt
	}
	if rt.ID() == arrow.NULL {
		rt = lt
	}
	if !IsNumeric(lt) || !IsNumeric(rt) {
		return nil, AnalysisErr("type mismatch in %s: %s needs numeric operands, got %s and %s", StripIDs(b.String()), b.Op, TypeName(b.L.DataType()), TypeName(b.R.DataType()))
	}
	l, r := b.L, b.R
	switch {
	case IsFloat(lt) || IsFloat(rt):
		ct, _ := CommonType(lt, rt)
		if IsDecimal(lt) || IsDecimal(rt) {
			ct = arrow.PrimitiveTypes.Float64
		}
		l, r = CastTo(l, ct), CastTo(r, ct)
		return &Binary{Op: b.Op, L: l, R: r, Type: ct}, nil
	case IsDecimal(lt) || IsDecimal(rt):
		l, r = toDecimalOperand(l), toDecimalOperand(r)
		t := decimalArithType(b.Op, l.DataType(), r.DataType())
		return &Binary{Op: b.Op, L: l, R: r, Type: t}, nil
	default: // integers
		if b.Op == OpDiv {
			f := arrow.PrimitiveTypes.Float64
			return &Binary{Op: b.Op, L: CastTo(l, f), R: CastTo(r, f), Type: f}, nil
		}
		ct, _ := CommonType(lt, rt)
		return &Binary{Op: b.Op, L: CastTo(l, ct), R: CastTo(r, ct), Type: ct}, nil
	}
}

// toDecimalOperand converts an integer operand of decimal arithmetic to a
// decimal: an integer literal to the fewest digits holding it, as Spark does.
func toDecimalOperand(e Expr) Expr {
	t := e.DataType()
	if IsDecimal(t) {
		return e
	}
	if lit, ok := e.(*Literal); ok && lit.Value != nil {
		if v, ok := IntValue(lit.Value); ok {
			digits := int32(len(strconv.FormatInt(absInt(v), 10)))
			return &Literal{Value: values.Decimal{Unscaled: decimal128.FromI64(v), Scale: 0}, Type: DecimalType(digits, 0)}
		}
	}
	return CastTo(e, IntegerDecimal(t))
}

func absInt(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// decimalArithType is the result type of decimal arithmetic under Spark's
// DecimalPrecision rules with precision loss allowed.
func decimalArithType(op BinaryOp, l, r arrow.DataType) arrow.DataType {
	p1, s1 := DecimalPS(l)
	p2, s2 := DecimalPS(r)
	var p, s int32
	switch op {
	case OpAdd, OpSub:
		s = max(s1, s2)
		p = max(p1-s1, p2-s2) + s + 1
	case OpMul:
		p, s = p1+p2+1, s1+s2
	case OpDiv:
		s = max(6, s1+p2+1)
		p = p1 - s1 + s2 + s
	case OpMod:
		s = max(s1, s2)
		p = min(p1-s1, p2-s2) + s
	}
	return adjustPrecisionScale(p, s)
}

func adjustPrecisionScale(p, s int32) arrow.DataType {
	if p <= 38 {
		return DecimalType(p, s)
	}
	intDigits := p - s
	minScale := min(s, 6)
	return DecimalType(38, max(38-intDigits, minScale))
}

// coerceComparison brings both operands of a comparison to one type. A literal
// that the other side's type represents exactly is converted instead of the
// column, so comparisons stay on the column's own type (and can be pushed into scans).
func coerceComparison(l, r Expr) (Expr, Expr, error) {
	lt, rt := l.DataType(), r.DataType()
	if arrow.TypeEqual(lt, rt) {
		return l, r, nil
	}
	if lit, ok := r.(*Literal); ok {
		if fl, ok := fitLiteral(lit, lt); ok {
			return l, fl, nil
		}
	}
	if lit, ok := l.(*Literal); ok {
		if fl, ok := fitLiteral(lit, rt); ok {
			return fl, r, nil
		}
	}
	if IsDecimal(lt) && IsDecimal(rt) {
		w := widerDecimal(lt, rt)
		return CastTo(l, w), CastTo(r, w), nil
	}
	ct, ok := CommonType(lt, rt)
	if !ok {
		return nil, nil, AnalysisErr("no common type")
	}
	if (IsDecimal(lt) && IsFloat(rt)) || (IsFloat(lt) && IsDecimal(rt)) {
		ct = arrow.PrimitiveTypes.Float64
	}
	return CastTo(l, ct), CastTo(r, ct), nil
}

// CastTo wraps e in a cast to t unless it already has type t.
func CastTo(e Expr, t arrow.DataType) Expr {
	if arrow.TypeEqual(e.DataType(), t) {
		return e
	}
	if lit, ok := e.(*Literal); ok && lit.Value == nil {
		return &Literal{Type: t}
	}
	return &Cast{E: e, To: t}
}

// IntValue returns an integer literal value of any Go integer type as int64.
func IntValue(v any) (int64, bool) {
	switch x := v.(type) {
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case int:
		return int64(x), true
	}
	return 0, false
}

// intOfType converts v to the Go integer type of t when it fits.
func intOfType(v int64, t arrow.DataType) (any, bool) {
	switch t.ID() {
	case arrow.INT8:
		if v >= math.MinInt8 && v <= math.MaxInt8 {
			return int8(v), true
		}
	case arrow.INT16:
		if v >= math.MinInt16 && v <= math.MaxInt16 {
			return int16(v), true
		}
	case arrow.INT32:
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			return int32(v), true
		}
	case arrow.INT64:
		return v, true
	}
	return nil, false
}

// fitLiteral converts a literal to type t when t represents its value exactly.
func fitLiteral(lit *Literal, t arrow.DataType) (*Literal, bool) {
	if lit.Value == nil {
		return &Literal{Type: t}, true
	}
	switch {
	case IsInteger(t):
		if v, ok := IntValue(lit.Value); ok {
			if iv, ok := intOfType(v, t); ok {
				return &Literal{Value: iv, Type: t}, true
			}
		}
	case IsDecimal(t):
		p, s := DecimalPS(t)
		var r *big.Rat
		switch v := lit.Value.(type) {
		case float64:
			r, _ = new(big.Rat).SetString(strconv.FormatFloat(v, 'f', -1, 64))
		case values.Decimal:
			r = v.Rat()
		default:
			if iv, ok := IntValue(v); ok {
				r = new(big.Rat).SetInt64(iv)
			}
		}
		if r == nil {
			return nil, false
		}
		scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s)), nil)))
		if !scaled.IsInt() {
			return nil, false
		}
		n := scaled.Num()
		limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(p)), nil)
		if new(big.Int).Abs(n).Cmp(limit) >= 0 {
			return nil, false
		}
		num, err := decimal128.FromBigInt(n), error(nil)
		if err != nil {
			return nil, false
		}
		return &Literal{Value: values.Decimal{Unscaled: num, Scale: s}, Type: t}, true
	case t.ID() == arrow.FLOAT64:
		switch v := lit.Value.(type) {
		case float32:
			return &Literal{Value: float64(v), Type: t}, true
		}
		if iv, ok := IntValue(lit.Value); ok && absInt(iv) < 1<<53 {
			return &Literal{Value: float64(iv), Type: t}, true
		}
	case t.ID() == arrow.DATE32:
		if s, ok := lit.Value.(string); ok {
			d, err := time.Parse("2006-01-02", strings.TrimSpace(s))
			if err == nil {
				return &Literal{Value: d, Type: t}, true
			}
		}
	}
	return nil, false
}

// CanCast reports whether the analyzer accepts CAST(from AS to); invalid values are found at run time.
func CanCast(from, to arrow.DataType) bool {
	if arrow.TypeEqual(from, to) || from.ID() == arrow.NULL {
		return true
	}
	if values.IsInterval(from) {
		return IsString(to)
	}
	if from.ID() == arrow.TIMESTAMP && to.ID() == arrow.TIMESTAMP { // TIMESTAMP and TIMESTAMP_NTZ
		return true
	}
	if ok, nested := canCastNested(from, to); nested {
		return ok
	}
	switch {
	case IsNumeric(from) || from.ID() == arrow.BOOL:
		return IsNumeric(to) || IsString(to) || to.ID() == arrow.BOOL
	case IsString(from):
		return IsNumeric(to) || IsString(to) || to.ID() == arrow.BOOL || to.ID() == arrow.DATE32 || to.ID() == arrow.TIMESTAMP || to.ID() == arrow.BINARY
	case from.ID() == arrow.DATE32:
		return IsString(to) || to.ID() == arrow.TIMESTAMP
	case from.ID() == arrow.TIMESTAMP:
		return IsString(to) || to.ID() == arrow.DATE32
	case from.ID() == arrow.BINARY:
		return IsString(to)
	}
	return false
}

func isDatetime(t arrow.DataType) bool { return t.ID() == arrow.DATE32 || t.ID() == arrow.TIMESTAMP }

// dateIntArith types DATE + int, int + DATE and DATE - int as Spark does:
// date_add and date_sub of a tinyint, smallint or int number of days.
func dateIntArith(b *Binary) (Expr, bool) {
	small := func(t arrow.DataType) bool {
		switch t.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32:
			return true
		}
		return false
	}
	isDate := func(t arrow.DataType) bool { return t.ID() == arrow.DATE32 }
	lt, rt := b.L.DataType(), b.R.DataType()
	days := func(e Expr) Expr { return CastTo(e, arrow.PrimitiveTypes.Int32) }
	switch {
	case b.Op == OpAdd && isDate(lt) && small(rt):
		return &Func{Name: "date_add", Args: []Expr{b.L, days(b.R)}, Type: arrow.FixedWidthTypes.Date32}, true
	case b.Op == OpAdd && small(lt) && isDate(rt):
		return &Func{Name: "date_add", Args: []Expr{b.R, days(b.L)}, Type: arrow.FixedWidthTypes.Date32}, true
	case b.Op == OpSub && isDate(lt) && small(rt):
		return &Func{Name: "date_sub", Args: []Expr{b.L, days(b.R)}, Type: arrow.FixedWidthTypes.Date32}, true
	}
	return nil, false
}
