package strfn

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
)

// likeTok is one element of a parsed LIKE pattern.
type likeTok struct {
	r    rune
	kind byte // 0 the character r, 1 any one character (_), 2 any run (%)
}

// parseLike parses a LIKE pattern with escape character esc, which makes
// the following _, % or esc literal; escaping any other character, or an
// escape at the end, is an error as in Spark.
func parseLike(p []byte, esc rune) ([]likeTok, error) {
	var toks []likeTok
	for len(p) > 0 {
		r, size := utf8.DecodeRune(p)
		p = p[size:]
		switch {
		case r == esc:
			if len(p) == 0 {
				return nil, fmt.Errorf("[INVALID_FORMAT.ESC_AT_THE_END] The format is invalid: the escape character is not allowed to end the pattern: %w", expr.ErrInvalidCast)
			}
			n, size := utf8.DecodeRune(p)
			p = p[size:]
			if n != '_' && n != '%' && n != esc {
				return nil, fmt.Errorf("[INVALID_FORMAT.ESC_IN_THE_MIDDLE] The format is invalid: the escape character is not allowed to precede %q: %w", n, expr.ErrInvalidCast)
			}
			toks = append(toks, likeTok{r: n})
		case r == '_':
			toks = append(toks, likeTok{kind: 1})
		case r == '%':
			if len(toks) == 0 || toks[len(toks)-1].kind != 2 {
				toks = append(toks, likeTok{kind: 2})
			}
		default:
			toks = append(toks, likeTok{r: r})
		}
	}
	return toks, nil
}

// matchLike reports whether all of s matches toks, backtracking only to
// the last % (enough, since a later % can absorb whatever an earlier one
// would have).
func matchLike(s []byte, toks []likeTok) bool {
	i, j := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		r, size := utf8.DecodeRune(s[i:])
		if j < len(toks) && (toks[j].kind == 1 || toks[j].kind == 0 && toks[j].r == r) {
			i += size
			j++
			continue
		}
		if j < len(toks) && toks[j].kind == 2 {
			star, mark = j, i
			j++
			continue
		}
		if star < 0 {
			return false
		}
		// Let the last % absorb one more character and retry after it.
		_, msize := utf8.DecodeRune(s[mark:])
		mark += msize
		i, j = mark, star+1
	}
	for j < len(toks) && toks[j].kind == 2 {
		j++
	}
	return j == len(toks)
}

// LikeFunc returns like(str, pattern) with escape character esc, or
// ilike when fold is set (both sides lower-cased first, as Spark's ilike
// is like over lower()). A constant pattern is parsed once; a pattern
// column is parsed per row, and a malformed pattern is an error.
func LikeFunc(str, pattern expr.Expr, esc rune, fold bool) (expr.Expr, error) {
	name := "like"
	if fold {
		name = "ilike"
	}
	label := name + "(" + str.String() + ", " + pattern.String()
	if esc != '\\' {
		label += ", " + quote(string(esc))
	}
	label += ")"
	lower := func(b []byte) []byte {
		if fold {
			return bytes.ToLower(b)
		}
		return b
	}
	if c, ok := pattern.(*constExpr); ok && c.kind == arrow.STRING {
		toks, err := parseLike(lower(c.str), esc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", label, err)
		}
		return newKernel(&kernel{name: name, label: label, args: []expr.Expr{str}, want: strs(1), typ: boolType,
			bool: func(c []col, i int) bool { return matchLike(lower(c[0].str(i)), toks) }})
	}
	return newKernel(&kernel{name: name, label: label, args: []expr.Expr{str, pattern}, want: strs(2), typ: boolType,
		check: func(c []col, i int) error {
			_, err := parseLike(lower(c[1].str(i)), esc)
			return err
		},
		bool: func(c []col, i int) bool {
			toks, _ := parseLike(lower(c[1].str(i)), esc)
			return matchLike(lower(c[0].str(i)), toks)
		}})
}
