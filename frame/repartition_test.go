package frame_test

import (
	"reflect"
	"strings"
	"testing"

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
