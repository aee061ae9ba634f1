package expr

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/transform"
)

// stringInput evaluates e and checks it yields strings (NULL type allowed).
func stringInput(mem memory.Allocator, e Expr, batch arrow.RecordBatch, what string) (arrow.Array, error) {
	a, err := EvalArg(mem, e, batch)
	if err != nil {
		return nil, err
	}
	if id := a.DataType().ID(); id != arrow.STRING && id != arrow.NULL {
		a.Release()
		return nil, fmt.Errorf("%s: input is %s, not string", what, sqlType(a.DataType()))
	}
	return a, nil
}

func checkString(e Expr, what string) error {
	if id := valueType(e.DataType()).ID(); id != arrow.STRING && id != arrow.NULL {
		return fmt.Errorf("%s: input %s is %s, not string", what, e, sqlType(e.DataType()))
	}
	return nil
}

type likeKind int

const (
	likeExact likeKind = iota
	likePrefix
	likeSuffix
	likeContains
	likeSegments
	likeRegexp
)

type likeExpr struct {
	e       Expr
	pattern string
	kind    likeKind
	lit     []byte
	re      *regexp.Regexp
	// likeSegments: prefix%seg1%…%segN%suffix, with only % wildcards.
	prefix, suffix []byte
	segs           [][]byte
}

// Like returns e LIKE pattern: % matches any sequence, _ one character, and
// a backslash escapes the next character.
func Like(e Expr, pattern string) (Expr, error) {
	l := &likeExpr{e: e, pattern: pattern}
	if err := checkString(e, l.String()); err != nil {
		return nil, err
	}
	// Split into literal runs and wildcards.
	var lit strings.Builder
	var parts []string // literal runs; "%" and "_" stand alone as wildcards
	var isWild []bool
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, lit.String())
			isWild = append(isWild, false)
			lit.Reset()
		}
	}
	for i := 0; i < len(pattern); i++ {
		ch := pattern[i]
		switch ch {
		case '\\':
			if i+1 >= len(pattern) {
				return nil, fmt.Errorf("%s: pattern ends with the escape character", l)
			}
			i++
			lit.WriteByte(pattern[i])
		case '%', '_':
			flush()
			parts = append(parts, string(ch))
			isWild = append(isWild, true)
		default:
			lit.WriteByte(ch)
		}
	}
	flush()
	onlyPct := func(from, to int) bool {
		for i := from; i < to; i++ {
			if !isWild[i] || parts[i] != "%" {
				return false
			}
		}
		return true
	}
	np := len(parts)
	switch {
	case np == 0:
		l.kind, l.lit = likeExact, nil
	case np == 1 && !isWild[0]:
		l.kind, l.lit = likeExact, []byte(parts[0])
	case np >= 2 && !isWild[0] && onlyPct(1, np):
		l.kind, l.lit = likePrefix, []byte(parts[0])
	case np >= 2 && !isWild[np-1] && onlyPct(0, np-1):
		l.kind, l.lit = likeSuffix, []byte(parts[np-1])
	case np >= 3 && !isWild[1] && onlyPct(0, 1) && onlyPct(2, np) && np == 3:
		l.kind, l.lit = likeContains, []byte(parts[1])
	case onlyPct(0, np):
		l.kind, l.lit = likePrefix, nil
	case !strings.Contains(strings.Join(wildParts(parts, isWild), ""), "_"):
		// Literal runs between % wildcards: found in order with bytes.Index.
		l.kind = likeSegments
		first, last := 0, np
		if !isWild[0] {
			l.prefix, first = []byte(parts[0]), 1
		}
		if !isWild[np-1] {
			l.suffix, last = []byte(parts[np-1]), np-1
		}
		for i := first; i < last; i++ {
			if !isWild[i] {
				l.segs = append(l.segs, []byte(parts[i]))
			}
		}
	default:
		var re strings.Builder
		re.WriteString(`^(?s:`)
		for i, p := range parts {
			switch {
			case isWild[i] && p == "%":
				re.WriteString(".*")
			case isWild[i]:
				re.WriteString(".")
			default:
				re.WriteString(regexp.QuoteMeta(p))
			}
		}
		re.WriteString(`)$`)
		r, err := regexp.Compile(re.String())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", l, err)
		}
		l.kind, l.re = likeRegexp, r
	}
	return l, nil
}

func (l *likeExpr) DataType() arrow.DataType { return arrow.FixedWidthTypes.Boolean }
func (l *likeExpr) String() string {
	return "(" + l.e.String() + " LIKE '" + strings.ReplaceAll(l.pattern, "'", "''") + "')"
}

func (l *likeExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := l.e.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	defer in.Release()
	return evalDictBool(mem, in, func(a arrow.Array) (arrow.Array, error) { return l.match(mem, a) })
}

