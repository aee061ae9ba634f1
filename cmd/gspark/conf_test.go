package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestConfFlag checks --conf key=value: the session time zone it sets reads
// and prints timestamps (Spark's from_unixtime example answers 1969-12-31
// 16:00:00 in America/Los_Angeles); a bad setting fails before any SQL.
func TestConfFlag(t *testing.T) {
	run := func(conf ...string) (string, error) {
		cmd := newSQL(&globalFlags{partitions: 1, conf: conf})
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		var o, e bytes.Buffer
		cmd.SetOut(&o)
		cmd.SetErr(&e)
		cmd.SetArgs([]string{"-e", "SELECT from_unixtime(0) AS f, TIMESTAMP '2024-07-01 12:00:00' AS t, current_timezone() AS z", "--format", "csv"})
		err := cmd.ExecuteContext(context.Background())
		return o.String(), err
	}
	out, err := run("spark.sql.session.timeZone=America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	if want := "1969-12-31 16:00:00,2024-07-01 12:00:00,America/Los_Angeles"; !strings.Contains(out, want) {
		t.Errorf("output %q, want a row %q", out, want)
	}
	out, err = run()
	if err != nil || !strings.Contains(out, "1970-01-01 00:00:00,2024-07-01 12:00:00,UTC") {
		t.Errorf("UTC: %q, %v", out, err)
	}
	for _, bad := range []string{"spark.sql.session.timeZone", "spark.sql.session.timeZone=Nowhere/City", "no.such.key=1"} {
		if _, err := run(bad); err == nil || !strings.Contains(err.Error(), "--conf") {
			t.Errorf("--conf %s: got %v, want an error naming --conf", bad, err)
		}
	}
}
