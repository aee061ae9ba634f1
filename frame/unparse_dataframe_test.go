package frame_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/planner/unparse"
)

// TestUnparseDataFrameAPI unparses plans built with the DataFrame API and
// runs the text. The expected rows come from the TPC-H specification's
// fixed NATION and REGION tables (25 nations, 5 per region; clause 4.2.3).
func TestUnparseDataFrameAPI(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	nation, region := s.Table("samples.nation"), s.Table("samples.region")
	byKey := F.Col("n_regionkey").Eq(F.Col("r_regionkey"))
	cases := []struct {
		name string
		df   *frame.DataFrame
		want string // rows as "a|b" joined by ";"
	}{
		{"join filter sort", nation.Join(region, byKey, "inner").
			Filter(F.Col("r_name").Eq("EUROPE")).Select(F.Col("n_name")).OrderBy(F.Col("n_name")),
			"FRANCE;GERMANY;ROMANIA;RUSSIA;UNITED KINGDOM"},
		{"group count", nation.Join(region, byKey, "inner").GroupBy(F.Col("r_name")).
			Agg(F.CountStar().Alias("n")).OrderBy(F.Col("r_name").Desc()),
			"MIDDLE EAST|5;EUROPE|5;ASIA|5;AMERICA|5;AFRICA|5"},
		{"window first per region", nation.
			WithColumn("rn", F.RowNumber().Over(frame.Window{}.PartitionBy(F.Col("n_regionkey")).OrderBy(F.Col("n_nationkey")))).
			Filter(F.Col("rn").Eq(1)).Select(F.Col("n_regionkey"), F.Col("n_name")).OrderBy(F.Col("n_regionkey")),
			"0|ALGERIA;1|ARGENTINA;2|INDIA;3|FRANCE;4|EGYPT"},
		{"self join", nation.Alias("a").Join(nation.Alias("b"),
			F.Col("a.n_regionkey").Eq(F.Col("b.n_regionkey")).And(F.Col("a.n_nationkey").Lt(F.Col("b.n_nationkey"))), "inner").
			Agg(F.CountStar().Alias("pairs")),
			"50"},
		{"anti join", region.Join(nation.Filter(F.Col("n_name").Like("A%")), byKey, "left_anti").
			Select(F.Col("r_name")).OrderBy(F.Col("r_name")),
			"ASIA;EUROPE;MIDDLE EAST"},
		{"union distinct", nation.Select(F.Col("n_regionkey").Alias("k")).Union(region.Select(F.Col("r_regionkey"))).
			Distinct().OrderBy(F.Col("k")).Offset(1).Limit(2),
			"1;2"},
		{"explode", region.Select(F.Col("r_regionkey"), F.Explode(frame.Call("array", F.Lit(1), F.Lit(2))).Alias("x")).
			Filter(F.Col("r_regionkey").Eq(0)).OrderBy(F.Col("x")),
			"0|1;0|2"},
		{"rollup", region.Filter(F.Col("r_regionkey").Lt(2)).Rollup(F.Col("r_name")).Agg(F.CountStar().Alias("n")).
			OrderBy(F.Col("r_name")),
			"NULL|2;AFRICA|1;AMERICA|1"},
		{"filter after sort", nation.OrderBy(F.Col("n_name").Desc()).Filter(F.Col("n_regionkey").Eq(3)).Select(F.Col("n_name")),
			"UNITED KINGDOM;RUSSIA;ROMANIA;GERMANY;FRANCE"},
		{"repartition", nation.Repartition(3, F.Col("n_regionkey")).Filter(F.Col("n_regionkey").Eq(1)).Agg(F.CountStar().Alias("n")),
			"5"},
		{"coalesce rename drop", nation.Coalesce(1).WithColumnRenamed("n_name", "name").Drop("n_comment", "n_regionkey").
			Filter(F.Col("n_nationkey").Lt(2)).OrderBy(F.Col("n_nationkey")),
			"0|ALGERIA;1|ARGENTINA"},
		{"drop duplicates", nation.DropDuplicates("n_regionkey").Select(F.Col("n_regionkey")).OrderBy(F.Col("n_regionkey")),
			"0;1;2;3;4"},
		{"intersect all", nation.Select(F.Col("n_regionkey")).IntersectAll(region.Select(F.Col("r_regionkey"))).OrderBy(F.Col("n_regionkey")),
			"0;1;2;3;4"},
		{"except", nation.Select(F.Col("n_regionkey")).Except(region.Filter(F.Col("r_regionkey").Gt(0)).Select(F.Col("r_regionkey"))),
			"0"},
	}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.df.Err(); err != nil {
				t.Fatal(err)
			}
			text, err := unparse.SQL(c.df.Plan())
			if err != nil {
				t.Fatal(err)
			}
			remote := s.SQL(text)
			if err := remote.Err(); err != nil {
				t.Fatalf("%v\nunparsed: %s", err, text)
			}
			if got, want := strings.Join(remote.Columns(), ","), strings.Join(c.df.Columns(), ","); got != want {
				t.Errorf("columns %s, want %s", got, want)
			}
			rows, err := remote.Collect(ctx)
			if err != nil {
				t.Fatalf("%v\nunparsed: %s", err, text)
			}
			lines := make([]string, len(rows))
			for i, r := range rows {
				parts := make([]string, len(r))
				for j, v := range r {
					parts[j] = fmt.Sprint(v)
					if v == nil {
						parts[j] = "NULL"
					}
				}
				lines[i] = strings.Join(parts, "|")
			}
			if got := strings.Join(lines, ";"); got != c.want {
				t.Errorf("got %s\nwant %s\nunparsed: %s", got, c.want, text)
			}
		})
	}
}

