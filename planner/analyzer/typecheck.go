package analyzer

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/planner/compile"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// TypeCheck types one expression whose children are already typed, inserting
// implicit casts as Spark's type coercion rules do.
func TypeCheck(e logical.Expr) (logical.Expr, error) {
	switch x := e.(type) {
	case *logical.Binary:
		if e, ok, err := functions.TypeIntervalBinary(x); ok {
			return e, err
		}
		return logical.TypeBinary(x)
	case *logical.Unary:
		t := x.E.DataType()
		switch x.Op {
		case logical.OpNot:
			if t.ID() == arrow.NULL {
				return &logical.Unary{Op: logical.OpNot, E: logical.CastTo(x.E, arrow.FixedWidthTypes.Boolean)}, nil
			}
			if t.ID() != arrow.BOOL {
				return nil, logical.AnalysisErr("NOT needs a boolean operand, %s has type %s", logical.StripIDs(x.E.String()), logical.TypeName(t))
			}
		case logical.OpNegate:
			if e, ok := functions.NegateInterval(x.E); ok {
				return e, nil
			}
			if !logical.IsNumeric(t) {
				return nil, logical.AnalysisErr("unary minus needs a numeric operand, %s has type %s", logical.StripIDs(x.E.String()), logical.TypeName(t))
			}
		}
		return x, nil
	case *logical.Cast:
		from := x.E.DataType()
		if v, ok := functions.CastFromVariant(x.E, x.To, x.Try); ok {
			return v, nil
		}
		if !logical.CanCast(from, x.To) {
			return nil, logical.AnalysisErr("cannot cast %s of type %s to %s", logical.StripIDs(x.E.String()), logical.TypeName(from), logical.TypeName(x.To))
		}
		return x, nil
	case *logical.CaseWhen:
		whens := make([]logical.Expr, len(x.Whens))
		for i, w := range x.Whens {
			if w.DataType().ID() == arrow.NULL {
				w = logical.CastTo(w, arrow.FixedWidthTypes.Boolean)
			}
			if err := expectBoolean(w, "CASE WHEN"); err != nil {
				return nil, err
			}
			whens[i] = w
		}
		branches := append([]logical.Expr{}, x.Thens...)
		if x.Else != nil {
			branches = append(branches, x.Else)
		}
		t := branches[0].DataType()
		for _, b := range branches[1:] {
			ct, ok := logical.CommonType(t, b.DataType())
			if !ok {
				return nil, logical.AnalysisErr("CASE branches have incompatible types %s and %s", logical.TypeName(t), logical.TypeName(b.DataType()))
			}
			t = ct
		}
		out := &logical.CaseWhen{Whens: whens}
		for _, th := range x.Thens {
			out.Thens = append(out.Thens, logical.CastTo(th, t))
		}
		if x.Else != nil {
			out.Else = logical.CastTo(x.Else, t)
		}
		return out, nil
	case *logical.Like:
		t := x.E.DataType()
		if !logical.IsString(t) {
			return nil, logical.AnalysisErr("LIKE needs a string operand, %s has type %s", logical.StripIDs(x.E.String()), logical.TypeName(t))
		}
		return x, nil
	case *logical.Func:
		return functions.TypeFunc(x)
	case *logical.AggregateCall:
		return typeAggregate(x)
	}
	return e, nil
}

