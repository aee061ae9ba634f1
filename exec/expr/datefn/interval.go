package datefn

import (
	"math"
	"math/bits"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// AddUnit is a unit of timestampadd and timestampdiff: a whole number of
// months (YEAR, QUARTER, MONTH) or of microseconds (WEEK down to
// MICROSECOND).
type AddUnit struct {
	// Name is the unit's upper-case name.
	Name           string
	months, micros int64
}

// addUnits are the units Spark's timestampadd and timestampdiff accept.
var addUnits = []AddUnit{
	{Name: "YEAR", months: 12},
	{Name: "QUARTER", months: 3},
	{Name: "MONTH", months: 1},
	{Name: "WEEK", micros: 7 * usPerDay},
	{Name: "DAY", micros: usPerDay},
	{Name: "DAYOFYEAR", micros: usPerDay},
	{Name: "HOUR", micros: 3600 * usPerSec},
	{Name: "MINUTE", micros: 60 * usPerSec},
	{Name: "SECOND", micros: usPerSec},
	{Name: "MILLISECOND", micros: 1000},
	{Name: "MICROSECOND", micros: 1},
}

// ParseAddUnit looks up a timestampadd/timestampdiff unit by name
// (case-insensitive).
func ParseAddUnit(s string) (AddUnit, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	for _, u := range addUnits {
		if u.Name == s {
			return u, true
		}
	}
	return AddUnit{}, false
}

// MicrosecondUnit is the unit of a day-time interval added to a timestamp.
var MicrosecondUnit = AddUnit{Name: "MICROSECOND", micros: 1}

// MonthUnit is the unit of a year-month interval added to a timestamp.
var MonthUnit = AddUnit{Name: "MONTH", months: 1}

// mulAdd returns a + q*f, ok false on int64 overflow.
func mulAdd(a, q, f int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(absInt(q)), uint64(f))
	if hi != 0 || lo > math.MaxInt64 || q == math.MinInt64 {
		return 0, false
	}
	p := int64(lo)
	if q < 0 {
		p = -p
	}
	r := a + p
	if (p > 0 && r < a) || (p < 0 && r > a) {
		return 0, false
	}
	return r, true
}

func absInt(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// tsAddMonths adds n months to the timestamp us (microseconds, UTC), keeping
// the time of day and clamping the day to the end of the resulting month.
func tsAddMonths(us, n int64) (int64, bool) {
	if n > 1<<40 || n < -(1<<40) {
		return 0, false
	}
	days, tod := floorDiv(us, usPerDay), floorMod(us, usPerDay)
	y, m, d := civil(days)
	t := y*12 + m - 1 + n
	ny, nm := floorDiv(t, 12), floorMod(t, 12)+1
	d = min(d, daysInMonth(ny, nm))
	return mulAdd(tod, daysFromCivil(ny, nm, d), usPerDay)
}

// addIn returns ts plus q units.
func (u AddUnit) addIn(ts, q int64) (int64, bool) {
	if u.months != 0 {
		if q > math.MaxInt64/12 || q < math.MinInt64/12 {
			return 0, false
		}
		return tsAddMonths(ts, q*u.months)
	}
	return mulAdd(ts, q, u.micros)
}

// TimestampAdd returns ts plus q units (timestampadd(unit, q, ts) and the
// timestamp ± INTERVAL arithmetic): ts is a microsecond timestamp, q an
// int64. Month-based units keep the time of day and clamp the day to the
// end of the resulting month (timestamp'2020-01-31 10:00' plus one month is
// 2020-02-29 10:00), as Spark does in UTC. A result that does not fit a
// timestamp is an overflow error.
func TimestampAdd(u AddUnit, q, ts expr.Expr) (expr.Expr, error) {
	if err := checkArg("timestampadd", q, arrow.INT64); err != nil {
		return nil, err
	}
	if err := checkArg("timestampadd", ts, arrow.TIMESTAMP); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: "timestampadd", args: []expr.Expr{q, ts}, typ: Timestamp, width: 8,
		text: "timestampadd(" + u.Name + ", " + q.String() + ", " + ts.String() + ")"}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		o := arrow.GetData[int64](out)
		qs, xs := int64s(in[0]), int64s(in[1])
		for i := range o {
			r, ok := u.addIn(xs[i], qs[i])
			if !ok {
				if isValid(valid, i) {
					return overflowf("%s plus %d %s does not fit a timestamp", tsText(xs[i]), qs[i], u.Name)
				}
				r = 0
			}
			o[i] = r
		}
		return nil
	}
	return k, nil
}

// monthsUntil is the number of whole months from the timestamp a to b, as
// java.time's LocalDateTime.until(b, MONTHS) counts them (truncated toward
// zero, a month being complete when the day of month and time of day are
// reached).
func monthsUntil(a, b int64) int64 {
	da, ta := floorDiv(a, usPerDay), floorMod(a, usPerDay)
	db, tb := floorDiv(b, usPerDay), floorMod(b, usPerDay)
	if db > da && tb < ta {
		db--
	} else if db < da && tb > ta {
		db++
	}
	ya, ma, dda := civil(da)
	yb, mb, ddb := civil(db)
	p1 := (ya*12+ma-1)*32 + dda
	p2 := (yb*12+mb-1)*32 + ddb
	return (p2 - p1) / 32
}

// diffIn returns the whole units from start to end, truncated toward zero.
func (u AddUnit) diffIn(start, end int64) (int64, bool) {
	if u.months != 0 {
		return monthsUntil(start, end) / u.months, true
	}
	d := end - start
	if (end >= 0) != (start >= 0) && (d >= 0) != (end >= 0) {
		return 0, false
	}
	return d / u.micros, true
}

// TimestampDiff returns the whole units from start to end (both microsecond
// timestamps) as an int64, truncated toward zero: timestampdiff(unit, start,
// end).
func TimestampDiff(u AddUnit, start, end expr.Expr) (expr.Expr, error) {
	for _, e := range []expr.Expr{start, end} {
		if err := checkArg("timestampdiff", e, arrow.TIMESTAMP); err != nil {
			return nil, err
		}
	}
	k := &fixedKernel{name: "timestampdiff", args: []expr.Expr{start, end}, typ: arrow.PrimitiveTypes.Int64, width: 8,
		text: "timestampdiff(" + u.Name + ", " + start.String() + ", " + end.String() + ")"}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		o := arrow.GetData[int64](out)
		as, bs := int64s(in[0]), int64s(in[1])
		for i := range o {
			r, ok := u.diffIn(as[i], bs[i])
			if !ok {
				if isValid(valid, i) {
					return overflowf("%s - %s in microseconds does not fit a bigint", tsText(bs[i]), tsText(as[i]))
				}
				r = 0
			}
			o[i] = r
		}
		return nil
	}
	return k, nil
}
