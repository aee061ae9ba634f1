package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runBin(t *testing.T, bin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

func TestSQLCommandBinary(t *testing.T) {
	bin := buildBinary(t)

	t.Run("table", func(t *testing.T) {
		out, errOut, err := runBin(t, bin, "--partitions", "2", "sql", "-e", "select species, count(*) as n from samples.iris group by species order by species")
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		want := "+------------+----+\n| species    |  n |\n+------------+----+\n| setosa     | 50 |\n| versicolor | 50 |\n| virginica  | 50 |\n+------------+----+\n"
		if out != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
		}
		if !strings.HasPrefix(errOut, "3 rows (") {
			t.Errorf("stderr: %q", errOut)
		}
	})

	t.Run("csv", func(t *testing.T) {
		out, errOut, err := runBin(t, bin, "sql", "--format", "csv", "-e",
			"select n_nationkey, 'say \"hi\", ok' as quoted, n_name from nation where n_nationkey < 2 order by n_nationkey")
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		want := "n_nationkey,quoted,n_name\r\n0,\"say \"\"hi\"\", ok\",ALGERIA\r\n1,\"say \"\"hi\"\", ok\",ARGENTINA\r\n"
		if out != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(recs) != 3 || recs[1][1] != `say "hi", ok` {
			t.Errorf("CSV does not read back: %v %q", err, recs)
		}
		if errOut != "" {
			t.Errorf("stderr should be empty for csv, got %q", errOut)
		}
	})

	t.Run("json", func(t *testing.T) {
		out, errOut, err := runBin(t, bin, "sql", "--format", "json", "-e",
			"select o_orderkey, o_totalprice, o_orderdate, cast(null as int) as nothing, 1.5e0 as d from orders order by o_orderkey limit 2")
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		dec := json.NewDecoder(strings.NewReader(out))
		dec.UseNumber()
		var rows []map[string]any
		if err := dec.Decode(&rows); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, out)
		}
		if len(rows) != 2 {
			t.Fatalf("want 2 rows, got %s", out)
		}
		r := rows[0]
		if r["o_orderkey"] != json.Number("1") || r["nothing"] != nil || r["d"] != json.Number("1.5") {
			t.Errorf("row 0: %v", r)
		}
		if _, ok := r["o_totalprice"].(json.Number); !ok || !strings.Contains(string(r["o_totalprice"].(json.Number)), ".") {
			t.Errorf("decimal should be an exact JSON number: %v", r["o_totalprice"])
		}
		if d, ok := r["o_orderdate"].(string); !ok || len(d) != 10 || d[4] != '-' {
			t.Errorf("date should be yyyy-mm-dd: %v", r["o_orderdate"])
		}
		if !strings.Contains(out, `"o_orderkey": 1, "o_totalprice": `) {
			t.Errorf("keys should keep column order: %s", out)
		}
	})

	t.Run("file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "script.sql")
		script := "-- a script\ncreate temp view big as\n  select * from samples.iris where sepal_length > 7.5;\nselect count(*) as n from big;\ndescribe big;\n"
		if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, err := runBin(t, bin, "sql", "-f", path, "--format", "csv")
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		want := "n\r\n6\r\ncol_name,data_type\r\nsepal_length,double\r\nsepal_width,double\r\npetal_length,double\r\npetal_width,double\r\nspecies,string\r\n"
		if out != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
		}
	})

	t.Run("syntax error", func(t *testing.T) {
		out, errOut, err := runBin(t, bin, "sql", "-e", "select n_name\nfrom nation\nwhere n_name = = 'x'")
		if err == nil {
			t.Fatal("want a non-zero exit")
		}
		want := "syntax error at line 3, column 16: expected an expression, found '='\nwhere n_name = = 'x'\n               ^"
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr:\n%s\nwant it to contain:\n%s", errOut, want)
		}
		if out != "" {
			t.Errorf("stdout should be empty, got %q", out)
		}
	})

	t.Run("file with an error", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bad.sql")
		script := "select 1 as a;\nselect n_name\nfrom nation\nwhere = 1;\n"
		if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, err := runBin(t, bin, "sql", "-f", path, "--format", "csv")
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() == 0 {
			t.Fatalf("want a non-zero exit, got %v", err)
		}
		want := "syntax error at line 4, column 7: expected an expression, found '='\nwhere = 1;\n      ^"
		if !strings.Contains(errOut, want) || out != "" {
			t.Errorf("stdout %q, stderr:\n%s\nwant it to contain:\n%s", out, errOut, want)
		}
	})

	t.Run("analysis error", func(t *testing.T) {
		_, errOut, err := runBin(t, bin, "sql", "-e", "select n_nam from nation")
		if err == nil || !strings.Contains(errOut, "did you mean n_name") {
			t.Errorf("want a failure with a suggestion, got %v: %s", err, errOut)
		}
	})
}

func TestSQLCommandInProcess(t *testing.T) {
	run := func(args ...string) (string, string, error) {
		cmd := newSQL(&globalFlags{partitions: 3})
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		var o, e bytes.Buffer
		cmd.SetOut(&o)
		cmd.SetErr(&e)
		cmd.SetArgs(args)
		err := cmd.ExecuteContext(context.Background())
		return o.String(), e.String(), err
	}
	out, _, err := run("-e", "show tables; select r_name from region order by r_regionkey limit 1", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "tableName\r\n") || !strings.HasSuffix(out, "r_name\r\nAFRICA\r\n") {
		t.Errorf("output:\n%s", out)
	}
	out, _, err = run("-e", "select r_regionkey from region where r_regionkey < 0", "--format", "json")
	if err != nil || out != "[]\n" {
		t.Errorf("empty result: %q, %v", out, err)
	}
	for _, bad := range [][]string{{}, {"-e", "x", "-f", "y"}, {"-e", "show tables", "--format", "xml"}, {"-f", "/nonexistent/x.sql"}} {
		if _, _, err := run(bad...); err == nil {
			t.Errorf("%q should fail", bad)
		}
	}
	cmd := newSQL(&globalFlags{})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs([]string{"-e", "select count(*) from lineitem"})
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := cmd.ExecuteContext(ctx); err == nil {
		t.Error("a cancelled context should stop the script")
	}
}
