package strfn

import (
	"fmt"
	"strings"

	"github.com/gspark/gspark/exec/expr"
)

// decimalPattern is the subset of a java.text.DecimalFormat pattern that
// format_number reads: literal prefix and suffix text around a number of
// '#', '0', ',' and '.'.
type decimalPattern struct {
	text           string
	prefix, suffix string
	minInt         int // '0's before the point
	minFrac        int // '0's after the point
	maxFrac        int // '0's and '#'s after the point
	group          int // digits after the last ',' of the integer part; 0 for none
}

// defaultDecimalPattern is the pattern of format_number with an empty
// pattern string, as Spark's.
const defaultDecimalPattern = "#,###,###,###,###,###,##0"

// parseDecimalPattern parses a DecimalFormat pattern; percent, per-mille,
// exponent, quoted text and negative subpatterns are not supported.
func parseDecimalPattern(p string) (*decimalPattern, error) {
	text := p
	if p == "" {
		p = defaultDecimalPattern
	}
	d := &decimalPattern{text: text}
	if i := strings.IndexAny(p, "%‰\u00a4E;'"); i >= 0 {
		return nil, fmt.Errorf("format_number: the pattern %s uses %q, which is not supported: %w", quote(p), p[i:i+1], expr.ErrInvalidCast)
	}
	start := strings.IndexAny(p, "#0,.")
	if start < 0 {
		return nil, fmt.Errorf("format_number: the pattern %s has no digits: %w", quote(p), expr.ErrInvalidCast)
	}
	end := start
	for end < len(p) && strings.IndexByte("#0,.", p[end]) >= 0 {
		end++
	}
	d.prefix, d.suffix = p[:start], p[end:]
	num := p[start:end]
	intPart, frac, hasPoint := strings.Cut(num, ".")
	if hasPoint && strings.ContainsAny(frac, ".,") {
		return nil, fmt.Errorf("format_number: malformed pattern %s: %w", quote(p), expr.ErrInvalidCast)
	}
	d.minInt = strings.Count(intPart, "0")
	d.minFrac = strings.Count(frac, "0")
	d.maxFrac = len(frac)
	if i := strings.LastIndexByte(intPart, ','); i >= 0 {
		d.group = len(intPart) - i - 1
	}
	return d, nil
}

// apply rewrites the number formatted at out[start:] (grouped by three,
// with maxFrac decimals) by the pattern.
func (d *decimalPattern) apply(out []byte, start int) []byte {
	s := string(out[start:])
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.ReplaceAll(intPart, ",", "")
	for len(frac) > d.minFrac && strings.HasSuffix(frac, "0") {
		frac = frac[:len(frac)-1]
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) < d.minInt {
		intPart = strings.Repeat("0", d.minInt-len(intPart)) + intPart
	}
	if intPart == "" && frac == "" {
		intPart = "0"
	}
	if d.group > 0 && len(intPart) > d.group {
		var g strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%d.group == 0 {
				g.WriteByte(',')
			}
			g.WriteRune(c)
		}
		intPart = g.String()
	}
	out = out[:start]
	if neg {
		out = append(out, '-')
	}
	out = append(out, d.prefix...)
	out = append(out, intPart...)
	if frac != "" {
		out = append(out, '.')
		out = append(out, frac...)
	}
	return append(out, d.suffix...)
}

// FormatNumberPattern returns format_number(x, pattern): x rounded
// half-even and written by a java.text.DecimalFormat pattern such as
// '#,##0.00' or '##########.###' (an empty pattern groups the integer
// digits by three).
func FormatNumberPattern(x expr.Expr, pattern string) (expr.Expr, error) {
	d, err := parseDecimalPattern(pattern)
	if err != nil {
		return nil, err
	}
	places, err := IntConst(int32(d.maxFrac))
	if err != nil {
		return nil, err
	}
	e, err := FormatNumber(x, places)
	if err != nil {
		return nil, err
	}
	e.(*formatNumberExpr).pat = d
	return e, nil
}
