package expr

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// CanCast reports whether Cast supports converting from to to.
func CanCast(from, to arrow.DataType) bool {
	from, to = valueType(from), valueType(to)
	if from.ID() == arrow.NULL || arrow.TypeEqual(from, to) || bytesCast(from, to) {
		return true
	}
	if isNestedCast(from, to) {
		return canCastNested(from, to)
	}
	fk, tk := castKind(from), castKind(to)
	if fk == kOther || tk == kOther {
		return false
	}
	switch tk {
	case kString:
		return true
	case kInt, kFloat, kDecimal:
		return fk == kInt || fk == kFloat || fk == kDecimal || fk == kString || fk == kBool && tk == kInt
	case kBool:
		return fk == kInt || fk == kString || fk == kBool
	case kDate, kTimestamp:
		return fk != tk && (fk == kDate || fk == kTimestamp) || fk == kString
	}
	return false
}

type kind int

const (
	kOther kind = iota
	kInt
	kFloat
	kDecimal
	kString
	kBool
	kDate
	kTimestamp
)

func castKind(t arrow.DataType) kind {
	switch {
	case isInt(t):
		return kInt
	case isFloat(t):
		return kFloat
	case isDecimal(t):
		return kDecimal
	}
	switch t.ID() {
	case arrow.STRING:
		return kString
	case arrow.BOOL:
		return kBool
	case arrow.DATE32:
		return kDate
	case arrow.TIMESTAMP:
		return kTimestamp
	}
	return kOther
}

type castExpr struct {
	e  Expr
	to arrow.DataType
	fn string // the function the cast stands for (to_date), if any
}

// Cast converts e to type to with Spark's ANSI rules: values that do not fit
// are ErrOverflow errors and unparsable strings ErrInvalidCast errors.
func Cast(e Expr, to arrow.DataType) (Expr, error) {
	if values.IsInterval(valueType(e.DataType())) && valueType(to).ID() == arrow.STRING {
		return &intervalStringExpr{e: e}, nil
	}
	if bytesCast(e.DataType(), to) {
		return &retypeExpr{e: e, to: to}, nil
	}
	if isNestedCast(e.DataType(), to) {
		if !canCastNested(e.DataType(), to) {
			return nil, fmt.Errorf("cannot cast %s from %s to %s", e, sqlType(e.DataType()), sqlType(to))
		}
		return &nestedCastExpr{e: e, to: to}, nil
	}
	if !CanCast(e.DataType(), to) {
		return nil, fmt.Errorf("cannot cast %s from %s to %s", e, sqlType(e.DataType()), sqlType(to))
	}
	return &castExpr{e: e, to: to}, nil
}

// CastAs is Cast for function fn that converts its argument as a cast does
// (to_date(s), to_timestamp(s)): its text and its errors name fn and the
// value, not a CAST the user did not write.
func CastAs(fn string, e Expr, to arrow.DataType) (Expr, error) {
	c, err := Cast(e, to)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	c.(*castExpr).fn = fn
	return c, nil
}

func (c *castExpr) DataType() arrow.DataType { return c.to }
func (c *castExpr) String() string {
	if c.fn != "" {
		return c.fn + "(" + c.e.String() + ")"
	}
	return "CAST(" + c.e.String() + " AS " + strings.ToUpper(sqlType(c.to)) + ")"
}

// invalidTemporal is the error for text s that is not a date or timestamp.
func (c *castExpr) invalidTemporal(s string) error {
	if c.fn == "" {
		return invalid(s, c.to)
	}
	datePart := s
	if i := strings.IndexAny(s, " T"); i >= 0 {
		datePart = s[:i]
	}
	why := DateTextError(datePart)
	if why == nil {
		why = errors.New("expected the form yyyy-mm-dd hh:mm:ss[.ffffff]")
	}
	return InvalidValuef("'%s' is not a valid %s: %v (use try_cast to get null instead)", s, sqlType(c.to), why)
}

