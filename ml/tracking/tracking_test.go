package tracking

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/feature"
)

// The expected layout below is MLflow's FileStore as written by
// mlflow/store/tracking/file_store.py (create_run, _make_persisted_run_info_dict,
// _create_experiment_with_id, _log_run_metric, _log_run_param, _set_run_tag)
// and mlflow/utils/file_utils.py (write_yaml: safe_dump, block style,
// sorted keys) in mlflow/mlflow at commit
// 001cc178a1442b488da41853c497adc5285a284d, with RunStatus numbers from
// mlflow/entities/run_status.py.

var (
	experimentKeys = []string{"artifact_location", "creation_time", "experiment_id", "last_update_time", "lifecycle_stage", "name"}
	runKeys        = []string{"artifact_uri", "end_time", "entry_point_name", "experiment_id", "lifecycle_stage", "run_id", "run_name", "run_uuid", "source_name", "source_type", "source_version", "start_time", "status", "tags", "user_id"}
)

// readNode reads a meta.yaml as a mapping of key to scalar/sequence node,
// checking it is block style with its keys in sorted order.
func readNode(t *testing.T, p string) (keys []string, vals map[string]*yaml.Node) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
		t.Fatalf("%s: not a block mapping:\n%s", p, data)
	}
	vals = map[string]*yaml.Node{}
	for i := 0; i < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value)
		vals[m.Content[i].Value] = m.Content[i+1]
	}
	return keys, vals
}

func wantScalar(t *testing.T, file, key string, n *yaml.Node, tag, value string) {
	t.Helper()
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() != tag || (value != "*" && n.Value != value) {
		t.Errorf("%s: %s = %+v, want %s %q", file, key, n, tag, value)
	}
}

