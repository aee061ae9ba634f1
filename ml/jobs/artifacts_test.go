package jobs

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/tracking"
)

// tinyEval evaluates six scored rows (score, label, prediction = score >
// 0.65) with no model:
//
//	score  0.9 0.8 0.7 0.6 0.3 0.3
//	label   1   1   0   1   0   1
//	pred    1   1   1   0   0   0
//
// P = 4, N = 2. By descending distinct score the cumulative (tp, fp) are
// 0.9: (1,0), 0.8: (2,0), 0.7: (2,1), 0.6: (3,1), 0.3: (4,2) (the tie
// merged), so the ROC points (fp/N, tp/P) are (0,0) (0,.25) (0,.5) (.5,.5)
// (.5,.75) (1,1), closed with (1,1); precision tp/(tp+fp) is 1, 1, 2/3,
// 3/4, 4/6 at recall .25, .5, .5, .75, 1, and the PR curve starts at
// (0, 1). Confusion (rows label, columns prediction): label 0: 1 and 1;
// label 1: 2 and 2.
const tinyEval = `name: tiny
steps:
  - name: check
    evaluate:
      input: |
        SELECT CAST(score AS DOUBLE) AS score, CAST(label AS DOUBLE) AS label, CAST(prediction AS DOUBLE) AS prediction
        FROM VALUES (0.9, 1, 1), (0.8, 1, 1), (0.7, 0, 1), (0.6, 1, 0), (0.3, 0, 0), (0.3, 1, 0) AS t(score, label, prediction)
      evaluators:
        - {class: BinaryClassificationEvaluator, params: {rawPredictionCol: score}}
        - {class: MulticlassClassificationEvaluator, params: {metricName: accuracy, probabilityCol: ""}}
`

