package strfn

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	gvalues "github.com/gspark/gspark/values"
)

// ErrBadFormat is wrapped by the errors of format_string for a format
// that does not fit its arguments (Java's IllegalFormatException).
var ErrBadFormat = errors.New("invalid format")

// formatStringExpr is format_string(format, args...).
type formatStringExpr struct {
	format expr.Expr
	args   []expr.Expr
}

// FormatString returns format_string(format, args...) (printf): the
// arguments formatted by the Java-style format string (%s, %d, %x, %o,
// %c, %b, %f, %e, %g, %% and %n with argument indexes, flags, width and
// precision, as java.util.Formatter); null when format is null, and a
// null argument prints as "null".
func FormatString(format expr.Expr, args ...expr.Expr) (expr.Expr, error) {
	if t := format.DataType(); t.ID() != arrow.STRING && t.ID() != arrow.NULL {
		return nil, fmt.Errorf("format_string: the format is %s, want string", t)
	}
	return &formatStringExpr{format: format, args: args}, nil
}

func (f *formatStringExpr) DataType() arrow.DataType { return stringType }
func (f *formatStringExpr) String() string {
	return expr.CallString("format_string", append([]expr.Expr{f.format}, f.args...)...)
}

func (f *formatStringExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	all := append([]expr.Expr{f.format}, f.args...)
	arrs := make([]arrow.Array, 0, len(all))
	defer func() {
		for _, a := range arrs {
			a.Release()
		}
	}()
	for _, e := range all {
		a, err := e.Eval(mem, batch)
		if err != nil {
			return nil, err
		}
		arrs = append(arrs, a)
	}
	b := array.NewStringBuilder(mem)
	defer b.Release()
	n := int(batch.NumRows())
	vals := make([]any, len(f.args))
	var out []byte
	for i := 0; i < n; i++ {
		format, ok := gvalues.Value(arrs[0], i).(string)
		if !ok {
			b.AppendNull()
			continue
		}
		for j := range f.args {
			vals[j] = gvalues.Value(arrs[j+1], i)
		}
		var err error
		out, err = javaFormat(out[:0], format, vals)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		b.BinaryBuilder.Append(out)
	}
	return b.NewArray(), nil
}

// maxFormatWidth bounds the width and precision of a specifier, so that
// a query cannot ask for gigabytes of padding.
const maxFormatWidth = 1 << 16

// fmtSpec is one parsed %-specifier.
type fmtSpec struct {
	flags     string
	width     int // -1 when absent
	precision int // -1 when absent
	conv      byte
}

func (s fmtSpec) has(flag byte) bool { return strings.IndexByte(s.flags, flag) >= 0 }

// javaFormat appends format applied to args to dst.
func javaFormat(dst []byte, format string, args []any) ([]byte, error) {
	next, last := 0, -1
	for i := 0; i < len(format); {
		c := format[i]
		if c != '%' {
			dst = append(dst, c)
			i++
			continue
		}
		i++
		// %[index$][flags][width][.precision]conversion
		j := i
		for j < len(format) && format[j] >= '0' && format[j] <= '9' {
			j++
		}
		index := 0
		if j < len(format) && format[j] == '$' && j > i {
			index, _ = strconv.Atoi(format[i:j])
			if index == 0 {
				return nil, fmt.Errorf("[INVALID_PARAMETER_VALUE.ZERO_INDEX] format %q: argument indexes start at %%1$, got %%0$: %w", format, ErrBadFormat)
			}
			i = j + 1
		}
		var spec fmtSpec
		for i < len(format) && strings.IndexByte("-#+ 0,(<", format[i]) >= 0 {
			spec.flags += string(format[i])
			i++
		}
		spec.width, spec.precision = -1, -1
		j = i
		for j < len(format) && format[j] >= '0' && format[j] <= '9' {
			j++
		}
		if j > i {
			spec.width, _ = strconv.Atoi(format[i:j])
			i = j
		}
		if i < len(format) && format[i] == '.' {
			j = i + 1
			for j < len(format) && format[j] >= '0' && format[j] <= '9' {
				j++
			}
			if j == i+1 {
				return nil, fmt.Errorf("format %q: a precision needs digits: %w", format, ErrBadFormat)
			}
			spec.precision, _ = strconv.Atoi(format[i+1 : j])
			i = j
		}
		if i >= len(format) {
			return nil, fmt.Errorf("format %q ends inside a specifier: %w", format, ErrBadFormat)
		}
		if spec.width > maxFormatWidth || spec.precision > maxFormatWidth {
			return nil, fmt.Errorf("format %q: a width or precision over %d is not supported: %w", format, maxFormatWidth, ErrBadFormat)
		}
		spec.conv = format[i]
		i++
		switch spec.conv {
		case '%':
			dst = pad(dst, "%", spec)
			continue
		case 'n':
			dst = append(dst, '\n')
			continue
		}
		var k int
		switch {
		case spec.has('<'):
			k = last
		case index > 0:
			k = index - 1
		default:
			k = next
			next++
		}
		if k < 0 || k >= len(args) {
			return nil, fmt.Errorf("format %q: no argument for %%%c (MissingFormatArgumentException): %w", format, spec.conv, ErrBadFormat)
		}
		last = k
		var err error
		if dst, err = formatOne(dst, spec, args[k]); err != nil {
			return nil, fmt.Errorf("format %q: %w", format, err)
		}
	}
	return dst, nil
}

