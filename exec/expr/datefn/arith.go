package datefn

import (
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// DateAdd returns date + days (date - days when sub is set, as date_sub): date
// is a date, days an int32. A result outside the date range is an overflow
// error.
func DateAdd(date, days expr.Expr, sub bool) (expr.Expr, error) {
	name := "date_add"
	if sub {
		name = "date_sub"
	}
	if err := checkArg(name, date, arrow.DATE32); err != nil {
		return nil, err
	}
	if err := checkArg(name, days, arrow.INT32); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: name, args: []expr.Expr{date, days}, typ: Date, width: 4}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		o := arrow.GetData[int32](out)
		d, ns := int32s(in[0]), int32s(in[1])
		bad := false
		for i, x := range d {
			n := int64(ns[i])
			if sub {
				n = -n
			}
			r := int64(x) + n
			o[i] = int32(r)
			bad = bad || !fitsDate(r)
		}
		if bad {
			for i, x := range d {
				n := int64(ns[i])
				if sub {
					n = -n
				}
				if isValid(valid, i) && !fitsDate(int64(x)+n) {
					return overflowf("%s plus %d days does not fit a date", dateText(int64(x)), n)
				}
			}
		}
		return nil
	}
	return k, nil
}

// DateDiff returns end - start in days, both dates.
func DateDiff(end, start expr.Expr) (expr.Expr, error) {
	for _, e := range []expr.Expr{end, start} {
		if err := checkArg("datediff", e, arrow.DATE32); err != nil {
			return nil, err
		}
	}
	k := &fixedKernel{name: "datediff", args: []expr.Expr{end, start}, typ: arrow.PrimitiveTypes.Int32, width: 4}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		o := arrow.GetData[int32](out)
		a, b := int32s(in[0]), int32s(in[1])
		bad := false
		for i := range o {
			r := int64(a[i]) - int64(b[i])
			o[i] = int32(r)
			bad = bad || int64(o[i]) != r
		}
		if bad {
			for i := range o {
				if isValid(valid, i) && int64(o[i]) != int64(a[i])-int64(b[i]) {
					return overflowf("%s - %s in days does not fit an int", dateText(int64(a[i])), dateText(int64(b[i])))
				}
			}
		}
		return nil
	}
	return k, nil
}

// addMonths adds n months to days, clamping the day to the end of the
// resulting month; ok is false when the result is out of the date range.
func addMonths(days, n int64) (int64, bool) {
	y, m, d := civil(days)
	t := y*12 + m - 1 + n
	ny, nm := floorDiv(t, 12), floorMod(t, 12)+1
	d = min(d, daysInMonth(ny, nm))
	r := daysFromCivil(ny, nm, d)
	return r, fitsDate(r)
}

// AddMonths returns date plus months (an int32); a day past
// the end of the resulting month becomes its last day, as Spark 3+ does
// (add_months('2016-08-31', 1) = 2016-09-30).
func AddMonths(date, months expr.Expr) (expr.Expr, error) {
	if err := checkArg("add_months", date, arrow.DATE32); err != nil {
		return nil, err
	}
	if err := checkArg("add_months", months, arrow.INT32); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: "add_months", args: []expr.Expr{date, months}, typ: Date, width: 4}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		o := arrow.GetData[int32](out)
		ns := int32s(in[1])
		for i, x := range int32s(in[0]) {
			r, ok := addMonths(int64(x), int64(ns[i]))
			if !ok && isValid(valid, i) {
				return overflowf("%s plus %d months does not fit a date", dateText(int64(x)), ns[i])
			}
			o[i] = int32(r)
		}
		return nil
	}
	return k, nil
}

// monthsBetween follows Spark: whole months when the days of month are equal
// or both are month ends, otherwise the day and time difference counted in
// 31-day months, rounded to 8 digits when roundOff.
func monthsBetween(t1, t2 int64, roundOff bool) float64 {
	d1, d2 := floorDiv(t1, usPerDay), floorDiv(t2, usPerDay)
	y1, m1, dd1 := civil(d1)
	y2, m2, dd2 := civil(d2)
	monthDiff := float64((y1*12 + m1) - (y2*12 + m2))
	if dd1 == dd2 || (dd1 == daysInMonth(y1, m1) && dd2 == daysInMonth(y2, m2)) {
		return monthDiff
	}
	s1 := (t1 - d1*usPerDay) / usPerSec
	s2 := (t2 - d2*usPerDay) / usPerSec
	secs := (dd1-dd2)*86400 + s1 - s2
	diff := monthDiff + float64(secs)/float64(31*86400)
	if roundOff {
		return float64(int64(math.Floor(diff*1e8+0.5))) / 1e8
	}
	return diff
}

