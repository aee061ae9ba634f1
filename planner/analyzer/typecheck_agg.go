package analyzer

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/planner/compile"
	"github.com/gspark/gspark/planner/logical"
)

// typeExtAggregate types the aggregates of logical's agg_ext.go. Some are
// rewritten into the others, as Spark replaces them: regr_count is count
// over the pairs without a null, regr_avgx/regr_avgy the average of one
// side of those pairs, try_sum and try_avg a sum or average computed wide
// enough and narrowed with try_cast, so that an overflow gives null. ok is
// false for the other aggregates.
func typeExtAggregate(a *logical.AggregateCall) (logical.Expr, bool, error) {
	e, ok, err := typeExtAggregateCall(a)
	if err == nil && ok {
		if c, same := e.(*logical.AggregateCall); !same || c.Func != a.Func || logical.StripIDs(c.String()) != logical.StripIDs(a.String()) {
			// A rewritten call, or one whose arguments were cast, keeps the
			// column name Spark gives the call.
			if al, isAlias := e.(*logical.Alias); isAlias {
				e = al.E
			}
			e = &logical.Alias{E: e, Name: logical.StripIDs(a.String())}
		}
	}
	return e, ok, err
}

// typeExtAggregateCall is typeExtAggregate without the column name.
func typeExtAggregateCall(a *logical.AggregateCall) (logical.Expr, bool, error) {
	if a.Func.IsSketch() {
		return typeSketchAggregate(a)
	}
	f64 := arrow.PrimitiveTypes.Float64
	out := *a
	numeric := func(args ...*logical.Expr) error {
		for _, arg := range args {
			if t := (*arg).DataType(); !logical.IsNumeric(t) && t.ID() != arrow.NULL {
				return logical.AnalysisErr("%s needs numeric arguments, %s has type %s", a.Func, logical.StripIDs((*arg).String()), logical.TypeName(t))
			}
		}
		return nil
	}
	typed := func(t arrow.DataType, err error) (logical.Expr, bool, error) {
		if err != nil {
			return nil, true, logical.AnalysisErr("%s(%s): %v", a.Func, logical.StripIDs(a.Arg.String()), err)
		}
		out.Type = t
		return &out, true, nil
	}
	if a.Func.IsRegr() {
		if a.Arg2 == nil {
			return nil, true, logical.AnalysisErr("%s takes 2 arguments (y, x)", a.Func)
		}
		if err := numeric(&out.Arg, &out.Arg2); err != nil {
			return nil, true, err
		}
		// Only the rows where both y and x are set count.
		bothSet := func(y, x logical.Expr) logical.Expr {
			return &logical.CaseWhen{Whens: []logical.Expr{&logical.Unary{Op: logical.OpIsNotNull, E: y}}, Thens: []logical.Expr{x}}
		}
		switch a.Func {
		case logical.AggRegrCount:
			e, err := typeAggregate(&logical.AggregateCall{Func: logical.AggCount, Arg: bothSet(a.Arg, a.Arg2)})
			return e, true, err
		case logical.AggRegrAvgX:
			e, err := typeAggregate(&logical.AggregateCall{Func: logical.AggAvg, Arg: bothSet(a.Arg, a.Arg2)})
			return e, true, err
		case logical.AggRegrAvgY:
			e, err := typeAggregate(&logical.AggregateCall{Func: logical.AggAvg, Arg: bothSet(a.Arg2, a.Arg)})
			return e, true, err
		}
		out.Arg, out.Arg2 = logical.CastTo(a.Arg, f64), logical.CastTo(a.Arg2, f64)
		return typed(aggregate.ResultType2(compile.ExecAggOf(&out), f64, f64))
	}
	switch a.Func {
	case logical.AggSkewness, logical.AggKurtosis:
		if err := numeric(&out.Arg); err != nil {
			return nil, true, err
		}
		out.Arg = logical.CastTo(a.Arg, f64)
		return typed(aggregate.ResultType(compile.ExecAggOf(&out), f64))
	case logical.AggMode:
		if a.Arg.DataType().ID() == arrow.NULL {
			out.Arg = logical.CastTo(a.Arg, arrow.PrimitiveTypes.Int32)
		}
		return typed(aggregate.ResultType(compile.ExecAggOf(&out), out.Arg.DataType()))
	case logical.AggListAgg:
		switch t := a.Arg.DataType(); {
		case logical.IsString(t):
		case t.ID() == arrow.BINARY:
			return nil, true, logical.AnalysisErr("%s of binary values is not supported", a.Func)
		default:
			out.Arg = logical.CastTo(a.Arg, arrow.BinaryTypes.String)
		}
		if out.Arg2 == nil {
			return typed(aggregate.ResultType(compile.ExecAggOf(&out), out.Arg.DataType()))
		}
		return typed(aggregate.ResultType2(compile.ExecAggOf(&out), out.Arg.DataType(), out.Arg2.DataType()))
	case logical.AggPercentileDisc:
		if len(a.Percentages) != 1 {
			return nil, true, logical.AnalysisErr("%s needs one percentage", a.Func)
		}
		if p := a.Percentages[0]; !(p >= 0 && p <= 1) {
			return nil, true, logical.AnalysisErr("%s: the percentage %g must be between 0.0 and 1.0", a.Func, p)
		}
		if err := numeric(&out.Arg); err != nil {
			return nil, true, err
		}
		out.Arg = logical.CastTo(a.Arg, f64)
		return typed(aggregate.ResultType(compile.ExecAggOf(&out), f64))
	case logical.AggHistogramNumeric:
		if a.Bins < 2 {
			return nil, true, logical.AnalysisErr("%s needs at least 2 bins, got %d", a.Func, a.Bins)
		}
		if a.Arg.DataType().ID() == arrow.NULL {
			out.Arg = logical.CastTo(a.Arg, f64)
		}
		return typed(aggregate.ResultType(compile.ExecAggOf(&out), out.Arg.DataType()))
	case logical.AggPercentileCont:
		// percentile_cont is percentile over the WITHIN GROUP column.
		e, err := typeAggregate(&logical.AggregateCall{Func: logical.AggPercentile, Arg: a.Arg, Percentages: a.Percentages, Desc: a.Desc})
		return e, true, err
	case logical.AggTrySum, logical.AggTryAvg:
		return typeTrySumAvg(a)
	case logical.AggCountMinSketch:
		// Spark: an integral, string or binary column; integers hash as longs.
		switch t := a.Arg.DataType(); {
		case logical.IsInteger(t), t.ID() == arrow.NULL:
			out.Arg = logical.CastTo(a.Arg, arrow.PrimitiveTypes.Int64)
		case logical.IsString(t), t.ID() == arrow.BINARY:
		default:
			return nil, true, logical.AnalysisErr("%s needs an integral, string or binary argument, %s has type %s", a.Func, logical.StripIDs(a.Arg.String()), logical.TypeName(t))
		}
		return typed(aggregate.ResultType(compile.ExecAggOf(&out), out.Arg.DataType()))
	}
	return nil, false, nil
}

