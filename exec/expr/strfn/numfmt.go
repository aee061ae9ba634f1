package strfn

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	gvalues "github.com/gspark/gspark/values"
)

// ErrNumberFormat is wrapped by the errors of to_number and to_char for a
// malformed format or an input that does not match it.
var ErrNumberFormat = errors.New("invalid number format")

// Kinds of number format tokens.
const (
	nfDigits = iota // a group of digits and separators
	nfPoint
	nfDollar
	nfSign  // S: + or -
	nfMinus // MI: - or nothing
	nfOpen  // PR's <
	nfClose // PR's >
	nfOther // an unexpected character
)

// nfDigit is a run of 0/9 in a digit group; sep marks a thousands
// separator instead.
type nfDigit struct {
	n     int
	exact bool // a run before the point starting with 0
	sep   bool
}

// nfToken is one token of a number format.
type nfToken struct {
	kind  int
	group []nfDigit // nfDigits: the runs and separators, left to right
	char  rune      // nfOther
}

// NumberFormat is a parsed Spark number format ('999.99', '$99,999D00S',
// ...) as to_number and to_char read it.
type NumberFormat struct {
	text      string
	toks      []nfToken
	Precision int // digits of the format
	Scale     int // digits after the decimal point
}

// ParseNumberFormat parses and validates a number format: digits 0 and
// 9, a decimal point (. or D), thousands separators (, or G) between
// digits, an optional $, and a sign S or MI at the start or the end, or
// PR at the end.
func ParseNumberFormat(format string) (*NumberFormat, error) {
	f := &NumberFormat{text: format}
	bad := func(sub, what string) error {
		return fmt.Errorf("[INVALID_FORMAT.%s] The format is invalid: %s: %s: %w", sub, quote(format), what, ErrNumberFormat)
	}
	if format == "" {
		return nil, bad("EMPTY", "the format is empty")
	}
	rs := []rune(format)
	var toks []nfToken
	seenPoint, hasPR := false, false
	addDigit := func(d nfDigit) {
		if len(toks) == 0 || toks[len(toks)-1].kind != nfDigits {
			toks = append(toks, nfToken{kind: nfDigits})
		}
		t := &toks[len(toks)-1]
		t.group = append(t.group, d)
	}
	for i := 0; i < len(rs); {
		switch c := rs[i]; {
		case c == '0' || c == '9':
			j := i
			for j < len(rs) && (rs[j] == '0' || rs[j] == '9') {
				j++
			}
			addDigit(nfDigit{n: j - i, exact: c == '0' && !seenPoint})
			f.Precision += j - i
			if seenPoint {
				f.Scale += j - i
			}
			i = j
		case c == '.' || c == 'D':
			toks = append(toks, nfToken{kind: nfPoint})
			seenPoint = true
			i++
		case c == ',' || c == 'G':
			addDigit(nfDigit{sep: true})
			i++
		case c == '$':
			toks = append(toks, nfToken{kind: nfDollar})
			i++
		case c == 'S':
			toks = append(toks, nfToken{kind: nfSign})
			i++
		case c == 'M' && i+1 < len(rs) && rs[i+1] == 'I':
			toks = append(toks, nfToken{kind: nfMinus})
			i += 2
		case c == 'P' && i+1 < len(rs) && rs[i+1] == 'R':
			if hasPR {
				return nil, bad("WRONG_NUM_TOKEN", "PR occurs more than once")
			}
			hasPR = true
			toks = append([]nfToken{{kind: nfOpen}}, toks...)
			toks = append(toks, nfToken{kind: nfClose})
			i += 2
		default:
			toks = append(toks, nfToken{kind: nfOther, char: c})
			i++
		}
	}
	f.toks = toks
	// Validate: digits present, separators between digits and before the
	// point, no duplicates, and the order
	// [PR<] [MI|S] [$] digits [.] [digits] [$] [PR>|MI|S].
	count := map[int]int{}
	hasDigits := false
	pointAt := -1
	for i, t := range toks {
		count[t.kind]++
		if t.kind == nfPoint && pointAt < 0 {
			pointAt = i
		}
		if t.kind != nfDigits {
			continue
		}
		hasDigits = true
		g := t.group
		for j, d := range g {
			if !d.sep {
				continue
			}
			if pointAt >= 0 {
				return nil, bad("THOUSANDS_SEPS_MUST_BEFORE_DEC", "thousands separators must come before the decimal point")
			}
			if j == 0 || j == len(g)-1 || g[j-1].sep || g[j+1].sep {
				return nil, bad("CONT_THOUSANDS_SEPS", "a thousands separator needs digits on both sides")
			}
		}
	}
	if !hasDigits {
		return nil, bad("WRONG_NUM_DIGIT", "the format has no digits")
	}
	for _, k := range []int{nfPoint, nfSign, nfMinus, nfDollar} {
		if count[k] > 1 {
			return nil, bad("WRONG_NUM_TOKEN", "a token occurs more than once")
		}
	}
	order := [][]int{{nfOpen}, {nfMinus, nfSign}, {nfDollar}, {nfDigits}, {nfPoint}, {nfDigits}, {nfDollar}, {nfMinus, nfSign, nfClose}}
	k := 0
	for _, allowed := range order {
		if k < len(toks) && containsInt(allowed, toks[k].kind) {
			k++
		}
	}
	if k < len(toks) {
		what := "unexpected token"
		if toks[k].kind == nfOther {
			what = fmt.Sprintf("unexpected character '%c'", toks[k].char)
		}
		return nil, bad("UNEXPECTED_TOKEN", what)
	}
	return f, nil
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Parse reads s by the format and returns the decimal digits of its
// value scaled by 10^Scale (with a leading '-' when negative); ok is false
// when s does not match.
func (f *NumberFormat) Parse(s string) (string, bool) {
	in := []rune(s)
	var before, after strings.Builder
	pos := 0
	point, open, closed, neg := false, false, false, false
	peek := func() (rune, bool) {
		if pos < len(in) {
			return in[pos], true
		}
		return 0, false
	}
	for _, t := range f.toks {
		c, more := peek()
		switch t.kind {
		case nfDigits:
			// Digits, separators and white space; the group sizes are
			// compared from the right with the format's runs.
			var sizes []int
			cur := 0
			for pos < len(in) {
				r := in[pos]
				if unicode.IsSpace(r) {
					pos++
					continue
				}
				if r >= '0' && r <= '9' {
					cur++
					if point {
						after.WriteRune(r)
					} else {
						before.WriteRune(r)
					}
					pos++
					continue
				}
				if r == ',' {
					sizes = append(sizes, cur)
					cur = 0
					pos++
					continue
				}
				break
			}
			sizes = append(sizes, cur)
			var runs []nfDigit
			for _, d := range t.group {
				if !d.sep {
					runs = append(runs, d)
				}
			}
			if len(sizes) > len(runs) {
				return "", false
			}
			for i := range runs {
				want := runs[len(runs)-1-i]
				got := 0
				if i < len(sizes) {
					got = sizes[len(sizes)-1-i]
				}
				if want.exact && got != want.n || got > want.n {
					return "", false
				}
			}
		case nfPoint:
			if more && c == '.' {
				point = true
				pos++
			}
		case nfDollar:
			if more {
				if c != '$' {
					return "", false
				}
				pos++
			}
		case nfSign:
			if more && (c == '+' || c == '-') {
				neg = neg != (c == '-')
				pos++
			}
		case nfMinus:
			if more && c == '-' {
				neg = !neg
				pos++
			}
		case nfOpen:
			if more && c == '<' {
				open = true
				pos++
			}
		case nfClose:
			if more && c == '>' {
				if !open {
					return "", false
				}
				closed = true
				neg = !neg
				pos++
			}
		}
	}
	if pos < len(in) || open != closed || before.Len() == 0 && after.Len() == 0 {
		return "", false
	}
	frac := after.String()
	if len(frac) > f.Scale {
		return "", false
	}
	digits := strings.TrimLeft(before.String()+frac+strings.Repeat("0", f.Scale-len(frac)), "0")
	if digits == "" {
		digits = "0"
	}
	if neg && digits != "0" {
		digits = "-" + digits
	}
	return digits, true
}

// Format renders the plain decimal text v ("-12454.8") by the format, as
// Spark's to_char does: digits that do not fit become '#'; the sign shows
// only through S, MI or PR.
func (f *NumberFormat) Format(v string) string {
	neg := strings.HasPrefix(v, "-")
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(v, "-"), ".")
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	if neg && intPart == "" && frac == "" {
		neg = false
	}
	nb, na := 0, 0
	point := false
	for _, t := range f.toks {
		switch t.kind {
		case nfPoint:
			point = true
		case nfDigits:
			for _, d := range t.group {
				if point {
					na += d.n
				} else {
					nb += d.n
				}
			}
		}
	}
	if len(intPart) > nb || len(frac) > na {
		intPart, frac = strings.Repeat("#", nb), strings.Repeat("#", na)
	}
	intPart = strings.Repeat(" ", nb-len(intPart)) + intPart
	frac += strings.Repeat("0", na-len(frac))
	out := []byte{}
	// appendBubble appends c and moves it left past spaces.
	appendBubble := func(c byte) {
		out = append(out, c)
		for i := len(out) - 1; i >= 1 && out[i-1] == ' ' && out[i] == c; i-- {
			out[i], out[i-1] = ' ', c
		}
	}
	// appendSpace appends a space and moves it left past signs and '<'.
	appendSpace := func() {
		out = append(out, ' ')
		for i := len(out) - 1; i >= 1 && (out[i-1] == '+' || out[i-1] == '-' || out[i-1] == '<') && out[i] == ' '; i-- {
			out[i], out[i-1] = out[i-1], ' '
		}
	}
	stripLonePoint := func() {
		if i := strings.IndexByte(string(out), '.'); i >= 0 && (i == len(out)-1 || out[i+1] == ' ') {
			out[i] = ' '
		}
	}
	bi, ai := 0, 0
	point = false
	for _, t := range f.toks {
		switch t.kind {
		case nfDigits:
			for _, d := range t.group {
				switch {
				case d.sep:
					if len(out) > 0 && out[len(out)-1] >= '0' && out[len(out)-1] <= '9' {
						out = append(out, ',')
					} else {
						appendSpace()
					}
				case point:
					out = append(out, frac[ai:ai+d.n]...)
					ai += d.n
				default:
					for k := 0; k < d.n; k++ {
						switch c := intPart[bi]; {
						case c == ' ' && d.exact:
							out = append(out, '0')
						case c == ' ':
							appendSpace()
						default:
							out = append(out, c)
						}
						bi++
					}
				}
			}
		case nfPoint:
			if len(out) > 0 && out[len(out)-1] == ' ' {
				out[len(out)-1] = '0'
			}
			out = append(out, '.')
			point = true
		case nfDollar:
			out = append(out, '$')
		case nfSign:
			stripLonePoint()
			if neg {
				appendBubble('-')
			} else {
				appendBubble('+')
			}
		case nfMinus:
			if neg {
				stripLonePoint()
				appendBubble('-')
			} else {
				out = append(out, ' ')
			}
		case nfOpen:
			if neg {
				out = append(out, '<')
			}
		case nfClose:
			stripLonePoint()
			if neg {
				appendBubble('>')
			} else {
				out = append(out, ' ', ' ')
			}
		}
	}
	stripLonePoint()
	if s := string(out); s != "" && s != "+" && s != "-" {
		return s
	}
	return "0"
}

