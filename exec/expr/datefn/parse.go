package datefn

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// DefaultPattern is the pattern unix_timestamp and from_unixtime use when
// none is given.
const DefaultPattern = "yyyy-MM-dd HH:mm:ss"

type parseOut int

const (
	outTimestamp parseOut = iota
	outDate
	outSeconds
)

// parseKernel parses strings with a compiled pattern. Text that does not
// parse is an error naming the value and the pattern, or null when try.
func parseKernel(name string, s expr.Expr, pattern string, out parseOut, try bool) (expr.Expr, error) {
	if err := checkArg(name, s, arrow.STRING); err != nil {
		return nil, err
	}
	p, err := CompilePattern(pattern)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	typ, width := Timestamp, 8
	switch out {
	case outDate:
		typ, width = Date, 4
	case outSeconds:
		typ = arrow.PrimitiveTypes.Int64
	}
	lit, _ := expr.Literal(pattern, arrow.BinaryTypes.String)
	k := &fixedKernel{name: name, args: []expr.Expr{s}, typ: typ, width: width, mayNull: try}
	k.text = name + "(" + s.String() + ", " + lit.String() + ")"
	k.run = func(in []arrow.Array, valid []byte, buf []byte) error {
		strs, ok := in[0].(*array.String)
		if !ok {
			return fmt.Errorf("input is %s, not string", values.TypeName(in[0].DataType()))
		}
		offs := strs.ValueOffsets()
		var raw []byte
		if b := strs.Data().Buffers()[2]; b != nil {
			raw = b.Bytes()
		}
		o64 := arrow.GetData[int64](buf)
		o32 := arrow.GetData[int32](buf)
		for i := range strs.Len() {
			if !isValid(valid, i) {
				continue
			}
			v := raw[offs[i]:offs[i+1]]
			us, ok := p.Parse(v)
			if !ok {
				if try {
					bitutil.ClearBit(valid, i)
					continue
				}
				return invalidf("cannot parse '%s' with pattern '%s' (use try_to_timestamp to get null instead)", v, pattern)
			}
			switch out {
			case outTimestamp:
				o64[i] = us
			case outDate:
				o32[i] = int32(floorDiv(us, usPerDay))
			case outSeconds:
				o64[i] = floorDiv(us, usPerSec)
			}
		}
		return nil
	}
	return k, nil
}

// ToTimestamp parses the strings of s with a Spark datetime pattern into
// timestamps; unparsable text is an error (ANSI), or null when try
// (try_to_timestamp).
func ToTimestamp(s expr.Expr, pattern string, try bool) (expr.Expr, error) {
	name := "to_timestamp"
	if try {
		name = "try_to_timestamp"
	}
	return parseKernel(name, s, pattern, outTimestamp, try)
}

// ToDate parses the strings of s with a Spark datetime pattern into dates
// (the time of day is dropped); unparsable text is an error.
func ToDate(s expr.Expr, pattern string) (expr.Expr, error) {
	return parseKernel("to_date", s, pattern, outDate, false)
}

// TryToDate is ToDate with NULL for unparsable text (try_to_date).
func TryToDate(s expr.Expr, pattern string) (expr.Expr, error) {
	return parseKernel("try_to_date", s, pattern, outDate, true)
}

// UnixTimestamp returns the seconds since the epoch (floored) of e: a string
// parsed with pattern (unparsable text is an error), a timestamp or a date
// (its midnight, UTC).
func UnixTimestamp(e expr.Expr, pattern string) (expr.Expr, error) {
	if err := checkArg("unix_timestamp", e, arrow.STRING, arrow.TIMESTAMP, arrow.DATE32); err != nil {
		return nil, err
	}
	t := e.DataType()
	if d, ok := t.(*arrow.DictionaryType); ok {
		t = d.ValueType
	}
	switch t.ID() {
	case arrow.STRING:
		return parseKernel("unix_timestamp", e, pattern, outSeconds, false)
	case arrow.NULL:
		return expr.Literal(nil, arrow.PrimitiveTypes.Int64)
	}
	k := &fixedKernel{name: "unix_timestamp", args: []expr.Expr{e}, typ: arrow.PrimitiveTypes.Int64, width: 8}
	k.run = func(in []arrow.Array, _ []byte, out []byte) error {
		o := arrow.GetData[int64](out)
		switch in[0].DataType().ID() {
		case arrow.TIMESTAMP:
			for i, us := range int64s(in[0]) {
				o[i] = floorDiv(us, usPerSec)
			}
		case arrow.DATE32:
			for i, d := range int32s(in[0]) {
				o[i] = int64(d) * 86400
			}
		default:
			return fmt.Errorf("input is %s", values.TypeName(in[0].DataType()))
		}
		return nil
	}
	return k, nil
}

// DateFormat formats the timestamps of ts with a Spark datetime pattern.
func DateFormat(ts expr.Expr, pattern string) (expr.Expr, error) {
	if err := checkArg("date_format", ts, arrow.TIMESTAMP); err != nil {
		return nil, err
	}
	p, err := CompilePattern(pattern)
	if err != nil {
		return nil, fmt.Errorf("date_format: %w", err)
	}
	lit, _ := expr.Literal(pattern, arrow.BinaryTypes.String)
	k := &stringKernel{name: "date_format", args: []expr.Expr{ts}}
	k.text = "date_format(" + ts.String() + ", " + lit.String() + ")"
	k.run = func(in []arrow.Array, valid []byte, b *array.StringBuilder) error {
		src := int64s(in[0])
		b.ReserveData(len(src) * (len(pattern) + 4))
		var scratch []byte
		for i, us := range src {
			if !isValid(valid, i) {
				b.AppendNull()
				continue
			}
			scratch = p.AppendFormat(scratch[:0], us)
			b.BinaryBuilder.Append(scratch)
		}
		return nil
	}
	return k, nil
}

// FromUnixtime formats seconds since the epoch (int64) with a Spark datetime
// pattern; seconds whose timestamp overflows are an error.
func FromUnixtime(secs expr.Expr, pattern string) (expr.Expr, error) {
	if err := checkArg("from_unixtime", secs, arrow.INT64); err != nil {
		return nil, err
	}
	p, err := CompilePattern(pattern)
	if err != nil {
		return nil, fmt.Errorf("from_unixtime: %w", err)
	}
	lit, _ := expr.Literal(pattern, arrow.BinaryTypes.String)
	k := &stringKernel{name: "from_unixtime", args: []expr.Expr{secs}}
	k.text = "from_unixtime(" + secs.String() + ", " + lit.String() + ")"
	const limit = (1<<63 - 1) / usPerSec
	k.run = func(in []arrow.Array, valid []byte, b *array.StringBuilder) error {
		src := int64s(in[0])
		b.ReserveData(len(src) * (len(pattern) + 4))
		var scratch []byte
		for i, s := range src {
			if !isValid(valid, i) {
				b.AppendNull()
				continue
			}
			if s > limit || s < -limit {
				return overflowf("%d seconds do not fit a timestamp", s)
			}
			scratch = p.AppendFormat(scratch[:0], s*usPerSec)
			b.BinaryBuilder.Append(scratch)
		}
		return nil
	}
	return k, nil
}
