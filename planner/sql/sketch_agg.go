package sql

import (
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// defaultLgConfigK is hll_sketch_agg's lgConfigK when none is given, as
// Spark's (sketchfn.DefaultLgConfigK; this package does not import exec).
const defaultLgConfigK = 12

// sketchAggregate reports whether name is one of the sketch aggregates,
// whose literal parameters sketchAggCall reads.
func sketchAggregate(name string) bool {
	f, ok := logical.LookupAggregate(name)
	return ok && f.IsSketch()
}

// sketchAggCall builds bitmap_construct_agg(x), bitmap_or_agg(x),
// bitmap_and_agg(x), hll_sketch_agg(x[, lgConfigK]) and hll_union_agg(x[,
// allowDifferentLgConfigK]); filter (nil without) applies to x.
func (p *parser) sketchAggCall(nameTok token, name string, args []logical.Expr, distinct bool, within []orderItem, filter logical.Expr) (logical.Expr, error) {
	f, _ := logical.LookupAggregate(name)
	if within != nil {
		return nil, p.errAt(nameTok, "%s does not take WITHIN GROUP", name)
	}
	maxArgs := 1
	if f == logical.AggHLLSketch || f == logical.AggHLLUnion {
		maxArgs = 2
	}
	if len(args) < 1 || len(args) > maxArgs {
		if maxArgs == 1 {
			return nil, p.errAt(nameTok, "%s takes 1 argument, got %d", name, len(args))
		}
		return nil, p.errAt(nameTok, "%s takes 1 or 2 arguments, got %d", name, len(args))
	}
	arg := args[0]
	if filter != nil {
		arg = &logical.CaseWhen{Whens: []logical.Expr{filter}, Thens: []logical.Expr{arg}}
	}
	call := &logical.AggregateCall{Func: f, Arg: arg, Distinct: distinct}
	switch f {
	case logical.AggHLLSketch:
		call.Bins = defaultLgConfigK
		if len(args) == 2 {
			k, err := functions.IntLiteralArg(name, args[1])
			if err != nil {
				return nil, p.errAt(nameTok, "the lgConfigK of %s must be an integer literal, got %s", name, args[1])
			}
			call.Bins = k
		}
	case logical.AggHLLUnion:
		if len(args) == 2 {
			l, ok := args[1].(*logical.Literal)
			b, isBool := false, false
			if ok {
				b, isBool = l.Value.(bool)
			}
			if !isBool {
				return nil, p.errAt(nameTok, "the allowDifferentLgConfigK argument of %s must be a boolean literal, got %s", name, args[1])
			}
			call.Desc = b
		}
	}
	return call, nil
}