func (c *castExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	return c.eval(mem, batch, c, false)
}

// eval casts the argument over batch. With try, a value that cannot be
// converted becomes null: the conversion clears its bit in the result's
// validity bitmap and goes on, so bad values cost no more than good ones.
// Conversion errors are prefixed with who's text.
func (c *castExpr) eval(mem memory.Allocator, batch arrow.RecordBatch, who Expr, try bool) (arrow.Array, error) {
	a, err := EvalArg(mem, c.e, batch)
	if err != nil {
		return nil, err
	}
	n := a.Len()
	if isAllNull(a) {
		a.Release()
		return nullArray(mem, c.to, n), nil
	}
	if arrow.TypeEqual(a.DataType(), c.to) {
		return a, nil
	}
	defer a.Release()
	valid, nulls := andValidity(mem, n, a)
	var bad *badRows
	if try {
		if valid == nil {
			valid = newBuf(mem, int(bitutil.BytesForBits(int64(n))))
			bitutil.SetBitsTo(valid.Bytes(), 0, int64(n), true)
		}
		bad = &badRows{bits: valid.Bytes()}
	}
	var vb []byte
	if valid != nil {
		vb = valid.Bytes()
	}
	data, err := c.convert(mem, a, vb, bad)
	if err != nil {
		if valid != nil {
			valid.Release()
		}
		return nil, fmt.Errorf("%s: %w", who, err)
	}
	if bad != nil {
		nulls += bad.n
		if nulls == 0 {
			valid.Release()
			valid = nil
		}
	}
	return makeArray(c.to, n, nulls, append([]*memory.Buffer{valid}, data...)...), nil
}