// match evaluates LIKE over a plain string array.
func (l *likeExpr) match(mem memory.Allocator, a arrow.Array) (arrow.Array, error) {
	if id := a.DataType().ID(); id != arrow.STRING && id != arrow.NULL {
		return nil, fmt.Errorf("%s: input is %s, not string", l, sqlType(a.DataType()))
	}
	n := a.Len()
	if isAllNull(a) {
		return nullArray(mem, l.DataType(), n), nil
	}
	valid, nulls := andValidity(mem, n, a)
	out := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
	ob := out.Bytes()
	offs, data := strParts(a)
	for i := 0; i < n; i++ {
		s := data[offs[i]:offs[i+1]]
		var m bool
		switch l.kind {
		case likeExact:
			m = bytes.Equal(s, l.lit)
		case likePrefix:
			m = bytes.HasPrefix(s, l.lit)
		case likeSuffix:
			m = bytes.HasSuffix(s, l.lit)
		case likeContains:
			m = bytes.Contains(s, l.lit)
		case likeSegments:
			m = l.matchSegments(s)
		default:
			m = l.re.Match(s)
		}
		if m {
			bitutil.SetBit(ob, i)
		}
	}
	return makeArray(l.DataType(), n, nulls, valid, out), nil
}

// matchSegments matches prefix%seg1%…%segN%suffix: each segment at its
// first place after the previous one (the leftmost match leaves the most
// room for the rest, so it finds a match whenever one exists).
func (l *likeExpr) matchSegments(s []byte) bool {
	if len(s) < len(l.prefix)+len(l.suffix) || !bytes.HasPrefix(s, l.prefix) || !bytes.HasSuffix(s, l.suffix) {
		return false
	}
	rest := s[len(l.prefix) : len(s)-len(l.suffix)]
	for _, seg := range l.segs {
		i := bytes.Index(rest, seg)
		if i < 0 {
			return false
		}
		rest = rest[i+len(seg):]
	}
	return true
}

// wildParts returns the wildcard parts of a split pattern.
func wildParts(parts []string, isWild []bool) []string {
	var out []string
	for i, p := range parts {
		if isWild[i] {
			out = append(out, p)
		}
	}
	return out
}

// mapStrings builds a string array with one output per valid input row,
// produced by f appending to dst.
func mapStrings(mem memory.Allocator, a arrow.Array, f func(s, dst []byte) []byte) (arrow.Array, error) {
	n := a.Len()
	if isAllNull(a) {
		return nullArray(mem, arrow.BinaryTypes.String, n), nil
	}
	offs, data := strParts(a)
	valid, nulls := andValidity(mem, n, a)
	var vb []byte
	if valid != nil {
		vb = valid.Bytes()
	}
	ob := newBuf(mem, 4*(n+1))
	o := arrow.Int32Traits.CastFromBytes(ob.Bytes())
	out := make([]byte, 0, len(data))
	for i := 0; i < n; i++ {
		if bitValid(vb, 0, i) {
			out = f(data[offs[i]:offs[i+1]], out)
		}
		if len(out) > math.MaxInt32 {
			ob.Release()
			if valid != nil {
				valid.Release()
			}
			return nil, fmt.Errorf("string result exceeds 2 GiB")
		}
		o[i+1] = int32(len(out))
	}
	db := newBuf(mem, len(out))
	copy(db.Bytes(), out)
	return makeArray(arrow.BinaryTypes.String, n, nulls, valid, ob, db), nil
}

type caseMapExpr struct {
	e     Expr
	upper bool
}

// Upper returns e in upper case as Java's String.toUpperCase does: ASCII
// letters byte by byte, other text with Unicode full case mapping (ß → SS).
func Upper(e Expr) Expr { return &caseMapExpr{e: e, upper: true} }

// Lower returns e in lower case as Java's String.toLowerCase does: ASCII
// letters byte by byte, other text with Unicode full case mapping (final
// sigma becomes ς).
func Lower(e Expr) Expr { return &caseMapExpr{e: e} }

func (c *caseMapExpr) DataType() arrow.DataType { return arrow.BinaryTypes.String }
func (c *caseMapExpr) String() string {
	if c.upper {
		return "upper(" + c.e.String() + ")"
	}
	return "lower(" + c.e.String() + ")"
}