func TestEvaluationArtifact(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(file, []byte(tinyEval), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := &fakeRecorder{params: map[string]string{}, metrics: map[string][]float64{}, tags: map[string]string{}, artifacts: map[string]string{}}
	if _, err := RunFile(ctx, file, nil, Options{Recorder: rec}); err != nil {
		t.Fatal(err)
	}
	data, ok := rec.files["evaluation/check.json"]
	if !ok {
		t.Fatalf("no evaluation/check.json among %v", rec.artifacts)
	}
	if _, err := os.Stat(rec.artifacts["evaluation"]); !os.IsNotExist(err) {
		t.Errorf("temporary file %s left behind: %v", rec.artifacts["evaluation"], err)
	}
	var got tracking.EvaluationArtifact
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	wantROC := [][2]float64{{0, 0}, {0, .25}, {0, .5}, {.5, .5}, {.5, .75}, {1, 1}, {1, 1}}
	wantPR := [][2]float64{{0, 1}, {.25, 1}, {.5, 1}, {.5, 2.0 / 3}, {.75, .75}, {1, 4.0 / 6}}
	near := func(a, b [][2]float64) bool {
		return slices.EqualFunc(a, b, func(p, q [2]float64) bool {
			return math.Abs(p[0]-q[0]) < 1e-12 && math.Abs(p[1]-q[1]) < 1e-12
		})
	}
	if got.Step != "check" || !near(got.ROC, wantROC) {
		t.Errorf("step %q ROC %v, want %v", got.Step, got.ROC, wantROC)
	}
	if !near(got.PR, wantPR) {
		t.Errorf("PR %v, want %v", got.PR, wantPR)
	}
	cm := got.Confusion
	if cm == nil || cm.LabelCol != "label" || cm.PredictionCol != "prediction" || !slices.Equal(cm.Classes, []float64{0, 1}) ||
		len(cm.Counts) != 2 || !slices.Equal(cm.Counts[0], []int64{1, 1}) || !slices.Equal(cm.Counts[1], []int64{2, 2}) {
		t.Errorf("confusion %+v, want classes [0 1] counts [[1 1] [2 2]]", cm)
	}
}

// The fit step logs the logistic regression's coefficients named by the
// assembler's input columns.
func TestModelArtifact(t *testing.T) {
	s := newSetup(t, validJob)
	rec := &fakeRecorder{params: map[string]string{}, metrics: map[string][]float64{}, tags: map[string]string{}, artifacts: map[string]string{}}
	res, err := RunFile(ctx, s.file, s.params, Options{Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	var got tracking.ModelArtifact
	if err := json.Unmarshal(rec.files["model/model.json"], &got); err != nil {
		t.Fatalf("model/model.json: %v (artifacts %v)", err, rec.artifacts)
	}
	stages := res.Models["model"].(*ml.PipelineModel).Stages()
	lr := stages[len(stages)-1].(interface{ Intercept() float64 })
	if got.Step != "model" || got.Kind != "coefficients" || !slices.Equal(got.Features, []string{"x1", "x2", "cat_index"}) ||
		len(got.Values) != 3 || got.Intercept == nil || *got.Intercept != lr.Intercept() {
		t.Errorf("model artifact %+v", got)
	}
	// heldout has a multiclass evaluator only: a confusion matrix, no curves.
	var ev tracking.EvaluationArtifact
	if err := json.Unmarshal(rec.files["evaluation/heldout.json"], &ev); err != nil {
		t.Fatal(err)
	}
	if ev.ROC != nil || ev.Confusion == nil {
		t.Errorf("heldout: %+v", ev)
	}
}

// The assembler's one vector input names the features it spans.
func TestFeatureNames(t *testing.T) {
	num, vec := arrow.PrimitiveTypes.Float64, linalg.VectorType()
	cols := []arrow.Field{{Name: "a", Type: num}, {Name: "v", Type: vec}, {Name: "b", Type: num}}
	// 4 features: a, then v's 2 (4 - 2 number columns), then b.
	if got, want := featureNames(cols, 4), []string{"a", "v[0]", "v[1]", "b"}; !slices.Equal(got, want) {
		t.Errorf("one vector: %v, want %v", got, want)
	}
	if got, want := featureNames([]arrow.Field{cols[0], cols[2]}, 2), []string{"a", "b"}; !slices.Equal(got, want) {
		t.Errorf("numbers: %v, want %v", got, want)
	}
	two := append(cols, arrow.Field{Name: "w", Type: vec})
	if got, want := featureNames(two, 5), []string{"0", "1", "2", "3", "4"}; !slices.Equal(got, want) {
		t.Errorf("two vectors: %v, want %v", got, want)
	}
}

// A tree ensemble logs its feature importances, which Spark normalizes to
// sum to 1.
func TestModelArtifactImportances(t *testing.T) {
	src := validJob
	i, j := strings.Index(src, "      tune:"), strings.Index(src, "  - name: heldout")
	src = src[:i] + src[j:]
	src = strings.Replace(src, "{stage: LogisticRegression, name: lr, params: {maxIter: 50}}", "{stage: RandomForestClassifier, name: rf, params: {numTrees: 3, seed: 1}}", 1)
	s := newSetup(t, src)
	rec := &fakeRecorder{params: map[string]string{}, metrics: map[string][]float64{}, tags: map[string]string{}, artifacts: map[string]string{}}
	if _, err := RunFile(ctx, s.file, s.params, Options{Recorder: rec}); err != nil {
		t.Fatal(err)
	}
	var got tracking.ModelArtifact
	if err := json.Unmarshal(rec.files["model/model.json"], &got); err != nil {
		t.Fatalf("model/model.json: %v (artifacts %v)", err, rec.artifacts)
	}
	sum := 0.0
	for _, v := range got.Values {
		sum += v
	}
	if got.Kind != "featureImportances" || got.Intercept != nil || !slices.Equal(got.Features, []string{"x1", "x2", "cat_index"}) || math.Abs(sum-1) > 1e-9 {
		t.Errorf("model artifact %+v (sum %v)", got, sum)
	}
}
