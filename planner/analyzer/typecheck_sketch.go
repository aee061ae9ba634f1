package analyzer

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/expr/fmtfn"
	"github.com/gspark/gspark/exec/expr/sketchfn"
	"github.com/gspark/gspark/planner/compile"
	"github.com/gspark/gspark/planner/logical"
)

// typeSketchAggregate types the sketch aggregates: bitmap_construct_agg
// over integers (as bigint), bitmap_or_agg, bitmap_and_agg and
// hll_union_agg over binaries, hll_sketch_agg over int, bigint, string or
// binary values with lgConfigK in 4..21.
func typeSketchAggregate(a *logical.AggregateCall) (logical.Expr, bool, error) {
	out := *a
	t := a.Arg.DataType()
	wrong := func(want string) (logical.Expr, bool, error) {
		return nil, true, logical.AnalysisErr("%s needs %s argument, %s has type %s", a.Func, want, logical.StripIDs(a.Arg.String()), logical.TypeName(t))
	}
	switch a.Func {
	case logical.AggBitmapConstruct:
		if !logical.IsInteger(t) && t.ID() != arrow.NULL {
			return wrong("a bigint (a bit position)")
		}
		out.Arg = logical.CastTo(a.Arg, arrow.PrimitiveTypes.Int64)
	case logical.AggBitmapOr, logical.AggBitmapAnd, logical.AggHLLUnion:
		if t.ID() != arrow.BINARY && t.ID() != arrow.NULL {
			return wrong("a binary")
		}
		out.Arg = logical.CastTo(a.Arg, arrow.BinaryTypes.Binary)
	case logical.AggHLLSketch:
		if err := sketchfn.CheckLgConfigK(a.Func.String(), a.Bins); err != nil {
			return nil, true, logical.AnalysisErr("%v", err)
		}
		switch {
		case t.ID() == arrow.INT8, t.ID() == arrow.INT16, t.ID() == arrow.NULL:
			out.Arg = logical.CastTo(a.Arg, arrow.PrimitiveTypes.Int32)
		case t.ID() == arrow.INT32, t.ID() == arrow.INT64, logical.IsString(t), t.ID() == arrow.BINARY:
		default:
			return wrong("an int, bigint, string or binary")
		}
	case logical.AggSchemaOfVariant:
		if !fmtfn.IsVariant(t) {
			return wrong("a variant")
		}
	}
	rt, err := aggregate.ResultType(compile.ExecAggOf(&out), out.Arg.DataType())
	if err != nil {
		return nil, true, logical.AnalysisErr("%s(%s): %v", a.Func, logical.StripIDs(a.Arg.String()), err)
	}
	out.Type = rt
	return &out, true, nil
}
