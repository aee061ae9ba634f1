package functions

import (
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/logical"
)

// aggCall builds an aggregate column from a call whose Arg and Arg2 are the
// arguments' expressions, or the first argument error.
func aggCall(call *logical.AggregateCall, args ...frame.Column) frame.Column {
	for _, a := range args {
		if a.Err() != nil {
			return a
		}
	}
	if len(args) > 0 {
		call.Arg = args[0].Expr()
	}
	if len(args) > 1 {
		call.Arg2 = args[1].Expr()
	}
	return frame.ColumnOf(call)
}

// Mode is Spark's mode(c): the most frequent non-null value of c (NULL
// without one); among equally frequent values gspark returns the smallest,
// as Spark's mode(c, true) does.
func Mode(c frame.Column) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggMode}, c)
}

// ModeWithinGroup is mode() WITHIN GROUP (ORDER BY c [DESC]): ties go to
// the smallest value, or the largest when desc is set.
func ModeWithinGroup(c frame.Column, desc bool) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggMode, Desc: desc}, c)
}

// ListAgg is listagg(c, delimiter) [WITHIN GROUP (ORDER BY orderBy...)]:
// the non-null values of c (cast to strings) joined by delimiter, in input
// order or sorted by the orderBy columns (use their Desc, AscNullsLast, ...
// for the directions); NULL without values.
func ListAgg(c frame.Column, delimiter string, orderBy ...frame.Column) frame.Column {
	return listAgg(c, delimiter, false, orderBy)
}

// ListAggDistinct is listagg(DISTINCT c, delimiter), the distinct values
// sorted ascending (Spark requires the order to be c itself).
func ListAggDistinct(c frame.Column, delimiter string) frame.Column {
	return listAgg(c, delimiter, true, []frame.Column{c})
}

// StringAgg is string_agg, the same function as ListAgg.
func StringAgg(c frame.Column, delimiter string, orderBy ...frame.Column) frame.Column {
	return ListAgg(c, delimiter, orderBy...)
}

func listAgg(c frame.Column, delimiter string, distinct bool, orderBy []frame.Column) frame.Column {
	call := &logical.AggregateCall{Func: logical.AggListAgg, Delimiter: delimiter, Distinct: distinct}
	if len(orderBy) == 0 {
		return aggCall(call, c)
	}
	keys := &logical.Func{Name: "struct"}
	for _, key := range orderBy {
		if key.Err() != nil {
			return key
		}
		e, desc, nullsFirst := key.Expr(), false, true
		if so, ok := e.(*logical.SortOrder); ok {
			e, desc, nullsFirst = so.E, so.Desc, so.NullsFirst
		}
		keys.Args = append(keys.Args, e)
		call.KeyDesc = append(call.KeyDesc, desc)
		call.KeyNullsFirst = append(call.KeyNullsFirst, nullsFirst)
	}
	if len(orderBy) > 1 {
		return aggCall(call, c, frame.ColumnOf(keys))
	}
	call.Desc, call.NullsFirst = call.KeyDesc[0], call.KeyNullsFirst[0]
	call.KeyDesc, call.KeyNullsFirst = nil, nil
	return aggCall(call, c, frame.ColumnOf(keys.Args[0]))
}

// PercentileCont is percentile_cont(p) WITHIN GROUP (ORDER BY c [DESC]):
// the interpolated percentile of c as a double.
func PercentileCont(c frame.Column, p float64, desc bool) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggPercentileCont, Percentages: []float64{p}, Desc: desc}, c)
}

// PercentileDisc is percentile_disc(p) WITHIN GROUP (ORDER BY c [DESC]):
// the first value of c whose cumulative distribution reaches p, as a
// double.
func PercentileDisc(c frame.Column, p float64, desc bool) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggPercentileDisc, Percentages: []float64{p}, Desc: desc}, c)
}

// ApproxPercentile is approx_percentile, the same function as
// PercentileApprox.
func ApproxPercentile(c frame.Column, p float64, accuracy int64) frame.Column {
	return PercentileApprox(c, p, accuracy)
}

func regr(f logical.AggFunc, y, x frame.Column) frame.Column {
	return aggCall(&logical.AggregateCall{Func: f}, y, x)
}

// RegrCount is regr_count(y, x): the number of rows where neither is null.
func RegrCount(y, x frame.Column) frame.Column { return regr(logical.AggRegrCount, y, x) }

// RegrAvgX is regr_avgx(y, x): the average of x over the rows where
// neither is null.
func RegrAvgX(y, x frame.Column) frame.Column { return regr(logical.AggRegrAvgX, y, x) }

// RegrAvgY is regr_avgy(y, x): the average of y over the rows where
// neither is null.
func RegrAvgY(y, x frame.Column) frame.Column { return regr(logical.AggRegrAvgY, y, x) }