// TestUnparseDataFrameErrors checks that a Go UDF and in-memory Go data
// are reported by name.
func TestUnparseDataFrameErrors(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	double := frame.UDF("double_it", arrow.PrimitiveTypes.Int64, func(memory.Allocator, []arrow.Array) (arrow.Array, error) {
		return nil, fmt.Errorf("not run")
	}, F.Col("n_nationkey"))
	df := s.Table("samples.nation").Select(double.Alias("d"))
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := unparse.SQL(df.Plan()); err == nil || !strings.Contains(err.Error(), `Go UDF "double_it" cannot run remotely`) {
		t.Errorf("UDF: got %v", err)
	}
}

// TestUnparseFileSources unparses scans of written files: Parquet (a
// dataset of several files becomes a UNION ALL of direct file queries),
// CSV with the default options, and CSV read with a header, which has no
// direct file query and is reported.
func TestUnparseFileSources(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(3))
	dir := t.TempDir()
	nation := s.Table("samples.nation").Repartition(3)
	if err := nation.Write().Parquet(ctx, dir+"/pq"); err != nil {
		t.Fatal(err)
	}
	if err := nation.Select(F.Col("n_name")).Write().CSV(ctx, dir+"/csv"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		df   *frame.DataFrame
		want int64
	}{
		{"parquet", s.Read().Parquet(dir + "/pq").Filter(F.Col("n_regionkey").Eq(3)), 5},
		{"csv", s.Read().CSV(dir + "/csv").Filter(F.Col("_c0").Like("A%")), 2},
	} {
		text, err := unparse.SQL(c.df.Plan())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		n, err := s.SQL(text).Count(ctx)
		if err != nil || n != c.want {
			t.Errorf("%s: %d rows (%v), want %d\nunparsed: %s", c.name, n, err, c.want, text)
		}
	}
	header := s.Read().Option("header", "true").CSV(dir + "/csv")
	if _, err := unparse.SQL(header.Plan()); err == nil || !strings.Contains(err.Error(), "read with options") {
		t.Errorf("CSV with a header: got %v", err)
	}
}