// pad appends s padded to the spec's width with spaces, on the left
// unless the '-' flag asks for the right.
func pad(dst []byte, s string, spec fmtSpec) []byte {
	n := spec.width - len([]rune(s))
	if n > 0 && !spec.has('-') {
		dst = append(dst, strings.Repeat(" ", n)...)
	}
	dst = append(dst, s...)
	if n > 0 && spec.has('-') {
		dst = append(dst, strings.Repeat(" ", n)...)
	}
	return dst
}

// javaString is the String.valueOf form of a value.
func javaString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case float64:
		return gvalues.FormatDouble(x)
	case float32:
		// Float.toString: the shortest digits of the float, not of the
		// double it widens to.
		f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(x), 'g', -1, 32), 64)
		return gvalues.FormatDouble(f)
	case time.Time:
		return gvalues.FormatValue(x)
	}
	return fmt.Sprint(v)
}

// integer returns v as an int64 with its bit width when it is integral.
func integer(v any) (int64, int, bool) {
	switch x := v.(type) {
	case int8:
		return int64(x), 8, true
	case int16:
		return int64(x), 16, true
	case int32:
		return int64(x), 32, true
	case int64:
		return x, 64, true
	}
	return 0, 0, false
}

// javaTypeName names the Java class of a value in error messages.
func javaTypeName(v any) string {
	switch v.(type) {
	case string:
		return "java.lang.String"
	case float64:
		return "java.lang.Double"
	case float32:
		return "java.lang.Float"
	case bool:
		return "java.lang.Boolean"
	case gvalues.Decimal:
		return "org.apache.spark.sql.types.Decimal"
	}
	if _, bits, ok := integer(v); ok {
		return map[int]string{8: "java.lang.Byte", 16: "java.lang.Short", 32: "java.lang.Integer", 64: "java.lang.Long"}[bits]
	}
	return fmt.Sprintf("%T", v)
}

// formatOne appends one converted argument.
func formatOne(dst []byte, spec fmtSpec, v any) ([]byte, error) {
	conv := spec.conv
	upper := conv >= 'A' && conv <= 'Z'
	if upper {
		conv += 'a' - 'A'
	}
	var s string
	switch conv {
	case 'b':
		b, isBool := v.(bool)
		s = strconv.FormatBool(v != nil && (!isBool || b))
	case 's':
		s = javaString(v)
	case 'c':
		if v == nil {
			s = "null"
			break
		}
		n, _, ok := integer(v)
		if !ok {
			return nil, badConversion(spec.conv, v)
		}
		s = string(rune(n))
	case 'd', 'x', 'o':
		if v == nil {
			s = "null"
			break
		}
		n, bits, ok := integer(v)
		if !ok {
			return nil, badConversion(spec.conv, v)
		}
		if conv == 'd' {
			return appendNumber(dst, strconv.FormatUint(absU(n), 10), n < 0, spec, true), nil
		}
		u := uint64(n)
		if bits < 64 {
			u &= 1<<bits - 1
		}
		base, prefix := 16, "0x"
		if conv == 'o' {
			base, prefix = 8, "0"
		}
		s = strconv.FormatUint(u, base)
		if spec.has('#') {
			s = prefix + s
		}
		if spec.has('0') && len(s) < spec.width {
			s = strings.Repeat("0", spec.width-len(s)) + s
		}
	case 'f', 'e', 'g':
		if v == nil {
			s = "null"
			break
		}
		var f float64
		switch x := v.(type) {
		case float64:
			f = x
		case float32:
			f = float64(x)
		default:
			return nil, badConversion(spec.conv, v)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			s = "NaN"
			if math.IsInf(f, 0) {
				s = "Infinity"
				if f < 0 {
					s = "-Infinity"
				}
			}
			break
		}
		p := spec.precision
		if p < 0 {
			p = 6
		}
		var body string
		switch conv {
		case 'f':
			body = fixedDigits(math.Abs(f), p)
		case 'e':
			body = sciDigits(math.Abs(f), p)
		default:
			body = generalDigits(math.Abs(f), p)
		}
		if upper {
			body = strings.ToUpper(body)
		}
		return appendNumber(dst, body, math.Signbit(f) && f != 0 || f < 0, spec, conv != 'e'), nil
	default:
		return nil, fmt.Errorf("unknown conversion %%%c (UnknownFormatConversionException): %w", spec.conv, ErrBadFormat)
	}
	if spec.precision >= 0 && (conv == 's' || conv == 'b') {
		if r := []rune(s); len(r) > spec.precision {
			s = string(r[:spec.precision])
		}
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return pad(dst, s, spec), nil
}

func badConversion(conv byte, v any) error {
	return fmt.Errorf("%c != %s (IllegalFormatConversionException): %w", conv, javaTypeName(v), ErrBadFormat)
}

func absU(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

// appendNumber appends the magnitude digits with the sign and the flags
// ',' (grouping of the integer part, when group), '+', ' ', '(' and '0'.
func appendNumber(dst []byte, digits string, neg bool, spec fmtSpec, group bool) []byte {
	if group && spec.has(',') {
		intPart, frac, hasFrac := strings.Cut(digits, ".")
		var g strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				g.WriteByte(',')
			}
			g.WriteRune(c)
		}
		digits = g.String()
		if hasFrac {
			digits += "." + frac
		}
	}
	var pre, post string
	switch {
	case neg && spec.has('('):
		pre, post = "(", ")"
	case neg:
		pre = "-"
	case spec.has('+'):
		pre = "+"
	case spec.has(' '):
		pre = " "
	}
	if spec.has('0') {
		if n := spec.width - len(pre) - len(digits) - len(post); n > 0 {
			digits = strings.Repeat("0", n) + digits
		}
	}
	return pad(dst, pre+digits+post, spec)
}

