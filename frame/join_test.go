package frame_test

import (
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"testing"
	"time"

	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/values"
)

// TestJoinAggregateAgainstNaive joins lineitem with orders of 1995, groups by
// order priority and compares with a hash join done by hand.
func TestJoinAggregateAgainstNaive(t *testing.T) {
	li, ord := readSample(t, "lineitem"), readSample(t, "orders")
	lo, hi := mustDate("1995-01-01"), mustDate("1996-01-01")
	prio := map[int64]string{}
	for _, r := range ord.rows {
		d := r[ord.idx("o_orderdate")].(time.Time)
		if !d.Before(lo) && d.Before(hi) {
			prio[r[ord.idx("o_orderkey")].(int64)] = r[ord.idx("o_orderpriority")].(string)
		}
	}
	type acc struct {
		n   int64
		qty *big.Rat
	}
	groups := map[string]*acc{}
	for _, r := range li.rows {
		p, ok := prio[r[li.idx("l_orderkey")].(int64)]
		if !ok || r[li.idx("l_linenumber")].(int32) > 3 {
			continue
		}
		a := groups[p]
		if a == nil {
			a = &acc{qty: new(big.Rat)}
			groups[p] = a
		}
		a.n++
		a.qty.Add(a.qty, rat(r[li.idx("l_quantity")]))
	}
	var want [][]string
	for k, a := range groups {
		want = append(want, []string{k, fmt.Sprint(a.n), a.qty.FloatString(2)})
	}
	sort.Slice(want, func(i, j int) bool { return want[i][0] < want[j][0] })
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			orders := s.Table("samples.orders").
				Filter(F.Col("o_orderdate").Geq(F.Date("1995-01-01")).And(F.Col("o_orderdate").Lt(F.Date("1996-01-01"))))
			df := s.Table("samples.lineitem").
				Join(orders, F.Col("l_orderkey").Eq(F.Col("o_orderkey")), "inner").
				Filter(F.Col("l_linenumber").Leq(3)).
				GroupBy(F.Col("o_orderpriority")).
				Agg(F.CountStar().Alias("n"), F.Sum(F.Col("l_quantity")).Alias("qty")).
				OrderBy(F.Col("o_orderpriority"))
			var got [][]string
			for _, r := range collect(t, df) {
				got = append(got, []string{r[0].(string), fmt.Sprint(r[1]), values.FormatValue(r[2])})
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %v\nwant %v", got, want)
			}
		})
	}
}

// TestLeftJoinAgainstNaive keeps every customer, with the number of their
// urgent orders (zero when none: the right side is null).
func TestLeftJoinAgainstNaive(t *testing.T) {
	cust, ord := readSample(t, "customer"), readSample(t, "orders")
	urgent := map[int64]int64{}
	for _, r := range ord.rows {
		if r[ord.idx("o_orderpriority")].(string) == "1-URGENT" {
			urgent[r[ord.idx("o_custkey")].(int64)]++
		}
	}
	want := map[int64]int64{}
	for _, r := range cust.rows {
		want[r[cust.idx("c_custkey")].(int64)] = urgent[r[cust.idx("c_custkey")].(int64)]
	}
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			o := s.Table("samples.orders").Filter(F.Col("o_orderpriority").Eq("1-URGENT"))
			df := s.Table("samples.customer").
				Join(o, F.Col("c_custkey").Eq(F.Col("o_custkey")), "left").
				GroupBy(F.Col("c_custkey")).
				Agg(F.Count(F.Col("o_orderkey")).Alias("urgent"), F.CountStar().Alias("rows"))
			rows := collect(t, df)
			if len(rows) != len(want) {
				t.Fatalf("%d customers, want %d", len(rows), len(want))
			}
			for _, r := range rows {
				k, n, all := r[0].(int64), r[1].(int64), r[2].(int64)
				if n != want[k] {
					t.Fatalf("customer %d: %d urgent orders, want %d", k, n, want[k])
				}
				if all != max(n, 1) {
					t.Fatalf("customer %d: %d rows, want %d (a customer without orders keeps one row)", k, all, max(n, 1))
				}
			}
		})
	}
}

// TestTopNAgainstNaive orders customers by balance (desc) and key and keeps 10.
func TestTopNAgainstNaive(t *testing.T) {
	cust := readSample(t, "customer")
	rows := append([][]any{}, cust.rows...)
	bal, key := cust.idx("c_acctbal"), cust.idx("c_custkey")
	sort.SliceStable(rows, func(i, j int) bool {
		c := rat(rows[i][bal]).Cmp(rat(rows[j][bal]))
		if c != 0 {
			return c > 0
		}
		return rows[i][key].(int64) < rows[j][key].(int64)
	})
	var want []int64
	for _, r := range rows[:10] {
		want = append(want, r[key].(int64))
	}
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			for _, limitFirst := range []bool{false, true} {
				df := s.Table("samples.customer").OrderBy(F.Col("c_acctbal").Desc(), F.Col("c_custkey").Asc())
				if limitFirst {
					// Sort then limit as separate steps through a projection.
					df = df.Select(F.Col("c_custkey"), F.Col("c_acctbal"))
				}
				var got []int64
				for _, r := range collect(t, df.Limit(10)) {
					got = append(got, r[0].(int64))
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("got %v want %v", got, want)
				}
			}
		})
	}
}
