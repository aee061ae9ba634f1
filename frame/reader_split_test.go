package frame

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/io/csv"
	"github.com/gspark/gspark/planner/physical"
)

// TestLargeCSVFileSplits reads one CSV file on 1 and 4 partitions: the file
// is cut into byte ranges of whole records, with or without quoted fields
// spanning lines, and gives the same rows either way.
func TestLargeCSVFileSplits(t *testing.T) {
	for _, quoted := range []bool{false, true} {
		largeCSVFileSplits(t, quoted)
	}
}

func largeCSVFileSplits(t *testing.T, quoted bool) {
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("id,s,x\n")
	for i := range 40000 {
		if quoted && i%7 == 0 {
			fmt.Fprintf(&b, "%d,\"two\nlines, \"\"q\"\"\",%d.5\n", i, i)
		} else {
			fmt.Fprintf(&b, "%d,v%d,%d.5\n", i, i%13, i)
		}
	}
	p := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	query := func(parts int) (string, string) {
		s := NewSession(WithPartitions(parts))
		src, err := physical.NewCSVFiles([]string{p}, nil, csv.Options{Header: true, InferSchema: true})
		if err != nil {
			t.Fatal(err)
		}
		src.SetSplitBytes(64 << 10)
		df := s.newFrame(s.analyzer().NewScan(src, ""))
		if err := df.CreateOrReplaceTempView("big"); err != nil {
			t.Fatal(err)
		}
		rows, err := s.SQL("SELECT count(id), sum(id), sum(x), count(DISTINCT s), count(DISTINCT p) FROM (SELECT *, spark_partition_id() AS p FROM big)").Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := df.Explain(true)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(rows), plan
	}
	one, _ := query(1)
	four, plan := query(4)
	// The partitions that produced rows: all four, the file being cut.
	readers := 4
	if !strings.HasSuffix(four, fmt.Sprintf(" %d]]", readers)) {
		t.Fatalf("4 partitions: %s, want rows from %d of them", four, readers)
	}
	one = one[:strings.LastIndexByte(one, ' ')] + "]]"
	four = four[:strings.LastIndexByte(four, ' ')] + "]]"
	n := 40000
	distinct := 13
	if quoted {
		distinct = 14
	}
	want := fmt.Sprintf("[[%d %d %g %d]]", n, n*(n-1)/2, float64(n*(n-1)/2)+0.5*float64(n), distinct)
	if one != want || four != want {
		t.Fatalf("1 partition %s, 4 partitions %s, want %s", one, four, want)
	}
	if !strings.Contains(plan, "big.csv[4/4]") {
		t.Fatalf("the file is not split:\n%s", plan)
	}
}
