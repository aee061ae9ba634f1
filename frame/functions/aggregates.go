package functions

import (
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/logical"
)

// CountDistinct counts the distinct non-null values of c.
func CountDistinct(c frame.Column) frame.Column {
	return frame.AggOf(logical.AggCount, true, false, c)
}

// SumDistinct sums the distinct non-null values of c.
func SumDistinct(c frame.Column) frame.Column { return frame.AggOf(logical.AggSum, true, false, c) }

// Stddev is the sample standard deviation (stddev_samp).
func Stddev(c frame.Column) frame.Column { return StddevSamp(c) }

// StddevSamp is the sample standard deviation of c as a double.
func StddevSamp(c frame.Column) frame.Column {
	return frame.AggOf(logical.AggStddevSamp, false, false, c)
}

// StddevPop is the population standard deviation of c.
func StddevPop(c frame.Column) frame.Column {
	return frame.AggOf(logical.AggStddevPop, false, false, c)
}

// Variance is the sample variance (var_samp).
func Variance(c frame.Column) frame.Column { return VarSamp(c) }

// VarSamp is the sample variance of c.
func VarSamp(c frame.Column) frame.Column { return frame.AggOf(logical.AggVarSamp, false, false, c) }

// VarPop is the population variance of c.
func VarPop(c frame.Column) frame.Column { return frame.AggOf(logical.AggVarPop, false, false, c) }

// First is the first value of c in each group (by partition, then row
// order); with ignoreNulls the first non-null one.
func First(c frame.Column, ignoreNulls bool) frame.Column {
	return frame.AggOf(logical.AggFirst, false, ignoreNulls, c)
}

// Last is the last value of c in each group; with ignoreNulls the last non-null one.
func Last(c frame.Column, ignoreNulls bool) frame.Column {
	return frame.AggOf(logical.AggLast, false, ignoreNulls, c)
}

// AnyValue is some value of c in each group.
func AnyValue(c frame.Column) frame.Column { return frame.AggOf(logical.AggAnyValue, false, false, c) }

// BoolAnd is true when every non-null value of the boolean c is true.
func BoolAnd(c frame.Column) frame.Column { return frame.AggOf(logical.AggBoolAnd, false, false, c) }

// BoolOr is true when some value of the boolean c is true.
func BoolOr(c frame.Column) frame.Column { return frame.AggOf(logical.AggBoolOr, false, false, c) }

// CountIf counts the rows where the boolean c is true.
func CountIf(c frame.Column) frame.Column { return frame.AggOf(logical.AggCountIf, false, false, c) }

// Corr is the Pearson correlation of x and y.
func Corr(x, y frame.Column) frame.Column { return frame.AggOf(logical.AggCorr, false, false, x, y) }

// CovarSamp is the sample covariance of x and y.
func CovarSamp(x, y frame.Column) frame.Column {
	return frame.AggOf(logical.AggCovarSamp, false, false, x, y)
}

// CovarPop is the population covariance of x and y.
func CovarPop(x, y frame.Column) frame.Column {
	return frame.AggOf(logical.AggCovarPop, false, false, x, y)
}

// MaxBy is the value of c on the row where ord is largest.
func MaxBy(c, ord frame.Column) frame.Column {
	return frame.AggOf(logical.AggMaxBy, false, false, c, ord)
}

// MinBy is the value of c on the row where ord is smallest.
func MinBy(c, ord frame.Column) frame.Column {
	return frame.AggOf(logical.AggMinBy, false, false, c, ord)
}

// ApproxCountDistinct estimates the number of distinct values of c with
// HyperLogLog (relative standard deviation 0.05, as Spark's default).
func ApproxCountDistinct(c frame.Column) frame.Column {
	return frame.AggOf(logical.AggApproxCountDistinct, false, false, c)
}

// CollectList gathers the non-null values of c in each group into an array.
func CollectList(c frame.Column) frame.Column {
	return frame.AggOf(logical.AggCollectList, false, false, c)
}

// CollectSet gathers the distinct non-null values of c in each group into an array.
func CollectSet(c frame.Column) frame.Column {
	return frame.AggOf(logical.AggCollectSet, false, false, c)
}

// PercentileApprox is the approximate percentile of c at p in [0, 1]: the
// smallest value of c such that at least a fraction p of the values are ≤
// it, within the given accuracy (larger is more exact; 0: 10000).
func PercentileApprox(c frame.Column, p float64, accuracy int64) frame.Column {
	return frame.PercentileOf(logical.AggPercentileApprox, c, []float64{p}, false, accuracy)
}

// Percentile is the exact percentile of c at p in [0, 1], interpolated
// linearly between the nearest values, as a double.
func Percentile(c frame.Column, p float64) frame.Column {
	return frame.PercentileOf(logical.AggPercentile, c, []float64{p}, false, 0)
}

// Median is the exact median of c as a double (percentile at 0.5).
func Median(c frame.Column) frame.Column {
	return frame.PercentileOf(logical.AggMedian, c, []float64{0.5}, false, 0)
}

// Explode makes one row per element of the array c (or per entry of the
// map c, as key and value columns); rows whose array is null or empty
// disappear. It must be a whole item of a Select.
func Explode(c frame.Column) frame.Column { return frame.Call("explode", c) }

// ExplodeOuter is Explode that keeps rows with a null or empty array, with a null element.
func ExplodeOuter(c frame.Column) frame.Column { return frame.Call("explode_outer", c) }

// PosExplode is Explode with the element's 0-based position in a pos column first.
func PosExplode(c frame.Column) frame.Column { return frame.Call("posexplode", c) }
