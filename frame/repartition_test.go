package frame_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

func TestRepartitionAndCoalesce(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			orders := s.Table("samples.orders").Select(F.Col("o_orderkey"), F.Col("o_orderstatus"))
			want := collect(t, orders.Agg(F.CountStar(), F.Sum(F.Col("o_orderkey"))))
			for _, df := range []*frame.DataFrame{
				orders.Repartition(5, F.Col("o_orderstatus")),
				orders.Repartition(3),
				orders.Coalesce(1),
				orders.Repartition(4, F.Col("o_orderkey").Mod(F.Lit(7))).Coalesce(2),
			} {
				if got := collect(t, df.Agg(F.CountStar(), F.Sum(F.Col("o_orderkey")))); !reflect.DeepEqual(got, want) {
					t.Fatalf("%v: %v, want %v", df.Plan(), got, want)
				}
			}
			// The partition count shows in the physical plan, and equal keys
			// share a partition: each partition holds whole status groups.
			plan, _ := orders.Repartition(5, F.Col("o_orderstatus")).Explain(false)
			if !strings.Contains(plan, "HashRepartition(keys=[1], n=5) [partitions=5]") {
				t.Fatalf("plan:\n%s", plan)
			}
			coal, _ := orders.Coalesce(1).Explain(false)
			if !strings.Contains(coal, "Coalesce(n=1) [partitions=1]") {
				t.Fatalf("plan:\n%s", coal)
			}
		})
	}
}

// TestCoalesceAfterAnExchange coalesces the output of a hash repartition
// holding more batches than the exchange buffers: the exchange's producers
// wait until every output partition makes room, so reading its partitions one
// after another used to stall the query until its context ended.
func TestCoalesceAfterAnExchange(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(4))
	li := s.Table("samples.lineitem")
	want, err := li.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 3} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		got, err := li.Repartition(8, F.Col("l_orderkey")).Coalesce(n).Count(ctx)
		cancel()
		if err != nil || got != want {
			t.Fatalf("Coalesce(%d): %d rows, %v; want %d", n, got, err, want)
		}
	}
}
