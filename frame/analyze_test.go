package frame_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

func TestExplainAnalyzeCountsRows(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(3))
	q := s.Table("samples.orders").Filter(F.Col("o_orderstatus").Eq(F.Lit("F"))).
		GroupBy(F.Col("o_orderpriority")).Agg(F.CountStar().Alias("n"))
	wantRows, err := s.Table("samples.orders").Filter(F.Col("o_orderstatus").Eq(F.Lit("F"))).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out, err := q.ExplainAnalyze(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The scan's line reports the rows that passed its fused filter; the top
	// line the five priorities.
	scanLine := regexp.MustCompile(`ParquetScan.*\(rows=(\d+), batches=\d+, time=[^)]+\)`).FindStringSubmatch(out)
	if scanLine == nil {
		t.Fatalf("no metered scan:\n%s", out)
	}
	if n, _ := strconv.ParseInt(scanLine[1], 10, 64); n != wantRows {
		t.Fatalf("scan produced %d rows, want %d:\n%s", n, wantRows, out)
	}
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[1], "(rows=5,") {
		t.Fatalf("top operator should report 5 rows:\n%s", out)
	}
	if !strings.Contains(out, "5 rows in ") || !strings.Contains(out, "peak memory") {
		t.Fatalf("no summary line:\n%s", out)
	}
}

func TestExplainAnalyzeInSQL(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	var text []string
	err := s.ExecSQL(context.Background(), "explain analyze select count(*) from samples.nation where n_regionkey = 1", func(_ string, df *frame.DataFrame) error {
		rows, err := df.Collect(context.Background())
		for _, r := range rows {
			text = append(text, r[0].(string))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(text, "\n")
	// Five nations are in region 1 (TPC-H's fixed nation table).
	if !strings.Contains(all, "(rows=5,") || !strings.Contains(all, "1 rows in") {
		t.Fatalf("explain analyze:\n%s", all)
	}
	if err := s.SQL("explain analyze select 1").Err(); err == nil || !strings.Contains(err.Error(), "ExecSQL") {
		t.Fatalf("SQL must refuse EXPLAIN ANALYZE without a context, got %v", err)
	}
}
