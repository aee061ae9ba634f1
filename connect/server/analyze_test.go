package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/spark-connect-go/spark/sql/functions"
	"github.com/apache/spark-connect-go/spark/sql/utils"
	"github.com/google/uuid"

	cproto "github.com/gspark/gspark/connect/proto"
)

func TestAnalyzePlan(t *testing.T) {
	ctx := context.Background()
	addr := startServer(t)
	spark := connect(t, addr)
	df, err := spark.Sql(ctx, "SELECT id, id * 2 AS twice FROM range(10)")
	if err != nil {
		t.Fatal(err)
	}
	text, err := df.Explain(ctx, utils.ExplainModeSimple)
	if err != nil || !strings.Contains(text, "Range") {
		t.Errorf("explain = %q, %v", text, err)
	}
	same, err := df.FilterByString(ctx, "id > 3")
	if err != nil {
		t.Fatal(err)
	}
	other, err := df.Filter(ctx, functions.Col("id").Gt(functions.Expr("3")))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := same.SameSemantics(ctx, other); err != nil || !ok {
		t.Errorf("id > 3 written two ways: same semantics %v, %v", ok, err)
	}
	diff, err := df.FilterByString(ctx, "id > 4")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := same.SameSemantics(ctx, diff); err != nil || ok {
		t.Errorf("id > 3 and id > 4: same semantics %v, %v", ok, err)
	}
	h1, err1 := same.SemanticHash(ctx)
	h2, err2 := other.SemanticHash(ctx)
	if err1 != nil || err2 != nil || h1 != h2 {
		t.Errorf("semantic hashes %d (%v), %d (%v)", h1, err1, h2, err2)
	}

	// Through plain gRPC: DDL parsing, the tree string, is-local.
	conn, sc := rawConn(t, addr)
	analyze := func(build func(req cproto.Msg)) cproto.Msg {
		t.Helper()
		req := newMsg(t, sc, "AnalyzePlanRequest")
		_ = req.Set("session_id", uuid.NewString())
		build(req)
		resp := newMsg(t, sc, "AnalyzePlanResponse")
		if err := conn.Invoke(ctx, service+"AnalyzePlan", req.M.Interface(), resp.M.Interface()); err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := analyze(func(req cproto.Msg) {
		_ = req.Mut("ddl_parse").Set("ddl_string", "a INT, b DECIMAL(12,2), c ARRAY<STRING>")
	})
	var got []string
	for _, f := range resp.Get("ddl_parse").Get("parsed").Get("struct").List("fields") {
		dt := f.Get("data_type")
		got = append(got, f.Str("name")+":"+dt.Which("kind"))
	}
	if strings.Join(got, ",") != "a:integer,b:decimal,c:array" {
		t.Errorf("DDL parsed as %v", got)
	}
	dec := resp.Get("ddl_parse").Get("parsed").Get("struct").List("fields")[1].Get("data_type").Get("decimal")
	if dec.Int("precision") != 12 || dec.Int("scale") != 2 {
		t.Errorf("decimal(12,2) parsed as precision %d scale %d", dec.Int("precision"), dec.Int("scale"))
	}
	resp = analyze(func(req cproto.Msg) {
		_ = req.Mut("tree_string").Mut("plan").Mut("root").Mut("sql").Set("query", "SELECT CAST(1 AS BIGINT) AS id, 'x' AS s")
	})
	// Spark's printSchema of this query, by hand.
	want := "root\n |-- id: long (nullable = false)\n |-- s: string (nullable = false)\n"
	if ts := resp.Get("tree_string").Str("tree_string"); ts != want {
		t.Errorf("tree string %q, want %q", ts, want)
	}
	resp = analyze(func(req cproto.Msg) {
		_ = req.Mut("is_local").Mut("plan").Mut("root").Mut("range").Set("end", int64(3))
	})
	if resp.Get("is_local").Bool("is_local") {
		t.Error("a range is local")
	}
	resp = analyze(func(req cproto.Msg) { req.Mut("spark_version") })
	if v := resp.Get("spark_version").Str("version"); v == "" {
		t.Error("no Spark version")
	}
}
