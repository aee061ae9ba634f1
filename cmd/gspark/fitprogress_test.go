package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml/progress"
)

func TestFitProgressLine(t *testing.T) {
	var b bytes.Buffer
	p := newFitProgress(&b, 80, 0)
	p.report(progress.Event{Unit: "fold", Done: 1, Total: 2})
	p.report(progress.Event{Unit: "iteration", Done: 7, Total: 100})
	if _, err := p.Write([]byte("step line\n")); err != nil {
		t.Fatal(err)
	}
	p.report(progress.Event{Unit: "tree", Done: 3})
	p.done()
	want := "\rfit: fold 1/2\x1b[K" + "\rfit: fold 1/2  iteration 7/100\x1b[K" + "\r\x1b[K" + "step line\n" +
		"\rfit: tree 3\x1b[K" + "\r\x1b[K"
	if got := b.String(); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

// TestRunShowsFitProgress: with progress forced on, `gspark run` of a job
// fitting a 3-fold cross-validated random forest of 4 trees shows the folds
// and trees on stderr.
func TestRunShowsFitProgress(t *testing.T) {
	t.Setenv(progressEnv, "always")
	dir := t.TempDir()
	var data strings.Builder
	data.WriteString("x,label\n")
	for i := range 30 {
		fmt.Fprintf(&data, "%d,%d\n", i, i%2)
	}
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte(data.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	job := filepath.Join(dir, "job.yaml")
	src := `steps:
  - name: load
    sql: CREATE OR REPLACE TEMP VIEW d USING csv OPTIONS (path '` + filepath.Join(dir, "d.csv") + `', header 'true', inferSchema 'true')
  - name: model
    fit:
      input: SELECT x, CAST(label AS DOUBLE) AS label FROM d
      stages:
        - {stage: VectorAssembler, name: va, params: {inputCols: [x], outputCol: features}}
        - {stage: RandomForestClassifier, name: rf, params: {numTrees: 4, seed: 1}}
      tune:
        validator: {class: CrossValidator, params: {numFolds: 3, seed: 1}}
        evaluator: {class: BinaryClassificationEvaluator}
        grid:
          rf.maxDepth: [2]
`
	if err := os.WriteFile(job, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := newRun(&globalFlags{})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var o, e bytes.Buffer
	cmd.SetOut(&o)
	cmd.SetErr(&e)
	cmd.SetArgs([]string{job, "--no-tracking"})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("%v\n%s", err, e.String())
	}
	for _, want := range []string{"fold 3/3", "tree 4/4", "[2/2] fit"} {
		if !strings.Contains(e.String(), want) {
			t.Errorf("stderr lacks %q:\n%q", want, e.String())
		}
	}
}
