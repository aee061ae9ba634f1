package sql

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

// interval is a parsed INTERVAL literal: a year-month interval (months) or a
// day-time interval (micros), as Spark's ANSI interval types. dayOnly marks
// a day-time interval whose only field is DAY (INTERVAL '1' DAY, INTERVAL 2
// WEEKS): Spark adds it to a DATE as days, giving a DATE, where any finer
// field makes the sum a TIMESTAMP.
type interval struct {
	months, micros int64
	ym, dt         bool
	dayOnly        bool
}

// intervalUnits maps the units of an interval literal (singular, upper case)
// to months or microseconds.
var intervalUnits = map[string]struct{ months, micros int64 }{
	"YEAR":        {months: 12},
	"MONTH":       {months: 1},
	"WEEK":        {micros: 7 * 86400e6},
	"DAY":         {micros: 86400e6},
	"HOUR":        {micros: 3600e6},
	"MINUTE":      {micros: 60e6},
	"SECOND":      {micros: 1e6},
	"MILLISECOND": {micros: 1e3},
	"MICROSECOND": {micros: 1},
}

// intervalUnit returns the singular upper-case unit a word names, if any.
func intervalUnit(t token) (string, bool) {
	if t.kind != tkWord {
		return "", false
	}
	u := strings.ToUpper(t.text)
	if _, ok := intervalUnits[u]; ok {
		return u, true
	}
	if s := strings.TrimSuffix(u, "S"); s != u {
		if _, ok := intervalUnits[s]; ok {
			return s, true
		}
	}
	return "", false
}

// add adds value units to iv; value is a decimal number (a fraction only for
// SECOND and finer).
func (iv *interval) add(value, unit string) (string, bool) {
	u := intervalUnits[unit]
	if strings.ContainsAny(value, ".eE") && unit != "SECOND" {
		return "only seconds can have a fractional part", false // as Spark
	}
	r, ok := new(big.Rat).SetString(value)
	if !ok {
		return "is not a number", false
	}
	if u.months != 0 {
		iv.ym = true
	} else {
		iv.dt = true
		if unit != "DAY" && unit != "WEEK" {
			iv.dayOnly = false
		}
	}
	if iv.ym && iv.dt {
		return "mixes year-month and day-time fields", false
	}
	f := u.months + u.micros
	r.Mul(r, new(big.Rat).SetInt64(f))
	if !r.IsInt() {
		return "has a fraction of a second finer than a microsecond", false
	}
	if u.months != 0 {
		r.Add(r, new(big.Rat).SetInt64(iv.months))
		if !r.Num().IsInt64() || r.Num().Int64() > math.MaxInt32 || r.Num().Int64() < math.MinInt32 {
			return "is out of the year-month interval range", false
		}
		iv.months = r.Num().Int64()
		return "", true
	}
	r.Add(r, new(big.Rat).SetInt64(iv.micros))
	if !r.Num().IsInt64() {
		return "is out of the day-time interval range", false
	}
	iv.micros = r.Num().Int64()
	return "", true
}

// intervalValue reads an interval value: [+|-] followed by a number or a
// string. ok is false (nothing consumed) when none follows.
func (p *parser) intervalValue() (neg bool, tok token, ok bool) {
	i := 0
	if t := p.peek(); t.isOp("-") || t.isOp("+") {
		neg = t.isOp("-")
		i = 1
	}
	tok = p.peekAt(i)
	if tok.kind != tkNumber && tok.kind != tkString {
		return false, tok, false
	}
	for range i + 1 {
		p.next()
	}
	return neg, tok, true
}

// signed applies a sign to a decimal string that may carry its own.
func signed(neg bool, s string) string {
	s = strings.TrimSpace(s)
	if !neg {
		return s
	}
	switch {
	case strings.HasPrefix(s, "-"):
		return s[1:]
	case strings.HasPrefix(s, "+"):
		return "-" + s[1:]
	}
	return "-" + s
}