// convert returns the data buffers (after validity) of the cast result. With
// bad non-nil (try_cast), a value that cannot be converted is marked there
// (its bit in valid cleared) instead of failing.
func (c *castExpr) convert(mem memory.Allocator, a arrow.Array, valid []byte, bad *badRows) ([]*memory.Buffer, error) {
	from := a.DataType()
	n := a.Len()
	switch tk := castKind(c.to); tk {
	case kString:
		return castToString(mem, a, valid)
	case kInt:
		vals, err := toInt64s(a, valid, c.to, bad)
		if err != nil {
			return nil, err
		}
		w := c.to.(arrow.FixedWidthDataType).BitWidth() / 8
		out := newBuf(mem, w*n)
		od := out.Bytes()
		var first int
		switch w {
		case 1:
			first = narrow(vals, arrow.GetData[int8](od), valid, bad)
		case 2:
			first = narrow(vals, arrow.GetData[int16](od), valid, bad)
		case 4:
			first = narrow(vals, arrow.GetData[int32](od), valid, bad)
		default:
			copy(arrow.GetData[int64](od), vals)
			first = -1
		}
		if first >= 0 {
			out.Release()
			return nil, fmt.Errorf("cast %s to %s: %w", valueText(a, first), sqlType(c.to), ErrOverflow)
		}
		return []*memory.Buffer{out}, nil
	case kFloat:
		if c.to.ID() == arrow.FLOAT32 && castKind(from) == kInt {
			ints, err := toInt64s(a, valid, c.to, bad)
			if err != nil {
				return nil, err
			}
			out := newDataBuf(mem, 4*n)
			o := arrow.GetData[float32](out.Bytes())
			for i, v := range ints {
				o[i] = float32(v)
			}
			return []*memory.Buffer{out}, nil
		}
		vals, err := toFloat64s(a, valid, c.to, bad)
		if err != nil {
			return nil, err
		}
		if c.to.ID() == arrow.FLOAT64 {
			out := newBuf(mem, 8*n)
			copy(arrow.GetData[float64](out.Bytes()), vals)
			return []*memory.Buffer{out}, nil
		}
		out := newBuf(mem, 4*n)
		o := arrow.GetData[float32](out.Bytes())
		for i, v := range vals {
			o[i] = float32(v)
		}
		return []*memory.Buffer{out}, nil
	case kDecimal:
		buf, err := toDecimal(mem, a, valid, c.to, bad)
		if err != nil {
			return nil, err
		}
		return []*memory.Buffer{buf}, nil
	case kBool:
		out := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
		ob := out.Bytes()
		switch castKind(from) {
		case kString:
			offs, data := strParts(a)
			for i := 0; i < n; i++ {
				if !bitValid(valid, 0, i) {
					continue
				}
				s := string(trimSpace(data[offs[i]:offs[i+1]]))
				switch strings.ToLower(s) {
				case "t", "true", "y", "yes", "1":
					bitutil.SetBit(ob, i)
				case "f", "false", "n", "no", "0":
				default:
					if bad != nil {
						bad.mark(i)
						continue
					}
					out.Release()
					return nil, invalid(s, c.to)
				}
			}
		default:
			vals, err := toInt64s(a, valid, arrow.PrimitiveTypes.Int64, bad)
			if err != nil {
				out.Release()
				return nil, err
			}
			for i, v := range vals {
				if v != 0 {
					bitutil.SetBit(ob, i)
				}
			}
		}
		return []*memory.Buffer{out}, nil
	case kDate, kTimestamp:
		w := 4
		if tk == kTimestamp {
			w = 8
		}
		out := newBuf(mem, w*n)
		od := out.Bytes()
		fail := func(err error) ([]*memory.Buffer, error) { out.Release(); return nil, err }
		switch castKind(from) {
		case kDate:
			src, o := arrow.GetValues[int32](a.Data(), 1), arrow.GetData[int64](od)
			for i, d := range src {
				if (d > 106751991 || d < -106751991) && bitValid(valid, 0, i) {
					if bad != nil {
						bad.mark(i)
						continue
					}
					return fail(fmt.Errorf("cast %s to %s: %w", valueText(a, i), sqlType(c.to), ErrOverflow))
				}
				o[i] = int64(d) * 86400_000_000
			}
		case kTimestamp:
			src, o := arrow.GetValues[int64](a.Data(), 1), arrow.GetData[int32](od)
			div := timestampUnitsPerDay(from.(*arrow.TimestampType).Unit)
			for i, t := range src {
				o[i] = int32(floorDiv(t, div))
			}
		case kString:
			offs, data := strParts(a)
			for i := 0; i < n; i++ {
				if !bitValid(valid, 0, i) {
					continue
				}
				s := trimSpace(data[offs[i]:offs[i+1]])
				if tk == kDate {
					d, ok := parseDate(s)
					if !ok && bad != nil {
						bad.mark(i)
						continue
					}
					if !ok {
						return fail(c.invalidTemporal(string(s)))
					}
					arrow.GetData[int32](od)[i] = int32(d)
				} else {
					t, ok := parseTimestamp(s)
					if !ok && bad != nil {
						bad.mark(i)
						continue
					}
					if !ok {
						return fail(c.invalidTemporal(string(s)))
					}
					arrow.GetData[int64](od)[i] = t
				}
			}
		default:
			return fail(fmt.Errorf("cast %s to %s is not supported", sqlType(from), sqlType(c.to)))
		}
		return []*memory.Buffer{out}, nil
	}
	return nil, fmt.Errorf("cast %s to %s is not supported", sqlType(from), sqlType(c.to))
}

func invalid(s string, to arrow.DataType) error {
	return fmt.Errorf("cast '%s' to %s: %w", s, sqlType(to), ErrInvalidCast)
}

// valueText renders element i of a for error messages.
func valueText(a arrow.Array, i int) string {
	return values.FormatValue(values.Value(a, i))
}

