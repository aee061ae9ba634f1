package frame_test

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
)

// TestScalarSubquerySharesTheQuerysAggregation: a common table expression
// read by the query and by its scalar subquery (TPC-H Q15's shape) is
// aggregated once, both read the held result, and it is freed after the
// query. The answer is checked against the maximum found by hand over the
// per-supplier sums.
func TestScalarSubquerySharesTheQuerysAggregation(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s := frame.NewSession(frame.WithPartitions(2), frame.WithAllocator(mem))
	const rev = `WITH rev AS (SELECT l_suppkey AS sk, sum(l_quantity) AS total FROM samples.lineitem GROUP BY l_suppkey) `
	q := s.SQL(rev + `SELECT sk, total FROM rev WHERE total = (SELECT max(total) FROM rev) ORDER BY sk`)
	plan, err := q.ExplainAnalyze(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "CachedScan") || strings.Contains(plan, "Aggregate(keys=[0]") {
		t.Errorf("the query aggregates again instead of reading the shared result:\n%s", plan)
	}
	got := collect(t, q)
	all := s.SQL(rev + `SELECT sk, total FROM rev ORDER BY sk`)
	var want []frame.Row
	var best string
	for _, r := range collect(t, all) {
		v := r[1].(interface{ String() string }).String()
		switch {
		case best == "" || decLess(best, v):
			best, want = v, []frame.Row{r}
		case v == best:
			want = append(want, r)
		}
	}
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i][0] != want[i][0] || got[i][1].(interface{ String() string }).String() != best {
			t.Fatalf("row %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

// decLess compares two non-negative decimal strings with the same scale.
func decLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
