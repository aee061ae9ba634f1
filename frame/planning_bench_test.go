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

// inListQuery is a filter with an IN list of n values.
func inListQuery(n int) string {
	var q strings.Builder
	q.WriteString("SELECT count(*) FROM samples.lineitem WHERE l_orderkey IN (0")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&q, ", %d", i)
	}
	q.WriteString(")")
	return q.String()
}

// unionAllQuery is a UNION ALL of n one-row branches.
func unionAllQuery(n int) string {
	var q strings.Builder
	q.WriteString("SELECT 0 AS x")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&q, " UNION ALL SELECT %d", i)
	}
	return q.String()
}

// plusChainQuery is SELECT 1+1+…+1 with n terms: a left-deep tree of n-1
// additions, with no alias (so its text names the column).
func plusChainQuery(n int) string {
	var q strings.Builder
	q.WriteString("SELECT 1")
	for i := 1; i < n; i++ {
		q.WriteString("+1")
	}
	return q.String()
}

// BenchmarkPlanInList100k plans a filter with an IN list of 100,000 values.
func BenchmarkPlanInList100k(b *testing.B) { benchmarkPlan(b, inListQuery(100000)) }

// BenchmarkPlanUnionAll3000 plans a UNION ALL of 3,000 branches.
func BenchmarkPlanUnionAll3000(b *testing.B) { benchmarkPlan(b, unionAllQuery(3000)) }

// BenchmarkPlanPlus100k plans 1+1+…+1 with 100,000 terms.
func BenchmarkPlanPlus100k(b *testing.B) { benchmarkPlan(b, plusChainQuery(100000)) }

// benchmarkChain builds a 700-step DataFrame chain with step, then takes the
// schema and plans one row (EXPLAIN), which must stay linear in the chain.
func benchmarkChain(b *testing.B, step func(df *frame.DataFrame, i int) *frame.DataFrame) {
	s := frame.NewSession()
	for range b.N {
		df := s.SQL("SELECT 1 AS c0")
		for i := 1; i < 700; i++ {
			df = step(df, i)
		}
		if df.Err() != nil {
			b.Fatal(df.Err())
		}
		_ = df.Schema()
		if _, err := df.Limit(1).Explain(false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWithColumnChain700 chains 700 WithColumn calls, each reading the
// previous column.
func BenchmarkWithColumnChain700(b *testing.B) {
	benchmarkChain(b, func(df *frame.DataFrame, i int) *frame.DataFrame {
		return df.WithColumn(fmt.Sprintf("c%d", i), frame.Col(fmt.Sprintf("c%d", i-1)).Add(1))
	})
}

// BenchmarkWithColumnRenamedChain700 chains 700 renames.
func BenchmarkWithColumnRenamedChain700(b *testing.B) {
	benchmarkChain(b, func(df *frame.DataFrame, i int) *frame.DataFrame {
		return df.WithColumnRenamed(fmt.Sprintf("c%d", i-1), fmt.Sprintf("c%d", i))
	})
}

// BenchmarkSelectDropChain700 alternates adding a column with Select and
// dropping an older one.
func BenchmarkSelectDropChain700(b *testing.B) {
	benchmarkChain(b, func(df *frame.DataFrame, i int) *frame.DataFrame {
		df = df.Select(frame.Col("*"), frame.Lit(i).As(fmt.Sprintf("c%d", i)))
		if i%2 == 0 {
			df = df.Drop(fmt.Sprintf("c%d", i-2))
		}
		return df
	})
}
