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

// TestLargeCSVFileSplits reads one CSV file, with quoted fields spanning
// lines, on 1 and 4 partitions: the file is cut into byte ranges of whole
// records and gives the same rows.
func TestLargeCSVFileSplits(t *testing.T) {
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("id,s,x\n")
	for i := range 40000 {
		if i%7 == 0 {
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
		rows, err := s.SQL("SELECT count(id), sum(id), sum(x), count(DISTINCT s) FROM big").Collect(ctx)
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
	n := 40000
	want := fmt.Sprintf("[[%d %d %g 14]]", n, n*(n-1)/2, float64(n*(n-1)/2)+0.5*float64(n))
	if one != want || four != want {
		t.Fatalf("1 partition %s, 4 partitions %s, want %s", one, four, want)
	}
	if !strings.Contains(plan, "big.csv[4/4]") {
		t.Fatalf("the file is not split:\n%s", plan)
	}
}