func (c *caseMapExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := stringInput(mem, c.e, batch, c.String())
	if err != nil {
		return nil, err
	}
	defer a.Release()
	var caser *cases.Caser // made on the first non-ASCII string; not safe to share across goroutines
	out, err := mapStrings(mem, a, func(s, dst []byte) []byte {
		if !isASCII(s) {
			if caser == nil {
				cs := cases.Lower(language.Und)
				if c.upper {
					cs = cases.Upper(language.Und)
				}
				caser = &cs
			}
			return appendTransformed(caser, dst, s)
		}
		if c.upper {
			for _, ch := range s {
				if 'a' <= ch && ch <= 'z' {
					ch -= 'a' - 'A'
				}
				dst = append(dst, ch)
			}
			return dst
		}
		for _, ch := range s {
			if 'A' <= ch && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			dst = append(dst, ch)
		}
		return dst
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c, err)
	}
	return out, nil
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s []byte) bool {
	for _, ch := range s {
		if ch >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// appendTransformed appends t applied to src to dst, growing dst as needed;
// text t cannot transform is appended unchanged.
func appendTransformed(t transform.Transformer, dst, src []byte) []byte {
	t.Reset()
	dst = slices.Grow(dst, len(src)+len(src)/2+4)
	for {
		nDst, nSrc, err := t.Transform(dst[len(dst):cap(dst)], src, true)
		dst = dst[:len(dst)+nDst]
		src = src[nSrc:]
		switch err {
		case nil:
			return dst
		case transform.ErrShortDst:
			dst = slices.Grow(dst, 2*len(src)+8)
		default:
			return append(dst, src...)
		}
	}
}

type substringExpr struct {
	e           Expr
	pos, length int64
}

// Substring returns Spark's substring(e, pos, length): pos is 1-based, 0
// acts as 1, a negative pos counts from the end; a negative length gives the
// empty string. Positions count Unicode code points.
func Substring(e Expr, pos, length int64) Expr {
	return &substringExpr{e: e, pos: pos, length: length}
}

func (s *substringExpr) DataType() arrow.DataType { return arrow.BinaryTypes.String }
func (s *substringExpr) String() string {
	return fmt.Sprintf("substring(%s, %d, %d)", s.e, s.pos, s.length)
}

func (s *substringExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := stringInput(mem, s.e, batch, s.String())
	if err != nil {
		return nil, err
	}
	defer a.Release()
	out, err := mapStrings(mem, a, func(v, dst []byte) []byte {
		return append(dst, substringSQL(v, s.pos, s.length)...)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s, err)
	}
	return out, nil
}

// substringSQL implements Spark's substring on UTF-8 bytes.
func substringSQL(v []byte, pos, length int64) []byte {
	if length <= 0 {
		return nil
	}
	ascii := true
	for _, c := range v {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	var n int64
	if ascii {
		n = int64(len(v))
	} else {
		n = int64(utf8.RuneCount(v))
	}
	var start int64
	switch {
	case pos > 0:
		start = pos - 1
	case pos < 0:
		start = n + pos
	}
	end := start + length
	if length > 0 && end < start { // saturate
		end = math.MaxInt64
	}
	start = max(start, 0)
	end = min(end, n)
	if start >= end {
		return nil
	}
	if ascii {
		return v[start:end]
	}
	// Map code point positions to byte offsets.
	var bs, be int
	idx := int64(0)
	for off := range string(v) {
		if idx == start {
			bs = off
		}
		if idx == end {
			be = off
			return v[bs:be]
		}
		idx++
	}
	return v[bs:]
}

type yearExpr struct{ e Expr }

// Year returns the year of a date or timestamp (UTC) as int32.
func Year(e Expr) (Expr, error) {
	switch valueType(e.DataType()).ID() {
	case arrow.DATE32, arrow.TIMESTAMP, arrow.NULL:
		return &yearExpr{e}, nil
	}
	return nil, fmt.Errorf("year(%s): input is %s, not date or timestamp", e, sqlType(e.DataType()))
}

func (y *yearExpr) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int32 }
func (y *yearExpr) String() string           { return "year(" + y.e.String() + ")" }

func (y *yearExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := EvalArg(mem, y.e, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	n := a.Len()
	if isAllNull(a) {
		return nullArray(mem, y.DataType(), n), nil
	}
	valid, nulls := andValidity(mem, n, a)
	out := newDataBuf(mem, 4*n)
	o := arrow.GetData[int32](out.Bytes())
	switch a.DataType().ID() {
	case arrow.DATE32:
		for i, d := range arrow.GetValues[int32](a.Data(), 1) {
			o[i] = int32(yearOfDays(int64(d)))
		}
	case arrow.TIMESTAMP:
		div := timestampUnitsPerDay(a.DataType().(*arrow.TimestampType).Unit)
		for i, t := range arrow.GetValues[int64](a.Data(), 1) {
			o[i] = int32(yearOfDays(floorDiv(t, div)))
		}
	default:
		out.Release()
		if valid != nil {
			valid.Release()
		}
		return nil, fmt.Errorf("%s: input is %s", y, sqlType(a.DataType()))
	}
	return makeArray(y.DataType(), n, nulls, valid, out), nil
}

func timestampUnitsPerDay(u arrow.TimeUnit) int64 {
	switch u {
	case arrow.Second:
		return 86400
	case arrow.Millisecond:
		return 86400_000
	case arrow.Nanosecond:
		return 86400_000_000_000
	}
	return 86400_000_000
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date.
func civil(days int64) (y, m, d int64) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func yearOfDays(days int64) int64 {
	y, _, _ := civil(days)
	return y
}
