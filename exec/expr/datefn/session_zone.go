package datefn

import (
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/expr"
)

// SessionTimestamp is the type the SQL parser gives a TIMESTAMP '...'
// literal without an explicit offset: a wall clock (microseconds read as a
// UTC wall clock) that the analyzer reads in the session time zone and turns
// into a Timestamp. Nothing past the analyzer sees it.
var SessionTimestamp arrow.DataType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "session"}

// TimestampNTZ is the type of TIMESTAMP_NTZ: a wall clock without a time
// zone, microseconds read as a UTC wall clock.
var TimestampNTZ arrow.DataType = &arrow.TimestampType{Unit: arrow.Microsecond}

// IsNTZ reports whether t is a timestamp without a time zone.
func IsNTZ(t arrow.DataType) bool {
	ts, ok := t.(*arrow.TimestampType)
	return ok && ts.TimeZone == ""
}

// LocalToUTC is the instant (microseconds) of the wall clock us in loc, as
// java.time's atZone: in an overlap the earlier offset, in a gap the wall
// clock moved forward by the gap's length.
func LocalToUTC(us int64, loc *time.Location) int64 { return localToUTC(us, loc) }

// UTCToLocal is the wall clock in loc of the instant us.
func UTCToLocal(us int64, loc *time.Location) int64 { return utcToLocal(us, loc) }

// ZoneShift converts between instants and wall clocks in loc: with toLocal,
// the instant x becomes its wall clock in loc, else the wall clock x becomes
// its instant. x is a timestamp (to type out, a timestamp type) or, with
// unit > 1, a bigint count of units (seconds: unit 1e6 microseconds),
// floored to whole units after the shift. Its text is its argument's: the
// shift is a change of representation.
func ZoneShift(x expr.Expr, loc *time.Location, toLocal bool, unit int64, out arrow.DataType) (expr.Expr, error) {
	id := arrow.TIMESTAMP
	if unit > 1 {
		id = arrow.INT64
	}
	if err := checkArg("zone shift", x, id); err != nil {
		return nil, err
	}
	if unit < 1 {
		return nil, fmt.Errorf("zone shift: unit %d", unit)
	}
	k := &fixedKernel{name: "zone shift", text: x.String(), args: []expr.Expr{x}, typ: out, width: 8}
	k.run = func(in []arrow.Array, _ []byte, o []byte) error {
		dst := arrow.GetData[int64](o)
		for i, v := range int64s(in[0]) {
			us := v * unit
			if unit > 1 && (us/unit != v) {
				continue // far outside any calendar: left as is
			}
			if toLocal {
				us = utcToLocal(us, loc)
			} else {
				us = localToUTC(us, loc)
			}
			dst[i] = floorDiv(us, unit)
		}
		return nil
	}
	return k, nil
}

// FromLocalText converts the wall clocks ts, parsed from the strings text,
// to instants in loc, except where the text names its zone itself (a
// trailing Z: the cast already read it as UTC): CAST(string AS TIMESTAMP)
// in a session time zone.
func FromLocalText(ts, text expr.Expr, loc *time.Location) (expr.Expr, error) {
	if err := checkArg("zone shift", ts, arrow.TIMESTAMP); err != nil {
		return nil, err
	}
	if err := checkArg("zone shift", text, arrow.STRING); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: "zone shift", text: ts.String(), args: []expr.Expr{ts, text}, typ: Timestamp, width: 8}
	k.run = func(in []arrow.Array, valid []byte, o []byte) error {
		dst := arrow.GetData[int64](o)
		strs, _ := in[1].(*array.String)
		for i, v := range int64s(in[0]) {
			dst[i] = v
			if !isValid(valid, i) {
				continue
			}
			if strs != nil && strings.HasSuffix(strings.TrimSpace(strs.Value(i)), "Z") {
				continue
			}
			dst[i] = localToUTC(v, loc)
		}
		return nil
	}
	return k, nil
}
