package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunCommandInProcess(t *testing.T) {
	run := func(args ...string) (string, string, error) {
		cmd := newRun(&globalFlags{})
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		var o, e bytes.Buffer
		cmd.SetOut(&o)
		cmd.SetErr(&e)
		cmd.SetArgs(append(args, "--no-tracking"))
		err := cmd.ExecuteContext(context.Background())
		return o.String(), e.String(), err
	}
	dir := t.TempDir()
	job := filepath.Join(dir, "job.yaml")
	src := "params:\n  n: 3\nsteps:\n  - name: q\n    sql: SELECT * FROM region WHERE r_regionkey < ${n}\n"
	if err := os.WriteFile(job, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, progress, err := run(job, "--param", "n=5")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress, "[1/1] sql       q                rows 5 ") {
		t.Errorf("progress:\n%s", progress)
	}
	for _, bad := range [][]string{{}, {job, "--param", "n"}, {job, "--param", "m=1"}, {filepath.Join(dir, "none.yaml")}} {
		if _, _, err := run(bad...); err == nil {
			t.Errorf("%q should fail", bad)
		}
	}
	if _, _, err := run(job, "--param", "nn=1"); err == nil || !strings.Contains(err.Error(), "did you mean n?") {
		t.Errorf("mistyped param: %v", err)
	}
}
