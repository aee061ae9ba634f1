package sql

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

func parseOne(t *testing.T, text string) Statement {
	t.Helper()
	stmts, err := Parse(text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	if len(stmts) != 1 {
		t.Fatalf("%s: %d statements", text, len(stmts))
	}
	return stmts[0]
}

func TestParseSourceView(t *testing.T) {
	st := parseOne(t, "create or replace temporary view v using CSV options (path '/d/x.csv', header 'true', 'inferSchema' true, sep=';', spark.x.y 1.5) ;")
	v, ok := st.(*CreateSourceView)
	if !ok {
		t.Fatalf("%T", st)
	}
	want := map[string]string{"path": "/d/x.csv", "header": "true", "inferschema": "true", "sep": ";", "spark.x.y": "1.5"}
	if v.Name != "v" || !v.Replace || v.Format != "csv" || fmt.Sprint(v.Options) != fmt.Sprint(want) {
		t.Fatalf("%+v", v)
	}
	if v.SQL() != "create or replace temporary view v using CSV options (path '/d/x.csv', header 'true', 'inferSchema' true, sep=';', spark.x.y 1.5)" {
		t.Fatalf("text %q", v.SQL())
	}
	v = parseOne(t, "CREATE TEMP VIEW w USING json OPTIONS (path \"/a\")").(*CreateSourceView)
	if v.Replace || v.Format != "json" || v.Options["path"] != "/a" {
		t.Fatalf("%+v", v)
	}
	// CREATE TABLE over existing files: LOCATION or OPTIONS (path), no query.
	for _, q := range []string{"CREATE TABLE IF NOT EXISTS t USING delta OPTIONS (versionAsOf '1') LOCATION '/tbl';", "CREATE TABLE IF NOT EXISTS t USING DELTA OPTIONS (path '/tbl', versionAsOf 1)"} {
		v, ok := parseOne(t, q).(*CreateSourceView)
		if !ok || v.Name != "t" || !v.IfNotExists || v.Format != "delta" || fmt.Sprint(v.Options) != "map[path:/tbl versionasof:1]" {
			t.Fatalf("%s: %+v", q, v)
		}
	}
}

func TestParseCTASAndInsert(t *testing.T) {
	ct := parseOne(t, "CREATE TABLE IF NOT EXISTS db.t USING parquet OPTIONS (compression 'zstd') LOCATION '/out/t' AS SELECT a FROM s").(*CreateTableAs)
	if ct.Name != "db.t" || !ct.IfNotExists || ct.Format != "parquet" || ct.Location != "/out/t" || ct.Options["compression"] != "zstd" || ct.Query == nil {
		t.Fatalf("%+v", ct)
	}
	ct = parseOne(t, "CREATE TABLE t USING csv LOCATION '/o' OPTIONS (header true) SELECT 1").(*CreateTableAs)
	if ct.Location != "/o" || ct.Options["header"] != "true" {
		t.Fatalf("%+v", ct)
	}
	ct = parseOne(t, "CREATE TABLE t USING json OPTIONS (path '/p') AS (SELECT 1)").(*CreateTableAs)
	if ct.Location != "/p" || len(ct.Options) != 0 {
		t.Fatalf("%+v", ct)
	}
	ins := parseOne(t, "INSERT OVERWRITE LOCAL DIRECTORY '/tmp/o' USING csv OPTIONS (header 'true') WITH x AS (SELECT 1 AS a) SELECT * FROM x").(*InsertOverwriteDirectory)
	if ins.Path != "/tmp/o" || ins.Format != "csv" || ins.Options["header"] != "true" || ins.Query == nil {
		t.Fatalf("%+v", ins)
	}
	ins = parseOne(t, "INSERT OVERWRITE DIRECTORY USING parquet OPTIONS (path '/q') SELECT 1").(*InsertOverwriteDirectory)
	if ins.Path != "/q" || len(ins.Options) != 0 {
		t.Fatalf("%+v", ins)
	}
}

func TestParseSetAndExplain(t *testing.T) {
	cases := map[string]string{
		"SET":                                             `"" "" false`,
		"SET spark.sql.shuffle.partitions":                `"spark.sql.shuffle.partitions" "" false`,
		"SET spark.sql.shuffle.partitions=4":              `"spark.sql.shuffle.partitions" "4" true`,
		"set gspark.memory.limit = 512MB ":                `"gspark.memory.limit" "512MB" true`,
		"SET gspark.memory.limit = '2 GiB'":               `"gspark.memory.limit" "2 GiB" true`,
		"SET `spark.sql.autoBroadcastJoinThreshold` = -1": `"spark.sql.autoBroadcastJoinThreshold" "-1" true`,
	}
	for text, want := range cases {
		s := parseOne(t, text).(*Set)
		if got := fmt.Sprintf("%q %q %v", s.Key, s.Value, s.HasValue); got != want {
			t.Errorf("%s: %s, want %s", text, got, want)
		}
	}
	stmts, err := Parse("SET a=1; SET b; SELECT 1")
	if err != nil || len(stmts) != 3 || stmts[0].SQL() != "SET a=1" || stmts[1].SQL() != "SET b" {
		t.Fatalf("%v %v", stmts, err)
	}
	e := parseOne(t, "EXPLAIN FORMATTED SELECT 1").(*Explain)
	if !e.Formatted || e.Extended || e.Analyze {
		t.Fatalf("%+v", e)
	}
	e = parseOne(t, "EXPLAIN ANALYZE SELECT 1").(*Explain)
	if e.Formatted || !e.Analyze {
		t.Fatalf("%+v", e)
	}
}

func TestDirectFileQueryName(t *testing.T) {
	q := parseOne(t, "SELECT * FROM parquet.`/data/x.parquet` AS p").(*Query)
	var names []string
	logical.TransformUp(q.Plan, func(n logical.Plan) (logical.Plan, bool, error) {
		if r, ok := n.(*logical.UnresolvedRelation); ok {
			names = append(names, r.Name)
		}
		return n, false, nil
	})
	if fmt.Sprint(names) != "[parquet./data/x.parquet]" {
		t.Fatalf("names %v", names)
	}
}

func TestStatementErrors(t *testing.T) {
	cases := []struct{ text, msg string }{
		{"CREATE TEMP VIEW v USING csv OPTIONS (header 'true')", "line 1, column 18: view v USING csv needs OPTIONS (path '…')"},
		{"CREATE TEMP VIEW v USING orc OPTIONS (path '/x')", "column 26: unknown data source orc"},
		{"CREATE TEMP VIEW v USING csv OPTIONS (path '/x', PATH '/y')", "column 50: duplicate option PATH"},
		{"CREATE TEMP VIEW v USING csv OPTIONS (path '/x'", "expected ')'"},
		{"CREATE TEMP VIEW v USING csv OPTIONS (path)", "expected an option value"},
		{"CREATE VIEW v AS SELECT 1", "only temporary views are supported"},
		{"CREATE OR REPLACE TABLE t USING csv LOCATION '/x' AS SELECT 1", "CREATE OR REPLACE TABLE is not supported"},
		{"CREATE TABLE t USING csv AS SELECT 1", "column 14: table t needs a LOCATION"},
		{"CREATE TABLE t (a INT) USING csv", "column definitions are not supported"},
		{"CREATE TABLE t USING csv LOCATION '/x' FOO", "expected AS SELECT … or the end of the statement"},
		{"CREATE TABLE t USING csv LOCATION x AS SELECT 1", "expected a quoted path after LOCATION"},
		{"CREATE TABLE t USING csv LOCATION '/x' PARTITIONED BY (a) AS SELECT 1", "PARTITIONED is not supported"},
		{"CREATE TABLE t USING csv LOCATION '/x' OPTIONS (path '/y') AS SELECT 1", "both LOCATION and OPTIONS"},
		{"INSERT INTO t SELECT 1", "only INSERT OVERWRITE DIRECTORY"},
		{"INSERT OVERWRITE DIRECTORY USING csv SELECT 1", "needs a path"},
		{"INSERT OVERWRITE DIRECTORY '/x' SELECT 1", "expected USING"},
		{"INSERT OVERWRITE DIRECTORY '/x' USING csv", "expected a query"},
		{"SET = 4", "SET needs a key"},
		{"SET a b = 4", "invalid SET key"},
		{"EXPLAIN COST SELECT 1", "EXPLAIN COST is not supported"},
		{"EXPLAIN FORMATTED SHOW TABLES", "expected a query after EXPLAIN"},
		{"UPDATE t SET a = 1", "expected SELECT, WITH, CREATE, INSERT"},
	}
	for _, c := range cases {
		_, err := Parse(c.text)
		var se *SyntaxError
		if err == nil || !strings.Contains(err.Error(), c.msg) || !errors.As(err, &se) {
			t.Errorf("%s: error %v, want %q", c.text, err, c.msg)
		}
	}
}

// TestStatementPrefixesNeverPanic parses every prefix of some statements:
// each must parse or fail with a positioned error.
func TestStatementPrefixesNeverPanic(t *testing.T) {
	for _, text := range []string{
		"CREATE OR REPLACE TEMP VIEW v USING csv OPTIONS (path '/x', header = true, n -1)",
		"CREATE TABLE IF NOT EXISTS t USING json OPTIONS (a.b 'c') LOCATION '/l' AS SELECT 1",
		"INSERT OVERWRITE LOCAL DIRECTORY '/d' USING parquet OPTIONS ('k' 'v') SELECT * FROM parquet.`/p`",
		"SET `a.b` = 'v'; EXPLAIN FORMATTED SELECT 1",
	} {
		for i := range len(text) {
			_, err := Parse(text[:i])
			var se *SyntaxError
			if err != nil && !errors.As(err, &se) {
				t.Errorf("%q: unpositioned error %v", text[:i], err)
			}
		}
	}
}

func TestSyntaxStatements(t *testing.T) {
	stmts, err := Parse(`SHOW COLUMNS IN t IN db; SHOW USER FUNCTIONS LIKE 'a*'; DESCRIBE TABLE EXTENDED t; DESC extended;
		CACHE LAZY TABLE c AS SELECT 1; UNCACHE TABLE IF EXISTS c; DECLARE OR REPLACE VARIABLE v INT DEFAULT 1 + 1;
		SET VAR v = 2, session.w = 3; DROP TEMPORARY VARIABLE IF EXISTS system.session.v; SET var = 1`)
	if err != nil {
		t.Fatal(err)
	}
	if c := stmts[0].(*ShowColumns); c.Table != "db.t" {
		t.Errorf("SHOW COLUMNS: table %q", c.Table)
	}
	if f := stmts[1].(*ShowFunctions); f.Pattern != "a*" {
		t.Errorf("SHOW FUNCTIONS: pattern %q", f.Pattern)
	}
	if d := stmts[2].(*Describe); !d.Extended || d.Name != "t" {
		t.Errorf("DESCRIBE EXTENDED: %+v", d)
	}
	if d := stmts[3].(*Describe); d.Extended || d.Name != "extended" {
		t.Errorf("DESC extended (a table named extended): %+v", d)
	}
	if c := stmts[4].(*CacheTable); !c.Lazy || c.Query == nil || c.Name != "c" {
		t.Errorf("CACHE: %+v", c)
	}
	if u := stmts[5].(*UncacheTable); !u.IfExists || u.Name != "c" {
		t.Errorf("UNCACHE: %+v", u)
	}
	if d := stmts[6].(*DeclareVariable); !d.Replace || d.Name != "v" || d.Type == nil || d.Default == nil {
		t.Errorf("DECLARE: %+v", d)
	}
	if s := stmts[7].(*SetVariable); strings.Join(s.Names, ",") != "v,w" {
		t.Errorf("SET VAR: %+v", s)
	}
	if d := stmts[8].(*DropVariable); !d.IfExists || d.Name != "v" {
		t.Errorf("DROP VARIABLE: %+v", d)
	}
	if s := stmts[9].(*Set); s.Key != "var" || s.Value != "1" {
		t.Errorf("SET var = 1 is a setting: %+v", stmts[9])
	}
	for _, bad := range []string{"SHOW COLUMNS t", "CACHE t", "UNCACHE TABLE IF t", "SET VAR v 1", "SHOW FUNCTIONS LIKE"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}
