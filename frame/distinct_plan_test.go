package frame_test

import (
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
)

// Aggregates over different sets of distinct arguments are planned as one
// aggregation per set joined on the grouping keys, not as an Expand; an
// input with a nondeterministic column keeps the Expand (it is read once).
func TestMixedDistinctPlannedPerSet(t *testing.T) {
	s := frame.NewSession()
	if err := s.SQL("SELECT id % 7 AS a, id % 5 AS b, id % 3 AS g FROM range(100)").CreateOrReplaceTempView("t"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query      string
		join, expd bool
	}{
		{"SELECT count(DISTINCT a), approx_count_distinct(b) FROM t", true, false},
		{"SELECT g, count(DISTINCT a), count(DISTINCT b), sum(a) FROM t GROUP BY g", true, false},
		{"SELECT count(DISTINCT a), sum(DISTINCT a) FROM t", false, false},
		{"SELECT count(DISTINCT a), count(DISTINCT b) FROM (SELECT a, b, rand() AS r FROM t)", false, true},
	} {
		text, err := s.SQL(c.query).Explain(false)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(text, "Join"); got != c.join {
			t.Errorf("%s: join in plan = %v, want %v:\n%s", c.query, got, c.join, text)
		}
		if got := strings.Contains(text, "Expand"); got != c.expd {
			t.Errorf("%s: Expand in plan = %v, want %v:\n%s", c.query, got, c.expd, text)
		}
	}
}