func typeAggregate(a *logical.AggregateCall) (logical.Expr, error) {
	if a.Arg == nil {
		if a.Func != logical.AggCount {
			return nil, logical.AnalysisErr("%s needs an argument", a.Func)
		}
		return &logical.AggregateCall{Func: logical.AggCount, Type: arrow.PrimitiveTypes.Int64}, nil
	}
	if e, ok, err := typeExtAggregate(a); ok {
		return e, err
	}
	if e, ok, err := functions.IntervalAggregate(a, typeAggregate); ok {
		return e, err
	}
	if a.Func.TwoArgs() != (a.Arg2 != nil) {
		want := 1
		if a.Func.TwoArgs() {
			want = 2
		}
		return nil, logical.AnalysisErr("%s takes %d argument(s)", a.Func, want)
	}
	out := *a
	if t := a.Arg.DataType(); t.ID() == arrow.NULL {
		switch a.Func {
		case logical.AggCount, logical.AggSum, logical.AggAvg, logical.AggMin, logical.AggMax, logical.AggFirst, logical.AggLast, logical.AggAnyValue, logical.AggCollectList, logical.AggCollectSet:
			// sum(NULL), count(NULL), …: an all-null column of some type.
			out.Arg = logical.CastTo(a.Arg, arrow.PrimitiveTypes.Float64)
		}
	}
	switch a.Func {
	case logical.AggStddevSamp, logical.AggStddevPop, logical.AggVarSamp, logical.AggVarPop, logical.AggCorr, logical.AggCovarSamp, logical.AggCovarPop:
		// Spark computes these over doubles.
		for _, arg := range []*logical.Expr{&out.Arg, &out.Arg2} {
			if *arg == nil {
				continue
			}
			if t := (*arg).DataType(); !logical.IsNumeric(t) && t.ID() != arrow.NULL {
				return nil, logical.AnalysisErr("%s needs numeric arguments, %s has type %s", a.Func, logical.StripIDs((*arg).String()), logical.TypeName(t))
			}
			*arg = logical.CastTo(*arg, arrow.PrimitiveTypes.Float64)
		}
	case logical.AggBitAnd, logical.AggBitOr, logical.AggBitXor:
		// Spark's BitAggregate: an integral argument, the result of its type.
		if t := a.Arg.DataType(); t.ID() == arrow.NULL {
			out.Arg = logical.CastTo(a.Arg, arrow.PrimitiveTypes.Int32)
		} else if !logical.IsInteger(t) {
			return nil, logical.AnalysisErr("%s needs an integral argument, %s has type %s", a.Func, logical.StripIDs(a.Arg.String()), logical.TypeName(t))
		}
	case logical.AggBoolAnd, logical.AggBoolOr, logical.AggCountIf:
		if t := a.Arg.DataType(); t.ID() == arrow.NULL {
			out.Arg = logical.CastTo(a.Arg, arrow.FixedWidthTypes.Boolean)
		} else if t.ID() != arrow.BOOL {
			return nil, logical.AnalysisErr("%s needs a boolean argument, %s has type %s", a.Func, logical.StripIDs(a.Arg.String()), logical.TypeName(t))
		}
	}
	var t arrow.DataType
	var err error
	switch {
	case a.Func.IsPercentile():
		if len(out.Percentages) == 0 {
			return nil, logical.AnalysisErr("%s needs a percentage", a.Func)
		}
		for _, p := range out.Percentages {
			if p < 0 || p > 1 || p != p {
				return nil, logical.AnalysisErr("%s: the percentage %g must be between 0.0 and 1.0", a.Func, p)
			}
		}
		if a.Func != logical.AggPercentileApprox {
			// percentile and median compute over doubles, as Spark does.
			if t := out.Arg.DataType(); !logical.IsNumeric(t) && t.ID() != arrow.NULL {
				return nil, logical.AnalysisErr("%s needs a numeric argument, %s has type %s", a.Func, logical.StripIDs(a.Arg.String()), logical.TypeName(t))
			}
			out.Arg = logical.CastTo(out.Arg, arrow.PrimitiveTypes.Float64)
		}
		t, err = aggregate.ResultType(compile.ExecAggOf(&out), out.Arg.DataType())
	case out.Arg2 != nil:
		t, err = aggregate.ResultType2(compile.ExecAggFunc(out.Func, false), out.Arg.DataType(), out.Arg2.DataType())
	default:
		t, err = AggregateResultType(out.Func, out.Arg.DataType())
	}
	if err != nil {
		return nil, logical.AnalysisErr("%s(%s): %v", a.Func, logical.StripIDs(a.Arg.String()), err)
	}
	out.Type = t
	return &out, nil
}

// AggregateResultType is the Spark result type of an aggregate over in.
func AggregateResultType(f logical.AggFunc, in arrow.DataType) (arrow.DataType, error) {
	switch f {
	case logical.AggCount:
		return arrow.PrimitiveTypes.Int64, nil
	case logical.AggSum:
		switch {
		case logical.IsInteger(in):
			return arrow.PrimitiveTypes.Int64, nil
		case logical.IsFloat(in):
			return arrow.PrimitiveTypes.Float64, nil
		case logical.IsDecimal(in):
			p, s := logical.DecimalPS(in)
			return logical.DecimalType(min(38, p+10), s), nil
		}
	case logical.AggAvg:
		switch {
		case logical.IsInteger(in), logical.IsFloat(in):
			return arrow.PrimitiveTypes.Float64, nil
		case logical.IsDecimal(in):
			p, s := logical.DecimalPS(in)
			return logical.DecimalType(min(38, p+4), min(38, s+4)), nil
		}
	case logical.AggMin, logical.AggMax:
		switch in.ID() {
		case arrow.NULL:
		default:
			return in, nil
		}
	default:
		t, err := aggregate.ResultType(compile.ExecAggFunc(f, false), in)
		if err != nil {
			return nil, logical.AnalysisErr("%v", err)
		}
		return t, nil
	}
	return nil, logical.AnalysisErr("type %s is not supported", logical.TypeName(in))
}
