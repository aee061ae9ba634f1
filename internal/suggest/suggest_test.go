package suggest

import "testing"

// Distances counted by hand.
func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"abc", "abc", 0},
		{"kitten", "sitting", 3}, // k→s, e→i, +g
		{"ca", "ac", 1},          // one transposition
		{"abcd", "acbd", 1},      // one transposition inside
		{"regParm", "regParam", 1},
		{"l_quantiy", "l_quantity", 1},
		{"ca", "abc", 3}, // optimal string alignment: no edit of a transposed pair
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestClosest(t *testing.T) {
	for _, c := range []struct {
		name  string
		cands []string
		want  string
	}{
		{"numTreez", []string{"maxDepth", "numTrees", "seed"}, "numTrees"},
		{"REGPARAM", []string{"regParam", "elasticNetParam"}, "regParam"},
		{"xyz", []string{"numTrees"}, ""},          // too far
		{"ab", []string{"xy", "ab2"}, "ab2"},       // within max(2, 0)
		{"abcd", []string{"abce", "abcf"}, "abce"}, // tie: first in sorted order
		{"abcd", []string{"abcf", "abce"}, "abce"}, // whatever the candidates' order
		{"anything", nil, ""},
	} {
		if got := Closest(c.name, c.cands); got != c.want {
			t.Errorf("Closest(%q, %v) = %q, want %q", c.name, c.cands, got, c.want)
		}
	}
}
