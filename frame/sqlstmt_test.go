package frame_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// stmtSource is the query the statement tests write and read back: every
// column type the text formats carry, with nulls.
const stmtSource = `SELECT CAST(o_orderkey AS BIGINT) AS k, o_totalprice AS price, o_orderdate AS d,
  CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_comment END AS c,
  CASE WHEN o_orderkey % 5 = 0 THEN NULL ELSE CAST(o_orderkey AS DOUBLE) / 3 END AS f,
  o_orderkey % 2 = 0 AS b,
  CAST(o_orderdate AS TIMESTAMP) AS ts
FROM samples.orders WHERE o_orderkey < 3000`

// stmtCasts selects the source's columns back in order and type from a
// table whose column names are given (as they were inferred).
func stmtCasts(from string, names [7]string) string {
	return fmt.Sprintf(`SELECT CAST(%s AS BIGINT) AS k, CAST(%s AS DECIMAL(15,2)) AS price, CAST(%s AS DATE) AS d,
  CAST(%s AS STRING) AS c, CAST(%s AS DOUBLE) AS f, CAST(%s AS BOOLEAN) AS b, CAST(%s AS TIMESTAMP) AS ts FROM %s ORDER BY k`,
		names[0], names[1], names[2], names[3], names[4], names[5], names[6], from)
}

var sourceNames = [7]string{"k", "price", "d", "c", "f", "b", "ts"}

func execSQL(t *testing.T, s *frame.Session, script string) [][]frame.Row {
	t.Helper()
	var out [][]frame.Row
	err := s.ExecSQL(context.Background(), script, func(stmt string, df *frame.DataFrame) error {
		rows, err := df.Collect(context.Background())
		out = append(out, rows)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return out
}

func stmtSession(t *testing.T, parts int) *frame.Session {
	return frame.NewSession(frame.WithPartitions(parts), frame.WithAllocator(exectest.Alloc(t)))
}

func TestCreateTableAsRoundTrip(t *testing.T) {
	s := stmtSession(t, 3)
	want := collect(t, s.SQL(stmtSource+" ORDER BY k"))
	if len(want) < 100 {
		t.Fatalf("only %d source rows", len(want))
	}
	for _, format := range []string{"parquet", "csv", "json"} {
		dir := filepath.Join(t.TempDir(), "t_"+format)
		opts := ""
		if format == "csv" {
			opts = "OPTIONS (header 'true', sep ';')"
		}
		execSQL(t, s, fmt.Sprintf("CREATE TABLE t_%s USING %s %s LOCATION '%s' AS %s", format, format, opts, dir, stmtSource))
		if _, err := os.Stat(filepath.Join(dir, "_SUCCESS")); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		got := collect(t, s.SQL(fmt.Sprintf("SELECT * FROM t_%s ORDER BY k", format)))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: CTAS round trip differs: %d rows vs %d\n%v\n%v", format, len(got), len(want), got[:2], want[:2])
		}
		// The location exists now: Spark's ErrorIfExists.
		err := s.ExecSQL(context.Background(), fmt.Sprintf("CREATE TABLE other_%s USING %s LOCATION '%s' AS SELECT 1 AS x", format, format, dir), nil)
		if !errors.Is(err, fs.ErrExist) {
			t.Fatalf("%s: CTAS over an existing location: %v", format, err)
		}
		err = s.ExecSQL(context.Background(), fmt.Sprintf("CREATE TABLE t_%s USING %s LOCATION '%s' AS SELECT 1 AS x", format, format, dir+"2"), nil)
		if err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("%s: CTAS of an existing table: %v", format, err)
		}
		execSQL(t, s, fmt.Sprintf("CREATE TABLE IF NOT EXISTS t_%s USING %s LOCATION '%s' AS SELECT 1 AS x", format, format, dir+"2"))
		if _, err := os.Stat(dir + "2"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%s: IF NOT EXISTS wrote %s: %v", format, dir+"2", err)
		}
	}
	if df := s.SQL("CREATE TABLE x USING json LOCATION '/nowhere' AS SELECT 1"); df.Err() == nil || !strings.Contains(df.Err().Error(), "ExecSQL") {
		t.Fatalf("SQL ran CTAS: %v", df.Err())
	}
}

