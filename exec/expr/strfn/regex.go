package strfn

import (
	"fmt"
	"regexp"

	"github.com/gspark/gspark/exec/expr"
)

// The regexp functions compile their pattern once with Go's RE2 engine,
// which differs from Java's java.util.regex that Spark uses: RE2 has no
// backreferences, lookahead/lookbehind, possessive quantifiers or atomic
// groups (such patterns are rejected with an error), no character class
// intersection ([a-z&&[^x]] is read literally), `$` matches only at the very
// end of the text (Java also before a final line terminator), `.` excludes
// only \n (Java also \r, \u0085, \u2028, \u2029), and \s has no \v.

// CompilePattern compiles a Spark (Java) regular expression with RE2,
// naming fn and explaining the dialect difference when it is rejected. The
// error wraps expr.ErrInvalidCast.
func CompilePattern(fn, pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("%s: the regular expression %s is invalid or uses Java syntax RE2 does not support (backreferences, lookaround, possessive quantifiers, atomic groups): %v: %w",
			fn, quote(pattern), err, expr.ErrInvalidCast)
	}
	return re, nil
}

// repPiece is a piece of a replacement: literal text, or a group (≥ 0).
type repPiece struct {
	lit   []byte
	group int
}

// parseReplacement parses a Java replacement string: $n and ${name} refer
// to groups (a multi-digit number is read as long as the group exists), a
// backslash takes the next character literally.
func parseReplacement(rep string, re *regexp.Regexp) ([]repPiece, error) {
	var pieces []repPiece
	var lit []byte
	flush := func() {
		if len(lit) > 0 {
			pieces = append(pieces, repPiece{lit: lit, group: -1})
			lit = nil
		}
	}
	groups := re.NumSubexp()
	for i := 0; i < len(rep); i++ {
		switch ch := rep[i]; ch {
		case '\\':
			i++
			if i >= len(rep) {
				return nil, fmt.Errorf("replacement %s: character to be escaped is missing", quote(rep))
			}
			lit = append(lit, rep[i])
		case '$':
			i++
			if i >= len(rep) {
				return nil, fmt.Errorf("replacement %s: group index is missing", quote(rep))
			}
			if rep[i] == '{' {
				end := i + 1
				for end < len(rep) && rep[end] != '}' {
					end++
				}
				if end >= len(rep) {
					return nil, fmt.Errorf("replacement %s: named group is missing its closing }", quote(rep))
				}
				name := rep[i+1 : end]
				g := re.SubexpIndex(name)
				if g < 0 {
					return nil, fmt.Errorf("replacement %s: no group with name {%s}", quote(rep), name)
				}
				flush()
				pieces = append(pieces, repPiece{group: g})
				i = end
				continue
			}
			if rep[i] < '0' || rep[i] > '9' {
				return nil, fmt.Errorf("replacement %s: illegal group reference", quote(rep))
			}
			g := int(rep[i] - '0')
			if g > groups {
				return nil, fmt.Errorf("replacement %s: no group %d", quote(rep), g)
			}
			for i+1 < len(rep) && rep[i+1] >= '0' && rep[i+1] <= '9' {
				ng := g*10 + int(rep[i+1]-'0')
				if ng > groups {
					break
				}
				g = ng
				i++
			}
			flush()
			pieces = append(pieces, repPiece{group: g})
		default:
			lit = append(lit, ch)
		}
	}
	flush()
	return pieces, nil
}

// RegexpReplace returns regexp_replace(str, pattern, rep, pos): every match
// of pattern in str, searched from character pos (1-based), replaced by rep
// (Java replacement syntax: $n, ${name}, \ escapes). Unlike Java, an empty
// match right after a previous match is skipped (RE2's rule).
func RegexpReplace(str expr.Expr, pattern, rep string, pos int) (expr.Expr, error) {
	label := fmt.Sprintf("regexp_replace(%s, %s, %s, %d)", str, quote(pattern), quote(rep), pos)
	if pos < 1 {
		return nil, fmt.Errorf("%s: the position must be positive, got %d: %w", label, pos, expr.ErrInvalidCast)
	}
	re, err := CompilePattern("regexp_replace", pattern)
	if err != nil {
		return nil, err
	}
	pieces, err := parseReplacement(rep, re)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", label, err, expr.ErrInvalidCast)
	}
	return newKernel(&kernel{name: "regexp_replace", label: label, args: []expr.Expr{str}, want: strs(1), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s := c[0].str(i)
			start := 0
			if pos > 1 {
				if pos-1 >= runeCount(s) {
					return append(dst, s...)
				}
				start = len(prefixChars(s, pos-1))
			}
			dst = append(dst, s[:start]...)
			rest := s[start:]
			last := 0
			for _, m := range re.FindAllSubmatchIndex(rest, -1) {
				dst = append(dst, rest[last:m[0]]...)
				for _, p := range pieces {
					if p.group < 0 {
						dst = append(dst, p.lit...)
					} else if m[2*p.group] >= 0 {
						dst = append(dst, rest[m[2*p.group]:m[2*p.group+1]]...)
					}
				}
				if len(dst) > maxLen {
					return nil
				}
				last = m[1]
			}
			return append(dst, rest[last:]...)
		}})
}

// RegexpExtract returns regexp_extract(str, pattern, idx): group idx (0 for
// the whole match) of the first match of pattern in str; empty when nothing
// matches or the group did not take part. An idx beyond the pattern's
// groups is an error when the function is built.
func RegexpExtract(str expr.Expr, pattern string, idx int) (expr.Expr, error) {
	label := fmt.Sprintf("regexp_extract(%s, %s, %d)", str, quote(pattern), idx)
	re, err := CompilePattern("regexp_extract", pattern)
	if err != nil {
		return nil, err
	}
	if idx < 0 || idx > re.NumSubexp() {
		return nil, fmt.Errorf("%s: the regular expression has %d group(s), group index %d is out of range: %w",
			label, re.NumSubexp(), idx, expr.ErrInvalidCast)
	}
	return newKernel(&kernel{name: "regexp_extract", label: label, args: []expr.Expr{str}, want: strs(1), typ: stringType,
		str: func(c []col, i int, dst []byte) []byte {
			s := c[0].str(i)
			m := re.FindSubmatchIndex(s)
			if m == nil || m[2*idx] < 0 {
				return dst
			}
			return append(dst, s[m[2*idx]:m[2*idx+1]]...)
		}})
}

// RLike returns str RLIKE pattern: whether pattern matches anywhere in str.
func RLike(str expr.Expr, pattern string) (expr.Expr, error) {
	re, err := CompilePattern("rlike", pattern)
	if err != nil {
		return nil, err
	}
	return newKernel(&kernel{name: "rlike", label: fmt.Sprintf("rlike(%s, %s)", str, quote(pattern)), args: []expr.Expr{str}, want: strs(1), typ: boolType,
		bool: func(c []col, i int) bool { return re.Match(c[0].str(i)) }})
}
