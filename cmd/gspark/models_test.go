package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/registry"
)

// registerModels registers churn v1, v2 (with tags and a metric) and
// fraud v1 in a new registry, with fixed creation times, and returns it.
func registerModels(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "models")
	m := feature.NewBinarizer().SetInputCol("amount").SetOutputCol("high")
	reg := func(name string, opts registry.RegisterOptions, created string) {
		v, err := registry.RegisterWith(root, name, m, opts)
		if err != nil {
			t.Fatal(err)
		}
		// Fix the creation time so the tables below are exact.
		info := `{"created": "` + created + `"` + opts.Tags["json"] + "}\n"
		if err := os.WriteFile(filepath.Join(v.Dir, registry.VersionFile), []byte(info), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg("churn", registry.RegisterOptions{}, "2026-03-01T10:00:00Z")
	reg("churn", registry.RegisterOptions{Tags: map[string]string{"json": `, "tags": {"run_id": "r2", "job": "train.yaml"}, "metrics": {"eval.auc": 0.875}`}}, "2026-03-02T11:30:00Z")
	reg("fraud", registry.RegisterOptions{}, "2026-03-03T09:15:00Z")
	return root
}

func TestModelsCommands(t *testing.T) {
	bin := buildBinary(t)
	root := registerModels(t)

	t.Run("list", func(t *testing.T) {
		// The registry from the environment.
		cmd := exec.Command(bin, "models", "list")
		cmd.Env = append(os.Environ(), "GSPARK_MODELS_DIR="+root)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		want := "+-------+--------+----------+---------------------+\n" +
			"| name  | latest | versions | created (UTC)       |\n" +
			"+-------+--------+----------+---------------------+\n" +
			"| churn | v2     |        2 | 2026-03-02 11:30:00 |\n" +
			"| fraud | v1     |        1 | 2026-03-03 09:15:00 |\n" +
			"+-------+--------+----------+---------------------+\n"
		if string(out) != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
		}
	})

	t.Run("list name", func(t *testing.T) {
		out, errOut, err := runBin(t, bin, "models", "list", "churn", "--root", root)
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		want := "+---------+--------+---------------------+---------------------------+----------------+\n" +
			"| version | latest | created (UTC)       | tags                      | metrics        |\n" +
			"+---------+--------+---------------------+---------------------------+----------------+\n" +
			"| v1      |        | 2026-03-01 10:00:00 |                           |                |\n" +
			"| v2      | *      | 2026-03-02 11:30:00 | job=train.yaml, run_id=r2 | eval.auc=0.875 |\n" +
			"+---------+--------+---------------------+---------------------------+----------------+\n"
		if out != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
		}
	})

	t.Run("show and promote", func(t *testing.T) {
		out, errOut, err := runBin(t, bin, "models", "show", "churn/v1", "--root", root)
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		for _, s := range []string{
			"| version       | v1 ", "| latest        | no (latest is v2) ", "| created (UTC) | 2026-03-01 10:00:00 ",
			"| class         | gspark.ml.feature.Binarizer ", "| directory     | " + filepath.Join(root, "churn", "v1") + " |",
			"| input     | amount | double |", "| output    | high   | double |",
		} {
			if !strings.Contains(out, s) {
				t.Errorf("show churn/v1 lacks %q:\n%s", s, out)
			}
		}
		if strings.Contains(out, "| tag ") {
			t.Errorf("v1 has no tags:\n%s", out)
		}
		out, errOut, err = runBin(t, bin, "models", "promote", "churn", "v1", "--root", root)
		if err != nil || out != "churn: latest is v1 (was v2)\n" {
			t.Fatalf("promote: %q %v\n%s", out, err, errOut)
		}
		// show NAME is the latest version: now v1.
		out, _, err = runBin(t, bin, "models", "show", "churn", "--root", root)
		if err != nil || !strings.Contains(out, "| version       | v1 ") || !strings.Contains(out, "| latest        | yes ") {
			t.Errorf("show churn after promote (%v):\n%s", err, out)
		}
		out, _, err = runBin(t, bin, "models", "show", "churn/2", "--root", root)
		if err != nil || !strings.Contains(out, "| run_id | r2         |") || !strings.Contains(out, "| eval.auc | 0.875 |") {
			t.Errorf("show churn/2 (%v):\n%s", err, out)
		}
		if _, _, err := runBin(t, bin, "models", "promote", "churn", "v2", "--root", root); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"models", "list", "--root", filepath.Join(root, "none")}, "model registry " + filepath.Join(root, "none") + " does not exist (set it with --root or GSPARK_MODELS_DIR)"},
			{[]string{"models", "show", "churm", "--root", root}, `no registered model "churm" in ` + root + " (models: churn, fraud)"},
			{[]string{"models", "show", "churn/v7", "--root", root}, "model churn has no version 7 (versions: v1, v2)"},
			{[]string{"models", "promote", "churn", "v3", "--root", root}, "model churn has no version 3 (versions: v1, v2)"},
			{[]string{"models", "promote", "churn", "latest", "--root", root}, `version "latest": want vN or N`},
			{[]string{"models", "show", ".hidden", "--root", root}, `model name ".hidden"`},
		} {
			_, errOut, err := runBin(t, bin, c.args...)
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Errorf("%v: exit %v, want 1", c.args, err)
			}
			if !strings.Contains(errOut, c.want) {
				t.Errorf("%v: stderr %q, want %q", c.args, errOut, c.want)
			}
		}
		// A failed promote leaves latest where it was.
		if v, err := registry.Latest(root, "churn"); err != nil || v.Number != 2 {
			t.Errorf("latest after failed promotes: %+v %v", v, err)
		}
	})

	t.Run("empty registry", func(t *testing.T) {
		empty := t.TempDir()
		out, _, err := runBin(t, bin, "models", "list", "--root", empty)
		if err != nil || out != "no models registered in "+empty+"\n" {
			t.Errorf("empty registry: %q %v", out, err)
		}
	})
}

