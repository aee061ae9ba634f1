package planner

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/values"
)

// typeCheck types one expression whose children are already typed, inserting
// implicit casts as Spark's type coercion rules do.
func typeCheck(e Expr) (Expr, error) {
	switch x := e.(type) {
	case *Binary:
		return typeBinary(x)
	case *Unary:
		t := x.E.DataType()
		switch x.Op {
		case OpNot:
			if t.ID() == arrow.NULL {
				return &Unary{Op: OpNot, E: castTo(x.E, arrow.FixedWidthTypes.Boolean)}, nil
			}
			if t.ID() != arrow.BOOL {
				return nil, analysisErr("NOT needs a boolean operand, %s has type %s", stripIDs(x.E.String()), TypeName(t))
			}
		case OpNegate:
			if !isNumeric(t) {
				return nil, analysisErr("unary minus needs a numeric operand, %s has type %s", stripIDs(x.E.String()), TypeName(t))
			}
		}
		return x, nil
	case *Cast:
		from := x.E.DataType()
		if !canCast(from, x.To) {
			return nil, analysisErr("cannot cast %s of type %s to %s", stripIDs(x.E.String()), TypeName(from), TypeName(x.To))
		}
		return x, nil
	case *CaseWhen:
		whens := make([]Expr, len(x.Whens))
		for i, w := range x.Whens {
			if w.DataType().ID() == arrow.NULL {
				w = castTo(w, arrow.FixedWidthTypes.Boolean)
			}
			if err := expectBoolean(w, "CASE WHEN"); err != nil {
				return nil, err
			}
			whens[i] = w
		}
		branches := append([]Expr{}, x.Thens...)
		if x.Else != nil {
			branches = append(branches, x.Else)
		}
		t := branches[0].DataType()
		for _, b := range branches[1:] {
			ct, ok := commonType(t, b.DataType())
			if !ok {
				return nil, analysisErr("CASE branches have incompatible types %s and %s", TypeName(t), TypeName(b.DataType()))
			}
			t = ct
		}
		out := &CaseWhen{Whens: whens}
		for _, th := range x.Thens {
			out.Thens = append(out.Thens, castTo(th, t))
		}
		if x.Else != nil {
			out.Else = castTo(x.Else, t)
		}
		return out, nil
	case *Like:
		t := x.E.DataType()
		if !isString(t) {
			return nil, analysisErr("LIKE needs a string operand, %s has type %s", stripIDs(x.E.String()), TypeName(t))
		}
		return x, nil
	case *Func:
		return typeFunc(x)
	case *AggregateCall:
		return typeAggregate(x)
	}
	return e, nil
}

func typeAggregate(a *AggregateCall) (Expr, error) {
	if a.Arg == nil {
		if a.Func != AggCount {
			return nil, analysisErr("%s needs an argument", a.Func)
		}
		return &AggregateCall{Func: AggCount, Type: arrow.PrimitiveTypes.Int64}, nil
	}
	if a.Func.TwoArgs() != (a.Arg2 != nil) {
		want := 1
		if a.Func.TwoArgs() {
			want = 2
		}
		return nil, analysisErr("%s takes %d argument(s)", a.Func, want)
	}
	out := *a
	if t := a.Arg.DataType(); t.ID() == arrow.NULL {
		switch a.Func {
		case AggCount, AggSum, AggAvg, AggMin, AggMax, AggFirst, AggLast, AggAnyValue, AggCollectList, AggCollectSet:
			// sum(NULL), count(NULL), …: an all-null column of some type.
			out.Arg = castTo(a.Arg, arrow.PrimitiveTypes.Float64)
		}
	}
	switch a.Func {
	case AggStddevSamp, AggStddevPop, AggVarSamp, AggVarPop, AggCorr, AggCovarSamp, AggCovarPop:
		// Spark computes these over doubles.
		for _, arg := range []*Expr{&out.Arg, &out.Arg2} {
			if *arg == nil {
				continue
			}
			if t := (*arg).DataType(); !isNumeric(t) && t.ID() != arrow.NULL {
				return nil, analysisErr("%s needs numeric arguments, %s has type %s", a.Func, stripIDs((*arg).String()), TypeName(t))
			}
			*arg = castTo(*arg, arrow.PrimitiveTypes.Float64)
		}
	case AggBoolAnd, AggBoolOr, AggCountIf:
		if t := a.Arg.DataType(); t.ID() == arrow.NULL {
			out.Arg = castTo(a.Arg, arrow.FixedWidthTypes.Boolean)
		} else if t.ID() != arrow.BOOL {
			return nil, analysisErr("%s needs a boolean argument, %s has type %s", a.Func, stripIDs(a.Arg.String()), TypeName(t))
		}
	}
	var t arrow.DataType
	var err error
	switch {
	case a.Func.IsPercentile():
		if len(out.Percentages) == 0 {
			return nil, analysisErr("%s needs a percentage", a.Func)
		}
		for _, p := range out.Percentages {
			if p < 0 || p > 1 || p != p {
				return nil, analysisErr("%s: the percentage %g must be between 0.0 and 1.0", a.Func, p)
			}
		}
		if a.Func != AggPercentileApprox {
			// percentile and median compute over doubles, as Spark does.
			if t := out.Arg.DataType(); !isNumeric(t) && t.ID() != arrow.NULL {
				return nil, analysisErr("%s needs a numeric argument, %s has type %s", a.Func, stripIDs(a.Arg.String()), TypeName(t))
			}
			out.Arg = castTo(out.Arg, arrow.PrimitiveTypes.Float64)
		}
		t, err = aggregate.ResultType(execAggOf(&out), out.Arg.DataType())
	case out.Arg2 != nil:
		t, err = aggregate.ResultType2(execAggFunc(out.Func, false), out.Arg.DataType(), out.Arg2.DataType())
	default:
		t, err = AggregateResultType(out.Func, out.Arg.DataType())
	}
	if err != nil {
		return nil, analysisErr("%s(%s): %v", a.Func, stripIDs(a.Arg.String()), err)
	}
	out.Type = t
	return &out, nil
}

