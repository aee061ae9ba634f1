package frame

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// isInstantType reports whether t is TIMESTAMP (an instant, shown in the
// session time zone) rather than TIMESTAMP_NTZ (a wall clock, shown as is).
func isInstantType(t arrow.DataType) bool {
	if d, ok := t.(*arrow.DictionaryType); ok {
		t = d.ValueType
	}
	ts, ok := t.(*arrow.TimestampType)
	return ok && ts.TimeZone != ""
}

// LocalizeTimes sets the TIMESTAMP values of rows (row-form values of the
// DataFrame's columns, as Collect returns) in the session time zone, so that
// they print as the session's wall clock; the instants do not change.
// TIMESTAMP_NTZ values stay wall clocks in UTC.
func (df *DataFrame) LocalizeTimes(rows [][]any) {
	if df.err != nil || df.s == nil {
		return
	}
	_, loc := df.s.TimeZone()
	localizeTimes(df.Schema(), rows, loc)
}

func localizeTimes(schema *arrow.Schema, rows [][]any, loc *time.Location) {
	if loc == time.UTC || schema == nil {
		return
	}
	for c, f := range schema.Fields() {
		if !isInstantType(f.Type) {
			continue
		}
		for _, r := range rows {
			if t, ok := r[c].(time.Time); ok {
				r[c] = t.In(loc)
			}
		}
	}
}