// parseInterval parses an INTERVAL literal after the INTERVAL keyword, in
// Spark's forms: INTERVAL '1' DAY, INTERVAL 1 DAY 2 HOURS, INTERVAL '1-2'
// YEAR TO MONTH, INTERVAL '1 2:03:04.5' DAY TO SECOND and INTERVAL '1 day 2
// hours'.
func (p *parser) parseInterval() (interval, error) {
	start := p.next() // INTERVAL
	iv := interval{dayOnly: true}
	fail := func(t token, why string) error {
		return p.errAt(t, "invalid interval %s: %s", t.describe(), why)
	}
	for n := 0; ; n++ {
		if n > 0 {
			// Another value-unit pair follows only when a unit comes after it.
			i := 0
			if p.peek().isOp("-") || p.peek().isOp("+") {
				i = 1
			}
			if k := p.peekAt(i).kind; (k != tkNumber && k != tkString) || !isUnitTok(p.peekAt(i+1)) {
				break
			}
		}
		neg, vt, ok := p.intervalValue()
		if !ok {
			return iv, p.expected("an interval value such as '1' DAY or 2 HOURS")
		}
		unit, isUnit := intervalUnit(p.peek())
		if !isUnit {
			if n > 0 || vt.kind != tkString {
				return iv, p.expected("an interval unit (YEAR, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, ...)")
			}
			// INTERVAL '1 day 2 hours': value-unit pairs inside the string.
			f := strings.Fields(vt.text)
			if len(f) == 0 || len(f)%2 != 0 {
				return iv, fail(vt, "expected value-unit pairs such as '1 day 2 hours'")
			}
			for i := 0; i < len(f); i += 2 {
				u, ok := intervalUnit(token{kind: tkWord, text: f[i+1]})
				if !ok {
					return iv, fail(vt, "unknown unit "+f[i+1])
				}
				if why, ok := iv.add(signed(neg, f[i]), u); !ok {
					return iv, fail(vt, why)
				}
			}
			break
		}
		p.next()
		if p.peek().is("TO") {
			if n > 0 || vt.kind != tkString {
				return iv, p.errAt(p.peek(), "a unit-to-unit interval takes one string, such as INTERVAL '1-2' YEAR TO MONTH")
			}
			p.next()
			to, ok := intervalUnit(p.peek())
			if !ok {
				return iv, p.expected("the end unit of the interval")
			}
			p.next()
			if err := iv.fromTo(vt.text, neg, unit, to); err != "" {
				return iv, fail(vt, err)
			}
			break
		}
		if why, ok := iv.add(signed(neg, vt.text), unit); !ok {
			return iv, fail(vt, why)
		}
	}
	if !iv.ym && !iv.dt {
		return iv, p.errAt(start, "empty interval")
	}
	return iv, nil
}

// literal is the interval as a typed literal: a year-month interval
// (months) or a day-time interval (microseconds).
func (iv interval) literal() *logical.Literal {
	if iv.ym {
		return &logical.Literal{Value: values.YearMonthInterval(iv.months), Type: values.YearMonthIntervalType}
	}
	return &logical.Literal{Value: values.DayTimeInterval(iv.micros), Type: values.DayTimeIntervalType}
}

func isUnitTok(t token) bool { _, ok := intervalUnit(t); return ok }

// fromTo parses the string of a unit-to-unit interval: 'y-m' for YEAR TO
// MONTH, 'd h', 'd h:m', 'd h:m:s.f', 'h:m', 'h:m:s.f' and 'm:s.f' for the
// day-time ranges, with an optional leading sign. It returns a message when
// the string does not match the range.
func (iv *interval) fromTo(s string, neg bool, from, to string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		neg, s = !neg, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	want := map[string]string{
		"YEAR-MONTH": "y-m", "DAY-HOUR": "d h", "DAY-MINUTE": "d h:m", "DAY-SECOND": "d h:m:s",
		"HOUR-MINUTE": "h:m", "HOUR-SECOND": "h:m:s", "MINUTE-SECOND": "m:s",
	}[from+"-"+to]
	if want == "" {
		return "unsupported interval range " + from + " TO " + to
	}
	units := map[byte]string{'y': "YEAR", 'm': "MONTH", 'd': "DAY", 'h': "HOUR", 's': "SECOND"}
	bad := "expected the format '" + want + "' for " + from + " TO " + to
	// Split s at the separators of want.
	var parts []string
	rest := s
	for i := 1; i < len(want); i += 2 {
		j := strings.IndexByte(rest, want[i])
		if j < 0 {
			return bad
		}
		parts = append(parts, rest[:j])
		rest = rest[j+1:]
	}
	parts = append(parts, rest)
	// The fields after the leading one are bounded.
	limits := map[string]int64{"MONTH": 12, "HOUR": 24, "MINUTE": 60, "SECOND": 60}
	sum := interval{}
	for i, part := range parts {
		u := units[want[2*i]]
		if want[2*i] == 'm' && want != "y-m" {
			u = "MINUTE"
		}
		if part == "" || strings.ContainsAny(part, "+- ") || (u != "SECOND" && strings.Contains(part, ".")) {
			return bad
		}
		r, ok := new(big.Rat).SetString(part)
		if !ok {
			return bad
		}
		if lim := limits[u]; i > 0 && r.Cmp(big.NewRat(lim, 1)) >= 0 {
			return fmt.Sprintf("%s %s is out of range [0, %d]", strings.ToLower(u), part, lim-1)
		}
		if why, ok := sum.add(signed(neg, part), u); !ok {
			return why
		}
	}
	sum.dayOnly = false
	*iv = sum
	return ""
}