// AggregateResultType is the Spark result type of an aggregate over in.
func AggregateResultType(f AggFunc, in arrow.DataType) (arrow.DataType, error) {
	switch f {
	case AggCount:
		return arrow.PrimitiveTypes.Int64, nil
	case AggSum:
		switch {
		case isInteger(in):
			return arrow.PrimitiveTypes.Int64, nil
		case isFloat(in):
			return arrow.PrimitiveTypes.Float64, nil
		case isDecimal(in):
			p, s := decimalPS(in)
			return DecimalType(min(38, p+10), s), nil
		}
	case AggAvg:
		switch {
		case isInteger(in), isFloat(in):
			return arrow.PrimitiveTypes.Float64, nil
		case isDecimal(in):
			p, s := decimalPS(in)
			return DecimalType(min(38, p+4), min(38, s+4)), nil
		}
	case AggMin, AggMax:
		switch in.ID() {
		case arrow.NULL:
		default:
			return in, nil
		}
	default:
		t, err := aggregate.ResultType(execAggFunc(f, false), in)
		if err != nil {
			return nil, analysisErr("%v", err)
		}
		return t, nil
	}
	return nil, analysisErr("type %s is not supported", TypeName(in))
}

func typeBinary(b *Binary) (Expr, error) {
	lt, rt := b.L.DataType(), b.R.DataType()
	boolT := arrow.FixedWidthTypes.Boolean
	switch {
	case b.Op == OpAnd || b.Op == OpOr:
		l, r := b.L, b.R
		if lt.ID() == arrow.NULL {
			l = castTo(l, boolT)
		}
		if rt.ID() == arrow.NULL {
			r = castTo(r, boolT)
		}
		if l.DataType().ID() != arrow.BOOL || r.DataType().ID() != arrow.BOOL {
			return nil, analysisErr("type mismatch in %s: %s needs boolean operands, got %s and %s", stripIDs(b.String()), b.Op, TypeName(lt), TypeName(rt))
		}
		return &Binary{Op: b.Op, L: l, R: r, Type: boolT}, nil
	case b.Op.IsComparison():
		l, r, err := coerceComparison(b.L, b.R)
		if err != nil {
			return nil, analysisErr("type mismatch in %s: cannot compare %s with %s", stripIDs(b.String()), TypeName(lt), TypeName(rt))
		}
		return &Binary{Op: b.Op, L: l, R: r, Type: boolT}, nil
	}
	// Arithmetic.
	if lt.ID() == arrow.NULL {
		lt = rt
	}
	if rt.ID() == arrow.NULL {
		rt = lt
	}
	if !isNumeric(lt) || !isNumeric(rt) {
		return nil, analysisErr("type mismatch in %s: %s needs numeric operands, got %s and %s", stripIDs(b.String()), b.Op, TypeName(b.L.DataType()), TypeName(b.R.DataType()))
	}
	l, r := b.L, b.R
	switch {
	case isFloat(lt) || isFloat(rt):
		ct, _ := commonType(lt, rt)
		if isDecimal(lt) || isDecimal(rt) {
			ct = arrow.PrimitiveTypes.Float64
		}
		l, r = castTo(l, ct), castTo(r, ct)
		return &Binary{Op: b.Op, L: l, R: r, Type: ct}, nil
	case isDecimal(lt) || isDecimal(rt):
		l, r = toDecimalOperand(l), toDecimalOperand(r)
		t := decimalArithType(b.Op, l.DataType(), r.DataType())
		return &Binary{Op: b.Op, L: l, R: r, Type: t}, nil
	default: // integers
		if b.Op == OpDiv {
			f := arrow.PrimitiveTypes.Float64
			return &Binary{Op: b.Op, L: castTo(l, f), R: castTo(r, f), Type: f}, nil
		}
		ct, _ := commonType(lt, rt)
		return &Binary{Op: b.Op, L: castTo(l, ct), R: castTo(r, ct), Type: ct}, nil
	}
}

