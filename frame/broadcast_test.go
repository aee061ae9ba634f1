package frame_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
)

// Every join kind gives the same rows whether the build side is one shared
// table (broadcast) or built per partition after hash-partitioning both
// sides, and EXPLAIN tells which one ran.
func TestBroadcastAndPartitionedJoins(t *testing.T) {
	ctx := context.Background()
	queries := []string{
		`SELECT o_orderkey, c_name FROM samples.orders JOIN samples.customer ON o_custkey = c_custkey WHERE o_totalprice > 100000`,
		`SELECT c_custkey, o_orderkey FROM samples.customer LEFT JOIN samples.orders ON o_custkey = c_custkey AND o_orderpriority = '1-URGENT'`,
		`SELECT c_custkey, o_orderkey FROM samples.orders RIGHT JOIN samples.customer ON o_custkey = c_custkey AND o_totalprice < 2000`,
		`SELECT c_custkey, o_orderkey FROM samples.customer FULL JOIN (SELECT * FROM samples.orders WHERE o_totalprice < 5000) ON o_custkey = c_custkey`,
		`SELECT c_custkey FROM samples.customer LEFT SEMI JOIN samples.orders ON o_custkey = c_custkey`,
		`SELECT c_custkey FROM samples.customer LEFT ANTI JOIN samples.orders ON o_custkey = c_custkey`,
		`SELECT count(*) FROM samples.lineitem JOIN samples.orders ON l_orderkey = o_orderkey AND l_shipdate > date_add(o_orderdate, 60)`,
	}
	broadcast := frame.NewSession(frame.WithPartitions(4), frame.WithBroadcastThreshold(-1))
	partitioned := frame.NewSession(frame.WithPartitions(4), frame.WithBroadcastThreshold(0))
	for _, q := range queries {
		want, err := broadcast.SQL(q).Collect(ctx)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		got, err := partitioned.SQL(q).Collect(ctx)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if len(want) == 0 || strings.Join(sortedRows(got), ";") != strings.Join(sortedRows(want), ";") {
			t.Errorf("%s: partitioned join gives %d rows, broadcast %d", q, len(got), len(want))
		}
		pb, _ := broadcast.SQL(q).Explain(false)
		pp, _ := partitioned.SQL(q).Explain(false)
		if !strings.Contains(pb, "BroadcastJoin") || strings.Contains(pb, "PartitionedJoin") {
			t.Errorf("%s: the broadcast plan is\n%s", q, pb)
		}
		if !strings.Contains(pp, "PartitionedJoin") || !strings.Contains(pp, "HashRepartition") {
			t.Errorf("%s: the partitioned plan is\n%s", q, pp)
		}
	}
	// The default threshold (10 MiB) broadcasts the small TPC-H dimension tables.
	s := frame.NewSession(frame.WithPartitions(4))
	plan, _ := s.SQL(`SELECT n_name, r_name FROM samples.nation JOIN samples.region ON n_regionkey = r_regionkey`).Explain(false)
	if !strings.Contains(plan, "BroadcastJoin") {
		t.Errorf("nation ⋈ region:\n%s", plan)
	}
	// SET changes it for the next queries.
	if err := s.ExecSQL(ctx, `SET spark.sql.autoBroadcastJoinThreshold = 0`, nil); err != nil {
		t.Fatal(err)
	}
	plan, _ = s.SQL(`SELECT n_name, r_name FROM samples.nation JOIN samples.region ON n_regionkey = r_regionkey`).Explain(false)
	if !strings.Contains(plan, "PartitionedJoin") {
		t.Errorf("nation ⋈ region after SET:\n%s", plan)
	}
}