// numFormatExpr is to_number, try_to_number or to_char with a constant
// format.
type numFormatExpr struct {
	name string
	e    expr.Expr
	f    *NumberFormat
	typ  arrow.DataType
}

// ToNumber returns to_number(e, format) (or try_to_number when try is
// set, which gives NULL instead of an error for a mismatch): the decimal
// e spells by format, of type DECIMAL(Precision, Scale) as typ gives.
func ToNumber(e expr.Expr, f *NumberFormat, try bool, typ arrow.DataType) (expr.Expr, error) {
	name := "to_number"
	if try {
		name = "try_to_number"
	}
	return &numFormatExpr{name: name, e: e, f: f, typ: typ}, nil
}

// ToChar returns to_char(e, format) of a number e.
func ToChar(e expr.Expr, f *NumberFormat) (expr.Expr, error) {
	return &numFormatExpr{name: "to_char", e: e, f: f, typ: stringType}, nil
}

func (n *numFormatExpr) DataType() arrow.DataType { return n.typ }
func (n *numFormatExpr) String() string {
	return n.name + "(" + n.e.String() + ", " + quote(n.f.text) + ")"
}

func (n *numFormatExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := n.e.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	b := array.NewBuilder(mem, n.typ)
	defer b.Release()
	for i := 0; i < a.Len(); i++ {
		v := gvalues.Value(a, i)
		if v == nil {
			b.AppendNull()
			continue
		}
		if n.name == "to_char" {
			b.(*array.StringBuilder).Append(n.f.Format(plainDecimal(v)))
			continue
		}
		s, _ := v.(string)
		digits, ok := n.f.Parse(s)
		if !ok {
			if n.name == "try_to_number" {
				b.AppendNull()
				continue
			}
			return nil, fmt.Errorf("%s: [INVALID_FORMAT.MISMATCH_INPUT] The input STRING %s does not match the format %s: %w", n, quote(s), quote(n.f.text), ErrNumberFormat)
		}
		u, _ := new(big.Int).SetString(digits, 10)
		switch bb := b.(type) {
		case *array.Decimal64Builder:
			bb.Append(decimal.Decimal64(u.Int64()))
		case *array.Decimal128Builder:
			bb.Append(decimal128.FromBigInt(u))
		default:
			return nil, fmt.Errorf("%s: result type %s is not a decimal", n, n.typ)
		}
	}
	return b.NewArray(), nil
}

// plainDecimal renders a number as plain decimal text; a double is first
// rounded half up to 15 places, as Spark's cast to DECIMAL(30,15).
func plainDecimal(v any) string {
	switch x := v.(type) {
	case float64:
		return floatPlain(x)
	case float32:
		return floatPlain(float64(x))
	case gvalues.Decimal:
		return x.String()
	}
	if n, _, ok := integer(v); ok {
		return strconv.FormatInt(n, 10)
	}
	return fmt.Sprint(v)
}

func floatPlain(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	s := fixedDigits(math.Abs(f), 15)
	if f < 0 {
		s = "-" + s
	}
	return s
}