// shortestDigits returns the shortest decimal digits of f > 0 that read
// back as f (Java's Double.toString digits) and the exponent e with
// f = 0.d1d2... × 10^e.
func shortestDigits(f float64) (string, int) {
	if f == 0 {
		return "0", 1
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	return strings.Replace(mant, ".", "", 1), e + 1
}

// roundHalfUp keeps the first n digits of ds (n may be ≤ 0), rounding
// half up; it returns the kept digits and whether the rounding carried
// into a new leading digit.
func roundHalfUp(ds string, n int) (string, bool) {
	if n >= len(ds) {
		return ds + strings.Repeat("0", n-len(ds)), false
	}
	if n < 0 {
		return "", false
	}
	kept := []byte(ds[:n])
	if ds[n] >= '5' {
		i := n - 1
		for ; i >= 0; i-- {
			if kept[i] == '9' {
				kept[i] = '0'
				continue
			}
			kept[i]++
			break
		}
		if i < 0 {
			return "1" + string(kept), true
		}
	}
	return string(kept), false
}

// fixedDigits formats f ≥ 0 with p fractional digits, rounding its
// shortest decimal form half up as Java's Formatter does.
func fixedDigits(f float64, p int) string {
	ds, e := shortestDigits(f)
	if e < -p { // every kept digit is zero; the first digit may round up
		ds, e = strings.Repeat("0", -p-e)+ds, -p
	}
	kept, carry := roundHalfUp(ds, e+p)
	if carry {
		e++
	}
	intDigits := e
	if intDigits <= 0 {
		kept = strings.Repeat("0", -intDigits+1) + kept
		intDigits = 1
	}
	out := strings.TrimLeft(kept[:intDigits], "0")
	if out == "" {
		out = "0"
	}
	if p > 0 {
		out += "." + kept[intDigits:]
	}
	return out
}

// sciDigits formats f ≥ 0 as d.ddd e±XX with p fractional digits.
func sciDigits(f float64, p int) string {
	ds, e := shortestDigits(f)
	kept, carry := roundHalfUp(ds, p+1)
	if carry {
		e++
		kept = kept[:p+1]
	}
	exp := e - 1
	if f == 0 {
		exp = 0
	}
	out := kept[:1]
	if p > 0 {
		out += "." + kept[1:]
	}
	sign := '+'
	if exp < 0 {
		sign, exp = '-', -exp
	}
	return fmt.Sprintf("%se%c%02d", out, sign, exp)
}

// generalDigits is Java's %g: scientific when the rounded value is below
// 10^-4 or at least 10^p, fixed otherwise, with p significant digits.
func generalDigits(f float64, p int) string {
	if p == 0 {
		p = 1
	}
	ds, e := shortestDigits(f)
	_, carry := roundHalfUp(ds, p)
	if carry {
		e++
	}
	if f != 0 && (e-1 < -4 || e-1 >= p) {
		return sciDigits(f, p-1)
	}
	return fixedDigits(f, p-e)
}
