package jobs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml/monitor"
	"github.com/gspark/gspark/ml/registry"
)

// registerJob fits a model, registers it as churn in ${out}/models, then
// evaluates the registered model's latest version by its directory.
const registerJob = `name: retrain
params:
  data: none
  out: none
steps:
  - name: load
    sql: CREATE OR REPLACE TEMP VIEW d USING csv OPTIONS (path '${data}', header 'true', inferSchema 'true')
  - name: model
    fit:
      input: SELECT x1, x2, CAST(label AS DOUBLE) AS label FROM d
      stages:
        - {stage: VectorAssembler, params: {inputCols: [x1, x2], outputCol: features}}
        - {stage: LogisticRegression, params: {maxIter: 20}}
  - name: train_eval
    evaluate:
      input: SELECT x1, x2, CAST(label AS DOUBLE) AS label FROM d
      model: model
      evaluators: [{class: MulticlassClassificationEvaluator, params: {metricName: accuracy}}]
  - name: publish
    save: {model: model, register: churn, models_dir: '${out}/models'}
  - name: check
    evaluate:
      input: SELECT x1, x2, CAST(label AS DOUBLE) AS label FROM d
      model: '${out}/models/churn'
      evaluators: [{class: MulticlassClassificationEvaluator, params: {metricName: accuracy}}]
`

// idRecorder is a tracking run: a recorder with an id.
type idRecorder struct{ *fakeRecorder }

func (idRecorder) ID() string { return "run-123" }

func newFakeRecorder() *fakeRecorder {
	return &fakeRecorder{params: map[string]string{}, metrics: map[string][]float64{}, tags: map[string]string{}, artifacts: map[string]string{}}
}

func TestRegisterTwiceGivesTwoVersions(t *testing.T) {
	s := newSetup(t, registerJob)
	root := filepath.Join(s.out, "models")
	for n := 1; n <= 2; n++ {
		rec := newFakeRecorder()
		res, err := RunFile(ctx, s.file, s.params, Options{Recorder: idRecorder{rec}})
		if err != nil {
			t.Fatal(err)
		}
		v := res.Registered["publish"]
		if v.Name != "churn" || v.Number != n || v.Dir != filepath.Join(root, "churn", "v"+string(rune('0'+n))) {
			t.Fatalf("run %d registered %+v", n, v)
		}
		if b, err := os.ReadFile(filepath.Join(root, "churn", "latest")); err != nil || string(b) != v.String()[len("churn/"):]+"\n" {
			t.Errorf("run %d: latest %q %v", n, b, err)
		}
		// The version records the job, the run and the metrics before it.
		got, err := registry.Get(root, "churn", n)
		if err != nil {
			t.Fatal(err)
		}
		if got.Tags["run_id"] != "run-123" || got.Tags["gspark.job.file"] != s.file || got.Tags["gspark.job.step"] != "publish" || len(got.Tags["gspark.job.sha256"]) != 64 {
			t.Errorf("tags %v", got.Tags)
		}
		acc, ok := got.Metrics["train_eval.accuracy"]
		if !ok || acc != res.Metrics["train_eval.accuracy"] || len(got.Metrics) != 1 {
			t.Errorf("metrics %v, run's %v", got.Metrics, res.Metrics)
		}
		// The later step read the registered model: same data, same accuracy.
		if res.Metrics["check.accuracy"] != acc {
			t.Errorf("accuracy of the registered model %v, of the fitted one %v", res.Metrics["check.accuracy"], acc)
		}
		// The version carries its training profile.
		if prof, err := monitor.ReadProfile(v.Dir); err != nil || prof.Rows == 0 {
			t.Errorf("run %d: profile %v", n, err)
		}
		if rec.tags["gspark.registered.publish"] != v.String() || rec.artifacts["models/publish"] != v.Dir {
			t.Errorf("tracking: tags %v artifacts %v", rec.tags, rec.artifacts)
		}
	}
	vs, err := registry.List(root, "churn")
	if err != nil || len(vs) != 2 {
		t.Errorf("versions %+v %v", vs, err)
	}
}

func TestRegisterDefaultsToTheRunnersModelsDir(t *testing.T) {
	src := strings.Replace(registerJob, ", models_dir: '${out}/models'", "", 1)
	src = strings.Replace(src, "model: '${out}/models/churn'", "model: model", 1)
	s := newSetup(t, src)
	root := filepath.Join(s.dir, "registry")
	var progress strings.Builder
	res, err := RunFile(ctx, s.file, s.params, Options{ModelsDir: root, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if v := res.Registered["publish"]; v.Dir != filepath.Join(root, "churn", "v1") {
		t.Errorf("registered %+v", v)
	}
	if !strings.Contains(progress.String(), "registered churn/v1 in "+filepath.Join(root, "churn", "v1")+"\n") {
		t.Errorf("progress:\n%s", progress.String())
	}
	// Without Options.ModelsDir: ./models.
	t.Chdir(s.dir)
	if _, err := RunFile(ctx, s.file, s.params, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := registry.Get(DefaultModelsDir, "churn", 1); err != nil {
		t.Error(err)
	}
}

// Each broken save step fails validation at the place of the mistake, and
// nothing is registered.
func TestBadRegisterSteps(t *testing.T) {
	const save = "save: {model: model, register: churn, models_dir: '${out}/models'}"
	cases := []struct {
		name, new, at string
		want          []string
	}{
		{"both", "save: {model: model, path: '${out}/m', register: churn}", "churn}", []string{"path: and register: are exclusive"}},
		{"neither", "save: {model: model}", "{model: model}", []string{"save: path: or register: is required"}},
		{"bad name", "save: {model: model, register: ../churn}", "../churn", []string{`register: model name "../churn"`}},
		{"hidden name", "save: {model: model, register: .churn}", ".churn", []string{`model name ".churn"`}},
		{"overwrite", "save: {model: model, register: churn, overwrite: true}", "true}", []string{"overwrite: applies to path: only"}},
		{"models_dir without register", "save: {model: model, path: '${out}/m', models_dir: x}", "x}", []string{"models_dir: applies to register: only"}},
		{"misspelt key", "save: {model: model, registr: churn}", "registr", []string{`unknown key "registr"`, "did you mean register?"}},
		{"models_dir is a file", "save: {model: model, register: churn, models_dir: '${data}'}", "'${data}'}", []string{"is a file, not a directory"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(registerJob, save, c.new, 1)
			s := newSetup(t, src)
			_, err := RunFile(ctx, s.file, s.params, Options{ModelsDir: filepath.Join(s.out, "models")})
			if err == nil {
				t.Fatal("the job ran")
			}
			msg := err.Error()
			if at := where(s.file, src, c.at); !strings.Contains(msg, at+":") {
				t.Errorf("error does not name %s:\n%s", at, msg)
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