func TestInsertOverwriteViewsAndFileQueries(t *testing.T) {
	s := stmtSession(t, 4)
	want := collect(t, s.SQL(stmtCasts("("+stmtSource+")", sourceNames)))
	csvNames := [7]string{"_c0", "_c1", "_c2", "_c3", "_c4", "_c5", "_c6"}
	for _, format := range []string{"parquet", "csv", "json"} {
		dir := filepath.Join(t.TempDir(), format+" dir")
		// A first, smaller dataset, then overwritten.
		execSQL(t, s, fmt.Sprintf("INSERT OVERWRITE DIRECTORY '%s' USING %s SELECT 1 AS k", dir, format))
		execSQL(t, s, fmt.Sprintf("INSERT OVERWRITE DIRECTORY '%s' USING %s %s", dir, format, stmtSource))
		names := sourceNames
		if format == "csv" {
			names = csvNames
		}
		got := collect(t, s.SQL(stmtCasts(fmt.Sprintf("%s.`%s`", format, dir), names)))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: direct file query differs: %d rows vs %d\n%v\n%v", format, len(got), len(want), got[:2], want[:2])
		}
		execSQL(t, s, fmt.Sprintf("CREATE TEMP VIEW v_%s USING %s OPTIONS (path '%s', inferSchema 'true')", format, format, dir))
		got = collect(t, s.SQL(stmtCasts("v_"+format, names)))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: USING view differs: %d rows vs %d", format, len(got), len(want))
		}
		// The reader API reads the same files.
		df := s.Read().Format(format).Option("inferSchema", "true").Load(dir)
		if err := df.CreateOrReplaceTempView("api_" + format); err != nil {
			t.Fatal(err)
		}
		got = collect(t, s.SQL(stmtCasts("api_"+format, names)))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: Format().Load differs", format)
		}
		if err := s.ExecSQL(context.Background(), fmt.Sprintf("CREATE TEMP VIEW v_%s USING %s OPTIONS (path '%s')", format, format, dir), nil); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("%s: view created twice: %v", format, err)
		}
		execSQL(t, s, fmt.Sprintf("CREATE OR REPLACE TEMP VIEW v_%s USING %s OPTIONS (path '%s')", format, format, dir))
	}
	for _, c := range []struct{ q, msg string }{
		{"SELECT * FROM parquet.`/no/such/dir`", "/no/such/dir does not exist"},
		{"SELECT * FROM orc.`/no/such/dir`", "unknown table orc./no/such/dir"},
		{"SELECT * FROM avro.`/no/such/dir`", "read avro: path /no/such/dir does not exist"},
		{"SELECT * FROM json.`" + t.TempDir() + "`", "contains no .json files"},
	} {
		if err := s.SQL(c.q).Err(); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %q", c.q, err, c.msg)
		}
	}
	if err := s.ExecSQL(context.Background(), "CREATE TEMP VIEW nope USING csv OPTIONS (path '/no/such.csv')", nil); err == nil || !strings.Contains(err.Error(), "view nope") {
		t.Fatalf("view over a missing path: %v", err)
	}
	if df := s.SQL("INSERT OVERWRITE DIRECTORY '/nowhere' USING json SELECT 1"); df.Err() == nil || !strings.Contains(df.Err().Error(), "ExecSQL") {
		t.Fatalf("SQL ran INSERT OVERWRITE: %v", df.Err())
	}
}

