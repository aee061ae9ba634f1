package datefn

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the zone database, for machines without one

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"

	"github.com/gspark/gspark/exec/expr"
)

// ParseZone returns the time zone a Spark zone argument names: a region
// ('Asia/Seoul', 'CET'), 'UTC'/'Z', or an offset ('+09:00', '-8', 'UTC+1',
// 'GMT-05:30').
func ParseZone(s string) (*time.Location, error) {
	t := strings.TrimSpace(s)
	up := strings.ToUpper(t)
	switch up {
	case "UTC", "Z", "GMT", "UT":
		return time.UTC, nil
	}
	off := up
	for _, p := range []string{"UTC", "GMT", "UT"} {
		if strings.HasPrefix(up, p) && len(up) > len(p) && (up[len(p)] == '+' || up[len(p)] == '-') {
			off = up[len(p):]
			break
		}
	}
	if off != "" && (off[0] == '+' || off[0] == '-') {
		if secs, ok := parseOffset(off[1:]); ok {
			if off[0] == '-' {
				secs = -secs
			}
			return time.FixedZone(t, secs), nil
		}
		return nil, fmt.Errorf("invalid time zone offset %q", s)
	}
	loc, err := time.LoadLocation(t)
	if err != nil || t == "" || t == "Local" {
		return nil, fmt.Errorf("unknown time zone %q", s)
	}
	return loc, nil
}

// parseOffset reads h, hh, hh:mm or hh:mm:ss (at most 18 hours) as seconds.
func parseOffset(s string) (int, bool) {
	parts := strings.Split(s, ":")
	if len(parts) > 3 || parts[0] == "" {
		return 0, false
	}
	secs := 0
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || len(p) > 2 || (i > 0 && (n > 59 || len(p) != 2)) {
			return 0, false
		}
		secs = secs*60 + n
	}
	for range 3 - len(parts) {
		secs *= 60
	}
	return secs, secs <= 18*3600
}

// offsetAt is loc's UTC offset in seconds at the instant unix (seconds).
func offsetAt(loc *time.Location, unix int64) int64 {
	_, off := time.Unix(unix, 0).In(loc).Zone()
	return int64(off)
}

// localToUTC converts a wall clock (microseconds since the epoch, read as
// a UTC wall clock) in loc to the instant, as java.time's atZone does: in an
// overlap the earlier offset wins, and a wall clock in a gap moves forward
// by the gap's length.
func localToUTC(us int64, loc *time.Location) int64 {
	if loc == time.UTC {
		return us
	}
	w := floorDiv(us, usPerSec)
	before, after := offsetAt(loc, w-86400), offsetAt(loc, w+86400)
	off := before
	if before != after {
		validBefore := offsetAt(loc, w-before) == before
		validAfter := offsetAt(loc, w-after) == after
		if !validBefore && validAfter {
			off = after
		}
	}
	return us - off*usPerSec
}

// utcToLocal is the wall clock in loc (as microseconds read as a UTC wall
// clock) of the instant us.
func utcToLocal(us int64, loc *time.Location) int64 {
	if loc == time.UTC {
		return us
	}
	return us + offsetAt(loc, floorDiv(us, usPerSec))*usPerSec
}

// ShiftZone returns the timestamp ts moved between zones: the wall clock of
// ts in from, read as a wall clock in to. from_utc_timestamp(ts, tz) is
// ShiftZone(ts, tz, UTC) (the UTC instant shown in tz),
// to_utc_timestamp(ts, tz) is ShiftZone(ts, UTC, tz) (a wall clock in tz
// as a UTC instant), and convert_timezone(src, tgt, ts) shifts from UTC to
// src and then from tgt to UTC. name is the SQL function, for String and
// errors.
func ShiftZone(name string, ts expr.Expr, steps ...*time.Location) (expr.Expr, error) {
	if err := checkArg(name, ts, arrow.TIMESTAMP); err != nil {
		return nil, err
	}
	if len(steps)%2 != 0 {
		return nil, fmt.Errorf("%s: zones come in pairs", name)
	}
	k := &fixedKernel{name: name, args: []expr.Expr{ts}, typ: Timestamp, width: 8}
	k.run = func(in []arrow.Array, _ []byte, out []byte) error {
		o := arrow.GetData[int64](out)
		copy(o, int64s(in[0]))
		for s := 0; s < len(steps); s += 2 {
			from, to := steps[s], steps[s+1]
			for i, x := range o {
				o[i] = localToUTC(utcToLocal(x, from), to)
			}
		}
		return nil
	}
	return k, nil
}