// MonthsBetween returns months_between(t1, t2[, roundOff]) of two timestamps
// as a double.
func MonthsBetween(t1, t2 expr.Expr, roundOff bool) (expr.Expr, error) {
	for _, e := range []expr.Expr{t1, t2} {
		if err := checkArg("months_between", e, arrow.TIMESTAMP); err != nil {
			return nil, err
		}
	}
	k := &fixedKernel{name: "months_between", args: []expr.Expr{t1, t2}, typ: arrow.PrimitiveTypes.Float64, width: 8}
	k.run = func(in []arrow.Array, _ []byte, out []byte) error {
		o := arrow.GetData[float64](out)
		a, b := int64s(in[0]), int64s(in[1])
		for i := range o {
			o[i] = monthsBetween(a[i], b[i], roundOff)
		}
		return nil
	}
	return k, nil
}

// LastDay returns the last day of the month of date.
func LastDay(date expr.Expr) (expr.Expr, error) {
	if err := checkArg("last_day", date, arrow.DATE32); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: "last_day", args: []expr.Expr{date}, typ: Date, width: 4}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		o := arrow.GetData[int32](out)
		for i, x := range int32s(in[0]) {
			y, m, d := civil(int64(x))
			r := int64(x) + daysInMonth(y, m) - d
			if !fitsDate(r) && isValid(valid, i) {
				return overflowf("last day of the month of %s does not fit a date", dateText(int64(x)))
			}
			o[i] = int32(r)
		}
		return nil
	}
	return k, nil
}

// ParseDayOfWeek parses a day name as next_day takes it ("SU", "SUN",
// "SUNDAY", ... case-insensitive) into 1 = Sunday ... 7 = Saturday.
func ParseDayOfWeek(s string) (int, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "SU", "SUN", "SUNDAY":
		return 1, true
	case "MO", "MON", "MONDAY":
		return 2, true
	case "TU", "TUE", "TUESDAY":
		return 3, true
	case "WE", "WED", "WEDNESDAY":
		return 4, true
	case "TH", "THU", "THURSDAY":
		return 5, true
	case "FR", "FRI", "FRIDAY":
		return 6, true
	case "SA", "SAT", "SATURDAY":
		return 7, true
	}
	return 0, false
}

// NextDay returns the first date after date that falls on the day of week
// named by dow (a string, see ParseDayOfWeek); an unknown name is an error.
func NextDay(date, dow expr.Expr) (expr.Expr, error) {
	if err := checkArg("next_day", date, arrow.DATE32); err != nil {
		return nil, err
	}
	if err := checkArg("next_day", dow, arrow.STRING); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: "next_day", args: []expr.Expr{date, dow}, typ: Date, width: 4}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		o := arrow.GetData[int32](out)
		names, ok := in[1].(interface{ Value(int) string })
		if !ok {
			return fmt.Errorf("day of week is %s, not string", values.TypeName(in[1].DataType()))
		}
		last, lastDow := "", 0
		for i, x := range int32s(in[0]) {
			if !isValid(valid, i) {
				o[i] = 0
				continue
			}
			s := names.Value(i)
			if s != last || lastDow == 0 {
				w, ok := ParseDayOfWeek(s)
				if !ok {
					return invalidf("illegal input for day of week: '%s'", s)
				}
				last, lastDow = s, w
			}
			r := int64(x) + floorMod(int64(lastDow)-dayOfWeek(int64(x))-1, 7) + 1
			if !fitsDate(r) {
				return overflowf("next %s after %s does not fit a date", s, dateText(int64(x)))
			}
			o[i] = int32(r)
		}
		return nil
	}
	return k, nil
}

// MakeDate returns the date of year y, month m and day d (int32 each); a
// month or day out of range is an error.
func MakeDate(y, m, d expr.Expr) (expr.Expr, error) {
	for _, e := range []expr.Expr{y, m, d} {
		if err := checkArg("make_date", e, arrow.INT32); err != nil {
			return nil, err
		}
	}
	k := &fixedKernel{name: "make_date", args: []expr.Expr{y, m, d}, typ: Date, width: 4}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		o := arrow.GetData[int32](out)
		ys, ms, ds := int32s(in[0]), int32s(in[1]), int32s(in[2])
		for i := range o {
			yy, mm, dd := int64(ys[i]), int64(ms[i]), int64(ds[i])
			ok := mm >= 1 && mm <= 12 && dd >= 1 && dd <= daysInMonth(yy, mm)
			var r int64
			if ok {
				r = daysFromCivil(yy, mm, dd)
				ok = fitsDate(r)
			}
			if !ok {
				if isValid(valid, i) {
					// The kernel's error names the call; this says what is wrong.
					if why := expr.CheckDate(yy, mm, dd); why != nil {
						return invalidf("invalid date: %v", why)
					}
					return invalidf("year %d is out of the date range", yy)
				}
				r = 0
			}
			o[i] = int32(r)
		}
		return nil
	}
	return k, nil
}
