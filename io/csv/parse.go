package csv

import (
	"bytes"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// parseInt parses an optionally signed decimal integer that fits in bits.
func parseInt(b []byte, bits int) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	neg := false
	switch b[0] {
	case '-':
		neg = true
		b = b[1:]
	case '+':
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	limit := uint64(1) << uint(bits-1) // magnitude limit of a negative value
	var u uint64
	for _, c := range b {
		d := c - '0'
		if d > 9 {
			return 0, false
		}
		if u > (limit-uint64(d))/10 {
			return 0, false
		}
		u = u*10 + uint64(d)
	}
	if neg {
		return -int64(u-1) - 1, true
	}
	if u > limit-1 {
		return 0, false
	}
	return int64(u), true
}

// parseFloat parses a decimal or scientific number, NaN or [+-]Infinity; hex
// floats and underscores are rejected.
func parseFloat(b []byte, bits int) (float64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	for _, c := range b {
		// Only digits, signs, '.', exponents and the letters of inf,
		// infinity and nan can parse: anything else is rejected here, so a
		// bad field costs no strconv error (PERMISSIVE reads it as null).
		if !floatByte[c] {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(string(b), bits)
	if err != nil {
		return 0, false
	}
	return f, true
}

// parseFloatValue parses a floating-point field: the configured NaN and
// infinity texts, then any number parseFloat takes.
func (c *config) parseFloatValue(b []byte, bits int) (float64, bool) {
	switch {
	case bytes.Equal(b, c.nan):
		return math.NaN(), true
	case bytes.Equal(b, c.posInf):
		return math.Inf(1), true
	case bytes.Equal(b, c.negInf):
		return math.Inf(-1), true
	}
	return parseFloat(b, bits)
}

func parseBool(b []byte) (v, ok bool) {
	switch len(b) {
	case 4:
		if (b[0]|0x20) == 't' && (b[1]|0x20) == 'r' && (b[2]|0x20) == 'u' && (b[3]|0x20) == 'e' {
			return true, true
		}
	case 5:
		if (b[0]|0x20) == 'f' && (b[1]|0x20) == 'a' && (b[2]|0x20) == 'l' && (b[3]|0x20) == 's' && (b[4]|0x20) == 'e' {
			return false, true
		}
	}
	return false, false
}

// digits parses exactly n ASCII digits at b[i:].
func digits(b []byte, i, n int) (int, bool) {
	if i+n > len(b) {
		return 0, false
	}
	v := 0
	for _, c := range b[i : i+n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian date.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseISODate parses yyyy-mm-dd at the start of b and returns the days since
// the epoch and the number of bytes used.
func parseISODate(b []byte) (int64, int, bool) {
	y, ok1 := digits(b, 0, 4)
	m, ok2 := digits(b, 5, 2)
	d, ok3 := digits(b, 8, 2)
	if !ok1 || !ok2 || !ok3 || b[4] != '-' || b[7] != '-' || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, false
	}
	return daysFromCivil(y, m, d), 10, true
}

// parseDate parses a date in the configured format into days since the epoch.
func (c *config) parseDate(b []byte) (int32, bool) {
	if c.defaultDate {
		days, n, ok := parseISODate(b)
		if !ok || n != len(b) {
			return 0, false
		}
		return int32(days), true
	}
	us, ok := c.datePat.Parse(b)
	if !ok {
		return 0, false
	}
	return int32(floorDiv(us, 86400e6)), true
}

// parseTimestamp parses a timestamp in the configured format into
// microseconds since the epoch (UTC when the text has no zone).
func (c *config) parseTimestamp(b []byte) (int64, bool) {
	if !c.defaultTS {
		return c.tsPat.Parse(b)
	}
	days, i, ok := parseISODate(b)
	if !ok {
		return 0, false
	}
	us := days * 86400e6
	if i == len(b) {
		return us, true
	}
	if b[i] != ' ' && b[i] != 'T' {
		return 0, false
	}
	i++
	hh, ok1 := digits(b, i, 2)
	mm, ok2 := digits(b, i+3, 2)
	if !ok1 || !ok2 || b[i+2] != ':' || hh > 23 || mm > 59 {
		return 0, false
	}
	i += 5
	ss := 0
	if i < len(b) && b[i] == ':' {
		var ok bool
		if ss, ok = digits(b, i+1, 2); !ok || ss > 59 {
			return 0, false
		}
		i += 3
		if i < len(b) && b[i] == '.' {
			i++
			frac, n := 0, 0
			for i < len(b) && b[i] >= '0' && b[i] <= '9' {
				if n < 6 {
					frac = frac*10 + int(b[i]-'0')
				}
				n++
				i++
			}
			if n == 0 || n > 9 {
				return 0, false
			}
			for k := n; k < 6; k++ {
				frac *= 10
			}
			us += int64(frac)
		}
	}
	us += int64(hh*3600+mm*60+ss) * 1e6
	if i == len(b) {
		return us, true
	}
	// Zone: Z or ±hh:mm (or ±hhmm).
	switch b[i] {
	case 'Z':
		if i+1 == len(b) {
			return us, true
		}
		return 0, false
	case '+', '-':
		sign := int64(1)
		if b[i] == '-' {
			sign = -1
		}
		zh, ok := digits(b, i+1, 2)
		if !ok || zh > 18 {
			return 0, false
		}
		j := i + 3
		if j < len(b) && b[j] == ':' {
			j++
		}
		zm, ok := digits(b, j, 2)
		if !ok || zm > 59 || j+2 != len(b) {
			return 0, false
		}
		return us - sign*int64(zh*3600+zm*60)*1e6, true
	}
	return 0, false
}

// timestampFromMicros converts microseconds to a timestamp of unit u.
func timestampFromMicros(us int64, u arrow.TimeUnit) arrow.Timestamp {
	switch u {
	case arrow.Second:
		return arrow.Timestamp(floorDiv(us, 1e6))
	case arrow.Millisecond:
		return arrow.Timestamp(floorDiv(us, 1e3))
	case arrow.Nanosecond:
		return arrow.Timestamp(us * 1e3)
	}
	return arrow.Timestamp(us)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

var pow10u64 = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// parseDecimal parses exact decimal text ([+-]digits[.digits]) as an
// unscaled value with the given precision and scale. Fractional digits beyond
// scale must be zeros; more than precision-scale integer digits fail.
func parseDecimal(b []byte, prec, scale int32) (decimal128.Num, bool) {
	if len(b) == 0 {
		return decimal128.Num{}, false
	}
	neg := false
	switch b[0] {
	case '-':
		neg = true
		b = b[1:]
	case '+':
		b = b[1:]
	}
	intPart, frac := b, b[:0]
	for i, c := range b {
		if c == '.' {
			intPart, frac = b[:i], b[i+1:]
			break
		}
	}
	if len(intPart)+len(frac) == 0 {
		return decimal128.Num{}, false
	}
	for len(intPart) > 0 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	if int32(len(frac)) > scale {
		for _, c := range frac[scale:] {
			if c != '0' {
				return decimal128.Num{}, false
			}
		}
		frac = frac[:scale]
	}
	if int32(len(intPart)) > prec-scale {
		return decimal128.Num{}, false
	}
	var n decimal128.Num
	var chunk uint64
	nd := 0
	push := func(c byte) bool {
		d := c - '0'
		if d > 9 {
			return false
		}
		chunk = chunk*10 + uint64(d)
		nd++
		if nd == 18 {
			n = n.Mul(decimal128.FromU64(pow10u64[18])).Add(decimal128.FromU64(chunk))
			chunk, nd = 0, 0
		}
		return true
	}
	for _, c := range intPart {
		if !push(c) {
			return decimal128.Num{}, false
		}
	}
	for _, c := range frac {
		if !push(c) {
			return decimal128.Num{}, false
		}
	}
	for k := int32(len(frac)); k < scale; k++ {
		push('0')
	}
	if nd > 0 {
		n = n.Mul(decimal128.FromU64(pow10u64[nd])).Add(decimal128.FromU64(chunk))
	}
	if neg {
		n = n.Negate()
	}
	return n, true
}

// floatByte marks the bytes strconv.ParseFloat may accept in a decimal
// number, infinity or NaN.
var floatByte = func() (t [256]bool) {
	for _, c := range []byte("0123456789+-.eEinftyINFTYaA") {
		t[c] = true
	}
	return t
}()
