package frame_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/connect/server"
	"github.com/gspark/gspark/connect/server/servertest"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// startRemoteServer serves gspark's Spark Connect server on a loopback port
// until the test ends and returns its sc:// address.
func startRemoteServer(t *testing.T) string {
	t.Helper()
	addr, _ := startRemoteServerWith(t)
	return addr
}

// startRemoteServerWith is startRemoteServer also returning the server.
func startRemoteServerWith(t *testing.T) (string, *server.Server) {
	t.Helper()
	return servertest.Start(t, server.Options{})
}

// remoteSession opens a remote session on addr, closed when the test ends.
func remoteSession(t *testing.T, addr string) *frame.Session {
	t.Helper()
	s := frame.NewSession(frame.WithRemote(addr))
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// programResult is everything the DataFrame program of TestRemoteDataFrame
// observes.
type programResult struct {
	schema   string
	rows     []frame.Row
	show     string
	count    int64
	readBack []frame.Row
	viewRows []frame.Row
}

// program runs a DataFrame-API program over the TPC-H tables in dir:
// reads (Parquet, CSV with options), filter, joins, group and aggregate,
// withColumn, order, limit; collect, show, count, a Parquet write read
// back, a temp view queried with SQL.
func program(t *testing.T, s *frame.Session, dir, out string) programResult {
	t.Helper()
	ctx := context.Background()
	customer := s.Read().Parquet(filepath.Join(dir, "customer"))
	orders := s.Read().Parquet(filepath.Join(dir, "orders"))
	nation := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(filepath.Join(dir, "nation_csv"))
	region := s.Table("region")
	df := customer.
		Filter(frame.Col("c_acctbal").Gt(0)).
		Join(nation, frame.Col("c_nationkey").Eq(frame.Col("n_nationkey")), "inner").
		Join(region, frame.Col("n_regionkey").Eq(frame.Col("r_regionkey")), "inner").
		Join(orders.Filter(frame.Col("o_orderdate").Geq(frame.Lit("1995-01-01"))), frame.Col("c_custkey").Eq(frame.Col("o_custkey")), "inner").
		GroupBy(frame.Col("r_name"), frame.Col("n_name")).
		Agg(F.Sum(frame.Col("o_totalprice")).Alias("revenue"), F.CountStar().Alias("orders"), F.Max(frame.Col("c_acctbal")).Alias("richest")).
		WithColumn("avg_order", frame.Col("revenue").Div(frame.Col("orders"))).
		WithColumn("name", F.Lower(frame.Col("n_name"))).
		OrderBy(frame.Col("revenue").Desc(), frame.Col("n_name")).
		Limit(7)
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	var r programResult
	r.schema = df.Schema().String()
	var err error
	if r.rows, err = df.Collect(ctx); err != nil {
		t.Fatalf("collect: %v", err)
	}
	if r.show, err = df.ShowString(ctx, 5, 20); err != nil {
		t.Fatalf("show: %v", err)
	}
	if r.count, err = df.Count(ctx); err != nil {
		t.Fatalf("count: %v", err)
	}
	if err := df.Write().Mode("overwrite").Parquet(ctx, out); err != nil {
		t.Fatalf("write: %v", err)
	}
	if r.readBack, err = s.Read().Parquet(out).OrderBy(frame.Col("revenue").Desc(), frame.Col("n_name")).Collect(ctx); err != nil {
		t.Fatalf("read back: %v", err)
	}
	if err := df.CreateOrReplaceTempView("top_nations"); err != nil {
		t.Fatalf("view: %v", err)
	}
	if r.viewRows, err = s.SQL("SELECT r_name, count(*) AS n, max(orders) AS most FROM top_nations GROUP BY r_name ORDER BY r_name").Collect(ctx); err != nil {
		t.Fatalf("query of the view: %v", err)
	}
	return r
}

// TestRemoteDataFrame runs the same DataFrame program on a local session and
// on a remote one (WithRemote) against gspark's server in-process, and
// wants the same rows, schema and Show text.
func TestRemoteDataFrame(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	local := frame.NewSession()
	for _, table := range []string{"customer", "orders"} {
		if err := local.Table(table).Write().Parquet(ctx, filepath.Join(dir, table)); err != nil {
			t.Fatal(err)
		}
	}
	if err := local.Table("nation").Write().Option("header", "true").CSV(ctx, filepath.Join(dir, "nation_csv")); err != nil {
		t.Fatal(err)
	}
	remote := remoteSession(t, startRemoteServer(t))

	want := program(t, local, dir, filepath.Join(t.TempDir(), "local"))
	got := program(t, remote, dir, filepath.Join(t.TempDir(), "remote"))

	// The local run itself, against hand-checkable facts: 7 rows of the
	// 25 TPC-H nations, a count that agrees, revenue descending.
	if len(want.rows) != 7 || want.count != 7 || len(want.readBack) != 7 {
		t.Fatalf("local run: %d rows, count %d, %d read back; want 7", len(want.rows), want.count, len(want.readBack))
	}
	if got.schema != want.schema {
		t.Errorf("schema\nremote %s\nlocal  %s", got.schema, want.schema)
	}
	if !reflect.DeepEqual(got.rows, want.rows) {
		t.Errorf("rows\nremote %v\nlocal  %v", got.rows, want.rows)
	}
	if got.show != want.show {
		t.Errorf("show\nremote:\n%s\nlocal:\n%s", got.show, want.show)
	}
	if got.count != want.count {
		t.Errorf("count remote %d, local %d", got.count, want.count)
	}
	if !reflect.DeepEqual(got.readBack, want.readBack) {
		t.Errorf("read back\nremote %v\nlocal  %v", got.readBack, want.readBack)
	}
	if !reflect.DeepEqual(got.viewRows, want.viewRows) {
		t.Errorf("view\nremote %v\nlocal  %v", got.viewRows, want.viewRows)
	}
}

// TestRemoteUDF reports a Go UDF, which cannot run on the server, by name.
func TestRemoteUDF(t *testing.T) {
	s := remoteSession(t, startRemoteServer(t))
	twice := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		return nil, errors.New("not called")
	}
	df := s.Table("nation").WithColumn("k2", frame.UDF("twice", arrow.PrimitiveTypes.Int64, twice, frame.Col("n_nationkey")))
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	_, err := df.Collect(context.Background())
	if !errors.Is(err, frame.ErrNotRemote) || !strings.Contains(err.Error(), `"twice"`) {
		t.Fatalf("error %v, want ErrNotRemote naming the UDF twice", err)
	}
	err = df.Write().Parquet(context.Background(), t.TempDir())
	if !errors.Is(err, frame.ErrNotRemote) || !strings.Contains(err.Error(), "write") {
		t.Fatalf("write error %v, want ErrNotRemote naming the write", err)
	}
}

