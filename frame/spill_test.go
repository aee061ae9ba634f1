package frame_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
)

// With a spill threshold of 0 every sort and hash join writes its data to
// disk and reads it back: the answers must not change, and no spill file
// may stay behind.
func TestSpillingGivesTheSameAnswers(t *testing.T) {
	ctx := context.Background()
	queries := []string{
		`SELECT l_orderkey, l_linenumber, l_comment FROM samples.lineitem ORDER BY l_comment, l_orderkey, l_linenumber`,
		`SELECT o_orderkey, c_name, o_totalprice FROM samples.orders JOIN samples.customer ON o_custkey = c_custkey ORDER BY o_totalprice DESC, o_orderkey`,
		`SELECT c_custkey, count(o_orderkey) FROM samples.customer LEFT JOIN samples.orders ON o_custkey = c_custkey GROUP BY c_custkey ORDER BY c_custkey`,
		`SELECT c_custkey FROM samples.customer LEFT ANTI JOIN samples.orders ON o_custkey = c_custkey ORDER BY c_custkey`,
		`SELECT s_name, count(*) FROM samples.lineitem JOIN samples.supplier ON l_suppkey = s_suppkey JOIN samples.orders ON l_orderkey = o_orderkey
		  WHERE o_orderstatus = 'F' GROUP BY s_name ORDER BY 2 DESC, 1`,
		// No sort, no join: only the aggregation can spill.
		`SELECT l_partkey, count(*), sum(l_extendedprice), max(l_comment), collect_set(l_linenumber) FROM samples.lineitem GROUP BY l_partkey`,
	}
	for _, parts := range exectest.PartitionCounts(1, 4) {
		dir := t.TempDir()
		plain := frame.NewSession(frame.WithPartitions(parts))
		spilling := frame.NewSession(frame.WithPartitions(parts), frame.WithSpillThreshold(0), frame.WithTempDir(dir))
		for _, q := range queries {
			want, err := plain.SQL(q).Collect(ctx)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			got, err := spilling.SQL(q).Collect(ctx)
			if err != nil {
				t.Fatalf("%s (spilling): %v", q, err)
			}
			if !strings.Contains(q, "ORDER BY") {
				got, want = sortRowsText(got), sortRowsText(want)
			}
			if len(want) == 0 || strings.Join(rowStrings(got), ";") != strings.Join(rowStrings(want), ";") {
				t.Errorf("%s (partitions=%d): spilling changed the answer (%d rows, want %d)", q, parts, len(got), len(want))
			}
			report, err := spilling.SQL(q).ExplainAnalyze(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(report, "spilled") {
				t.Errorf("%s: EXPLAIN ANALYZE shows no spilled bytes:\n%s", q, report)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Fatalf("%s: %d spill files left in %s", q, len(left), dir)
			}
		}
	}
	// A real memory limit below what the query holds in memory without
	// spilling (the sort's 4 to 5 MiB at its peak, plus the Parquet scans'
	// decoding buffers, which are counted too and cannot spill; 6 MiB is too
	// little for them and the sort's spill buffers together):
	// the sort spills at 60% of the limit and the query finishes.
	dir := t.TempDir()
	s := frame.NewSession(frame.WithPartitions(2), frame.WithMemoryLimit(8<<20), frame.WithTempDir(dir))
	report, err := s.SQL(queries[0]).ExplainAnalyze(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(report, "spilled") {
		t.Errorf("under a 4 MiB limit the sort did not spill:\n%s", report)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("%d spill files left", len(left))
	}
}

// rowStrings renders rows in order.
func rowStrings(rows []frame.Row) []string {
	out := make([]string, len(rows))
	for i, r := range strRows(rows) {
		out[i] = strings.Join(r, ",")
	}
	return out
}

// sortRowsText orders rows by their text, for results without an ORDER BY
// (collect_set's arrays are sorted first: their order is unspecified).
func sortRowsText(rows []frame.Row) []frame.Row {
	for _, r := range rows {
		for j, v := range r {
			if l, ok := v.([]any); ok {
				sort.Slice(l, func(a, b int) bool { return fmt.Sprint(l[a]) < fmt.Sprint(l[b]) })
				r[j] = l
			}
		}
	}
	sort.Slice(rows, func(a, b int) bool { return fmt.Sprint(rows[a]) < fmt.Sprint(rows[b]) })
	return rows
}