// snapshot maps every file under dir to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestInsertOverwriteIsAtomic(t *testing.T) {
	s := stmtSession(t, 4)
	parent := t.TempDir()
	for _, format := range []string{"parquet", "csv", "json"} {
		dir := filepath.Join(parent, format)
		execSQL(t, s, fmt.Sprintf("INSERT OVERWRITE DIRECTORY '%s' USING %s SELECT o_orderkey, o_comment FROM samples.orders", dir, format))
		before := snapshot(t, parent)
		for _, bad := range []string{
			"SELECT CAST('abc' AS INT) AS x",
			// Fails at run time in some partitions, after others wrote files.
			"SELECT o_orderkey, CASE WHEN o_orderkey > 5000 THEN CAST(o_comment AS INT) ELSE 0 END AS x FROM samples.orders",
		} {
			err := s.ExecSQL(context.Background(), fmt.Sprintf("INSERT OVERWRITE DIRECTORY '%s' USING %s %s", dir, format, bad), nil)
			if err == nil {
				t.Fatalf("%s: %s did not fail", format, bad)
			}
			if after := snapshot(t, parent); !reflect.DeepEqual(after, before) {
				t.Fatalf("%s: a failed overwrite changed the files: %d before, %d after", format, len(before), len(after))
			}
			entries, _ := os.ReadDir(parent)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			for _, n := range names {
				if n != "parquet" && n != "csv" && n != "json" {
					t.Fatalf("%s: left behind %s (entries %v)", format, n, names)
				}
			}
		}
	}
}