// MakeTimestamp builds a timestamp from year, month, day, hour and minute
// (int32 each) and seconds (DECIMAL(16,6), 0 to 60, where exactly 60 is the
// next minute), read as a wall clock in loc: make_timestamp and, with try,
// try_make_timestamp. A field out of range is an error, or NULL with try.
func MakeTimestamp(args []expr.Expr, loc *time.Location, try bool) (expr.Expr, error) {
	name := "make_timestamp"
	if try {
		name = "try_make_timestamp"
	}
	if len(args) != 6 {
		return nil, fmt.Errorf("%s: %d arguments, want 6", name, len(args))
	}
	for _, e := range args[:5] {
		if err := checkArg(name, e, arrow.INT32); err != nil {
			return nil, err
		}
	}
	if t := args[5].DataType(); t.ID() != arrow.NULL && !arrow.TypeEqual(t, SecondsArgType) {
		return nil, fmt.Errorf("%s: seconds %s has type %s, want decimal(16,6)", name, args[5], t)
	}
	k := &fixedKernel{name: name, args: args, typ: Timestamp, width: 8, mayNull: try}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		o := arrow.GetData[int64](out)
		ys, ms, ds, hs, mis := int32s(in[0]), int32s(in[1]), int32s(in[2]), int32s(in[3]), int32s(in[4])
		secs := int64s(in[5])
		for i := range o {
			if !isValid(valid, i) {
				o[i] = 0
				continue
			}
			r, why := makeTimestamp(int64(ys[i]), int64(ms[i]), int64(ds[i]), int64(hs[i]), int64(mis[i]), secs[i], loc)
			if why != "" {
				if !try {
					return invalidf("%s", why)
				}
				bitutil.ClearBit(valid, i)
				r = 0
			}
			o[i] = r
		}
		return nil
	}
	return k, nil
}

// SecondsArgType is the type make_timestamp takes its seconds as.
var SecondsArgType = &arrow.Decimal64Type{Precision: 16, Scale: 6}

// makeTimestamp checks the fields and returns the instant, or why not.
func makeTimestamp(y, mo, d, h, mi, sec int64, loc *time.Location) (int64, string) {
	switch {
	case mo < 1 || mo > 12:
		return 0, fmt.Sprintf("invalid value for month %d (valid values 1 - 12)", mo)
	case d < 1 || d > daysInMonth(y, mo):
		return 0, fmt.Sprintf("invalid date %04d-%02d-%02d", y, mo, d)
	case h < 0 || h > 23:
		return 0, fmt.Sprintf("invalid value for hour %d (valid values 0 - 23)", h)
	case mi < 0 || mi > 59:
		return 0, fmt.Sprintf("invalid value for minute %d (valid values 0 - 59)", mi)
	case sec < 0 || sec > 60*usPerSec:
		// Exactly 60 carries into the next minute; 60.5 is out of range.
		return 0, fmt.Sprintf("invalid value for second %s (valid values 0 - 60)", secondsText(sec))
	}
	if y < -290000 || y > 290000 {
		return 0, fmt.Sprintf("year %d is out of the timestamp range", y)
	}
	days := daysFromCivil(y, mo, d)
	wall := days*usPerDay + (h*3600+mi*60)*usPerSec + sec
	return localToUTC(wall, loc), ""
}

func secondsText(us int64) string {
	return strconv.FormatFloat(float64(us)/1e6, 'f', -1, 64)
}