// TestRemoteLocalData reports Go data made in this process and cached
// results as what cannot run remotely.
func TestRemoteLocalData(t *testing.T) {
	s := remoteSession(t, startRemoteServer(t))
	_, err := s.Table("region").Cache(context.Background())
	if !errors.Is(err, frame.ErrNotRemote) || !strings.Contains(err.Error(), "Cache") {
		t.Fatalf("cache error %v", err)
	}
}

// TestRemoteExecSQL runs a script on the server: the view its first
// statement makes is the server's, read by the next ones; SET reaches the
// server's session.
func TestRemoteExecSQL(t *testing.T) {
	s := remoteSession(t, startRemoteServer(t))
	ctx := context.Background()
	script := "CREATE OR REPLACE TEMP VIEW big AS SELECT n_name FROM nation WHERE n_nationkey >= 20; SET spark.sql.session.timeZone=Asia/Tokyo; SELECT count(*) AS n FROM big; SELECT current_timezone() AS z"
	var got []frame.Row
	err := s.ExecSQL(ctx, script, func(_ string, df *frame.DataFrame) error {
		rows, err := df.Collect(ctx)
		got = append(got, rows...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// TPC-H nations 20..24: five of them.
	want := []frame.Row{{int64(5)}, {"Asia/Tokyo"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	if _, err := s.Table("big").Count(ctx); err != nil {
		t.Fatalf("the view is not the server's: %v", err)
	}
	// SHOW TABLES lists the server session's tables, the view among them.
	var shown strings.Builder
	err = s.ExecSQL(ctx, "SHOW TABLES", func(_ string, df *frame.DataFrame) error {
		rows, err := df.Collect(ctx)
		for _, r := range rows {
			fmt.Fprintln(&shown, r...)
		}
		return err
	})
	if err != nil || !strings.Contains(shown.String(), "big") {
		t.Fatalf("SHOW TABLES: %v\n%s", err, shown.String())
	}
}

// TestRemoteCancel cancels an action's context while a query far too long
// to finish streams: the action returns at once and the server's operation
// ends.
func TestRemoteCancel(t *testing.T) {
	addr, srv := startRemoteServerWith(t)
	s := remoteSession(t, addr)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := 0
	err := s.SQL("SELECT id FROM range(0, 100000000000)").ForEachBatch(ctx, func(arrow.RecordBatch) error {
		batches++
		if batches == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for srv.Running() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d operations still running on the server", srv.Running())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