// gspark run registers a version per run in --models-dir, else in
// $GSPARK_MODELS_DIR; gspark models then lists them.
func TestRunRegistersVersions(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	job := filepath.Join(dir, "train.yaml")
	src := "steps:\n" +
		"  - name: model\n" +
		"    fit:\n" +
		"      input: SELECT sepal_length, petal_length AS label FROM samples.iris\n" +
		"      stages:\n" +
		"        - {stage: VectorAssembler, params: {inputCols: [sepal_length], outputCol: features}}\n" +
		"        - {stage: LinearRegression}\n" +
		"  - name: publish\n" +
		"    save: {model: model, register: iris-petals}\n"
	if err := os.WriteFile(job, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	flagRoot, envRoot := filepath.Join(dir, "flag-models"), filepath.Join(dir, "env-models")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"run", job, "--no-tracking"}, args...)...)
		cmd.Env = append(os.Environ(), "GSPARK_MODELS_DIR="+envRoot)
		cmd.Dir = dir // where ./models would be
		var errOut strings.Builder
		cmd.Stderr = &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("gspark run %v: %v\n%s", args, err, errOut.String())
		}
		return errOut.String()
	}
	progress := run("--models-dir", flagRoot)
	if !strings.Contains(progress, "registered iris-petals/v1 in "+filepath.Join(flagRoot, "iris-petals", "v1")+"\n") {
		t.Errorf("progress:\n%s", progress)
	}
	run("--models-dir", flagRoot)
	run()
	for root, want := range map[string]int{flagRoot: 2, envRoot: 1} {
		vs, err := registry.List(root, "iris-petals")
		if err != nil || len(vs) != want {
			t.Errorf("%s: %d versions (%v), want %d", root, len(vs), err, want)
		}
	}
	out, errOut, err := runBin(t, bin, "models", "list", "--root", flagRoot)
	if err != nil || !strings.Contains(out, "| iris-petals | v2     |        2 |") {
		t.Errorf("models list (%v):\n%s%s", err, out, errOut)
	}
}