// narrow converts src to dst and returns the first valid row whose value
// does not fit, or -1. With bad non-nil, such rows are marked there instead
// and the result is -1.
func narrow[T integer](src []int64, dst []T, valid []byte, bad *badRows) int {
	over := false
	for i, v := range src {
		dst[i] = T(v)
		over = over || int64(T(v)) != v
	}
	if !over {
		return -1
	}
	if bad != nil {
		for i, v := range src {
			if int64(T(v)) != v && bitValid(valid, 0, i) {
				bad.mark(i)
			}
		}
		return -1
	}
	return firstBad(valid, len(src), func(i int) bool { return int64(T(src[i])) != src[i] })
}

// toInt64s converts a to int64 values (truncating fractions); to names the
// target in messages. Only valid rows are checked; with bad non-nil a row
// that does not convert is marked there instead of failing.
func toInt64s(a arrow.Array, valid []byte, to arrow.DataType, bad *badRows) ([]int64, error) {
	n := a.Len()
	out := make([]int64, n)
	d := a.Data()
	switch a.DataType().ID() {
	case arrow.INT8:
		for i, v := range arrow.GetValues[int8](d, 1) {
			out[i] = int64(v)
		}
	case arrow.INT16:
		for i, v := range arrow.GetValues[int16](d, 1) {
			out[i] = int64(v)
		}
	case arrow.INT32, arrow.DATE32:
		for i, v := range arrow.GetValues[int32](d, 1) {
			out[i] = int64(v)
		}
	case arrow.INT64, arrow.TIMESTAMP:
		copy(out, arrow.GetValues[int64](d, 1))
	case arrow.BOOL:
		bits := bufBytes(a, 1)
		for i := range out {
			if bitutil.BitIsSet(bits, d.Offset()+i) {
				out[i] = 1
			}
		}
	case arrow.FLOAT32, arrow.FLOAT64:
		fs, _ := toFloat64s(a, valid, to, nil)
		for i, f := range fs {
			if !bitValid(valid, 0, i) {
				continue
			}
			t := math.Trunc(f)
			if math.IsNaN(f) || t < -9223372036854775808.0 || t >= 9223372036854775808.0 {
				if bad != nil {
					bad.mark(i)
					continue
				}
				return nil, fmt.Errorf("cast %s to %s: %w", values.FormatDouble(f), sqlType(to), ErrOverflow)
			}
			out[i] = int64(t)
		}
	case arrow.DECIMAL64, arrow.DECIMAL128:
		dc := newDecCol(a)
		for i := range out {
			if !bitValid(valid, 0, i) {
				continue
			}
			m, neg := dc.mag(i)
			q := m.scaleDownTrunc(dc.s)
			if q[1] != 0 || q[2] != 0 || q[3] != 0 || q[0] > 1<<63 || q[0] == 1<<63 && !neg {
				if bad != nil {
					bad.mark(i)
					continue
				}
				return nil, fmt.Errorf("cast %s to %s: %w", valueText(a, i), sqlType(to), ErrOverflow)
			}
			v := int64(q[0])
			if neg {
				v = -v
			}
			out[i] = v
		}
	case arrow.STRING:
		offs, data := strParts(a)
		for i := range out {
			if !bitValid(valid, 0, i) {
				continue
			}
			s := trimSpace(data[offs[i]:offs[i+1]])
			v, ok := parseIntText(s)
			if !ok {
				if bad != nil {
					bad.mark(i)
					continue
				}
				return nil, invalid(string(s), to)
			}
			out[i] = v
		}
	default:
		return nil, fmt.Errorf("cast %s to %s is not supported", sqlType(a.DataType()), sqlType(to))
	}
	return out, nil
}

// parseIntText parses [+-]digits[.digits], truncating the fraction.
func parseIntText(s []byte) (int64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if dot := indexByte(s, '.'); dot >= 0 {
		for _, c := range s[dot+1:] {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		if dot == 0 && len(s) == 1 {
			return 0, false
		}
		s = s[:dot]
		if len(s) == 0 {
			return 0, true
		}
	}
	if len(s) == 0 {
		return 0, false
	}
	var u uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		if u > (1<<63)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
		if u > 1<<63 {
			return 0, false
		}
	}
	if neg {
		return -int64(u), true
	}
	if u == 1<<63 {
		return 0, false
	}
	return int64(u), true
}

