package frame_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
)

// Planning time of large SQL: parse, analyze, optimize and plan physically
// (EXPLAIN runs all four and executes nothing).
func benchmarkPlan(b *testing.B, query string) {
	s := frame.NewSession()
	b.ResetTimer()
	for range b.N {
		if _, err := s.SQL(query).Explain(false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanInList100k plans a filter with an IN list of 100,000 values.
func BenchmarkPlanInList100k(b *testing.B) {
	var q strings.Builder
	q.WriteString("SELECT count(*) FROM samples.lineitem WHERE l_orderkey IN (0")
	for i := 1; i < 100000; i++ {
		fmt.Fprintf(&q, ", %d", i)
	}
	q.WriteString(")")
	benchmarkPlan(b, q.String())
}

// BenchmarkPlanUnionAll3000 plans a UNION ALL of 3,000 branches.
func BenchmarkPlanUnionAll3000(b *testing.B) {
	var q strings.Builder
	q.WriteString("SELECT 0 AS x")
	for i := 1; i < 3000; i++ {
		fmt.Fprintf(&q, " UNION ALL SELECT %d", i)
	}
	benchmarkPlan(b, q.String())
}