// intervalArith is l ± an INTERVAL literal (the parser has consumed the
// operator; INTERVAL is next). A DATE literal plus a year-month or whole-day
// interval folds into a DATE literal; anything else becomes a call the
// function registry types by l's type (see functions.AddIntervalName).
func (p *parser) intervalArith(l logical.Expr, sub bool) (logical.Expr, error) {
	iv, err := p.parseInterval()
	if err != nil {
		return nil, err
	}
	return intervalCall(l, iv, sub), nil
}

// intervalCall builds l + iv (l - iv when sub).
func intervalCall(l logical.Expr, iv interval, sub bool) logical.Expr {
	kind, amount := functions.IntervalDayTime, iv.micros
	switch {
	case iv.ym:
		kind, amount = functions.IntervalYearMonth, iv.months
	case iv.dayOnly:
		kind, amount = functions.IntervalDays, iv.micros/86400e6
	}
	if sub {
		amount = -amount
	}
	if kind != functions.IntervalDayTime {
		if folded, ok := foldDateInterval(l, kind == functions.IntervalYearMonth, amount); ok {
			return folded
		}
	}
	return &logical.Func{Name: functions.AddIntervalName, Args: []logical.Expr{
		l,
		&logical.Literal{Value: kind, Type: arrow.BinaryTypes.String},
		&logical.Literal{Value: amount, Type: arrow.PrimitiveTypes.Int64},
	}}
}

// foldDateInterval computes a DATE literal plus months (or days) as a DATE
// literal; ok is false when l is not a DATE literal or the result is far
// out of range (the call then reports the overflow).
func foldDateInterval(l logical.Expr, months bool, amount int64) (logical.Expr, bool) {
	lit, ok := l.(*logical.Literal)
	if !ok || lit.Type == nil || lit.Type.ID() != arrow.DATE32 || lit.Value == nil || amount < -1e7 || amount > 1e7 {
		return nil, false
	}
	d := lit.Value.(time.Time)
	if months {
		d = addMonths(d, int(amount))
	} else {
		d = d.AddDate(0, 0, int(amount))
	}
	if d.Year() < -9999 || d.Year() > 9999 {
		return nil, false
	}
	return &logical.Literal{Value: d, Type: arrow.FixedWidthTypes.Date32}, true
}