func indexByte(s []byte, c byte) int {
	for i, x := range s {
		if x == c {
			return i
		}
	}
	return -1
}

// trimSpace removes leading and trailing ASCII whitespace and control
// characters, as Spark trims before casting strings.
func trimSpace(s []byte) []byte {
	for len(s) > 0 && s[0] <= ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] <= ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// scaleDownTrunc divides by 10^k truncating.
func (a u256) scaleDownTrunc(k int32) u256 {
	for k > 19 {
		a, _ = a.div64(pow10u64[19])
		k -= 19
	}
	if k > 0 {
		a, _ = a.div64(pow10u64[k])
	}
	return a
}

// toFloat64s converts a to float64 values; with bad non-nil, text that is
// not a number is marked there instead of failing.
func toFloat64s(a arrow.Array, valid []byte, to arrow.DataType, bad *badRows) ([]float64, error) {
	n := a.Len()
	out := make([]float64, n)
	d := a.Data()
	switch a.DataType().ID() {
	case arrow.FLOAT32:
		for i, v := range arrow.GetValues[float32](d, 1) {
			out[i] = float64(v)
		}
	case arrow.FLOAT64:
		copy(out, arrow.GetValues[float64](d, 1))
	case arrow.DECIMAL64, arrow.DECIMAL128:
		dc := newDecCol(a)
		for i := range out {
			if bitValid(valid, 0, i) {
				out[i] = decimalToFloat(dc, i)
			}
		}
	case arrow.STRING:
		offs, data := strParts(a)
		for i := range out {
			if !bitValid(valid, 0, i) {
				continue
			}
			raw := trimSpace(data[offs[i]:offs[i+1]])
			if f, ok := specialFloat(raw); ok {
				out[i] = f
				continue
			}
			if bad != nil && !decimalText(raw) {
				bad.mark(i) // would fail below; no strconv error made
				continue
			}
			s := string(raw)
			t := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, "d"), "D"), "f"), "F")
			f, err := strconv.ParseFloat(t, 64)
			if err != nil && !isRangeErr(err) || strings.ContainsAny(t, "_xXpPiInN") {
				if bad != nil {
					bad.mark(i)
					continue
				}
				return nil, invalid(s, to)
			}
			out[i] = f
		}
	default:
		ints, err := toInt64s(a, valid, to, bad)
		if err != nil {
			return nil, err
		}
		for i, v := range ints {
			out[i] = float64(v)
		}
	}
	return out, nil
}

// decimalText reports whether b (a float's text, less its special forms)
// has only the bytes a decimal number may have — digits, signs, '.', an
// exponent and one d/D/f/F suffix —, which a parse then checks in full.
func decimalText(b []byte) bool {
	if n := len(b); n > 0 {
		switch b[n-1] {
		case 'd', 'D', 'f', 'F':
			b = b[:n-1]
		}
	}
	for _, c := range b {
		if (c < '0' || c > '9') && c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E' {
			return false
		}
	}
	return true
}

// specialFloat recognizes the text forms of infinity and NaN that Spark
// accepts when casting a string to a floating-point type, in any letter case:
// inf, +inf, infinity, +infinity, -inf, -infinity and nan (also signed, as
// Java's parser allows).
func specialFloat(b []byte) (float64, bool) {
	if len(b) < 3 || len(b) > 9 {
		return 0, false
	}
	sign := 1.0
	body := b
	switch b[0] {
	case '+':
		body = b[1:]
	case '-':
		sign, body = -1, b[1:]
	}
	var buf [8]byte
	if len(body) > len(buf) {
		return 0, false
	}
	for i, c := range body {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(body)]) {
	case "inf", "infinity":
		return math.Inf(int(sign)), true
	case "nan":
		return math.NaN(), true
	}
	return 0, false
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// decimalToFloat converts as Spark does: decimals of precision ≤ 18 divide
// the unscaled value (as a double) by 10^scale, wider ones round exactly.
func decimalToFloat(dc decCol, i int) float64 {
	if dc.d64 != nil {
		return float64(dc.d64[i]) / float64(pow10u64[dc.s])
	}
	m, neg := dc.mag(i)
	var buf [96]byte
	b := appendDecimal(buf[:0], m, neg, dc.s)
	f, _ := strconv.ParseFloat(string(b), 64)
	return f
}

