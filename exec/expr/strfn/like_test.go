package strfn

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// refLikeRegexp translates a LIKE pattern with escape '/' to a regular
// expression, the way Spark evaluates LIKE.
func refLikeRegexp(p string) (*regexp.Regexp, bool) {
	var re strings.Builder
	re.WriteString(`^(?s:`)
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		switch r := rs[i]; r {
		case '/':
			if i+1 == len(rs) || !strings.ContainsRune("_%/", rs[i+1]) {
				return nil, false
			}
			i++
			re.WriteString(regexp.QuoteMeta(string(rs[i])))
		case '_':
			re.WriteString(".")
		case '%':
			re.WriteString(".*")
		default:
			re.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	re.WriteString(`)$`)
	return regexp.MustCompile(re.String()), true
}

// TestLikeAgainstRegexp matches random strings against random patterns
// with both the LIKE matcher and the regular expression of the pattern.
func TestLikeAgainstRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	pieces := []string{"a", "b", "é", "日", "%", "%", "_", "/", "/%", "/_", "//"}
	for range 20000 {
		var p strings.Builder
		for n := r.IntN(6); n > 0; n-- {
			p.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := randString(r, 6)
		re, valid := refLikeRegexp(p.String())
		toks, err := parseLike([]byte(p.String()), '/')
		if valid != (err == nil) {
			t.Fatalf("pattern %q: parse error %v, want valid=%v", p.String(), err, valid)
		}
		if !valid {
			continue
		}
		if got, want := matchLike([]byte(s), toks), re.MatchString(s); got != want {
			t.Fatalf("%q LIKE %q: got %v, want %v", s, p.String(), got, want)
		}
	}
}
