package functions

import "github.com/gspark/gspark/frame"

// MakeDTInterval returns the day-time interval of days, hours, mins and
// secs (Spark's make_dt_interval; secs may have six decimals). Columns may
// be omitted from the end: they are 0.
func MakeDTInterval(parts ...frame.Column) frame.Column {
	return frame.Call("make_dt_interval", parts...)
}

// MakeYMInterval returns the year-month interval of years and months
// (Spark's make_ym_interval). Columns may be omitted from the end: they are 0.
func MakeYMInterval(parts ...frame.Column) frame.Column {
	return frame.Call("make_ym_interval", parts...)
}

// MakeInterval returns Spark's legacy CalendarInterval of years, months,
// weeks, days, hours, mins and secs (make_interval): months, days and
// microseconds kept apart. Columns may be omitted from the end: they are 0.
func MakeInterval(parts ...frame.Column) frame.Column {
	return frame.Call("make_interval", parts...)
}
