package datefn

import (
	"bytes"
	"fmt"
	"strings"
)

type tokKind uint8

const (
	tLit tokKind = iota
	tYear
	tMonth
	tMonthText
	tDay
	tDayOfYear
	tHour24
	tHour12
	tMinute
	tSecond
	tFrac
	tAmPm
	tDow
)

type token struct {
	kind     tokKind
	lit      string
	litB     []byte
	count    int
	min, max int // digits a numeric field parses
	reserve  int // digits left for the fixed-width numeric fields right after
}

func (t token) numeric() bool {
	switch t.kind {
	case tYear, tMonth, tDay, tDayOfYear, tHour24, tHour12, tMinute, tSecond, tFrac:
		return true
	}
	return false
}

// Pattern is a compiled Spark datetime pattern (a subset of Java's
// DateTimeFormatter letters): y, M/L (numeric, MMM short and MMMM full
// English names), d, D, H, h, m, s, S (fraction, up to 9), a (AM/PM), E (day
// names, EEEE full) and quoted or non-letter literals. Parsing is
// case-insensitive and must consume the whole text; missing fields default to
// 1970-01-01 00:00:00.
type Pattern struct {
	text string
	toks []token
}

// String returns the pattern text.
func (p *Pattern) String() string { return p.text }

var (
	monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	dayNames   = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

	monthNameBytes = toBytes(monthNames[:])
	dayNameBytes   = toBytes(dayNames[:])
)

func toBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// CompilePattern translates a Spark datetime pattern once into a parser and
// formatter; unsupported letters are an error naming them.
func CompilePattern(pattern string) (*Pattern, error) {
	p := &Pattern{text: pattern}
	lit := func(s string) {
		if n := len(p.toks); n > 0 && p.toks[n-1].kind == tLit {
			p.toks[n-1].lit += s
			return
		}
		p.toks = append(p.toks, token{kind: tLit, lit: s})
	}
	bad := func(format string, args ...any) (*Pattern, error) {
		return nil, fmt.Errorf("datetime pattern '%s': %s", pattern, fmt.Sprintf(format, args...))
	}
	for i := 0; i < len(pattern); {
		c := pattern[i]
		if c == '\'' {
			if i+1 < len(pattern) && pattern[i+1] == '\'' {
				lit("'")
				i += 2
				continue
			}
			var sb strings.Builder
			j := i + 1
			for ; j < len(pattern); j++ {
				if pattern[j] == '\'' {
					if j+1 < len(pattern) && pattern[j+1] == '\'' {
						sb.WriteByte('\'')
						j++
						continue
					}
					break
				}
				sb.WriteByte(pattern[j])
			}
			if j >= len(pattern) {
				return bad("unclosed quote")
			}
			if sb.Len() > 0 {
				lit(sb.String())
			}
			i = j + 1
			continue
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			lit(string(c))
			i++
			continue
		}
		n := 1
		for i+n < len(pattern) && pattern[i+n] == c {
			n++
		}
		i += n
		t := token{count: n, min: n, max: n}
		upTo := func(limit int) bool { return n <= limit }
		ok := true
		switch c {
		case 'y':
			t.kind = tYear
			switch n {
			case 1:
				t.min, t.max = 1, 9
			case 2:
			default:
				t.max = max(n, 9)
			}
		case 'M', 'L':
			t.kind = tMonth
			switch n {
			case 1:
				t.max = 2
			case 3, 4:
				t.kind = tMonthText
			}
			ok = upTo(4)
		case 'd', 'H', 'h', 'm', 's':
			t.kind = map[byte]tokKind{'d': tDay, 'H': tHour24, 'h': tHour12, 'm': tMinute, 's': tSecond}[c]
			if n == 1 {
				t.max = 2
			}
			ok = upTo(2)
		case 'D':
			t.kind = tDayOfYear
			t.max = 3
			ok = upTo(3)
		case 'S':
			t.kind = tFrac
			t.min = 1
			ok = upTo(9)
		case 'a':
			t.kind = tAmPm
			ok = upTo(1)
		case 'E':
			t.kind = tDow
			ok = upTo(4)
		default:
			return bad("unsupported pattern letter '%c'", c)
		}
		if !ok {
			return bad("too many pattern letters '%c'", c)
		}
		p.toks = append(p.toks, t)
	}
	for i := range p.toks {
		p.toks[i].litB = []byte(p.toks[i].lit)
		if !p.toks[i].numeric() || p.toks[i].min == p.toks[i].max {
			continue
		}
		for j := i + 1; j < len(p.toks) && p.toks[j].numeric(); j++ {
			p.toks[i].reserve += p.toks[j].min
		}
	}
	return p, nil
}

// maxDays bounds dates whose midnight fits int64 microseconds.
const maxDays = (1<<63 - 1) / usPerDay

