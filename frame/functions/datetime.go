package functions

import "github.com/gspark/gspark/frame"

// The date and time functions use the session time zone, which is UTC.

// Quarter returns the quarter of the year (1..4) of a date or timestamp.
func Quarter(c frame.Column) frame.Column { return frame.Call("quarter", c) }

// Month returns the month (1..12) of a date or timestamp.
func Month(c frame.Column) frame.Column { return frame.Call("month", c) }

// DayOfMonth returns the day of the month (1..31) of a date or timestamp.
func DayOfMonth(c frame.Column) frame.Column { return frame.Call("dayofmonth", c) }

// Day is DayOfMonth.
func Day(c frame.Column) frame.Column { return frame.Call("day", c) }

// DayOfWeek returns the day of the week of a date or timestamp, 1 = Sunday ... 7 = Saturday.
func DayOfWeek(c frame.Column) frame.Column { return frame.Call("dayofweek", c) }

// Weekday returns the day of the week of a date or timestamp, 0 = Monday ... 6 = Sunday.
func Weekday(c frame.Column) frame.Column { return frame.Call("weekday", c) }

// DayOfYear returns the day of the year (1..366) of a date or timestamp.
func DayOfYear(c frame.Column) frame.Column { return frame.Call("dayofyear", c) }

// WeekOfYear returns the ISO-8601 week of the year (weeks start on Monday) of a date or timestamp.
func WeekOfYear(c frame.Column) frame.Column { return frame.Call("weekofyear", c) }

// Hour returns the hour (0..23) of a timestamp.
func Hour(c frame.Column) frame.Column { return frame.Call("hour", c) }

// Minute returns the minute (0..59) of a timestamp.
func Minute(c frame.Column) frame.Column { return frame.Call("minute", c) }

// Second returns the second (0..59) of a timestamp, the fraction dropped.
func Second(c frame.Column) frame.Column { return frame.Call("second", c) }

// DateAdd returns the date days after start; days is an int or an integer Column.
func DateAdd(start frame.Column, days any) frame.Column {
	return frame.Call("date_add", start, frame.Lit(days))
}

// DateSub returns the date days before start; days is an int or an integer Column.
func DateSub(start frame.Column, days any) frame.Column {
	return frame.Call("date_sub", start, frame.Lit(days))
}

// DateDiff returns the number of days from start to end.
func DateDiff(end, start frame.Column) frame.Column { return frame.Call("datediff", end, start) }

// AddMonths returns the date months after start, clamped to the end of the month; months is an int or an integer Column.
func AddMonths(start frame.Column, months any) frame.Column {
	return frame.Call("add_months", start, frame.Lit(months))
}

// MonthsBetween returns the months from start to end as a double rounded to 8 digits.
func MonthsBetween(end, start frame.Column) frame.Column {
	return frame.Call("months_between", end, start)
}

// MonthsBetweenRound is MonthsBetween, rounded to 8 digits only when roundOff.
func MonthsBetweenRound(end, start frame.Column, roundOff bool) frame.Column {
	return frame.Call("months_between", end, start, frame.Lit(roundOff))
}

// LastDay returns the last day of the month of a date.
func LastDay(c frame.Column) frame.Column { return frame.Call("last_day", c) }

// NextDay returns the first date after c that falls on dayOfWeek ("Mon", "TU", "friday", ...).
func NextDay(c frame.Column, dayOfWeek string) frame.Column {
	return frame.Call("next_day", c, frame.Lit(dayOfWeek))
}

// DateTrunc truncates a timestamp to format: year, quarter, month, week, day, hour, minute, second, millisecond or microsecond.
func DateTrunc(format string, ts frame.Column) frame.Column {
	return frame.Call("date_trunc", frame.Lit(format), ts)
}

// Trunc truncates a date to format: year, quarter, month or week (others give null).
func Trunc(date frame.Column, format string) frame.Column {
	return frame.Call("trunc", date, frame.Lit(format))
}

// ToDate converts a string (parsed with an optional Spark datetime pattern) or timestamp to a date.
func ToDate(c frame.Column, format ...string) frame.Column {
	return frame.Call("to_date", withFormat(c, format)...)
}

// ToTimestamp converts a string (parsed with an optional Spark datetime pattern) or date to a timestamp.
func ToTimestamp(c frame.Column, format ...string) frame.Column {
	return frame.Call("to_timestamp", withFormat(c, format)...)
}

// TryToTimestamp parses a string with a Spark datetime pattern into a timestamp, null when it does not parse.
func TryToTimestamp(c frame.Column, format string) frame.Column {
	return frame.Call("try_to_timestamp", c, frame.Lit(format))
}

// DateFormat formats a timestamp (or date) with a Spark datetime pattern.
func DateFormat(c frame.Column, format string) frame.Column {
	return frame.Call("date_format", c, frame.Lit(format))
}

// UnixTimestamp returns the seconds since the epoch of a timestamp, date or string (parsed with format, default yyyy-MM-dd HH:mm:ss).
func UnixTimestamp(c frame.Column, format ...string) frame.Column {
	return frame.Call("unix_timestamp", withFormat(c, format)...)
}

// UnixTimestampNow returns the current time in seconds since the epoch.
func UnixTimestampNow() frame.Column { return frame.Call("unix_timestamp") }

// FromUnixtime formats seconds since the epoch with format (default yyyy-MM-dd HH:mm:ss).
func FromUnixtime(c frame.Column, format ...string) frame.Column {
	return frame.Call("from_unixtime", withFormat(c, format)...)
}

