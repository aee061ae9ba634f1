package sql

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// intervalTypeName reads the fields after INTERVAL in a type: YEAR TO
// MONTH or DAY TO SECOND, the two ranges gspark's interval types have.
func (p *parser) intervalTypeName(t token) (arrow.DataType, error) {
	var words []string
	for len(words) < 3 && p.peek().kind == tkWord && isIntervalField(p.peek().text) {
		words = append(words, strings.ToUpper(p.next().text))
	}
	switch strings.Join(words, " ") {
	case "YEAR TO MONTH":
		return values.YearMonthIntervalType, nil
	case "DAY TO SECOND":
		return values.DayTimeIntervalType, nil
	case "":
		return nil, p.errAt(t, "INTERVAL needs its fields here: INTERVAL YEAR TO MONTH or INTERVAL DAY TO SECOND")
	}
	return nil, p.errAt(t, "type INTERVAL %s is not supported: gspark's interval types are INTERVAL YEAR TO MONTH and INTERVAL DAY TO SECOND", strings.Join(words, " "))
}

func isIntervalField(w string) bool {
	switch strings.ToUpper(w) {
	case "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "TO":
		return true
	}
	return false
}

// castTo is CAST(e AS to): a cast to an interval type is the function that
// reads Spark's interval strings (functions.CastIntervalName).
func castTo(e logical.Expr, to arrow.DataType, try bool) logical.Expr {
	fields := ""
	switch {
	case values.IsYearMonthInterval(to):
		fields = "YEAR TO MONTH"
	case values.IsDayTimeInterval(to):
		fields = "DAY TO SECOND"
	default:
		return &logical.Cast{E: e, To: to, Try: try}
	}
	return &logical.Func{Name: functions.CastIntervalName, Args: []logical.Expr{e,
		&logical.Literal{Value: fields, Type: arrow.BinaryTypes.String},
		&logical.Literal{Value: try, Type: arrow.FixedWidthTypes.Boolean}}}
}
