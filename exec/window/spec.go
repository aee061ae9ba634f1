// Package window implements the window operator: ranking, offset, value and
// aggregate functions evaluated over the sorted rows of each window partition.
package window

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/values"
)

// Func names a window function.
type Func int

// The window functions.
const (
	RowNumber Func = iota
	Rank
	DenseRank
	PercentRank
	CumeDist
	Ntile
	Lag
	Lead
	FirstValue
	LastValue
	NthValue
	Count
	CountStar
	Sum
	Avg
	Min
	Max
	// Agg is any other aggregate function, described by Spec.Agg and
	// evaluated with aggregate.EvalFrames.
	Agg
)

var funcNames = [...]string{"row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
	"lag", "lead", "first_value", "last_value", "nth_value", "count", "count(*)", "sum", "avg", "min", "max", "aggregate"}

// String returns the SQL name of f.
func (f Func) String() string {
	if f < 0 || int(f) >= len(funcNames) {
		return fmt.Sprintf("window_func(%d)", int(f))
	}
	return funcNames[f]
}

// UsesFrame reports whether f is evaluated over the window frame (value and
// aggregate functions); ranking and offset functions ignore the frame.
func (f Func) UsesFrame() bool { return f >= FirstValue }

// NeedsInput reports whether f reads an input column.
func (f Func) NeedsInput() bool { return f >= Lag && f != CountStar }

// BoundKind is the kind of one end of a window frame.
type BoundKind int

// The frame bound kinds.
const (
	UnboundedPreceding BoundKind = iota
	Preceding
	CurrentRow
	Following
	UnboundedFollowing
)

// Bound is one end of a window frame. Offset is the row count (ROWS) or the
// distance in order-key units (RANGE: days for dates, microseconds for
// timestamps, unscaled units for decimals) of Preceding and Following;
// FloatOffset replaces it for RANGE frames over a floating-point key.
type Bound struct {
	Kind        BoundKind
	Offset      int64
	FloatOffset float64
	// Interval marks an offset written as a day-time INTERVAL (RANGE frames
	// over dates and timestamps): Offset is in microseconds until the
	// analyzer converts it to the order key's units.
	Interval bool
	// Months marks an offset written as a year-month INTERVAL: Offset is
	// in months, added to a DATE order key as add_months does (the day is
	// clamped to the end of a shorter month).
	Months bool
}

// String renders the bound as in SQL.
func (b Bound) String() string {
	switch b.Kind {
	case UnboundedPreceding:
		return "UNBOUNDED PRECEDING"
	case UnboundedFollowing:
		return "UNBOUNDED FOLLOWING"
	case CurrentRow:
		return "CURRENT ROW"
	}
	off := fmt.Sprint(b.Offset)
	if b.FloatOffset != 0 {
		off = fmt.Sprint(b.FloatOffset)
	}
	if b.Interval {
		off = values.DayTimeInterval(b.Offset).ANSI()
	}
	if b.Months {
		off = values.YearMonthInterval(b.Offset).ANSI()
	}
	if b.Kind == Preceding {
		return off + " PRECEDING"
	}
	return off + " FOLLOWING"
}

// Frame is a ROWS or RANGE window frame.
type Frame struct {
	Range      bool
	Start, End Bound
}

// String renders the frame as in SQL.
func (f Frame) String() string {
	k := "ROWS"
	if f.Range {
		k = "RANGE"
	}
	return fmt.Sprintf("%s BETWEEN %s AND %s", k, f.Start, f.End)
}

// DefaultFrame is Spark's frame when none is given: RANGE BETWEEN UNBOUNDED
// PRECEDING AND CURRENT ROW with an ORDER BY, the whole partition without.
func DefaultFrame(ordered bool) Frame {
	if ordered {
		return Frame{Range: true, Start: Bound{Kind: UnboundedPreceding}, End: Bound{Kind: CurrentRow}}
	}
	return Frame{Range: false, Start: Bound{Kind: UnboundedPreceding}, End: Bound{Kind: UnboundedFollowing}}
}

// Spec is one window function to evaluate. Input is the input column (unused
// by ranking functions and count(*)); N is the ntile bucket count, the
// lag/lead offset or the nth_value position; Default is the lag/lead default
// (a one-element array of the input type, nil for null), owned by the caller;
// IgnoreNulls applies to first_value, last_value and nth_value. For Agg,
// Agg is the aggregate (its Input and Input2 are ignored) and Input2 the
// column of its second argument when Agg.Func.TwoInputs().
type Spec struct {
	Name        string
	Func        Func
	Input       int
	Input2      int
	Agg         aggregate.Spec
	N           int64
	Default     arrow.Array
	IgnoreNulls bool
	Frame       Frame
}

// ResultType returns the type of f's result over an input of type in (nil
// for functions without input): int32 for row_number, rank, dense_rank and
// ntile; float64 for percent_rank and cume_dist; the input type for the
// offset and value functions; aggregate.ResultType for the aggregates.
func ResultType(f Func, in arrow.DataType) (arrow.DataType, error) {
	switch f {
	case RowNumber, Rank, DenseRank, Ntile:
		return arrow.PrimitiveTypes.Int32, nil
	case PercentRank, CumeDist:
		return arrow.PrimitiveTypes.Float64, nil
	case CountStar:
		return arrow.PrimitiveTypes.Int64, nil
	}
	if in == nil {
		return nil, fmt.Errorf("window %s: missing input type", f)
	}
	switch f {
	case Lag, Lead, FirstValue, LastValue, NthValue:
		return in, nil
	case Count:
		return arrow.PrimitiveTypes.Int64, nil
	case Sum, Avg:
		switch in.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL64, arrow.DECIMAL128:
			return aggregate.ResultType(aggFunc(f), in)
		}
		return nil, fmt.Errorf("window %s of %s is not supported", f, in)
	case Min, Max:
		switch in.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
			arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL64, arrow.DECIMAL128, arrow.STRING, arrow.BINARY, arrow.BOOL:
			return in, nil
		}
		return nil, fmt.Errorf("window %s of %s is not supported", f, in)
	}
	return nil, fmt.Errorf("unknown window function %d", int(f))
}

func aggFunc(f Func) aggregate.Func {
	switch f {
	case Sum:
		return aggregate.Sum
	case Avg:
		return aggregate.Avg
	case Min:
		return aggregate.Min
	case Max:
		return aggregate.Max
	}
	return aggregate.Count
}