// CurrentDate returns the current date (UTC), one value for the whole query.
func CurrentDate() frame.Column { return frame.Call("current_date") }

// CurrentTimestamp returns the current timestamp, one value for the whole query.
func CurrentTimestamp() frame.Column { return frame.Call("current_timestamp") }

// MakeDate builds a date from year, month and day columns.
func MakeDate(year, month, day frame.Column) frame.Column {
	return frame.Call("make_date", year, month, day)
}

// TimestampAdd returns ts plus quantity units (Spark's timestampadd): unit
// is YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFYEAR, HOUR, MINUTE, SECOND,
// MILLISECOND or MICROSECOND; quantity is an int or an integer Column; a date
// or string ts is cast to a timestamp. Month-based units keep the time of day
// and clamp the day to the end of the month.
func TimestampAdd(unit string, quantity any, ts frame.Column) frame.Column {
	return frame.Call("timestampadd", frame.Lit(unit), frame.Lit(quantity), ts)
}

// TimestampDiff returns the whole units (as TimestampAdd's) from start to
// end as a bigint, truncated toward zero (Spark's timestampdiff).
func TimestampDiff(unit string, start, end frame.Column) frame.Column {
	return frame.Call("timestampdiff", frame.Lit(unit), start, end)
}

// DatePart returns the field of a date or timestamp (Spark's date_part and
// EXTRACT): YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFWEEK, DOW_ISO, DOY, HOUR,
// MINUTE, SECOND (DECIMAL(8,6), with the fraction), YEAROFWEEK and their
// abbreviations.
func DatePart(field string, source frame.Column) frame.Column {
	return frame.Call("date_part", frame.Lit(field), source)
}

// MakeTimestamp builds a timestamp from year, month, day, hour, minute and
// seconds (with a fraction; exactly 60 is the next minute), read as a wall
// clock in timezone when one is given, else in UTC. A field out of range is
// an error.
func MakeTimestamp(year, month, day, hour, minute, sec frame.Column, timezone ...string) frame.Column {
	return frame.Call("make_timestamp", withZone([]frame.Column{year, month, day, hour, minute, sec}, timezone)...)
}

// TryMakeTimestamp is MakeTimestamp with NULL where it fails.
func TryMakeTimestamp(year, month, day, hour, minute, sec frame.Column, timezone ...string) frame.Column {
	return frame.Call("try_make_timestamp", withZone([]frame.Column{year, month, day, hour, minute, sec}, timezone)...)
}

// FromUTCTimestamp returns the wall clock in timezone of the UTC timestamp ts.
func FromUTCTimestamp(ts frame.Column, timezone string) frame.Column {
	return frame.Call("from_utc_timestamp", ts, frame.Lit(timezone))
}

// ToUTCTimestamp returns the UTC timestamp of the wall clock ts in timezone.
func ToUTCTimestamp(ts frame.Column, timezone string) frame.Column {
	return frame.Call("to_utc_timestamp", ts, frame.Lit(timezone))
}

// ConvertTimezone returns the wall clock in targetTz of the wall clock ts in
// sourceTz.
func ConvertTimezone(sourceTz, targetTz string, ts frame.Column) frame.Column {
	return frame.Call("convert_timezone", frame.Lit(sourceTz), frame.Lit(targetTz), ts)
}

// UnixSeconds returns the whole seconds since the epoch of a timestamp (floored).
func UnixSeconds(ts frame.Column) frame.Column { return frame.Call("unix_seconds", ts) }

// UnixMillis returns the whole milliseconds since the epoch of a timestamp (floored).
func UnixMillis(ts frame.Column) frame.Column { return frame.Call("unix_millis", ts) }

// UnixMicros returns the microseconds since the epoch of a timestamp.
func UnixMicros(ts frame.Column) frame.Column { return frame.Call("unix_micros", ts) }

// UnixDate returns the days since 1970-01-01 of a date.
func UnixDate(d frame.Column) frame.Column { return frame.Call("unix_date", d) }

// DateFromUnixDate returns the date n days after 1970-01-01.
func DateFromUnixDate(n frame.Column) frame.Column { return frame.Call("date_from_unix_date", n) }

// TimestampSeconds returns the timestamp n seconds (an integer, decimal or double) after the epoch.
func TimestampSeconds(n frame.Column) frame.Column { return frame.Call("timestamp_seconds", n) }

// TimestampMillis returns the timestamp n milliseconds after the epoch.
func TimestampMillis(n frame.Column) frame.Column { return frame.Call("timestamp_millis", n) }

// TimestampMicros returns the timestamp n microseconds after the epoch.
func TimestampMicros(n frame.Column) frame.Column { return frame.Call("timestamp_micros", n) }

// DayName returns the three-letter English name (Mon ... Sun) of a date's day of the week.
func DayName(d frame.Column) frame.Column { return frame.Call("dayname", d) }

// MonthName returns the three-letter English name (Jan ... Dec) of a date's month.
func MonthName(d frame.Column) frame.Column { return frame.Call("monthname", d) }

// TryToDate is ToDate with NULL for text that does not parse.
func TryToDate(c frame.Column, format ...string) frame.Column {
	return frame.Call("try_to_date", withFormat(c, format)...)
}

func withZone(args []frame.Column, zone []string) []frame.Column {
	for _, z := range zone {
		args = append(args, frame.Lit(z))
	}
	return args
}

func withFormat(c frame.Column, format []string) []frame.Column {
	args := []frame.Column{c}
	for _, f := range format {
		args = append(args, frame.Lit(f))
	}
	return args
}
