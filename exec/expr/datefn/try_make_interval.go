package datefn

import "github.com/gspark/gspark/exec/expr"

// TryMakeInterval is try_make_interval(years, months, weeks, days, hours,
// mins, secs): make_interval with NULL where a part is beyond its range.
func TryMakeInterval(args []expr.Expr) (expr.Expr, error) {
	return makeInterval("try_make_interval", args)
}
