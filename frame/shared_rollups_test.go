package frame_test

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
)

// TestScalarSubqueryRollsUpTheQuerysGroups: a subquery's total over the
// same input as the query's groups (TPC-H Q11's shape) is computed from the
// held groups, so the join and the aggregation run once. The answer is
// checked against the tables joined and summed by hand.
func TestScalarSubqueryRollsUpTheQuerysGroups(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s := frame.NewSession(frame.WithPartitions(2), frame.WithAllocator(mem))
	const from = ` FROM samples.partsupp, samples.supplier, samples.nation
		WHERE ps_suppkey = s_suppkey AND s_nationkey = n_nationkey AND n_name = 'GERMANY'`
	q := s.SQL(`SELECT ps_partkey, sum(ps_supplycost * ps_availqty) AS value, min(ps_supplycost) AS lo, max(ps_availqty) AS hi` + from + `
		GROUP BY ps_partkey
		HAVING sum(ps_supplycost * ps_availqty) > (SELECT sum(ps_supplycost * ps_availqty) * 0.001 + min(ps_supplycost) - max(ps_availqty)` + from + `)
		ORDER BY ps_partkey`)
	plan, err := q.ExplainAnalyze(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "CachedScan") {
		t.Errorf("the query aggregates again instead of reading the groups the subquery rolled up:\n%s", plan)
	}
	got := collect(t, q)

	// By hand: the German suppliers, their partsupp rows, the sums.
	rat := func(v any) *big.Rat {
		r, ok := new(big.Rat).SetString(fmt.Sprint(v))
		if !ok {
			t.Fatalf("not a number: %v", v)
		}
		return r
	}
	var germany any
	for _, r := range collect(t, s.SQL(`SELECT n_nationkey, n_name FROM samples.nation`)) {
		if r[1] == "GERMANY" {
			germany = r[0]
		}
	}
	german := map[any]bool{}
	for _, r := range collect(t, s.SQL(`SELECT s_suppkey, s_nationkey FROM samples.supplier`)) {
		german[r[0]] = r[1] == germany
	}
	value, lo, hi := map[any]*big.Rat{}, map[any]*big.Rat{}, map[any]*big.Rat{}
	total := new(big.Rat)
	var minCost, maxQty *big.Rat
	for _, r := range collect(t, s.SQL(`SELECT ps_partkey, ps_suppkey, ps_availqty, ps_supplycost FROM samples.partsupp`)) {
		if !german[r[1]] {
			continue
		}
		qty, cost := rat(r[2]), rat(r[3])
		v := new(big.Rat).Mul(cost, qty)
		total.Add(total, v)
		if value[r[0]] == nil {
			value[r[0]], lo[r[0]], hi[r[0]] = new(big.Rat), cost, qty
		}
		value[r[0]].Add(value[r[0]], v)
		if cost.Cmp(lo[r[0]]) < 0 {
			lo[r[0]] = cost
		}
		if qty.Cmp(hi[r[0]]) > 0 {
			hi[r[0]] = qty
		}
		if minCost == nil || cost.Cmp(minCost) < 0 {
			minCost = cost
		}
		if maxQty == nil || qty.Cmp(maxQty) > 0 {
			maxQty = qty
		}
	}
	if minCost == nil {
		t.Fatal("no German partsupp rows")
	}
	limit := new(big.Rat).Mul(total, big.NewRat(1, 1000))
	limit.Add(limit, minCost).Sub(limit, maxQty)
	var want []string
	for k, v := range value {
		if v.Cmp(limit) > 0 {
			want = append(want, fmt.Sprintf("%v %s %s %s", k, v.FloatString(2), lo[k].FloatString(2), hi[k].FloatString(0)))
		}
	}
	sort.Strings(want)
	var have []string
	for _, r := range got {
		have = append(have, fmt.Sprintf("%v %s %s %s", r[0], rat(r[1]).FloatString(2), rat(r[2]).FloatString(2), rat(r[3]).FloatString(0)))
	}
	sort.Strings(have)
	if len(want) == 0 || len(want) == len(value) {
		t.Fatalf("the limit keeps %d of %d parts: a weak test", len(want), len(value))
	}
	if strings.Join(have, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got %d rows, want %d:\n%s\nwant:\n%s", len(have), len(want), strings.Join(have, "\n"), strings.Join(want, "\n"))
	}
}
