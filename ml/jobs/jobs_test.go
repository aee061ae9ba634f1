package jobs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/monitor"
)

var ctx = context.Background()

// writeData writes a small, separable classification CSV: label is 1 when
// x1 + x2 > 10; cat is "a", "b" or "c" by row.
func writeData(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("x1,x2,cat,label\n")
	for i := 0; i < 90; i++ {
		x1 := float64(i%10) + 0.5
		x2 := float64((i*7)%11) + 0.25
		label := 0
		if x1+x2 > 10 {
			label = 1
		}
		fmt.Fprintf(&b, "%g,%g,%c,%d\n", x1, x2, 'a'+rune(i%3), label)
	}
	p := filepath.Join(dir, "data.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// validJob is a job over writeData's file; the tests break one line of it.
const validJob = `name: small
params:
  data: none
  out: none
partitions: 2
steps:
  - name: load
    sql: CREATE OR REPLACE TEMP VIEW d USING csv OPTIONS (path '${data}', header 'true', inferSchema 'true')
  - name: split
    split: {input: d, weights: [0.7, 0.3], seed: 5, into: [train, test]}
  - name: model
    fit:
      input: SELECT x1, x2, cat, CAST(label AS DOUBLE) AS label FROM train
      stages:
        - {stage: StringIndexer, name: idx, params: {inputCol: cat, outputCol: cat_index}}
        - {stage: VectorAssembler, name: va, params: {inputCols: [x1, x2, cat_index], outputCol: features}}
        - {stage: LogisticRegression, name: lr, params: {maxIter: 50}}
      tune:
        validator: {class: CrossValidator, params: {numFolds: 2, seed: 1}}
        evaluator: {class: BinaryClassificationEvaluator}
        grid:
          lr.regParam: [0.0, 0.5]
  - name: heldout
    evaluate:
      input: SELECT x1, x2, cat, CAST(label AS DOUBLE) AS label FROM test
      model: model
      evaluators: [{class: MulticlassClassificationEvaluator, params: {metricName: accuracy}}]
  - name: save
    save: {model: model, path: '${out}/model'}
  - name: score
    transform:
      input: SELECT x1, x2, cat FROM test
      model: model
      drop: [features, rawPrediction, probability]
      output: {path: '${out}/scores', format: csv, options: {header: 'true'}}
`

type setup struct {
	dir, file, out string
	params         map[string]string
}

func newSetup(t *testing.T, src string) setup {
	t.Helper()
	dir := t.TempDir()
	s := setup{dir: dir, file: filepath.Join(dir, "job.yaml"), out: filepath.Join(dir, "out")}
	if err := os.WriteFile(s.file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(s.out, 0o755); err != nil {
		t.Fatal(err)
	}
	s.params = map[string]string{"data": writeData(t, dir), "out": s.out}
	return s
}

// where returns "file:line:col" of the first occurrence of token in src,
// counted by hand from the text (1-based line and column).
func where(file, src, token string) string {
	i := strings.Index(src, token)
	if i < 0 {
		panic("token not in source: " + token)
	}
	line := strings.Count(src[:i], "\n") + 1
	col := i - strings.LastIndex(src[:i], "\n")
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

func TestRunSmallJob(t *testing.T) {
	s := newSetup(t, validJob)
	var progress bytes.Buffer
	res, err := RunFile(ctx, s.file, s.params, Options{Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if acc := res.Metrics["heldout.accuracy"]; acc < 0.8 {
		t.Errorf("held-out accuracy %v", acc)
	}
	if lines := strings.Count(progress.String(), "\n"); lines != 6 {
		t.Errorf("%d progress lines:\n%s", lines, progress.String())
	}
	if !strings.Contains(progress.String(), "split            rows 90 ") {
		t.Errorf("progress does not count the 90 rows split:\n%s", progress.String())
	}
	csv, err := filepath.Glob(filepath.Join(s.out, "scores", "*.csv"))
	if err != nil || len(csv) == 0 {
		t.Fatalf("no CSV written: %v %v", csv, err)
	}
	var rows int
	var header string
	for _, f := range csv {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		header = lines[0]
		rows += len(lines) - 1
	}
	if header != "x1,x2,cat,cat_index,prediction" {
		t.Errorf("header %q", header)
	}
	if rows == 0 {
		t.Error("no rows scored")
	}
	if _, err := os.Stat(filepath.Join(s.out, "model", "metadata")); err != nil {
		t.Errorf("model not saved: %v", err)
	}
	// The training profile is saved with the model: the signature's
	// inputs, the numeric outputs and the final estimator's label, over
	// the fit step's input (the split's train part).
	prof, err := monitor.ReadProfile(filepath.Join(s.out, "model"))
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, c := range prof.Columns {
		cols = append(cols, c.Name+":"+string(c.Role))
	}
	if want := "cat:input x1:input x2:input cat_index:output prediction:output label:label"; strings.Join(cols, " ") != want {
		t.Errorf("profiled %q, want %q", strings.Join(cols, " "), want)
	}
	if prof.LabelCol != "label" || prof.Rows == 0 || prof.Rows >= 90 {
		t.Errorf("profile of %d rows, label %q", prof.Rows, prof.LabelCol)
	}
}

type fakeRecorder struct {
	params    map[string]string
	metrics   map[string][]float64
	tags      map[string]string
	artifacts map[string]string
	// files holds the content of each file artifact by
	// "<artifactPath>/<base name>", read when logged (the runner removes
	// the temporary files it logs).
	files map[string][]byte
}

func (f *fakeRecorder) LogParam(k, v string) error { f.params[k] = v; return nil }
func (f *fakeRecorder) LogMetric(k string, v float64, step int64) error {
	if int(step) != len(f.metrics[k]) {
		return fmt.Errorf("metric %s: step %d after %d values", k, step, len(f.metrics[k]))
	}
	f.metrics[k] = append(f.metrics[k], v)
	return nil
}
func (f *fakeRecorder) SetTag(k, v string) error { f.tags[k] = v; return nil }
func (f *fakeRecorder) LogArtifact(local, artifact string) error {
	f.artifacts[artifact] = local
	if data, err := os.ReadFile(local); err == nil {
		if f.files == nil {
			f.files = map[string][]byte{}
		}
		f.files[artifact+"/"+filepath.Base(local)] = data
	}
	return nil
}

// The recorder gets every stage's params (the grid's chosen value for the
// tuned one), the evaluators' metrics, the cross-validation's average and
// per-fold metrics, the file's name and digest, and the saved model.
func TestRecorder(t *testing.T) {
	s := newSetup(t, validJob)
	rec := &fakeRecorder{params: map[string]string{}, metrics: map[string][]float64{}, tags: map[string]string{}, artifacts: map[string]string{}}
	res, err := RunFile(ctx, s.file, s.params, Options{Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(validJob))
	if rec.tags["gspark.job.sha256"] != hex.EncodeToString(sum[:]) || rec.tags["gspark.job.file"] != s.file {
		t.Errorf("tags %v", rec.tags)
	}
	for k, want := range map[string]string{"lr.maxIter": "50", "idx.inputCol": "cat", "va.outputCol": "features", "va.inputCols": `["x1","x2","cat_index"]`} {
		if rec.params[k] != want {
			t.Errorf("param %s = %q, want %q", k, rec.params[k], want)
		}
	}
	if v := rec.params["lr.regParam"]; v != "0" && v != "0.5" {
		t.Errorf("lr.regParam = %q, want a grid value", v)
	}
	if acc := rec.metrics["heldout.accuracy"]; len(acc) != 1 || acc[0] != res.Metrics["heldout.accuracy"] {
		t.Errorf("heldout.accuracy %v, result %v", acc, res.Metrics)
	}
	avg := rec.metrics["cv.areaUnderROC"]
	f0, f1 := rec.metrics["cv.fold0.areaUnderROC"], rec.metrics["cv.fold1.areaUnderROC"]
	if len(avg) != 2 || len(f0) != 2 || len(f1) != 2 {
		t.Fatalf("cv metrics %v", rec.metrics)
	}
	for i := range avg {
		if d := avg[i] - (f0[i]+f1[i])/2; d > 1e-12 || d < -1e-12 {
			t.Errorf("map %d: average %v is not the mean of folds %v, %v", i, avg[i], f0[i], f1[i])
		}
	}
	if rec.artifacts["models/save"] != filepath.Join(s.out, "model") {
		t.Errorf("artifacts %v", rec.artifacts)
	}
	// The best model's objective history, iteration by iteration.
	var want []float64
	for _, st := range fittedStages(res.Models["model"]) {
		if lr, ok := st.(*classification.LogisticRegressionModel); ok {
			want = lr.Summary().ObjectiveHistory
		}
	}
	if got := rec.metrics["lr.objectiveHistory"]; len(want) < 2 || !slices.Equal(got, want) {
		t.Errorf("lr.objectiveHistory %v, want the model's %v", got, want)
	}
}

// Each broken file fails validation with the place of the mistake and,
// where a name was mistyped, the name meant; nothing is written.
func TestBadInputs(t *testing.T) {
	cases := []struct {
		name, old, new string
		at             string // token whose place the error names ("" : none)
		want           []string
	}{
		{"unknown stage", "stage: LogisticRegression", "stage: LogisticRegresion", "LogisticRegresion", []string{`unknown stage class "LogisticRegresion"`, "did you mean LogisticRegression?"}},
		{"unknown param", "{maxIter: 50}", "{maxIter: 50, regParm: 0.1}", "regParm", []string{`has no param "regParm"`, "did you mean regParam?"}},
		{"param type", "{maxIter: 50}", "{maxIter: fifty}", "fifty", []string{"maxIter"}},
		{"grid param no stage defines", "lr.regParam:", "lr.numTreez:", "lr.numTreez", []string{`no param "numTreez"`}},
		{"grid stage unknown", "lr.regParam:", "lrr.regParam:", "lrr.regParam", []string{`no stage named "lrr"`, "did you mean lr?"}},
		{"unknown column", "inputCols: [x1, x2, cat_index]", "inputCols: [x1, x3, cat_index]", "[x1, x3", []string{`"x3" does not exist`, "did you mean x1?"}},
		{"unknown step kind", "    fit:\n", "    fitt:\n", "fitt", []string{`unknown step kind "fitt"`, "did you mean fit?"}},
		{"unknown ${param}", "path: '${out}/model'", "path: '${outt}/model'", "'${outt}", []string{"unknown param ${outt}", "did you mean out?"}},
		{"unknown evaluator column", "params: {metricName: accuracy}", "params: {metricName: accuracy, labelCol: lable}", "{class: MulticlassClassificationEvaluator", []string{`labelCol "lable"`, "did you mean label?"}},
		{"drop unknown column", "drop: [features,", "drop: [featurez,", "featurez", []string{`"featurez" is not in the model's output`, "did you mean features?"}},
		{"bad SQL", "FROM test\n      model: model\n      evaluators", "FRM test\n      model: model\n      evaluators", "SELECT x1, x2, cat, CAST(label AS DOUBLE) AS label FRM", []string{"syntax error", "FRM"}},
		{"vector column written", "drop: [features, rawPrediction, probability]", "drop: [rawPrediction, probability]", "'${out}/scores'", []string{"cannot write", "features"}},
		{"malformed YAML", "  - name: save\n", "  - name: save\n   bad: [\n", "", []string{"malformed YAML", "job.yaml"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(validJob, c.old) {
				t.Fatalf("the valid job has no %q", c.old)
			}
			src := strings.Replace(validJob, c.old, c.new, 1)
			s := newSetup(t, src)
			_, err := RunFile(ctx, s.file, s.params, Options{})
			if err == nil {
				t.Fatal("the job ran")
			}
			msg := err.Error()
			if c.at != "" {
				if at := where(s.file, src, c.at); !strings.Contains(msg, at+":") {
					t.Errorf("error does not name %s:\n%s", at, msg)
				}
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			if ents, _ := os.ReadDir(s.out); len(ents) != 0 {
				t.Errorf("the failed job wrote %v", ents)
			}
		})
	}
}

// A step that fails while running stops the job with an error naming it;
// what earlier steps wrote stays, complete.
func TestFailedStepKeepsEarlierOutputs(t *testing.T) {
	src := strings.Replace(validJob, "path: '${out}/model'", "path: '${out}/blocker/model'", 1)
	// Score before saving, so the failing save comes after a write.
	i, j := strings.Index(src, "  - name: save\n"), strings.Index(src, "  - name: score\n")
	src = src[:i] + src[j:] + src[i:j]
	s := newSetup(t, src)
	if err := os.WriteFile(filepath.Join(s.out, "blocker"), []byte("a file, not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	_, err := RunFile(ctx, s.file, s.params, Options{Progress: &progress})
	if err == nil || !strings.Contains(err.Error(), "step save (save)") {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(progress.String(), "transform score") {
		t.Errorf("the scoring step did not run before the save:\n%s", progress.String())
	}
	csv, _ := filepath.Glob(filepath.Join(s.out, "scores", "*.csv"))
	if len(csv) == 0 {
		t.Fatal("the earlier step's output is gone")
	}
	ents, _ := os.ReadDir(s.out)
	if len(ents) != 2 {
		t.Errorf("output directory holds %v, want blocker and scores only", ents)
	}
}

// A job run in a given session sees its views, in validation too.
func TestSessionViews(t *testing.T) {
	s := newSetup(t, validJob)
	sess := frame.NewSession(frame.WithPartitions(2))
	if err := sess.SQL("SELECT 1.5 AS x1, 2.5 AS x2, 'a' AS cat").CreateOrReplaceTempView("extra"); err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(validJob, "input: SELECT x1, x2, cat FROM test", "input: SELECT x1, x2, cat FROM extra", 1)
	if err := os.WriteFile(s.file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	if _, err := RunFile(ctx, s.file, s.params, Options{Session: sess, Progress: &progress}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "score            rows 1 ") {
		t.Errorf("the scoring step did not read the session's one-row view:\n%s", progress.String())
	}
}

// A TrainValidationSplit tunes too; its metric is tvs.<metricName>.
func TestTrainValidationSplit(t *testing.T) {
	src := strings.Replace(validJob, "{class: CrossValidator, params: {numFolds: 2, seed: 1}}", "{class: TrainValidationSplit, params: {trainRatio: 0.75, seed: 1}}", 1)
	s := newSetup(t, src)
	res, err := RunFile(ctx, s.file, s.params, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.Metrics["tvs.areaUnderROC"]; !ok {
		t.Errorf("metrics %v", res.Metrics)
	}
	bad := strings.Replace(src, "trainRatio: 0.75", "trainRatio: 1.5", 1)
	s = newSetup(t, bad)
	if _, err := RunFile(ctx, s.file, s.params, Options{}); err == nil || !strings.Contains(err.Error(), where(s.file, bad, "1.5")) {
		t.Errorf("trainRatio 1.5: %v", err)
	}
}

// A label made by a stage of the pipeline (StringIndexer on a string
// column, as on iris) validates and runs: the check of a fitted model's
// input supplies only a label that neither the input nor a stage makes.
func TestLabelMadeByAStage(t *testing.T) {
	src := validJob
	for _, r := range [][2]string{
		{"input: SELECT x1, x2, cat, CAST(label AS DOUBLE) AS label FROM train", "input: SELECT x1, x2, cat, CAST(label AS STRING) AS answer FROM train"},
		{"input: SELECT x1, x2, cat, CAST(label AS DOUBLE) AS label FROM test", "input: SELECT x1, x2, cat, CAST(label AS STRING) AS answer FROM test"},
		{"input: SELECT x1, x2, cat FROM test", "input: SELECT x1, x2, cat, CAST(label AS STRING) AS answer FROM test"},
		{"        - {stage: StringIndexer, name: idx, params: {inputCol: cat, outputCol: cat_index}}",
			"        - {stage: StringIndexer, name: idx, params: {inputCol: cat, outputCol: cat_index}}\n" +
				"        - {stage: StringIndexer, name: lab, params: {inputCol: answer, outputCol: label, stringOrderType: alphabetAsc}}"},
		{"drop: [features, rawPrediction, probability]", "drop: [features, rawPrediction, probability, answer]"},
	} {
		if !strings.Contains(src, r[0]) {
			t.Fatalf("job lacks %q", r[0])
		}
		src = strings.Replace(src, r[0], r[1], 1)
	}
	s := newSetup(t, src)
	res, err := RunFile(ctx, s.file, s.params, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if acc := res.Metrics["heldout.accuracy"]; acc < 0.8 {
		t.Errorf("held-out accuracy %v on separable data", acc)
	}
}