// toDecimal converts a to decimal type to (HALF_UP rounding, overflow
// error); with bad non-nil, a value that does not convert is marked there
// instead of failing.
func toDecimal(mem memory.Allocator, a arrow.Array, valid []byte, to arrow.DataType, bad *badRows) (*memory.Buffer, error) {
	n := a.Len()
	p, s := kernels.DecimalParams(to)
	buf, out := newDecOut(mem, to, n)
	fail := func(i int, err error) (*memory.Buffer, error) {
		if bad != nil {
			bad.mark(i)
			return nil, nil
		}
		buf.Release()
		if err == ErrOverflow {
			return nil, fmt.Errorf("cast %s to %s: %w", valueText(a, i), sqlType(to), ErrOverflow)
		}
		return nil, err
	}
	set := func(i int, m u256, neg bool, fromScale int32) error {
		if fromScale <= s {
			if !m.fits(p - (s - fromScale)) {
				return ErrOverflow
			}
			m = m.scaleUp(s - fromScale)
		} else {
			m = m.scaleDownHalfUp(fromScale - s)
			if !m.fits(p) {
				return ErrOverflow
			}
		}
		out.set(i, m, neg && m != (u256{}))
		return nil
	}
	switch castKind(a.DataType()) {
	case kDecimal:
		dc := newDecCol(a)
		if dc.d64 != nil && out.d64 != nil && dc.s == s && dc.p <= p {
			copy(out.d64, dc.d64)
			return buf, nil
		}
		for i := 0; i < n; i++ {
			if !bitValid(valid, 0, i) {
				continue
			}
			m, neg := dc.mag(i)
			if err := set(i, m, neg, dc.s); err != nil {
				if _, err := fail(i, err); err != nil {
					return nil, err
				}
			}
		}
	case kInt, kBool:
		ints, err := toInt64s(a, valid, to, bad)
		if err != nil {
			buf.Release()
			return nil, err
		}
		for i, v := range ints {
			if !bitValid(valid, 0, i) {
				continue
			}
			m, neg := mag64(v)
			if v == math.MinInt64 {
				m = u256{1 << 63}
			}
			if err := set(i, m, neg, 0); err != nil {
				if _, err := fail(i, err); err != nil {
					return nil, err
				}
			}
		}
	case kFloat, kString:
		var fs []float64
		var offs []int32
		var data []byte
		if castKind(a.DataType()) == kFloat {
			fs, _ = toFloat64s(a, valid, to, nil)
		} else {
			offs, data = strParts(a)
		}
		for i := 0; i < n; i++ {
			if !bitValid(valid, 0, i) {
				continue
			}
			var text string
			if fs != nil {
				f := fs[i]
				if math.IsNaN(f) || math.IsInf(f, 0) {
					if bad != nil {
						bad.mark(i)
						continue
					}
					buf.Release()
					return nil, invalid(values.FormatDouble(f), to)
				}
				text = strconv.FormatFloat(f, 'f', -1, 64)
			} else {
				text = string(trimSpace(data[offs[i]:offs[i+1]]))
			}
			m, neg, scale, ok := parseDecimalText(text)
			if !ok {
				if bad != nil {
					bad.mark(i)
					continue
				}
				if fs != nil {
					return fail(i, ErrOverflow)
				}
				buf.Release()
				return nil, invalid(text, to)
			}
			if err := set(i, m, neg, scale); err != nil {
				if _, err := fail(i, err); err != nil {
					return nil, err
				}
			}
		}
	default:
		buf.Release()
		return nil, fmt.Errorf("cast %s to %s is not supported", sqlType(a.DataType()), sqlType(to))
	}
	return buf, nil
}

