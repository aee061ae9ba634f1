package functions

import "github.com/gspark/gspark/frame"

// ToTimestampNTZ parses a string (with an optional Spark datetime pattern)
// into a TIMESTAMP_NTZ, a wall clock that the session time zone does not
// change; a TIMESTAMP becomes its wall clock in the session time zone.
func ToTimestampNTZ(c frame.Column, format ...string) frame.Column {
	return frame.Call("to_timestamp_ntz", withFormat(c, format)...)
}

// MakeTimestampNTZ builds a TIMESTAMP_NTZ from year, month, day, hour,
// minute and seconds columns (Spark's make_timestamp_ntz).
func MakeTimestampNTZ(year, month, day, hour, minute, sec frame.Column) frame.Column {
	return frame.Call("make_timestamp_ntz", year, month, day, hour, minute, sec)
}

// CurrentTimezone returns the session time zone (Spark's current_timezone).
func CurrentTimezone() frame.Column { return frame.Call("current_timezone") }
