package server_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/apache/spark-connect-go/spark/sparkerrors"
	"github.com/apache/spark-connect-go/spark/sql"
	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/dynamicpb"

	cproto "github.com/gspark/gspark/connect/proto"
	"github.com/gspark/gspark/connect/server"
)

func TestSessionsIsolated(t *testing.T) {
	ctx := context.Background()
	addr := startServer(t)
	a, b := connect(t, addr), connect(t, addr)
	va, err := a.Sql(ctx, "SELECT 1 AS x")
	if err != nil {
		t.Fatal(err)
	}
	if err := va.CreateTempView(ctx, "only_in_a", true, false); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sql(ctx, "SELECT * FROM only_in_a"); err != nil {
		t.Fatalf("session a does not see its view: %v", err)
	}
	if _, err := b.Sql(ctx, "SELECT * FROM only_in_a"); err == nil {
		t.Fatal("session b sees session a's temporary view")
	}
	if err := a.Config().Set(ctx, "spark.sql.session.timeZone", "America/Los_Angeles"); err != nil {
		t.Fatal(err)
	}
	if err := a.Config().Set(ctx, "spark.sql.shuffle.partitions", "7"); err != nil {
		t.Fatal(err)
	}
	if err := a.Config().Set(ctx, "spark.app.custom", "hello"); err != nil {
		t.Fatal(err)
	}
	// Session b set nothing: as Spark's getConfString(key, default), it
	// gets the default given, even for a setting that has a value.
	for _, c := range []struct{ key, a, b string }{
		{"spark.sql.session.timeZone", "America/Los_Angeles", "(unset)"},
		{"spark.sql.shuffle.partitions", "7", "(unset)"},
		{"spark.app.custom", "hello", "(unset)"},
	} {
		got, err := a.Config().Get(ctx, c.key)
		if err != nil || got != c.a {
			t.Errorf("session a: %s = %q, %v; want %q", c.key, got, err, c.a)
		}
		gb, err := b.Config().GetWithDefault(ctx, c.key, "(unset)")
		if err != nil {
			t.Fatal(err)
		}
		if gb != c.b {
			t.Errorf("session b: %s = %q, want %q (not session a's)", c.key, gb, c.b)
		}
	}
	// The zone applies to session a's queries only.
	rows, err := mustCollect(t, a, "SELECT current_timezone()")
	if err != nil || rows[0][0] != "America/Los_Angeles" {
		t.Errorf("session a's current_timezone() = %v, %v", rows, err)
	}
	rows, err = mustCollect(t, b, "SELECT current_timezone()")
	if err != nil || rows[0][0] != "UTC" {
		t.Errorf("session b's current_timezone() = %v, %v", rows, err)
	}
	if err := a.Config().Unset(ctx, "spark.sql.session.timeZone"); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Config().Get(ctx, "spark.sql.session.timeZone"); got != "UTC" {
		t.Errorf("after unset: %q, want UTC", got)
	}
}

func TestErrorsInSparkShape(t *testing.T) {
	ctx := context.Background()
	spark := connect(t, startServer(t))
	_, err := spark.Sql(ctx, "SELEC 1")
	var se *sparkerrors.SparkError
	if !errors.As(err, &se) {
		t.Fatalf("parse error %v (%T) carries no SparkError", err, err)
	}
	if se.ErrorClass != "PARSE_SYNTAX_ERROR" || se.Reason != "org.apache.spark.sql.catalyst.parser.ParseException" || se.SqlState != "42601" {
		t.Errorf("parse error: class %q reason %q state %q", se.ErrorClass, se.Reason, se.SqlState)
	}
	_, err = spark.Sql(ctx, "SELECT nope FROM range(3)")
	if !errors.As(err, &se) || se.Reason != "org.apache.spark.sql.AnalysisException" {
		t.Errorf("unknown column: %v, want an AnalysisException", err)
	}
	df, err := spark.Sql(ctx, "SELECT * FROM range(10)")
	if err != nil {
		t.Fatal(err)
	}
	_, err = df.Tail(ctx, 2)
	if err == nil || !strings.Contains(err.Error(), "not supported by gspark: tail") {
		t.Errorf("tail: %v, want not supported by gspark: tail", err)
	}
}

