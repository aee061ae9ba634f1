package compile

import (
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/planner/logical"
)

// ExecAggFunc is the operator's name for an aggregate function; star marks
// count(*).
func ExecAggFunc(f logical.AggFunc, star bool) aggregate.Func {
	switch f {
	case logical.AggCount:
		if star {
			return aggregate.CountStar
		}
		return aggregate.Count
	case logical.AggSum:
		return aggregate.Sum
	case logical.AggAvg:
		return aggregate.Avg
	case logical.AggMin:
		return aggregate.Min
	case logical.AggMax:
		return aggregate.Max
	case logical.AggStddevSamp:
		return aggregate.StddevSamp
	case logical.AggStddevPop:
		return aggregate.StddevPop
	case logical.AggVarSamp:
		return aggregate.VarSamp
	case logical.AggVarPop:
		return aggregate.VarPop
	case logical.AggFirst:
		return aggregate.First
	case logical.AggLast:
		return aggregate.Last
	case logical.AggBoolAnd:
		return aggregate.BoolAnd
	case logical.AggBoolOr:
		return aggregate.BoolOr
	case logical.AggCountIf:
		return aggregate.CountIf
	case logical.AggAnyValue:
		return aggregate.AnyValue
	case logical.AggCorr:
		return aggregate.Corr
	case logical.AggCovarSamp:
		return aggregate.CovarSamp
	case logical.AggCovarPop:
		return aggregate.CovarPop
	case logical.AggMaxBy:
		return aggregate.MaxBy
	case logical.AggMinBy:
		return aggregate.MinBy
	case logical.AggApproxCountDistinct:
		return aggregate.ApproxCountDistinct
	case logical.AggCollectList:
		return aggregate.CollectList
	case logical.AggCollectSet:
		return aggregate.CollectSet
	case logical.AggPercentileApprox:
		return aggregate.PercentileApprox
	case logical.AggPercentile:
		return aggregate.Percentile
	case logical.AggMedian:
		return aggregate.Median
	case logical.AggBitAnd:
		return aggregate.BitAnd
	case logical.AggBitOr:
		return aggregate.BitOr
	case logical.AggBitXor:
		return aggregate.BitXor
	case logical.AggMode:
		return aggregate.Mode
	case logical.AggListAgg:
		return aggregate.ListAgg
	case logical.AggPercentileDisc:
		return aggregate.PercentileDisc
	case logical.AggSkewness:
		return aggregate.Skewness
	case logical.AggKurtosis:
		return aggregate.Kurtosis
	case logical.AggRegrSXX:
		return aggregate.RegrSXX
	case logical.AggRegrSYY:
		return aggregate.RegrSYY
	case logical.AggRegrSXY:
		return aggregate.RegrSXY
	case logical.AggRegrSlope:
		return aggregate.RegrSlope
	case logical.AggRegrIntercept:
		return aggregate.RegrIntercept
	case logical.AggRegrR2:
		return aggregate.RegrR2
	case logical.AggHistogramNumeric:
		return aggregate.HistogramNumeric
	case logical.AggCountMinSketch:
		return aggregate.CountMinSketch
	}
	if e, ok := sketchExecFunc(f); ok {
		return e
	}
	return aggregate.Count
}

// ExecAggSpec returns the executor's description of the aggregate call c,
// named name; its Input and Input2 are left for the caller to set.
func ExecAggSpec(c *logical.AggregateCall, name string) aggregate.Spec {
	return aggregate.Spec{Name: name, Func: ExecAggOf(c), IgnoreNulls: c.IgnoreNulls,
		Percentages: c.Percentages, Accuracy: c.Accuracy, Desc: c.Desc, NullsFirst: c.NullsFirst, Delimiter: c.Delimiter, Bins: c.Bins,
		KeyDesc: c.KeyDesc, KeyNullsFirst: c.KeyNullsFirst}
}

// ExecAggOf is execAggFunc for a call, telling the array forms of the
// percentiles apart.
func ExecAggOf(c *logical.AggregateCall) aggregate.Func {
	switch {
	case c.Func == logical.AggPercentileApprox && c.ArrayResult:
		return aggregate.PercentileApproxArray
	case c.Func == logical.AggPercentile && c.ArrayResult:
		return aggregate.PercentileArray
	case c.Func == logical.AggListAgg && c.Arg2 != nil:
		return aggregate.ListAggOrdered
	}
	return ExecAggFunc(c.Func, c.Arg == nil)
}
