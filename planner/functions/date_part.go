package functions

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/datefn"
	"github.com/gspark/gspark/planner/logical"
)

// datePartFields maps the field names Spark's date_part and EXTRACT accept
// (upper case, with their abbreviations and plurals) to a canonical name.
var datePartFields = map[string]string{
	"YEAR": "YEAR", "Y": "YEAR", "YEARS": "YEAR", "YR": "YEAR", "YRS": "YEAR",
	"YEAROFWEEK": "YEAROFWEEK",
	"QUARTER":    "QUARTER", "QTR": "QUARTER",
	"MONTH": "MONTH", "MON": "MONTH", "MONS": "MONTH", "MONTHS": "MONTH",
	"WEEK": "WEEK", "W": "WEEK", "WEEKS": "WEEK",
	"DAY": "DAY", "D": "DAY", "DAYS": "DAY",
	"DAYOFWEEK": "DAYOFWEEK", "DOW": "DAYOFWEEK",
	"DAYOFWEEK_ISO": "DAYOFWEEK_ISO", "DOW_ISO": "DAYOFWEEK_ISO",
	"DOY":  "DOY",
	"HOUR": "HOUR", "H": "HOUR", "HOURS": "HOUR", "HR": "HOUR", "HRS": "HOUR",
	"MINUTE": "MINUTE", "M": "MINUTE", "MIN": "MINUTE", "MINS": "MINUTE", "MINUTES": "MINUTE",
	"SECOND": "SECOND", "S": "SECOND", "SEC": "SECOND", "SECONDS": "SECOND", "SECS": "SECOND",
}

// DatePartField returns the canonical name (YEAR, MONTH, DAY, HOUR, MINUTE,
// SECOND, ...) of a date_part/EXTRACT field, case-insensitive.
func DatePartField(s string) (string, bool) {
	f, ok := datePartFields[strings.ToUpper(strings.TrimSpace(s))]
	return f, ok
}

// datePartFunctions are date_part and datepart (EXTRACT parses to
// date_part).
func datePartFunctions() []FunctionDef {
	return []FunctionDef{
		{Name: "date_part", Aliases: []string{"datepart"}, MinArgs: 2, MaxArgs: 2, Resolve: resolveDatePartCall, Compile: compileDatePartCall},
	}
}

// resolveDatePartCall types date_part(field, source): a field literal and a
// date, timestamp or string source. Most fields are the matching function
// (YEAR is year(source), DOY dayofyear(source), ...), typed int; SECOND
// keeps the fraction as DECIMAL(8,6).
func resolveDatePartCall(name string, args []logical.Expr) (logical.Expr, error) {
	s, err := StringLiteralArg(name, args[0])
	if err != nil {
		return nil, err
	}
	if isANSIInterval(dtValueType(args[1].DataType())) {
		return intervalPart(name, s, args[1])
	}
	f, ok := DatePartField(s)
	if !ok {
		return nil, logical.AnalysisErr("%s: the field %q is not supported for a date or timestamp source", name, s)
	}
	src := []logical.Expr{args[1]}
	switch f {
	case "YEAR":
		return resolveDatePart("year", src)
	case "QUARTER":
		return resolveDatePart("quarter", src)
	case "MONTH":
		return resolveDatePart("month", src)
	case "WEEK":
		return resolveDatePart("weekofyear", src)
	case "DAY":
		return resolveDatePart("dayofmonth", src)
	case "DAYOFWEEK":
		return resolveDatePart("dayofweek", src)
	case "DOY":
		return resolveDatePart("dayofyear", src)
	case "HOUR":
		return resolveTimePart("hour", src)
	case "MINUTE":
		return resolveTimePart("minute", src)
	case "SECOND":
		call, err := resolveTimePart(name, src)
		if err != nil {
			return nil, err
		}
		fn := call.(*logical.Func)
		fn.Args = []logical.Expr{&logical.Literal{Value: f, Type: arrow.BinaryTypes.String}, fn.Args[0]}
		fn.Type = datefn.SecondsType
		return fn, nil
	}
	// DAYOFWEEK_ISO and YEAROFWEEK.
	call, err := resolveDatePart(name, src)
	if err != nil {
		return nil, err
	}
	fn := call.(*logical.Func)
	fn.Args = []logical.Expr{&logical.Literal{Value: f, Type: arrow.BinaryTypes.String}, fn.Args[0]}
	return fn, nil
}

func compileDatePartCall(call *logical.Func, a []expr.Expr) (expr.Expr, error) {
	switch call.Args[0].(*logical.Literal).Value.(string) {
	case "SECOND":
		return datefn.SecondWithFraction(a[1])
	case "DAYOFWEEK_ISO":
		return datefn.Field(datefn.DayOfWeekISO, a[1])
	}
	return datefn.Field(datefn.YearOfWeek, a[1])
}
