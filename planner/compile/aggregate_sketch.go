package compile

import (
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/planner/logical"
)

// sketchExecFunc is ExecAggFunc for the sketch aggregates.
func sketchExecFunc(f logical.AggFunc) (aggregate.Func, bool) {
	switch f {
	case logical.AggBitmapConstruct:
		return aggregate.BitmapConstructAgg, true
	case logical.AggBitmapOr:
		return aggregate.BitmapOrAgg, true
	case logical.AggBitmapAnd:
		return aggregate.BitmapAndAgg, true
	case logical.AggHLLSketch:
		return aggregate.HLLSketchAgg, true
	case logical.AggHLLUnion:
		return aggregate.HLLUnionAgg, true
	case logical.AggSchemaOfVariant:
		return aggregate.SchemaOfVariantAgg, true
	}
	return 0, false
}
