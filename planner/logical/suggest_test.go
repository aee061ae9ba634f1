package logical

import (
	"testing"
)

func TestEditDistanceAndSuggest(t *testing.T) {
	cases := []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "abc", 0}, {"abc", "acb", 1}, {"kitten", "sitting", 3}, {"l_quantiy", "l_quantity", 1}}
	for _, c := range cases {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q,%q)=%d want %d", c.a, c.b, got, c.d)
		}
	}
	if s := Suggest("zzzzzz", []string{"l_quantity"}); s != "" {
		t.Errorf("far names should not be suggested: %q", s)
	}
}
