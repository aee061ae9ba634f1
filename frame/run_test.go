package frame_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/goleak"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

func TestCancellationStopsEveryPartition(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	s := frame.NewSession(frame.WithPartitions(4))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := q1(s).Collect(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel2()
	// A self-join big enough not to finish in a millisecond.
	li := s.Table("samples.lineitem")
	big := li.Alias("a").Join(li.Alias("b"), F.Col("a.l_suppkey").Eq(F.Col("b.l_suppkey")), "inner").Agg(F.CountStar())
	if _, err := big.Collect(ctx2); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a deadline error, got %v", err)
	}
}

func TestMemoryLimit(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2), frame.WithMemoryLimit(64<<10))
	_, err := s.Table("samples.lineitem").OrderBy(F.Col("l_comment")).Collect(context.Background())
	if !errors.Is(err, exec.ErrMemoryLimit) {
		t.Fatalf("want a memory limit error, got %v", err)
	}
}

func TestExplainShowsEveryStage(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(3))
	out, err := q1(s).Explain(true)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"== Analyzed Logical Plan ==", "== Optimized Logical Plan ==", "== Physical Plan ==",
		"ParquetScan", "RowGroupFilters=[l_shipdate <= 1998-09-02]", "[partitions=3]", "[partitions=1]", "PushDownPredicates", "ColumnPruning"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	short, err := q1(s).Explain(false)
	if err != nil || strings.Contains(short, "Logical") || !strings.Contains(short, "== Physical Plan ==") {
		t.Fatalf("non-extended explain: %v\n%s", err, short)
	}
}

func TestTempView(t *testing.T) {
	s := frame.NewSession()
	if err := s.Table("samples.nation").Filter(F.Col("n_regionkey").Eq(1)).CreateOrReplaceTempView("america"); err != nil {
		t.Fatal(err)
	}
	n, err := s.Table("america").Count(context.Background())
	if err != nil || n != 5 {
		t.Fatalf("america has %d nations (%v), want 5", n, err)
	}
}

// TestQueriesReleaseAllMemory runs queries through every operator on a
// checked allocator: all bytes must be back when they are done.
func TestQueriesReleaseAllMemory(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for _, parts := range []int{1, 3} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		s := frame.NewSession(frame.WithPartitions(parts), frame.WithAllocator(mem))
		orders := s.Table("samples.orders")
		queries := []*frame.DataFrame{
			q1(s),
			s.Table("samples.lineitem").Join(orders, F.Col("l_orderkey").Eq(F.Col("o_orderkey")), "inner").GroupBy(F.Col("o_orderstatus")).Agg(F.Sum(F.Col("l_quantity"))),
			s.Table("samples.customer").Join(orders, F.Col("c_custkey").Eq(F.Col("o_custkey")), "left").Select(F.Col("c_name"), F.Col("o_orderkey")).Limit(100),
			orders.OrderBy(F.Col("o_totalprice").Desc()).Limit(5),
			orders.OrderBy(F.Col("o_comment")),
			orders.Filter(F.Col("o_comment").Like("%special%requests%")).Select(F.Upper(F.Col("o_clerk"))),
		}
		for i, q := range queries {
			if _, err := q.Collect(context.Background()); err != nil {
				t.Fatalf("query %d: %v", i, err)
			}
		}
		mem.AssertSize(t, 0)
	}
}

func TestProgressCountsSourceWork(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(3))
	var p exec.Progress
	ctx := frame.WithProgress(context.Background(), &p)
	if _, err := q1(s).Collect(ctx); err != nil {
		t.Fatal(err)
	}
	done, total := p.Counts()
	if total == 0 || done != total {
		t.Fatalf("progress after the query: %d of %d units", done, total)
	}
	// Without the context value nothing is counted and nothing fails.
	if _, err := q1(s).Collect(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// rand(seed) gives every partition its own stream seeded with seed+p (as
// Spark does), so a query's random values depend only on the seed and the
// partitioning, not on how partitions were scheduled.
func TestRandIsReproduciblePerPartitioning(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 3} {
		s := frame.NewSession(frame.WithPartitions(parts))
		q := `SELECT o_orderkey, rand(42) AS r, randn(7) AS g FROM samples.orders WHERE rand(1) < 0.5 ORDER BY o_orderkey`
		first, err := s.SQL(q).Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for run := 0; run < 3; run++ {
			again, err := s.SQL(q).Collect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(again) != len(first) || len(first) == 0 {
				t.Fatalf("partitions=%d: %d rows, then %d", parts, len(first), len(again))
			}
			for i := range first {
				if first[i][0] != again[i][0] || first[i][1] != again[i][1] || first[i][2] != again[i][2] {
					t.Fatalf("partitions=%d: run %d differs at row %d: %v vs %v", parts, run, i, first[i], again[i])
				}
			}
		}
	}
}
