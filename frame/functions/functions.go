// Package functions holds the column functions of the DataFrame API, as
// Spark's org.apache.spark.sql.functions does; import it as F.
package functions

import (
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/logical"
)

// Col refers to a column by name ("t.c" for a qualified one, "*" for all).
func Col(name string) frame.Column { return frame.Col(name) }

// Lit makes a literal column from a Go value (see frame.Lit).
func Lit(v any) frame.Column { return frame.Lit(v) }

// Date makes a DATE literal from "yyyy-mm-dd".
func Date(s string) frame.Column { return frame.DateLit(s) }

// Decimal makes an exact DECIMAL literal from its text, e.g. Decimal("0.06").
func Decimal(s string) frame.Column { return frame.DecimalLit(s) }

// When starts a CASE expression: When(cond, v).When(cond2, v2).Otherwise(v3).
func When(cond frame.Column, value any) frame.Column { return frame.When(cond, value) }

// Not is NOT c.
func Not(c frame.Column) frame.Column { return c.Not() }

// Upper converts a string to upper case.
func Upper(c frame.Column) frame.Column { return frame.Call("upper", c) }

// Lower converts a string to lower case.
func Lower(c frame.Column) frame.Column { return frame.Call("lower", c) }

// Substring returns length characters of c from 1-based position pos.
func Substring(c frame.Column, pos, length int) frame.Column {
	return frame.Call("substring", c, frame.Lit(pos), frame.Lit(length))
}

// Year extracts the year of a date or timestamp.
func Year(c frame.Column) frame.Column { return frame.Call("year", c) }

// Count counts the non-null values of c; Count(Col("*")) counts rows.
func Count(c frame.Column) frame.Column { return frame.Agg(logical.AggCount, c) }

// CountStar counts rows (count(*)).
func CountStar() frame.Column { return frame.Agg(logical.AggCount, frame.Col("*")).Alias("count(1)") }

// Sum adds the non-null values of c.
func Sum(c frame.Column) frame.Column { return frame.Agg(logical.AggSum, c) }

// Avg is the mean of the non-null values of c.
func Avg(c frame.Column) frame.Column { return frame.Agg(logical.AggAvg, c) }

// Mean is Avg.
func Mean(c frame.Column) frame.Column { return Avg(c) }

// Min is the smallest non-null value of c.
func Min(c frame.Column) frame.Column { return frame.Agg(logical.AggMin, c) }

// Max is the largest non-null value of c.
func Max(c frame.Column) frame.Column { return frame.Agg(logical.AggMax, c) }

// Grouping is 1 where a Rollup or Cube row aggregates over c (c shows null
// there), 0 where the row is grouped by c.
func Grouping(c frame.Column) frame.Column { return frame.Call("grouping", c) }

// GroupingID is the grouping set of a Rollup or Cube row as a bit mask: bit
// n-1-i is 1 when the row aggregates over grouping column i.
func GroupingID() frame.Column { return frame.Call("grouping_id") }