func readString(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestFileStoreLayout(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "mlruns")
	s, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	// A new store has experiment 0, "Default", and the .trash folder.
	if fi, err := os.Stat(filepath.Join(root, ".trash")); err != nil || !fi.IsDir() {
		t.Fatalf(".trash: %v", err)
	}
	keys, v := readNode(t, filepath.Join(root, "0", "meta.yaml"))
	if !slices.Equal(keys, experimentKeys) {
		t.Fatalf("experiment 0 keys %v, want %v", keys, experimentKeys)
	}
	wantScalar(t, "0/meta.yaml", "experiment_id", v["experiment_id"], "!!str", "0")
	wantScalar(t, "0/meta.yaml", "name", v["name"], "!!str", "Default")
	wantScalar(t, "0/meta.yaml", "artifact_location", v["artifact_location"], "!!str", "file://"+root+"/0")

	r, err := s.StartRun(ctx, "churn", "first")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[1-9][0-9]{17}$`).MatchString(r.ExperimentID()) {
		t.Errorf("experiment id %q is not 18 digits", r.ExperimentID())
	}
	if !regexp.MustCompile(`^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$`).MatchString(r.ID()) {
		t.Errorf("run id %q is not a uuid4 in 32 hex digits", r.ID())
	}
	expDir := filepath.Join(root, r.ExperimentID())
	keys, v = readNode(t, filepath.Join(expDir, "meta.yaml"))
	if !slices.Equal(keys, experimentKeys) {
		t.Fatalf("experiment keys %v, want %v", keys, experimentKeys)
	}
	wantScalar(t, "meta.yaml", "experiment_id", v["experiment_id"], "!!str", r.ExperimentID())
	wantScalar(t, "meta.yaml", "name", v["name"], "!!str", "churn")
	wantScalar(t, "meta.yaml", "lifecycle_stage", v["lifecycle_stage"], "!!str", "active")
	wantScalar(t, "meta.yaml", "creation_time", v["creation_time"], "!!int", "*")
	wantScalar(t, "meta.yaml", "last_update_time", v["last_update_time"], "!!int", v["creation_time"].Value)
	if len(v["creation_time"].Value) != 13 {
		t.Errorf("creation_time %s is not in milliseconds", v["creation_time"].Value)
	}

	runDir := filepath.Join(expDir, r.ID())
	keys, v = readNode(t, filepath.Join(runDir, "meta.yaml"))
	if !slices.Equal(keys, runKeys) {
		t.Fatalf("run keys %v, want %v", keys, runKeys)
	}
	f := "run meta.yaml"
	wantScalar(t, f, "artifact_uri", v["artifact_uri"], "!!str", "file://"+runDir+"/artifacts")
	wantScalar(t, f, "end_time", v["end_time"], "!!null", "*")
	wantScalar(t, f, "entry_point_name", v["entry_point_name"], "!!str", "")
	wantScalar(t, f, "experiment_id", v["experiment_id"], "!!str", r.ExperimentID())
	wantScalar(t, f, "lifecycle_stage", v["lifecycle_stage"], "!!str", "active")
	wantScalar(t, f, "run_id", v["run_id"], "!!str", r.ID())
	wantScalar(t, f, "run_uuid", v["run_uuid"], "!!str", r.ID())
	wantScalar(t, f, "run_name", v["run_name"], "!!str", "first")
	wantScalar(t, f, "source_name", v["source_name"], "!!str", "")
	wantScalar(t, f, "source_type", v["source_type"], "!!int", "4")
	wantScalar(t, f, "source_version", v["source_version"], "!!str", "")
	wantScalar(t, f, "start_time", v["start_time"], "!!int", "*")
	wantScalar(t, f, "status", v["status"], "!!int", "1")
	if n := v["tags"]; n.Kind != yaml.SequenceNode || len(n.Content) != 0 {
		t.Errorf("tags = %+v, want []", n)
	}
	for _, sub := range []string{"params", "metrics", "tags", "artifacts"} {
		if fi, err := os.Stat(filepath.Join(runDir, sub)); err != nil || !fi.IsDir() {
			t.Errorf("%s/: %v", sub, err)
		}
	}
	// The tags MLflow's client sets on every run.
	if got := readString(t, filepath.Join(runDir, "tags", "mlflow.runName")); got != "first" {
		t.Errorf("tags/mlflow.runName = %q", got)
	}
	if got := readString(t, filepath.Join(runDir, "tags", "mlflow.source.type")); got != "LOCAL" {
		t.Errorf("tags/mlflow.source.type = %q", got)
	}
	if _, err := os.Stat(filepath.Join(runDir, "tags", "mlflow.user")); err != nil {
		t.Error(err)
	}

	// params/<key>: the value, no newline; metrics/<key>: "ms value step" lines,
	// the value as Python's repr(float) writes it.
	must(t, r.LogParam("regParam", "0.1"))
	must(t, r.LogParam("model/kind", "logistic"))
	must(t, r.SetTag("team", "growth"))
	for i, x := range []float64{1, 0.25, 1e-05, 1e16, 1234567} {
		must(t, r.LogMetric("loss", x, int64(i)))
	}
	if got := readString(t, filepath.Join(runDir, "params", "regParam")); got != "0.1" {
		t.Errorf("params/regParam = %q", got)
	}
	if got := readString(t, filepath.Join(runDir, "params", "model", "kind")); got != "logistic" {
		t.Errorf("params/model/kind = %q", got)
	}
	if got := readString(t, filepath.Join(runDir, "tags", "team")); got != "growth" {
		t.Errorf("tags/team = %q", got)
	}
	lines := strings.Split(readString(t, filepath.Join(runDir, "metrics", "loss")), "\n")
	want := []string{"1.0 0", "0.25 1", "1e-05 2", "1e+16 3", "1234567.0 4", ""}
	if len(lines) != len(want) {
		t.Fatalf("metrics/loss has %d lines: %q", len(lines), lines)
	}
	for i, l := range lines[:len(lines)-1] {
		if !regexp.MustCompile(`^[0-9]{13} ` + regexp.QuoteMeta(want[i]) + `$`).MatchString(l) {
			t.Errorf("metrics/loss line %d = %q, want <ms> %s", i+1, l, want[i])
		}
	}
	if lines[len(lines)-1] != "" {
		t.Errorf("metrics/loss does not end in a newline")
	}

	must(t, r.End("FINISHED"))
	_, v = readNode(t, filepath.Join(runDir, "meta.yaml"))
	wantScalar(t, f, "status", v["status"], "!!int", "3")
	wantScalar(t, f, "end_time", v["end_time"], "!!int", "*")
	if v["end_time"].Value < v["start_time"].Value {
		t.Errorf("end_time %s before start_time %s", v["end_time"].Value, v["start_time"].Value)
	}
	if err := r.LogParam("late", "x"); err == nil {
		t.Error("logging to an ended run succeeded")
	}
	// No temporary file is left behind.
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), tmpPrefix) {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
	pythonCrossCheck(t, runDir)
}

// pythonCrossCheck reads the run's meta.yaml with PyYAML (the library
// MLflow reads it with) when python3 has it.
func pythonCrossCheck(t *testing.T, runDir string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Log("no python3: PyYAML cross-check skipped")
		return
	}
	script := `import sys, yaml
m = yaml.safe_load(open(sys.argv[1]))
print(type(m["experiment_id"]).__name__, type(m["status"]).__name__, m["status"], m["tags"], type(m["end_time"]).__name__)
print(repr(1.0), repr(0.25), repr(1e-05), repr(1e16), repr(1234567.0))`
	out, err := exec.Command(py, "-c", script, filepath.Join(runDir, "meta.yaml")).CombinedOutput()
	if err != nil {
		t.Logf("PyYAML cross-check skipped: %v %s", err, out)
		return
	}
	want := "str int 3 [] int\n1.0 0.25 1e-05 1e+16 1234567.0\n"
	if string(out) != want {
		t.Errorf("PyYAML reads %q, want %q", out, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "mlruns"))
	must(t, err)
	r, err := s.StartRun(ctx, "exp", "a")
	must(t, err)
	must(t, r.LogParam("maxIter", "10"))
	must(t, r.LogParam("maxIter", "10")) // the same value again is allowed
	if err := r.LogParam("maxIter", "20"); err == nil {
		t.Error("changing a param succeeded")
	}
	must(t, r.LogMetric("auc", 0.5, 0))
	must(t, r.LogMetric("auc", 0.9, 2))
	must(t, r.LogMetric("auc", 0.7, 1))
	must(t, r.SetTag(TagRunName, "renamed"))
	src := filepath.Join(t.TempDir(), "model")
	must(t, os.MkdirAll(filepath.Join(src, "data"), 0o755))
	must(t, os.WriteFile(filepath.Join(src, "metadata"), []byte("{}"), 0o644))
	must(t, os.WriteFile(filepath.Join(src, "data", "part-0"), []byte("x"), 0o644))
	must(t, r.LogArtifact(src, "model"))
	must(t, r.LogArtifact(filepath.Join(src, "metadata"), ""))
	must(t, r.End(StatusFailed))
	r2, err := s.StartRun(ctx, "exp", "b")
	must(t, err)
	if r2.ExperimentID() != r.ExperimentID() {
		t.Errorf("second run went to experiment %s, not %s", r2.ExperimentID(), r.ExperimentID())
	}

	got, err := s.Run(r.ID())
	must(t, err)
	if got.Status != StatusFailed || got.Name != "renamed" || got.EndTime.IsZero() || got.ExperimentID != r.ExperimentID() {
		t.Errorf("run = %+v", got)
	}
	if got.Params["maxIter"] != "10" || got.Tags[TagRunName] != "renamed" {
		t.Errorf("params %v tags %v", got.Params, got.Tags)
	}
	if h := got.Metrics["auc"]; len(h) != 3 || h[0].Value != 0.5 || h[1].Step != 2 || h[2].Value != 0.7 {
		t.Errorf("auc history %+v", h)
	}
	if m, ok := got.Latest("auc"); !ok || m.Value != 0.9 || m.Step != 2 {
		t.Errorf("latest auc %+v, want 0.9 at step 2 (the largest step)", m)
	}
	for _, p := range []string{"model/metadata", "model/data/part-0", "metadata"} {
		if _, err := os.Stat(filepath.Join(got.Dir(), "artifacts", filepath.FromSlash(p))); err != nil {
			t.Errorf("artifact %s: %v", p, err)
		}
	}
	if byPrefix, err := s.Run(r.ID()[:10]); err != nil || byPrefix.ID != r.ID() {
		t.Errorf("Run(prefix) = %v, %v", byPrefix, err)
	}
	runs, err := s.Runs("exp")
	must(t, err)
	if len(runs) != 2 {
		t.Fatalf("Runs(exp) = %d runs", len(runs))
	}
	exps, err := s.Experiments()
	must(t, err)
	var names []string
	for _, e := range exps {
		names = append(names, e.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"Default", "exp"}) {
		t.Errorf("experiments %v", names)
	}
	if _, err := s.Runs("nope"); err == nil {
		t.Error("Runs of a missing experiment succeeded")
	}
}

func TestBadKeysRejected(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "mlruns"))
	must(t, err)
	r, err := s.StartRun(context.Background(), "", "")
	must(t, err)
	if r.ExperimentID() != "0" {
		t.Errorf("run without experiment went to %s, not 0 (Default)", r.ExperimentID())
	}
	for _, k := range []string{"", "../x", "a/../b", "a//b", "/abs", ".", "a/", "a:b", "a\nb", "a=b", strings.Repeat("k", 251)} {
		if err := r.LogParam(k, "v"); err == nil {
			t.Errorf("param %q accepted", k)
		}
		if err := r.LogMetric(k, 1, 0); err == nil {
			t.Errorf("metric %q accepted", k)
		}
		if err := r.SetTag(k, "v"); err == nil {
			t.Errorf("tag %q accepted", k)
		}
	}
	for _, k := range []string{"a/b", "x.y-z w", "élan_1"} {
		if err := r.LogParam(k, "v"); err != nil {
			t.Errorf("param %q: %v", k, err)
		}
	}
	f := filepath.Join(t.TempDir(), "f")
	must(t, os.WriteFile(f, nil, 0o644))
	for _, p := range []string{"../x", "/x", "a/../../b", "a//b"} {
		if err := r.LogArtifact(f, p); err == nil {
			t.Errorf("artifact path %q accepted", p)
		}
	}
	if err := r.End("RUNNING"); err == nil {
		t.Error("End(RUNNING) accepted")
	}
}

func TestCrashedRunIsRunning(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mlruns")
	s, err := Open(dir)
	must(t, err)
	r, err := s.StartRun(context.Background(), "exp", "crash")
	must(t, err)
	must(t, r.LogMetric("loss", 2, 0))
	// The process dies here: End is never called. Another process reads.
	s2, err := Open(dir)
	must(t, err)
	got, err := s2.Run(r.ID())
	must(t, err)
	if got.Status != StatusRunning || !got.EndTime.IsZero() {
		t.Errorf("crashed run: status %s, end %v; want RUNNING, no end", got.Status, got.EndTime)
	}
}

// TestReadsMLflowFiles reads a run written the way MLflow writes it (the
// meta.yaml of an MLflow 2.x run, quoted id, status 4, and an old
// two-field metric line).
func TestReadsMLflowFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mlruns")
	s, err := Open(dir)
	must(t, err)
	exp := filepath.Join(dir, "606783375233873416")
	run := filepath.Join(exp, "1c6b2d5b909041df93e6e00b960de019")
	must(t, os.MkdirAll(filepath.Join(run, "metrics"), 0o755))
	must(t, os.WriteFile(filepath.Join(exp, "meta.yaml"), []byte("artifact_location: file:///x/606783375233873416\ncreation_time: 1721450907000\nexperiment_id: '606783375233873416'\nlast_update_time: 1721450907000\nlifecycle_stage: active\nname: demo\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(run, "meta.yaml"), []byte(`artifact_uri: file:///x/606783375233873416/1c6b2d5b909041df93e6e00b960de019/artifacts
end_time: 1721450907230
entry_point_name: ''
experiment_id: '606783375233873416'
lifecycle_stage: active
run_id: 1c6b2d5b909041df93e6e00b960de019
run_name: wistful-ant-659
run_uuid: 1c6b2d5b909041df93e6e00b960de019
source_name: ''
source_type: 4
source_version: ''
start_time: 1721450907221
status: 4
tags: []
user_id: someone
`), 0o644))
	must(t, os.WriteFile(filepath.Join(run, "metrics", "rmse"), []byte("1721450907225 0.5\n1721450907226 nan 1\n"), 0o644))
	got, err := s.Run("1c6b2d5b909041df93e6e00b960de019")
	must(t, err)
	if got.Status != StatusFailed || got.Name != "wistful-ant-659" || got.StartTime.UnixMilli() != 1721450907221 || got.EndTime.UnixMilli() != 1721450907230 {
		t.Errorf("run = %+v", got)
	}
	if h := got.Metrics["rmse"]; len(h) != 2 || h[0].Step != 0 || h[0].Value != 0.5 || h[1].Value == h[1].Value {
		t.Errorf("rmse = %+v", h)
	}
}

func TestLogModelPipelineParams(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "mlruns"))
	must(t, err)
	r, err := s.StartRun(context.Background(), "exp", "model")
	must(t, err)
	b := feature.NewBinarizer().SetInputCol("x").SetOutputCol("y").SetThreshold(0.5)
	pm := ml.NewPipelineModel("PipelineModel_1", b)
	must(t, LogModel(r, pm))
	must(t, r.End(StatusFinished))
	got, err := s.Run(r.ID())
	must(t, err)
	want := map[string]string{b.UID() + ".inputCol": "x", b.UID() + ".outputCol": "y", b.UID() + ".threshold": "0.5"}
	for k, v := range want {
		if got.Params[k] != v {
			t.Errorf("param %s = %q, want %q (all: %v)", k, got.Params[k], v, got.Params)
		}
	}
	must(t, LogObjectiveHistory(&nopLogger{t: t}, "obj", []float64{3, 2, 1}))
}

// nopLogger checks LogObjectiveHistory logs steps 0, 1, 2 in order.
type nopLogger struct {
	t    *testing.T
	next int64
}

func (l *nopLogger) LogParam(string, string) error { return nil }
func (l *nopLogger) LogMetric(_ string, v float64, step int64) error {
	if step != l.next || v != float64(3-step) {
		l.t.Errorf("step %d value %v, want step %d value %v", step, v, l.next, float64(3-l.next))
	}
	l.next++
	return nil
}
func (l *nopLogger) SetTag(string, string) error      { return nil }
func (l *nopLogger) LogArtifact(string, string) error { return nil }

// TestConcurrentRuns starts runs of one new experiment and logs to one run
// from many goroutines: one experiment is created and no line is lost.
func TestConcurrentRuns(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "mlruns"))
	must(t, err)
	r, err := s.StartRun(context.Background(), "shared", "one")
	must(t, err)
	const n = 16
	errs := make(chan error, 2*n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := s.StartRun(context.Background(), "parallel", "")
			errs <- err
		}()
		go func() {
			defer wg.Done()
			errs <- r.LogMetric("x", float64(i), int64(i))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	exps, err := s.Experiments()
	must(t, err)
	count := 0
	for _, e := range exps {
		if e.Name == "parallel" {
			count++
		}
	}
	if count != 1 {
		t.Errorf("%d experiments named parallel, want 1", count)
	}
	runs, err := s.Runs("parallel")
	must(t, err)
	if len(runs) != n {
		t.Errorf("%d runs in parallel, want %d", len(runs), n)
	}
	got, err := s.Run(r.ID())
	must(t, err)
	if len(got.Metrics["x"]) != n {
		t.Errorf("%d values of x, want %d", len(got.Metrics["x"]), n)
	}
}

// TestLegacyIntegerExperimentID reads an experiment whose meta.yaml has an
// integer experiment_id, as MLflow before 1.0 wrote it (file_store.py casts
// it to a string when reading).
func TestLegacyIntegerExperimentID(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mlruns")
	s, err := Open(dir)
	must(t, err)
	must(t, os.MkdirAll(filepath.Join(dir, "1"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "1", "meta.yaml"), []byte("artifact_location: ./mlruns/1\nexperiment_id: 1\nlifecycle_stage: active\nname: old\n"), 0o644))
	exps, err := s.Experiments()
	must(t, err)
	found := false
	for _, e := range exps {
		found = found || e.ID == "1" && e.Name == "old"
	}
	if !found {
		t.Errorf("experiments %+v lack the legacy one", exps)
	}
}