// mustCollect runs a query through the client.
func mustCollect(t *testing.T, spark sql.SparkSession, q string) ([][]any, error) {
	t.Helper()
	ctx := context.Background()
	df, err := spark.Sql(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := df.Collect(ctx)
	if err != nil {
		return nil, err
	}
	return rowValues(rows), nil
}

const service = "/spark.connect.SparkConnectService/"

// rawConn is a plain gRPC connection for requests the client's sql package
// does not make (Interrupt), with messages built through connect/proto.
func rawConn(t *testing.T, addr string) (*grpc.ClientConn, *cproto.Schema) {
	t.Helper()
	conn, err := grpc.NewClient(strings.TrimPrefix(addr, "sc://"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	sc, err := cproto.Load()
	if err != nil {
		t.Fatal(err)
	}
	return conn, sc
}

func newMsg(t *testing.T, sc *cproto.Schema, name string) cproto.Msg {
	t.Helper()
	m, err := sc.New(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// longQuery is a query that runs far longer than any test.
const longQuery = "SELECT count(*) FROM range(0, 1000000000000) WHERE id % 7 = 3"

// startLong starts longQuery in the session as the operation opID and
// returns the channel its stream's end is sent on.
func startLong(t *testing.T, ctx context.Context, conn *grpc.ClientConn, sc *cproto.Schema, sessionID, opID string) <-chan error {
	t.Helper()
	req := newMsg(t, sc, "ExecutePlanRequest")
	_ = req.Set("session_id", sessionID)
	_ = req.Set("operation_id", opID)
	if _, err := req.Append("tags", "long"); err != nil {
		t.Fatal(err)
	}
	_ = req.Mut("plan").Mut("root").Mut("sql").Set("query", longQuery)
	stream, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, service+"ExecutePlan")
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.SendMsg(req.M.Interface()); err != nil {
		t.Fatal(err)
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatal(err)
	}
	md, err := sc.Message("ExecutePlanResponse")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for {
			resp := dynamicpb.NewMessage(md)
			if err := stream.RecvMsg(resp); err != nil {
				if errors.Is(err, io.EOF) {
					err = nil
				}
				done <- err
				return
			}
		}
	}()
	return done
}

// waitRunning waits until the server runs n operations.
func waitRunning(t *testing.T, srv *server.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for srv.Running() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d operations running, want %d", srv.Running(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestInterruptCancelsQuery(t *testing.T) {
	ctx := context.Background()
	addr, srv := startServerWith(t)
	conn, sc := rawConn(t, addr)
	for _, by := range []string{"id", "all", "tag"} {
		sessionID, opID := uuid.NewString(), uuid.NewString()
		done := startLong(t, ctx, conn, sc, sessionID, opID)
		waitRunning(t, srv, 1)
		req := newMsg(t, sc, "InterruptRequest")
		_ = req.Set("session_id", sessionID)
		switch by {
		case "id":
			_ = req.Set("interrupt_type", 3)
			_ = req.Set("operation_id", opID)
		case "all":
			_ = req.Set("interrupt_type", 1)
		case "tag":
			_ = req.Set("interrupt_type", 2)
			_ = req.Set("operation_tag", "long")
		}
		resp := newMsg(t, sc, "InterruptResponse")
		if err := conn.Invoke(ctx, service+"Interrupt", req.M.Interface(), resp.M.Interface()); err != nil {
			t.Fatal(err)
		}
		if ids := resp.Strings("interrupted_ids"); len(ids) != 1 || ids[0] != opID {
			t.Errorf("interrupted %v, want [%s]", ids, opID)
		}
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "interrupted") {
				t.Errorf("interrupted query ended with %v", err)
			}
		case <-time.After(time.Second):
			t.Fatal("the query still runs a second after Interrupt")
		}
		waitRunning(t, srv, 0)
	}
}

func TestClientDisconnectReleasesQuery(t *testing.T) {
	addr, srv := startServerWith(t)
	conn, sc := rawConn(t, addr)
	ctx, cancel := context.WithCancel(context.Background())
	done := startLong(t, ctx, conn, sc, uuid.NewString(), uuid.NewString())
	waitRunning(t, srv, 1)
	cancel()
	<-done
	// The server's operation ends and its goroutines stop (goleak checks
	// the rest when the package's tests end).
	waitRunning(t, srv, 0)
	_ = conn.Close()
}

func TestClientCancelThroughSQLPackage(t *testing.T) {
	addr, srv := startServerWith(t)
	spark := connect(t, addr)
	ctx, cancel := context.WithCancel(context.Background())
	df, err := spark.Sql(ctx, longQuery)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := df.Collect(ctx)
		errc <- err
	}()
	waitRunning(t, srv, 1)
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("cancelled Collect returned no error")
	}
	waitRunning(t, srv, 0)
}

func TestShutdownCancelsAfterDeadline(t *testing.T) {
	addr, srv := startServerWith(t)
	conn, sc := rawConn(t, addr)
	done := startLong(t, context.Background(), conn, sc, uuid.NewString(), uuid.NewString())
	waitRunning(t, srv, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown with a query running: %v, want the deadline", err)
	}
	if err := <-done; err == nil {
		t.Error("the running query ended without an error")
	}
	waitRunning(t, srv, 0)
}
