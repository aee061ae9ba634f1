package datefn

import "strconv"

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// civil converts days since 1970-01-01 to a proleptic Gregorian date.
func civil(days int64) (y, m, d int64) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// daysFromCivil converts a proleptic Gregorian date to days since 1970-01-01;
// m and d must be in range.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// dayOfWeek is 1 = Sunday ... 7 = Saturday (1970-01-01 was a Thursday).
func dayOfWeek(days int64) int64 { return floorMod(days+4, 7) + 1 }

// isoWeekday is 1 = Monday ... 7 = Sunday.
func isoWeekday(days int64) int64 { return floorMod(days+3, 7) + 1 }

func dayOfYear(days int64) int64 {
	y, _, _ := civil(days)
	return days - daysFromCivil(y, 1, 1) + 1
}

// isoWeek is the ISO-8601 week of the year: weeks start on Monday and week 1
// holds the year's first Thursday.
func isoWeek(days int64) int64 {
	thu := days - isoWeekday(days) + 4
	return (dayOfYear(thu)-1)/7 + 1
}

// fitsDate reports whether days fits a date32.
func fitsDate(days int64) bool { return days >= -1<<31 && days < 1<<31 }

// dateText renders days as yyyy-mm-dd for messages.
func dateText(days int64) string {
	y, m, d := civil(days)
	b := make([]byte, 0, 12)
	b = appendPadded(b, y, 4)
	b = append(b, '-')
	b = appendPadded(b, m, 2)
	b = append(b, '-')
	return string(appendPadded(b, d, 2))
}

// tsText renders micros as yyyy-mm-dd hh:mm:ss[.ffffff] for messages.
func tsText(us int64) string {
	days := floorDiv(us, usPerDay)
	rem := us - days*usPerDay
	b := []byte(dateText(days))
	b = append(b, ' ')
	b = appendPadded(b, rem/3600_000_000, 2)
	b = append(b, ':')
	b = appendPadded(b, rem/60_000_000%60, 2)
	b = append(b, ':')
	b = appendPadded(b, rem/1_000_000%60, 2)
	if f := rem % 1_000_000; f != 0 {
		b = append(b, '.')
		b = appendPadded(b, f, 6)
	}
	return string(b)
}

// appendPadded appends v in decimal, zero-padded to at least w digits.
func appendPadded(b []byte, v int64, w int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(s); i < w; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