func TestSetOptions(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	if s.BroadcastThreshold() != frame.DefaultBroadcastThreshold {
		t.Fatalf("default broadcast threshold %d", s.BroadcastThreshold())
	}
	q := "SELECT o_orderstatus, count(*) FROM samples.orders GROUP BY o_orderstatus"
	plan, err := s.SQL(q).Explain(false)
	if err != nil || strings.Contains(plan, "partitions=5") {
		t.Fatalf("plan before SET: %v\n%s", err, plan)
	}
	execSQL(t, s, "SET spark.sql.shuffle.partitions=5; SET gspark.memory.limit = 512MB; SET spark.sql.autoBroadcastJoinThreshold=-1")
	if s.Partitions() != 5 || s.BroadcastThreshold() != -1 {
		t.Fatalf("after SET: partitions %d, broadcast %d", s.Partitions(), s.BroadcastThreshold())
	}
	plan, err = s.SQL(q).Explain(false)
	if err != nil || !strings.Contains(plan, "partitions=5") {
		t.Fatalf("plan after SET: %v\n%s", err, plan)
	}
	rows := execSQL(t, s, "SET; SET gspark.partitions; SET gspark.broadcast.threshold = 1MiB; SET GSPARK.BROADCAST.THRESHOLD")
	if got := fmt.Sprint(rows); got != "[[[spark.sql.shuffle.partitions 5] [gspark.partitions 5] [gspark.memory.limit 512000000] [spark.sql.autoBroadcastJoinThreshold -1] [gspark.broadcast.threshold -1] [gspark.spill.threshold auto] [spark.local.dir "+os.TempDir()+"] [spark.sql.session.timeZone UTC] [spark.sql.binaryOutputStyle <undefined>] [gspark.sql.planner.maxExpressionNodes 1000000] [gspark.sql.planner.maxExpressionDepth 200000] [spark.sql.parquet.mergeSchema false]] [[gspark.partitions 5]] [[gspark.broadcast.threshold 1048576]]]" {
		t.Fatalf("SET output %s", got)
	}
	if got := collect(t, s.SQL("SET gspark.partitions = 3")); len(got) != 0 || s.Partitions() != 3 {
		t.Fatalf("SQL SET: %v, %d", got, s.Partitions())
	}
	for _, c := range []struct{ stmt, msg string }{
		{"SET spark.executor.memory=4g", "unknown setting \"spark.executor.memory\"; known settings: spark.sql.shuffle.partitions, gspark.partitions, gspark.memory.limit"},
		{"SET nope", "unknown setting"},
		{"SET gspark.partitions=0", "not an integer ≥ 1"},
		{"SET gspark.partitions=many", "not an integer ≥ 1"},
		{"SET gspark.memory.limit=lots", "invalid size"},
		{"SET gspark.broadcast.threshold=1XB", "invalid size"},
	} {
		if err := s.SQL(c.stmt).Err(); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: %v, want %q", c.stmt, err, c.msg)
		}
	}
	if s.Partitions() != 3 {
		t.Fatalf("a failed SET changed partitions to %d", s.Partitions())
	}
	// Settings may change while other goroutines read them.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				if err := s.SetConf("gspark.partitions", fmt.Sprint(1+(i+j)%4)); err != nil {
					t.Error(err)
				}
				_ = s.Partitions() + int(s.BroadcastThreshold())
				if _, err := s.Conf("gspark.memory.limit"); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"1024": 1024, "2KiB": 2048, "1.5MB": 1500000, "1g": 1 << 30, "3 GiB": 3 << 30, "512mb": 512e6, "0": 0, "7b": 7} {
		if got, err := frame.ParseBytes(in); err != nil || got != want {
			t.Errorf("%s: %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "x", "1e30TB", "NaN"} {
		if _, err := frame.ParseBytes(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestExplainFormatted(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(2))
	rows := execSQL(t, s, "EXPLAIN FORMATTED SELECT o_orderstatus, count(*) FROM samples.orders WHERE o_orderkey > 10 GROUP BY o_orderstatus")
	var b strings.Builder
	for _, r := range rows[0] {
		b.WriteString(r[0].(string) + "\n")
	}
	text := b.String()
	if !strings.HasPrefix(text, "== Physical Plan ==\n") || !strings.Contains(text, "+- ") || !strings.Contains(text, "\n(1) ") || !strings.Contains(text, "Partitions: ") {
		t.Fatalf("formatted plan:\n%s", text)
	}
	// The leaf is numbered 1 and the root last, as Spark numbers them.
	lines := strings.Split(text, "\n")
	if !strings.HasSuffix(lines[1], fmt.Sprintf("(%d)", strings.Count(text, "\n(")-0)) {
		t.Fatalf("root is not numbered last:\n%s", text)
	}
	if !strings.Contains(text, "Scan") {
		t.Fatalf("no scan in:\n%s", text)
	}
}

func TestJSONReaderWriterAPI(t *testing.T) {
	ctx := context.Background()
	s := stmtSession(t, 3)
	src := s.SQL(stmtSource)
	want := collect(t, src.OrderBy(F.Col("k")))
	dir := filepath.Join(t.TempDir(), "j")
	if err := src.Write().JSON(ctx, dir); err != nil {
		t.Fatal(err)
	}
	back := s.Read().Schema(src.Schema()).JSON(dir)
	if got := collect(t, back.OrderBy(F.Col("k"))); !reflect.DeepEqual(got, want) {
		t.Fatalf("JSON round trip differs: %d vs %d rows", len(got), len(want))
	}
	// Inferred: columns sorted by name, nulls omitted from the text.
	inferred := s.Read().JSON(dir)
	if got := strings.Join(inferred.Columns(), ","); got != "b,c,d,f,k,price,ts" {
		t.Fatalf("inferred columns %s", got)
	}
	if err := s.SQL("SELECT 1 AS a").Write().Format("json").Save(ctx, dir); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Save over an existing dir: %v", err)
	}
	if err := s.SQL("SELECT 1 AS a").Write().Format("avro").Save(ctx, dir+"x"); err == nil {
		t.Fatal("unknown format saved")
	}
	if err := s.Read().Format("avro").Load(dir).Err(); err == nil {
		t.Fatal("unknown format loaded")
	}
	// A malformed line names its file and line, unless the mode forgives it.
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("{\"a\": 1}\n{\"a\": oops}\n{\"a\": 3}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := s.Read().JSON(bad).Collect(ctx)
	if err == nil || !strings.Contains(err.Error(), "bad.json:2:") {
		t.Fatalf("malformed JSON: %v", err)
	}
	rows, err := s.Read().Option("mode", "DROPMALFORMED").JSON(bad).Collect(ctx)
	if err != nil || fmt.Sprint(rows) != "[[1] [3]]" {
		t.Fatalf("DROPMALFORMED: %v %v", rows, err)
	}
	if err := s.Read().Option("mode", "sloppy").JSON(bad).Err(); err == nil {
		t.Fatal("bad mode accepted")
	}
}