// RegrSXX is regr_sxx(y, x): regr_count · var_pop(x) over the pairs.
func RegrSXX(y, x frame.Column) frame.Column { return regr(logical.AggRegrSXX, y, x) }

// RegrSYY is regr_syy(y, x): regr_count · var_pop(y) over the pairs.
func RegrSYY(y, x frame.Column) frame.Column { return regr(logical.AggRegrSYY, y, x) }

// RegrSXY is regr_sxy(y, x): regr_count · covar_pop(y, x) over the pairs.
func RegrSXY(y, x frame.Column) frame.Column { return regr(logical.AggRegrSXY, y, x) }

// RegrSlope is regr_slope(y, x): the slope of the least-squares line.
func RegrSlope(y, x frame.Column) frame.Column { return regr(logical.AggRegrSlope, y, x) }

// RegrIntercept is regr_intercept(y, x): the intercept of the
// least-squares line.
func RegrIntercept(y, x frame.Column) frame.Column { return regr(logical.AggRegrIntercept, y, x) }

// RegrR2 is regr_r2(y, x): the coefficient of determination.
func RegrR2(y, x frame.Column) frame.Column { return regr(logical.AggRegrR2, y, x) }

// Skewness is skewness(c): the population skewness of c as a double.
func Skewness(c frame.Column) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggSkewness}, c)
}

// Kurtosis is kurtosis(c): the population excess kurtosis of c.
func Kurtosis(c frame.Column) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggKurtosis}, c)
}

// HistogramNumeric is histogram_numeric(c, nb): a histogram of c with at
// most nb bins, as an array of (x, y) structs (centre, weight).
func HistogramNumeric(c frame.Column, nb int64) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggHistogramNumeric, Bins: nb}, c)
}

// TrySum is try_sum(c): sum that gives NULL instead of failing on overflow.
func TrySum(c frame.Column) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggTrySum}, c)
}

// TryAvg is try_avg(c): avg that gives NULL instead of failing on overflow.
func TryAvg(c frame.Column) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggTryAvg}, c)
}

// TypeOf is typeof(c): the name of c's type as Spark spells it (int,
// decimal(10,2), array<int>, struct<a:int>, ...).
func TypeOf(c frame.Column) frame.Column { return frame.Call("typeof", c) }

// Version is version(): gspark's version and build revision, laid out as
// Spark's "x.y.z revision".
func Version() frame.Column { return frame.Call("version") }

// IsNull is isnull(c), c IS NULL.
func IsNull(c frame.Column) frame.Column { return frame.Call("isnull", c) }

// IsNotNull is isnotnull(c), c IS NOT NULL.
func IsNotNull(c frame.Column) frame.Column { return frame.Call("isnotnull", c) }

// EqualNull is equal_null(a, b): a = b with NULL equal to NULL (never NULL).
func EqualNull(a, b frame.Column) frame.Column { return frame.Call("equal_null", a, b) }

// NullIfZero is nullifzero(c): NULL where c is 0, c otherwise.
func NullIfZero(c frame.Column) frame.Column { return frame.Call("nullifzero", c) }

// ZeroIfNull is zeroifnull(c): 0 where c is NULL, c otherwise.
func ZeroIfNull(c frame.Column) frame.Column { return frame.Call("zeroifnull", c) }

// Struct is struct(cols...): a struct with a field per column, named by
// the column's alias or name (col1, col2, ... for other expressions).
func Struct(cols ...frame.Column) frame.Column { return frame.Call("struct", cols...) }

// NamedStruct is named_struct(name1, value1, ...): the names must be
// string literals (frame.Lit("a")).
func NamedStruct(namesAndValues ...frame.Column) frame.Column {
	return frame.Call("named_struct", namesAndValues...)
}

// SparkPartitionID is spark_partition_id(): the index of the partition
// the row is in.
func SparkPartitionID() frame.Column { return frame.Call("spark_partition_id") }

// MonotonicallyIncreasingID is monotonically_increasing_id(): unique,
// increasing ids laid out as Spark's, the partition index in the upper 31
// bits and the row's position in its partition in the lower 33.
func MonotonicallyIncreasingID() frame.Column { return frame.Call("monotonically_increasing_id") }

// CountMinSketch is count_min_sketch(c, eps, confidence, seed): Spark's
// count-min sketch of an integral, string or binary column, serialized as
// Spark serializes it.
func CountMinSketch(c frame.Column, eps, confidence float64, seed int64) frame.Column {
	return aggCall(&logical.AggregateCall{Func: logical.AggCountMinSketch, Percentages: []float64{eps, confidence}, Accuracy: seed}, c)
}
