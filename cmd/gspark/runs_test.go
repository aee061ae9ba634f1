package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml/tracking"
)

// recordRuns records two finished runs and a crashed one in a new tracking
// directory and returns the directory and the runs.
func recordRuns(t *testing.T) (dir string, a, b, c *tracking.Run) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "mlruns")
	s, err := tracking.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := func(exp, name string) *tracking.Run {
		r, err := s.StartRun(ctx, exp, name)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	a, b, c = start("churn", "a"), start("churn", "b"), start("other", "c")
	check(a.LogParam("maxIter", "10"))
	check(a.LogParam("regParam", "0.1"))
	check(a.LogMetric("auc", 0.7, 0))
	check(a.LogMetric("auc", 0.8, 1))
	check(b.LogParam("maxIter", "10"))
	check(b.LogParam("regParam", "0.3"))
	check(b.LogMetric("auc", 0.85, 0))
	check(b.LogMetric("rmse", 1.5, 0))
	check(a.End("FINISHED"))
	check(b.End("FAILED"))
	return dir, a, b, c // c never ends
}

func TestRunsCommands(t *testing.T) {
	bin := buildBinary(t)
	dir, a, b, c := recordRuns(t)

	t.Run("compare", func(t *testing.T) {
		out, errOut, err := runBin(t, bin, "runs", "compare", "--dir", dir, a.ID(), b.ID()[:12])
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		ha, hb := "a ("+a.ID()[:8]+")", "b ("+b.ID()[:8]+")"
		want := "+---+--------+----------+--------------+--------------+\n" +
			"|   | kind   | key      | " + ha + " | " + hb + " |\n" +
			"+---+--------+----------+--------------+--------------+\n" +
			"|   | param  | maxIter  | 10           | 10           |\n" +
			"| * | param  | regParam | 0.1          | 0.3          |\n" +
			"| * | metric | auc      | 0.8          | 0.85         |\n" +
			"| * | metric | rmse     | -            | 1.5          |\n" +
			"+---+--------+----------+--------------+--------------+\n"
		if out != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
		}
	})

	t.Run("list", func(t *testing.T) {
		out, errOut, err := runBin(t, bin, "runs", "list", "--dir", dir, "--experiment", "churn")
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if !strings.Contains(out, a.ID()) || !strings.Contains(out, b.ID()) || strings.Contains(out, c.ID()) {
			t.Errorf("list --experiment churn:\n%s", out)
		}
		for _, s := range []string{"FINISHED", "FAILED", "churn"} {
			if !strings.Contains(out, s) {
				t.Errorf("list lacks %q:\n%s", s, out)
			}
		}
		out, _, err = runBin(t, bin, "runs", "list", "--dir", dir)
		if err != nil || !strings.Contains(out, c.ID()) || !strings.Contains(out, "RUNNING") {
			t.Errorf("list: %v\n%s", err, out)
		}
	})

	t.Run("show", func(t *testing.T) {
		out, errOut, err := runBin(t, bin, "runs", "show", "--dir", dir, a.ID())
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		for _, s := range []string{
			"| status      | FINISHED",
			"| regParam | 0.1   |",
			"| auc    |    0.8 |    1 |      2 |", // latest value, its step, values logged
			"| mlflow.runName     | a",
		} {
			if !strings.Contains(out, s) {
				t.Errorf("show lacks %q:\n%s", s, out)
			}
		}
	})

	t.Run("report", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "a.html")
		if _, errOut, err := runBin(t, bin, "runs", "report", "--dir", dir, "-o", file, a.ID()); err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		page := string(data)
		if !strings.HasPrefix(page, "<!DOCTYPE html>") || strings.Count(page, `<img alt="auc" src="data:image/svg`) != 1 {
			t.Errorf("report: want an HTML page with one embedded chart (auc):\n%.400s", page)
		}
	})

	t.Run("errors", func(t *testing.T) {
		if _, errOut, err := runBin(t, bin, "runs", "show", "--dir", dir, "ffffffffffff"); err == nil || !strings.Contains(errOut, "no run") {
			t.Errorf("show of a missing run: %v %q", err, errOut)
		}
		if _, errOut, err := runBin(t, bin, "runs", "list", "--dir", filepath.Join(dir, "missing")); err == nil || !strings.Contains(errOut, "does not exist") {
			t.Errorf("list of a missing dir: %v %q", err, errOut)
		}
	})
}