// toDecimalOperand converts an integer operand of decimal arithmetic to a
// decimal: an integer literal to the fewest digits holding it, as Spark does.
func toDecimalOperand(e Expr) Expr {
	t := e.DataType()
	if isDecimal(t) {
		return e
	}
	if lit, ok := e.(*Literal); ok && lit.Value != nil {
		if v, ok := intValue(lit.Value); ok {
			digits := int32(len(strconv.FormatInt(absInt(v), 10)))
			return &Literal{Value: values.Decimal{Unscaled: decimal128.FromI64(v), Scale: 0}, Type: DecimalType(digits, 0)}
		}
	}
	return castTo(e, integerDecimal(t))
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
	p1, s1 := decimalPS(l)
	p2, s2 := decimalPS(r)
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
	if isDecimal(lt) && isDecimal(rt) {
		w := widerDecimal(lt, rt)
		return castTo(l, w), castTo(r, w), nil
	}
	ct, ok := commonType(lt, rt)
	if !ok {
		return nil, nil, analysisErr("no common type")
	}
	if (isDecimal(lt) && isFloat(rt)) || (isFloat(lt) && isDecimal(rt)) {
		ct = arrow.PrimitiveTypes.Float64
	}
	return castTo(l, ct), castTo(r, ct), nil
}

// castTo wraps e in a cast to t unless it already has type t.
func castTo(e Expr, t arrow.DataType) Expr {
	if arrow.TypeEqual(e.DataType(), t) {
		return e
	}
	if lit, ok := e.(*Literal); ok && lit.Value == nil {
		return &Literal{Type: t}
	}
	return &Cast{E: e, To: t}
}

func intValue(v any) (int64, bool) {
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
	case isInteger(t):
		if v, ok := intValue(lit.Value); ok {
			if iv, ok := intOfType(v, t); ok {
				return &Literal{Value: iv, Type: t}, true
			}
		}
	case isDecimal(t):
		p, s := decimalPS(t)
		var r *big.Rat
		switch v := lit.Value.(type) {
		case float64:
			r, _ = new(big.Rat).SetString(strconv.FormatFloat(v, 'f', -1, 64))
		case values.Decimal:
			r = v.Rat()
		default:
			if iv, ok := intValue(v); ok {
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
		if iv, ok := intValue(lit.Value); ok && absInt(iv) < 1<<53 {
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

// canCast reports whether the analyzer accepts CAST(from AS to); invalid values are found at run time.
func canCast(from, to arrow.DataType) bool {
	if arrow.TypeEqual(from, to) || from.ID() == arrow.NULL {
		return true
	}
	switch {
	case isNumeric(from) || from.ID() == arrow.BOOL:
		return isNumeric(to) || isString(to) || to.ID() == arrow.BOOL
	case isString(from):
		return isNumeric(to) || isString(to) || to.ID() == arrow.BOOL || to.ID() == arrow.DATE32 || to.ID() == arrow.TIMESTAMP || to.ID() == arrow.BINARY
	case from.ID() == arrow.DATE32:
		return isString(to) || to.ID() == arrow.TIMESTAMP
	case from.ID() == arrow.TIMESTAMP:
		return isString(to) || to.ID() == arrow.DATE32
	case from.ID() == arrow.BINARY:
		return isString(to)
	}
	return false
}
