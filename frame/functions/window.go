package functions

import (
	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/logical"
)

func windowFunc(f window.Func, arg frame.Column, n int64, ignoreNulls bool) frame.Column {
	wf := &logical.WindowFunction{Func: f, N: n, IgnoreNulls: ignoreNulls}
	if arg.Expr() != nil || arg.Err() != nil {
		if arg.Err() != nil {
			return arg
		}
		wf.Arg = arg.Expr()
	}
	return frame.ColumnOf(wf)
}

// RowNumber numbers the rows of each window partition 1, 2, 3, ... in order.
func RowNumber() frame.Column { return windowFunc(window.RowNumber, frame.Column{}, 0, false) }

// Rank is the rank of each row in its partition, with gaps after ties.
func Rank() frame.Column { return windowFunc(window.Rank, frame.Column{}, 0, false) }

// DenseRank is the rank of each row in its partition, without gaps.
func DenseRank() frame.Column { return windowFunc(window.DenseRank, frame.Column{}, 0, false) }

// PercentRank is (rank - 1) / (partition rows - 1), 0 for a one-row partition.
func PercentRank() frame.Column { return windowFunc(window.PercentRank, frame.Column{}, 0, false) }

// CumeDist is the fraction of the partition's rows ordered before or with the row.
func CumeDist() frame.Column { return windowFunc(window.CumeDist, frame.Column{}, 0, false) }

// Ntile splits each ordered partition into n buckets numbered 1..n.
func Ntile(n int) frame.Column { return windowFunc(window.Ntile, frame.Column{}, int64(n), false) }

func offsetFunc(f window.Func, c frame.Column, offset int, def any) frame.Column {
	col := windowFunc(f, c, int64(offset), false)
	if col.Err() != nil || def == nil {
		return col
	}
	d := frame.Lit(def)
	if d.Err() != nil {
		return d
	}
	wf := *col.Expr().(*logical.WindowFunction)
	wf.Default = d.Expr()
	return frame.ColumnOf(&wf)
}

// Lag is the value of c offset rows before the current row in its window
// partition, or def (nil: null) when there is no such row.
func Lag(c frame.Column, offset int, def any) frame.Column {
	return offsetFunc(window.Lag, c, offset, def)
}

// Lead is the value of c offset rows after the current row in its window
// partition, or def (nil: null) when there is no such row.
func Lead(c frame.Column, offset int, def any) frame.Column {
	return offsetFunc(window.Lead, c, offset, def)
}

// FirstValue is the first value of c in the window frame; with ignoreNulls
// the first non-null one.
func FirstValue(c frame.Column, ignoreNulls bool) frame.Column {
	return windowFunc(window.FirstValue, c, 0, ignoreNulls)
}

// LastValue is the last value of c in the window frame; with ignoreNulls
// the last non-null one.
func LastValue(c frame.Column, ignoreNulls bool) frame.Column {
	return windowFunc(window.LastValue, c, 0, ignoreNulls)
}

// NthValue is the n-th (1-based) value of c in the window frame; with
// ignoreNulls the n-th non-null one.
func NthValue(c frame.Column, n int, ignoreNulls bool) frame.Column {
	return windowFunc(window.NthValue, c, int64(n), ignoreNulls)
}