// Parse parses s into microseconds since the epoch (UTC); ok is false when s
// does not match the pattern or names no valid date and time.
func (p *Pattern) Parse(s []byte) (us int64, ok bool) {
	year, month, day, doy := int64(1970), int64(1), int64(1), int64(-1)
	hour, hour12, minute, sec, nanos := int64(0), int64(-1), int64(0), int64(0), int64(0)
	ampm, dow := -1, -1
	pos := 0
	for _, t := range p.toks {
		switch t.kind {
		case tLit:
			if len(s)-pos < len(t.litB) || !bytes.EqualFold(s[pos:pos+len(t.litB)], t.litB) {
				return 0, false
			}
			pos += len(t.lit)
			continue
		case tMonthText:
			k, n := matchName(s[pos:], monthNameBytes[:], t.count == 3)
			if k < 0 {
				return 0, false
			}
			month, pos = int64(k+1), pos+n
			continue
		case tDow:
			k, n := matchName(s[pos:], dayNameBytes[:], t.count < 4)
			if k < 0 {
				return 0, false
			}
			dow, pos = k+1, pos+n
			continue
		case tAmPm:
			if len(s)-pos < 2 {
				return 0, false
			}
			switch c0, c1 := s[pos]|0x20, s[pos+1]|0x20; {
			case c0 == 'a' && c1 == 'm':
				ampm = 0
			case c0 == 'p' && c1 == 'm':
				ampm = 1
			default:
				return 0, false
			}
			pos += 2
			continue
		}
		avail := 0
		for pos+avail < len(s) && s[pos+avail] >= '0' && s[pos+avail] <= '9' {
			avail++
		}
		n := min(t.max, avail-t.reserve)
		if n < t.min {
			return 0, false
		}
		var v int64
		for _, c := range s[pos : pos+n] {
			v = v*10 + int64(c-'0')
		}
		pos += n
		switch t.kind {
		case tYear:
			if t.count == 2 {
				v += 2000
			}
			year = v
		case tMonth:
			month = v
		case tDay:
			day = v
		case tDayOfYear:
			doy = v
		case tHour24:
			hour = v
		case tHour12:
			hour12 = v
		case tMinute:
			minute = v
		case tSecond:
			sec = v
		case tFrac:
			for k := n; k < 9; k++ {
				v *= 10
			}
			nanos = v
		}
	}
	if pos != len(s) {
		return 0, false
	}
	var days int64
	if doy >= 0 {
		leap := int64(0)
		if isLeap(year) {
			leap = 1
		}
		if doy < 1 || doy > 365+leap {
			return 0, false
		}
		days = daysFromCivil(year, 1, 1) + doy - 1
	} else {
		if month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) {
			return 0, false
		}
		days = daysFromCivil(year, month, day)
	}
	if hour12 >= 0 {
		if hour12 < 1 || hour12 > 12 {
			return 0, false
		}
		hour = hour12 % 12
		if ampm == 1 {
			hour += 12
		}
	} else if ampm >= 0 && (hour >= 12) != (ampm == 1) {
		return 0, false
	}
	if hour > 23 || minute > 59 || sec > 59 || days >= maxDays || days <= -maxDays {
		return 0, false
	}
	if dow > 0 && int64(dow) != dayOfWeek(days) {
		return 0, false
	}
	return days*usPerDay + (hour*3600+minute*60+sec)*usPerSec + nanos/1000, true
}

// matchName matches the start of s against names (or their first three
// letters when short), case-insensitively, returning the index and length.
func matchName(s []byte, names [][]byte, short bool) (int, int) {
	for k, name := range names {
		if short {
			name = name[:3]
		}
		if len(s) >= len(name) && bytes.EqualFold(s[:len(name)], name) {
			return k, len(name)
		}
	}
	return -1, 0
}

// AppendFormat appends the timestamp us (microseconds, UTC) formatted with
// the pattern to dst.
func (p *Pattern) AppendFormat(dst []byte, us int64) []byte {
	days := floorDiv(us, usPerDay)
	rem := us - days*usPerDay
	y, m, d := civil(days)
	hour := rem / (3600 * usPerSec)
	for _, t := range p.toks {
		switch t.kind {
		case tLit:
			dst = append(dst, t.lit...)
		case tYear:
			if t.count == 2 {
				dst = appendPadded(dst, floorMod(y, 100), 2)
				break
			}
			if t.count >= 4 && y > 9999 {
				dst = append(dst, '+')
			}
			dst = appendPadded(dst, y, t.count)
		case tMonth:
			dst = appendPadded(dst, m, t.count)
		case tMonthText:
			name := monthNames[m-1]
			if t.count == 3 {
				name = name[:3]
			}
			dst = append(dst, name...)
		case tDay:
			dst = appendPadded(dst, d, t.count)
		case tDayOfYear:
			dst = appendPadded(dst, days-daysFromCivil(y, 1, 1)+1, t.count)
		case tHour24:
			dst = appendPadded(dst, hour, t.count)
		case tHour12:
			h := hour % 12
			if h == 0 {
				h = 12
			}
			dst = appendPadded(dst, h, t.count)
		case tMinute:
			dst = appendPadded(dst, rem/(60*usPerSec)%60, t.count)
		case tSecond:
			dst = appendPadded(dst, rem/usPerSec%60, t.count)
		case tFrac:
			var digits [9]byte
			f := rem % usPerSec * 1000
			for k := 8; k >= 0; k-- {
				digits[k] = byte('0' + f%10)
				f /= 10
			}
			dst = append(dst, digits[:t.count]...)
		case tAmPm:
			if hour < 12 {
				dst = append(dst, "AM"...)
			} else {
				dst = append(dst, "PM"...)
			}
		case tDow:
			name := dayNames[dayOfWeek(days)-1]
			if t.count < 4 {
				name = name[:3]
			}
			dst = append(dst, name...)
		}
	}
	return dst
}