// addMonths adds months to a date, clamping the day to the end of the
// resulting month as Spark's add_months does (Jan 31 + 1 month = Feb 28/29).
func addMonths(d time.Time, months int) time.Time {
	if months == 0 {
		return d
	}
	y, m, day := d.Date()
	total := int(m) - 1 + months
	ny := y + total/12
	nm := total % 12
	if nm < 0 {
		nm += 12
		ny--
	}
	last := time.Date(ny, time.Month(nm+2), 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(ny, time.Month(nm+1), min(day, last), 0, 0, 0, 0, time.UTC)
}

// intervalFirst parses INTERVAL ... + operand, the interval on the left of
// an addition, and the additions and subtractions after it.
func (p *parser) intervalFirst() (logical.Expr, error) {
	save := p.i
	iv, err := p.parseInterval()
	if err != nil {
		return nil, err
	}
	if !p.peek().isOp("+") {
		// Not INTERVAL ... + x: the literal is an operand like any other.
		p.i = save
		l, err := p.multiplicative()
		if err != nil {
			return nil, err
		}
		return p.additiveRest(l)
	}
	p.next()
	r, err := p.multiplicative()
	if err != nil {
		return nil, err
	}
	return p.additiveRest(intervalCall(r, iv, false))
}

// datetimeUnitArg reads the bare unit word that opens timestampadd,
// timestampdiff and the three-argument forms of dateadd, date_add, datediff
// and date_diff (timestampadd(HOUR, 8, ts)) as a string literal, with the
// comma after it.
func (p *parser) datetimeUnitArg(fn string) (logical.Expr, bool) {
	switch fn {
	case "timestampadd", "timestampdiff":
	case "dateadd", "date_add", "datediff", "date_diff":
		if p.topLevelArgs() != 3 { // date_add(day, 1) adds to a column named day
			return nil, false
		}
	default:
		return nil, false
	}
	t := p.peek()
	if t.kind != tkWord || !p.peekAt(1).isOp(",") {
		return nil, false
	}
	switch strings.ToUpper(t.text) {
	case "YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "DAYOFYEAR", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND":
	default:
		return nil, false
	}
	p.next()
	p.next()
	return &logical.Literal{Value: strings.ToUpper(t.text), Type: arrow.BinaryTypes.String}, true
}

// topLevelArgs counts the arguments of the call whose "(" was just
// consumed, by looking ahead to its closing parenthesis.
func (p *parser) topLevelArgs() int {
	depth, n := 0, 1
	for i := 0; ; i++ {
		t := p.peekAt(i)
		switch {
		case t.kind == tkEOF:
			return n
		case t.isOp("(") || t.isOp("["):
			depth++
		case t.isOp(")") || t.isOp("]"):
			if depth == 0 {
				return n
			}
			depth--
		case t.isOp(",") && depth == 0:
			n++
		}
	}
}

// intervalPart is date_part(field, INTERVAL ...) or EXTRACT(field FROM
// INTERVAL ...), computed here since an interval is always a literal: YEAR
// (int) and MONTH (tinyint, months % 12) of a year-month interval; DAY (int),
// HOUR and MINUTE (tinyint) and SECOND (DECIMAL(8,6), with the fraction) of a
// day-time interval, each field truncated toward zero as in Spark.
func (p *parser) intervalPart(ft token, field string, iv interval) (logical.Expr, error) {
	f, ok := functions.DatePartField(field)
	bad := func() (logical.Expr, error) {
		kind := "day-time"
		if iv.ym {
			kind = "year-month"
		}
		return nil, p.errAt(ft, "the field %s is not supported for a %s interval", field, kind)
	}
	if !ok {
		return bad()
	}
	i8 := func(v int64) logical.Expr { return &logical.Literal{Value: int8(v), Type: arrow.PrimitiveTypes.Int8} }
	const day, hour, minute = 86400e6, 3600e6, 60e6
	if iv.ym {
		switch f {
		case "YEAR":
			return &logical.Literal{Value: int32(iv.months / 12), Type: arrow.PrimitiveTypes.Int32}, nil
		case "MONTH":
			return i8(iv.months % 12), nil
		}
		return bad()
	}
	us := iv.micros
	switch f {
	case "DAY":
		return &logical.Literal{Value: int32(us / day), Type: arrow.PrimitiveTypes.Int32}, nil
	case "HOUR":
		return i8(us % day / hour), nil
	case "MINUTE":
		return i8(us % hour / minute), nil
	case "SECOND":
		v := us % minute
		sign := ""
		if v < 0 {
			sign, v = "-", -v
		}
		lit, err := decimalLiteral(fmt.Sprintf("%s%d.%06d", sign, v/1e6, v%1e6))
		if err != nil {
			return nil, p.errAt(ft, "%v", err)
		}
		lit.Type = logical.DecimalType(8, 6)
		return lit, nil
	}
	return bad()
}

// datePartInterval parses the arguments of date_part(field, INTERVAL ...)
// after its "(", with the closing ")"; handled is false (nothing consumed)
// for any other argument list.
func (p *parser) datePartInterval(fn string) (e logical.Expr, handled bool, err error) {
	if (fn != "date_part" && fn != "datepart") || p.peek().kind != tkString || !p.peekAt(1).isOp(",") || !p.peekAt(2).is("INTERVAL") {
		return nil, false, nil
	}
	ft := p.next()
	p.next()
	iv, err := p.parseInterval()
	if err != nil {
		return nil, true, err
	}
	if err := p.expectOp(")"); err != nil {
		return nil, true, err
	}
	e, err = p.intervalPart(ft, ft.text, iv)
	return e, true, err
}
