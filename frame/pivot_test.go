package frame_test

import (
	"context"
	"reflect"
	"testing"

	F "github.com/gspark/gspark/frame/functions"
)

func TestPivotMatchesFilteredAggregates(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			orders := s.Table("samples.orders")
			pv := orders.GroupBy(F.Col("o_orderpriority")).Pivot(F.Col("o_orderstatus"), "F", "O", "X").
				Agg(F.CountStar().Alias("n"), F.Max(F.Col("o_totalprice")).Alias("top")).
				OrderBy(F.Col("o_orderpriority"))
			if cols := pv.Columns(); !reflect.DeepEqual(cols, []string{"o_orderpriority", "F_n", "F_top", "O_n", "O_top", "X_n", "X_top"}) {
				t.Fatalf("columns %v", cols)
			}
			got := collect(t, pv)
			for _, row := range got {
				prio := row[0].(string)
				for i, st := range []string{"F", "O"} {
					sub := collect(t, orders.Filter(F.Col("o_orderpriority").Eq(F.Lit(prio)).And(F.Col("o_orderstatus").Eq(F.Lit(st)))).
						Agg(F.CountStar(), F.Max(F.Col("o_totalprice"))))
					if row[1+2*i] != sub[0][0] || !reflect.DeepEqual(row[2+2*i], sub[0][1]) {
						t.Fatalf("%s/%s: pivot %v %v, filtered %v", prio, st, row[1+2*i], row[2+2*i], sub[0])
					}
				}
				if row[5] != int64(0) || row[6] != nil {
					t.Fatalf("status X never occurs: count %v, max %v", row[5], row[6])
				}
			}
			auto, err := orders.GroupBy(F.Col("o_orderpriority")).PivotDistinct(context.Background(), F.Col("o_orderstatus"))
			if err != nil {
				t.Fatal(err)
			}
			if cols := auto.Agg(F.CountStar()).Columns(); !reflect.DeepEqual(cols, []string{"o_orderpriority", "F", "O", "P"}) {
				t.Fatalf("distinct pivot columns %v", cols)
			}
		})
	}
}

func TestUnpivot(t *testing.T) {
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			u := people(t, s).Unpivot([]string{"id"}, []string{"qty", "price"}, "k", "v").Filter(F.Col("id").Leq(F.Lit(2))).OrderBy(F.Col("id"), F.Col("k"))
			want := [][]string{{"1", "price", "1.5"}, {"1", "qty", "3.0"}, {"2", "price", "2.25"}, {"2", "qty", "5.0"}}
			if got := strRows(collect(t, u)); !reflect.DeepEqual(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}
