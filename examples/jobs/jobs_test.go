// Package examplejobs tests the job files of examples/jobs: each runs
// through the job runner's Go API and through the gspark binary.
package examplejobs

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml/jobs"
	"github.com/gspark/gspark/ml/tracking"
)

// jobFiles are the example job files; each takes a param out, the
// directory it writes into.
func jobFiles(t *testing.T) []string {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no job files: %v", err)
	}
	return files
}

// Every example job runs through the Go API and writes what it says.
func TestJobFilesAPI(t *testing.T) {
	for _, f := range jobFiles(t) {
		t.Run(f, func(t *testing.T) {
			out := t.TempDir()
			res, err := jobs.RunFile(context.Background(), f, map[string]string{"out": out}, jobs.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Metrics) == 0 {
				t.Error("the job measured nothing")
			}
			if ents, _ := os.ReadDir(out); len(ents) == 0 {
				t.Error("the job wrote nothing")
			}
		})
	}
}

// Every example job runs through `gspark run` and prints the metrics the
// Go API computes.
func TestJobFilesBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the gspark binary")
	}
	bin := filepath.Join(t.TempDir(), "gspark")
	build := exec.Command("go", "build", "-o", bin, "github.com/gspark/gspark/cmd/gspark")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building gspark: %v\n%s", err, b)
	}
	for _, f := range jobFiles(t) {
		t.Run(f, func(t *testing.T) {
			res, err := jobs.RunFile(context.Background(), f, map[string]string{"out": t.TempDir()}, jobs.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for k, v := range res.Metrics {
				want = append(want, fmt.Sprintf("%s\t%v", k, v))
			}
			slices.Sort(want)
			runs := t.TempDir()
			cmd := exec.Command(bin, "run", f, "--param", "out="+t.TempDir(), "--tracking-dir", runs)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			stdout, err := cmd.Output()
			if err != nil {
				t.Fatalf("gspark run %s: %v\n%s", f, err, stderr.String())
			}
			if got := strings.Split(strings.TrimSpace(string(stdout)), "\n"); !slices.Equal(got, want) {
				t.Errorf("gspark run printed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			checkRecordedRun(t, runs, f, res)
			// One progress line per step, then nothing else.
			if n := strings.Count(stderr.String(), "\n"); n < 1 || strings.Contains(stderr.String(), "gspark:") {
				t.Errorf("stderr:\n%s", stderr.String())
			}
		})
	}
	// A broken job exits non-zero with the place of the mistake.
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("steps:\n  - name: x\n    fitt: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(bin, "run", bad).CombinedOutput()
	if err == nil || !strings.Contains(string(b), bad+":3:5: unknown step kind \"fitt\"") {
		t.Errorf("bad job: %v\n%s", err, b)
	}
}

// checkRecordedRun asserts that gspark run recorded one finished run of the
// job in dir: the metrics it printed, the params of its stages, the job file
// and its hash, and its report.
func checkRecordedRun(t *testing.T, dir, file string, res *jobs.Result) {
	t.Helper()
	store, err := tracking.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := store.Runs("")
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 {
		t.Fatalf("%d runs recorded in %s, want 1", len(runs), dir)
	}
	r := runs[0]
	if r.Status != tracking.StatusFinished {
		t.Errorf("run status %s, want FINISHED", r.Status)
	}
	// A tuned fit's metric is a series over the grid (step = grid index);
	// the printed one is its best point.
	for k, v := range res.Metrics {
		found := false
		for _, m := range r.Metrics[k] {
			found = found || m.Value == v
		}
		if !found {
			t.Errorf("recorded metric %s = %v, want a value %v", k, r.Metrics[k], v)
		}
	}
	if len(r.Params) == 0 {
		t.Error("no params recorded")
	}
	if r.Tags["gspark.job.sha256"] == "" || r.Tags["gspark.job.file"] == "" || r.Tags["gspark.version"] == "" || r.Tags["mlflow.user"] == "" {
		t.Errorf("job tags missing: %v", r.Tags)
	}
	if fi, err := os.Stat(filepath.Join(r.Dir(), "artifacts", filepath.Base(file))); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("job file not among the artifacts as a file: %v", err)
	}
	// The run's report is among its artifacts, with the ROC curve of each
	// evaluate step that has a binary classification evaluator.
	page, err := os.ReadFile(filepath.Join(r.Dir(), "artifacts", "report.html"))
	if err != nil {
		t.Fatalf("report not among the artifacts: %v", err)
	}
	for _, want := range []string{`<img alt="ROC curve of `, `src="data:image/svg&#43;xml;base64,`, `<table class="confusion">`, "<td>FINISHED</td>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html has no %s", want)
		}
	}
}
