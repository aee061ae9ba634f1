package frame_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

func TestCacheServesLaterActionsAndFrees(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s := frame.NewSession(frame.WithPartitions(3), frame.WithAllocator(mem))
	q := s.Table("samples.orders").Filter(F.Col("o_orderstatus").Eq(F.Lit("F"))).Select(F.Col("o_orderkey"), F.Col("o_totalprice"))
	want := collect(t, q.Agg(F.CountStar(), F.Sum(F.Col("o_totalprice"))))
	c, err := q.Cache(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // read twice: the cache must survive a read
		got := collect(t, c.Agg(F.CountStar(), F.Sum(F.Col("o_totalprice"))))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("read %d of the cache: %v, want %v", i, got, want)
		}
	}
	// Filters and projections apply to the cached rows.
	n, err := c.Filter(F.Col("o_orderkey").Lt(F.Lit(100))).Select(F.Col("o_orderkey")).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantN, _ := q.Filter(F.Col("o_orderkey").Lt(F.Lit(100))).Count(context.Background())
	if n != wantN {
		t.Fatalf("filtered cache has %d rows, want %d", n, wantN)
	}
	plan, _ := c.Explain(false)
	if !strings.Contains(plan, "CachedScan") {
		t.Fatalf("the cached DataFrame does not read the cache:\n%s", plan)
	}
	c.Unpersist()
	if _, err := c.Count(context.Background()); err == nil || !strings.Contains(err.Error(), "unpersisted") {
		t.Fatalf("reading after Unpersist: %v", err)
	}
}