// typeTrySumAvg types try_sum and try_avg: over integers try_sum sums
// exactly in DECIMAL(38,0) and try_casts the total to BIGINT; over decimals
// both compute in DECIMAL(38,s) and try_cast to Spark's result type
// (DECIMAL(p+10,s) for the sum, DECIMAL(p+4,s+4) for the average); over
// doubles (and try_avg over integers) they are sum and avg, which cannot
// overflow. The decimal sums themselves fail beyond 38 digits.
func typeTrySumAvg(a *logical.AggregateCall) (logical.Expr, bool, error) {
	plain := logical.AggSum
	if a.Func == logical.AggTryAvg {
		plain = logical.AggAvg
	}
	t := a.Arg.DataType()
	call := &logical.AggregateCall{Func: plain, Arg: a.Arg, Distinct: a.Distinct}
	var to arrow.DataType
	switch {
	case logical.IsInteger(t) && plain == logical.AggSum:
		call.Arg = logical.CastTo(a.Arg, logical.DecimalType(38, 0))
		to = arrow.PrimitiveTypes.Int64
	case logical.IsDecimal(t):
		p, s := logical.DecimalPS(t)
		call.Arg = logical.CastTo(a.Arg, logical.DecimalType(38, s))
		if plain == logical.AggSum {
			to = logical.DecimalType(min(38, p+10), s)
		} else {
			to = logical.DecimalType(min(38, p+4), min(38, s+4))
		}
	case logical.IsNumeric(t), t.ID() == arrow.NULL:
	default:
		return nil, true, logical.AnalysisErr("%s needs a numeric argument, %s has type %s", a.Func, logical.StripIDs(a.Arg.String()), logical.TypeName(t))
	}
	e, err := typeAggregate(call)
	if err != nil || to == nil {
		return e, true, err
	}
	return &logical.Cast{E: e, To: to, Try: true}, true, nil
}
