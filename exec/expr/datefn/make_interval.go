package datefn

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// checkedMulAdd is acc + a*b over int64; ok is false on overflow.
func checkedMulAdd(acc, a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(absI64(a)), uint64(absI64(b)))
	if hi != 0 || lo > math.MaxInt64 || a == math.MinInt64 || b == math.MinInt64 {
		return 0, false
	}
	p := int64(lo)
	if (a < 0) != (b < 0) {
		p = -p
	}
	s := acc + p
	if (p > 0 && s < acc) || (p < 0 && s > acc) {
		return 0, false
	}
	return s, true
}

func absI64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// intervalArgs reads row i of int32 arguments as int64 and the seconds
// argument (a decimal64 with scale 6, the last of in when secs) as
// microseconds.
func intervalArgs(in []arrow.Array, i int, secs bool) []int64 {
	out := make([]int64, len(in))
	for j, a := range in {
		if secs && j == len(in)-1 {
			out[j] = int64(arrow.GetValues[int64](a.Data(), 1)[i])
			continue
		}
		out[j] = int64(arrow.GetValues[int32](a.Data(), 1)[i])
	}
	return out
}

// MakeDTInterval is make_dt_interval(days, hours, mins, secs): a day-time
// interval; days, hours and mins are ints, secs a DECIMAL(18,6). A result
// beyond the range of a day-time interval is an error.
func MakeDTInterval(days, hours, mins, secs expr.Expr) (expr.Expr, error) {
	for _, a := range []expr.Expr{days, hours, mins} {
		if err := checkArg("make_dt_interval", a, arrow.INT32); err != nil {
			return nil, err
		}
	}
	if err := checkArg("make_dt_interval", secs, arrow.DECIMAL64); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: "make_dt_interval", args: []expr.Expr{days, hours, mins, secs}, typ: values.DayTimeIntervalType, width: 8}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		for i := range in[0].Len() {
			if !isValid(valid, i) {
				continue
			}
			v := intervalArgs(in, i, true)
			us, ok := v[3], true
			for j, f := range []int64{usPerDay, 3600 * usPerSec, 60 * usPerSec} {
				if us, ok = checkedMulAdd(us, v[j], f); !ok {
					return fmt.Errorf("the interval of %d days %d hours %d minutes is out of the day-time interval range: %w", v[0], v[1], v[2], expr.ErrOverflow)
				}
			}
			binary.LittleEndian.PutUint64(out[8*i:], uint64(us))
		}
		return nil
	}
	return k, nil
}

// MakeYMInterval is make_ym_interval(years, months): a year-month interval;
// more months than an int holds is an error.
func MakeYMInterval(years, months expr.Expr) (expr.Expr, error) {
	for _, a := range []expr.Expr{years, months} {
		if err := checkArg("make_ym_interval", a, arrow.INT32); err != nil {
			return nil, err
		}
	}
	k := &fixedKernel{name: "make_ym_interval", args: []expr.Expr{years, months}, typ: values.YearMonthIntervalType, width: 4}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		for i := range in[0].Len() {
			if !isValid(valid, i) {
				continue
			}
			v := intervalArgs(in, i, false)
			m := v[0]*12 + v[1]
			if m > math.MaxInt32 || m < math.MinInt32 {
				return fmt.Errorf("%d years %d months is out of the year-month interval range: %w", v[0], v[1], expr.ErrOverflow)
			}
			binary.LittleEndian.PutUint32(out[4*i:], uint32(int32(m)))
		}
		return nil
	}
	return k, nil
}

// MakeInterval is make_interval(years, months, weeks, days, hours, mins,
// secs): Spark's legacy CalendarInterval, months (years*12 + months), days
// (weeks*7 + days) and microseconds kept apart, in an Arrow month-day-nano
// interval; a part beyond its range is an error.
func MakeInterval(args []expr.Expr) (expr.Expr, error) { return makeInterval("make_interval", args) }

// makeInterval is make_interval, or try_make_interval (a NULL instead of
// the out-of-range error) by name.
func makeInterval(name string, args []expr.Expr) (expr.Expr, error) {
	try := name == "try_make_interval"
	if len(args) != 7 {
		return nil, fmt.Errorf("%s takes 7 arguments, got %d", name, len(args))
	}
	for _, a := range args[:6] {
		if err := checkArg(name, a, arrow.INT32); err != nil {
			return nil, err
		}
	}
	if err := checkArg(name, args[6], arrow.DECIMAL64); err != nil {
		return nil, err
	}
	k := &fixedKernel{name: name, args: args, typ: values.CalendarIntervalType, width: 16, mayNull: try}
	k.run = func(in []arrow.Array, valid []byte, out []byte) error {
		for i := range in[0].Len() {
			if !isValid(valid, i) {
				continue
			}
			v := intervalArgs(in, i, true)
			months, days := v[0]*12+v[1], v[2]*7+v[3]
			us, ok := checkedMulAdd(v[6], v[4], 3600*usPerSec)
			if ok {
				us, ok = checkedMulAdd(us, v[5], 60*usPerSec)
			}
			if !ok || months > math.MaxInt32 || months < math.MinInt32 || days > math.MaxInt32 || days < math.MinInt32 ||
				us > math.MaxInt64/1000 || us < math.MinInt64/1000 {
				if try {
					bitutil.ClearBit(valid, i)
					continue
				}
				return fmt.Errorf("the interval is out of range: %w", expr.ErrOverflow)
			}
			o := out[16*i:]
			binary.LittleEndian.PutUint32(o, uint32(int32(months)))
			binary.LittleEndian.PutUint32(o[4:], uint32(int32(days)))
			binary.LittleEndian.PutUint64(o[8:], uint64(us*1000))
		}
		return nil
	}
	return k, nil
}