// parseDecimalText parses [+-]digits[.digits][e[+-]digits] into a magnitude
// (at most 76 significant digits) and scale.
func parseDecimalText(s string) (m u256, neg bool, scale int32, ok bool) {
	if s == "" {
		return m, false, 0, false
	}
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 1000 || e < -1000 {
			return m, false, 0, false
		}
		exp = e
		s = s[:i]
	}
	digits := 0
	seenDot := false
	frac := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' && !seenDot:
			seenDot = true
		case c >= '0' && c <= '9':
			if m == (u256{}) && c == '0' {
				if seenDot {
					frac++
				}
				digits++
				continue
			}
			if m.cmp(pow10u256[75]) >= 0 {
				return m, false, 0, false
			}
			m = m.mul64(10).add(u256{uint64(c - '0')})
			digits++
			if seenDot {
				frac++
			}
		default:
			return m, false, 0, false
		}
	}
	if digits == 0 {
		return m, false, 0, false
	}
	sc := frac - exp
	if sc < 0 {
		if m != (u256{}) && !m.fits(int32(77+sc)) {
			return m, false, 0, false
		}
		m = m.scaleUp(int32(-sc))
		sc = 0
	}
	if sc > 76 {
		// Keep at most 76 fractional digits, rounding.
		m = m.scaleDownHalfUp(int32(sc - 76))
		sc = 76
	}
	return m, neg && m != (u256{}), int32(sc), true
}

// appendDecimal appends the text of a sign-magnitude decimal with scale s.
func appendDecimal(dst []byte, m u256, neg bool, s int32) []byte {
	var digits [80]byte
	i := len(digits)
	for m != (u256{}) {
		var r uint64
		m, r = m.div64(10)
		i--
		digits[i] = byte('0' + r)
	}
	ds := digits[i:]
	if neg && len(ds) > 0 {
		dst = append(dst, '-')
	}
	if int(s) >= len(ds) {
		dst = append(dst, '0')
		if s > 0 {
			dst = append(dst, '.')
			for k := len(ds); k < int(s); k++ {
				dst = append(dst, '0')
			}
		}
		return append(dst, ds...)
	}
	dst = append(dst, ds[:len(ds)-int(s)]...)
	if s > 0 {
		dst = append(dst, '.')
		dst = append(dst, ds[len(ds)-int(s):]...)
	}
	return dst
}

// castToString formats every valid row as Spark's text form.
func castToString(mem memory.Allocator, a arrow.Array, valid []byte) ([]*memory.Buffer, error) {
	n := a.Len()
	d := a.Data()
	var f func(i int, dst []byte) []byte
	switch a.DataType().ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		ints, _ := toInt64s(a, valid, arrow.BinaryTypes.String, nil)
		f = func(i int, dst []byte) []byte { return strconv.AppendInt(dst, ints[i], 10) }
	case arrow.FLOAT64:
		vs := arrow.GetValues[float64](d, 1)
		f = func(i int, dst []byte) []byte { return append(dst, values.FormatDouble(vs[i])...) }
	case arrow.FLOAT32:
		vs := arrow.GetValues[float32](d, 1)
		f = func(i int, dst []byte) []byte { return append(dst, values.FormatFloat(vs[i])...) }
	case arrow.DECIMAL64, arrow.DECIMAL128:
		dc := newDecCol(a)
		f = func(i int, dst []byte) []byte { m, neg := dc.mag(i); return appendDecimal(dst, m, neg, dc.s) }
	case arrow.BOOL:
		bits := bufBytes(a, 1)
		f = func(i int, dst []byte) []byte {
			return strconv.AppendBool(dst, bitutil.BitIsSet(bits, d.Offset()+i))
		}
	case arrow.DATE32:
		vs := arrow.GetValues[int32](d, 1)
		f = func(i int, dst []byte) []byte { return appendDate(dst, int64(vs[i])) }
	case arrow.TIMESTAMP:
		vs := arrow.GetValues[int64](d, 1)
		f = func(i int, dst []byte) []byte { return append(dst, formatTimestamp(vs[i])...) }
	default:
		return nil, fmt.Errorf("cast %s to string is not supported", sqlType(a.DataType()))
	}
	ob := newBuf(mem, 4*(n+1))
	o := arrow.Int32Traits.CastFromBytes(ob.Bytes())
	var out []byte
	for i := 0; i < n; i++ {
		if bitValid(valid, 0, i) {
			out = f(i, out)
		}
		o[i+1] = int32(len(out))
	}
	db := newBuf(mem, len(out))
	copy(db.Bytes(), out)
	return []*memory.Buffer{ob, db}, nil
}

