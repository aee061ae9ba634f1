package client_test

import (
	"context"
	"errors"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/connect/client"
	"github.com/gspark/gspark/connect/server"
	"github.com/gspark/gspark/connect/server/servertest"
	"github.com/gspark/gspark/values"
)

// startServer serves gspark's Spark Connect server on a loopback port
// until the test ends and returns its sc:// address.
func startServer(t *testing.T) string {
	t.Helper()
	addr, _ := servertest.Start(t, server.Options{})
	return addr
}

func dial(t *testing.T, addr string) *client.Client {
	t.Helper()
	c, err := client.Dial(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return c
}

// readAll reads a result's rows and the number of batches they came in.
func readAll(t *testing.T, r *client.Result) ([][]any, int) {
	t.Helper()
	defer r.Close()
	var rows [][]any
	n := 0
	for {
		b, err := r.Next()
		if err == io.EOF {
			return rows, n
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		rows = append(rows, values.Rows([]arrow.RecordBatch{b})...)
		b.Release()
	}
}

func TestRemoteClientQuery(t *testing.T) {
	c := dial(t, startServer(t))
	ctx := context.Background()
	r, err := c.Query(ctx, "SELECT id, id * 2 AS twice FROM range(0, 5) ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Schema().String(); !strings.Contains(got, "id: type=int64") || !strings.Contains(got, "twice: type=int64") {
		t.Fatalf("schema %s", got)
	}
	rows, _ := readAll(t, r)
	// range(0, 5) is 0..4 (Spark's range end is exclusive).
	if len(rows) != 5 || rows[4][0] != int64(4) || rows[4][1] != int64(8) {
		t.Fatalf("rows %v", rows)
	}
}

// A large result arrives in several batches, read one at a time.
func TestRemoteClientStreams(t *testing.T) {
	c := dial(t, startServer(t))
	r, err := c.Query(context.Background(), "SELECT id FROM range(0, 300000)")
	if err != nil {
		t.Fatal(err)
	}
	rows, batches := readAll(t, r)
	if len(rows) != 300000 || batches < 2 {
		t.Fatalf("%d rows in %d batches, want 300000 in several", len(rows), batches)
	}
}

func TestRemoteClientExecAndViews(t *testing.T) {
	c := dial(t, startServer(t))
	ctx := context.Background()
	r, err := c.Exec(ctx, "CREATE OR REPLACE TEMPORARY VIEW v AS SELECT 1 AS a UNION ALL SELECT 2")
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := readAll(t, r); len(rows) != 0 {
		t.Fatalf("a view's creation returned rows %v", rows)
	}
	r, err = c.Exec(ctx, "SELECT sum(a) AS s FROM v")
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := readAll(t, r); len(rows) != 1 || rows[0][0] != int64(3) {
		t.Fatalf("sum over the view: %v, want [[3]]", rows)
	}
	if err := c.CreateView(ctx, "w", "SELECT a * 10 AS b FROM v", true); err != nil {
		t.Fatal(err)
	}
	r, err = c.Query(ctx, "SELECT max(b) FROM w")
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := readAll(t, r); len(rows) != 1 || rows[0][0] != int32(20) {
		t.Fatalf("max over the view made by CreateView: %#v, want [[int32(20)]]", rows)
	}
}

func TestRemoteClientConf(t *testing.T) {
	c := dial(t, startServer(t))
	ctx := context.Background()
	if err := c.SetConf(ctx, map[string]string{"spark.sql.session.timeZone": "Asia/Tokyo"}); err != nil {
		t.Fatal(err)
	}
	v, err := c.Conf(ctx, "spark.sql.session.timeZone")
	if err != nil || v != "Asia/Tokyo" {
		t.Fatalf("conf %q, %v; want Asia/Tokyo", v, err)
	}
	// The server's session sees it.
	r, err := c.Query(ctx, "SELECT current_timezone()")
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := readAll(t, r); len(rows) != 1 || rows[0][0] != "Asia/Tokyo" {
		t.Fatalf("current_timezone() %v", rows)
	}
}

func TestRemoteClientWrite(t *testing.T) {
	c := dial(t, startServer(t))
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "out")
	err := c.Write(ctx, "SELECT id, cast(id AS string) AS s FROM range(0, 3)", client.WriteSpec{Path: dir, Format: "parquet", Mode: "overwrite"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Query(ctx, "SELECT count(*), max(s) FROM parquet.`"+dir+"`")
	if err != nil {
		t.Fatal(err)
	}
	if rows, _ := readAll(t, r); len(rows) != 1 || rows[0][0] != int64(3) || rows[0][1] != "2" {
		t.Fatalf("read back %v, want [[3 2]]", rows)
	}
	if err := c.Write(ctx, "SELECT 1", client.WriteSpec{Path: dir, Mode: "sideways"}); err == nil || !strings.Contains(err.Error(), "sideways") {
		t.Fatalf("unknown mode: %v", err)
	}
}

func TestRemoteClientErrors(t *testing.T) {
	c := dial(t, startServer(t))
	_, err := c.Query(context.Background(), "SELECT nope FROM range(1)")
	var se *client.ServerError
	if !errors.As(err, &se) || !strings.Contains(se.Message, "nope") || se.Exception != "org.apache.spark.sql.AnalysisException" {
		t.Fatalf("error %#v, want the server's analysis error naming nope", err)
	}
}

func TestRemoteClientUnreachable(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "sc://" + lis.Addr().String()
	lis.Close()
	c := dial(t, addr)
	_, err = c.Query(context.Background(), "SELECT 1")
	if err == nil || !strings.Contains(err.Error(), "cannot be reached") {
		t.Fatalf("error %v, want one saying the server cannot be reached", err)
	}
}