func appendDate(dst []byte, days int64) []byte {
	y, m, d := civil(days)
	if y < 0 {
		dst = append(dst, '-')
		y = -y
	}
	for _, p := range [...]int64{1000, 100, 10} {
		if y < p {
			dst = append(dst, '0')
		}
	}
	dst = strconv.AppendInt(dst, y, 10)
	dst = append(dst, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
	return dst
}

// parseDate parses yyyy, yyyy-[m]m or yyyy-[m]m-[d]d, optionally followed by
// ' ' or 'T' and anything, into days since the epoch.
func parseDate(s []byte) (int64, bool) {
	if i := indexAnyByte(s, " T"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(string(s), "-")
	if len(parts) > 3 || len(parts[0]) < 4 || len(parts[0]) > 6 {
		return 0, false
	}
	nums := [3]int{1, 1, 1}
	for k, p := range parts {
		if p == "" || (k > 0 && len(p) > 2) {
			return 0, false
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p[0] == '+' {
			return 0, false
		}
		nums[k] = v
	}
	y, m, d := nums[0], nums[1], nums[2]
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, false
	}
	return floorDiv(t.Unix(), 86400), true
}

func indexAnyByte(s []byte, chars string) int {
	for i, c := range s {
		if strings.IndexByte(chars, c) >= 0 {
			return i
		}
	}
	return -1
}

// parseTimestamp parses a date, optionally followed by ' ' or 'T' and
// HH:mm[:ss[.fraction]] and an optional 'Z', into microseconds (UTC).
func parseTimestamp(s []byte) (int64, bool) {
	str := strings.TrimSuffix(string(s), "Z")
	datePart, timePart := str, ""
	if i := strings.IndexAny(str, " T"); i >= 0 {
		datePart, timePart = str[:i], str[i+1:]
	}
	days, ok := parseDate([]byte(datePart))
	if !ok {
		return 0, false
	}
	var secs, micros int64
	if timePart != "" {
		hms, frac, hasFrac := strings.Cut(timePart, ".")
		f := strings.Split(hms, ":")
		if len(f) < 2 || len(f) > 3 {
			return 0, false
		}
		lim := [3]int{23, 59, 59}
		var v [3]int
		for k, p := range f {
			if len(p) == 0 || len(p) > 2 {
				return 0, false
			}
			x, err := strconv.Atoi(p)
			if err != nil || x < 0 || x > lim[k] || p[0] == '+' {
				return 0, false
			}
			v[k] = x
		}
		secs = int64(v[0]*3600 + v[1]*60 + v[2])
		if hasFrac {
			if len(frac) == 0 || len(frac) > 9 {
				return 0, false
			}
			for k := 0; k < 6; k++ {
				micros *= 10
				if k < len(frac) {
					c := frac[k]
					if c < '0' || c > '9' {
						return 0, false
					}
					micros += int64(c - '0')
				}
			}
			for k := 6; k < len(frac); k++ {
				if frac[k] < '0' || frac[k] > '9' {
					return 0, false
				}
			}
		}
	}
	return days*86400_000_000 + secs*1_000_000 + micros, true
}
