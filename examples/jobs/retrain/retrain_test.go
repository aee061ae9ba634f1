// Package retrain tests the retraining loop of examples/jobs/retrain: the
// training job registers versions, and retrain.sh retrains exactly when
// the drift check says so.
package retrain

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml/jobs"
	"github.com/gspark/gspark/ml/registry"
)

// Each run of train.yaml registers the next version and moves latest.
func TestTrainRegistersVersions(t *testing.T) {
	root := t.TempDir()
	for n := 1; n <= 2; n++ {
		res, err := jobs.RunFile(context.Background(), "train.yaml", nil, jobs.Options{ModelsDir: root})
		if err != nil {
			t.Fatal(err)
		}
		// A sanity bound only (the metrics' values are examples/jobs'
		// business): a model that learned nothing scores 0.5.
		if auc := res.Metrics["heldout.areaUnderROC"]; auc < 0.9 {
			t.Errorf("held-out AUC %v", auc)
		}
		dir, v, err := registry.Resolve(filepath.Join(root, "cancer"))
		if err != nil || v.Number != n || dir != filepath.Join(root, "cancer", "v"+string(rune('0'+n))) {
			t.Fatalf("run %d: latest %s %+v %v", n, dir, v, err)
		}
		if v.Metrics["heldout.accuracy"] != res.Metrics["heldout.accuracy"] {
			t.Errorf("version metrics %v, run's %v", v.Metrics, res.Metrics)
		}
	}
}

// buildGspark builds the gspark command into dir.
func buildGspark(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "gspark")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/gspark/gspark/cmd/gspark").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// retrain.sh runs train.yaml when the drift check exits 3, and only then.
// The drift check is a stand-in that exits with $MONITOR_EXIT and logs its
// arguments; everything else is the real gspark.
func TestRetrainScript(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	tmp := t.TempDir()
	real := buildGspark(t, tmp)
	log := filepath.Join(tmp, "monitor.log")
	fake := filepath.Join(tmp, "gspark-fake")
	stub := "#!/bin/sh\n" +
		"if [ \"$1\" = monitor ]; then echo \"$@\" >> '" + log + "'; exit \"$MONITOR_EXIT\"; fi\n" +
		"exec '" + real + "' \"$@\" --no-tracking\n"
	if err := os.WriteFile(fake, []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("retrain.sh")
	if err != nil {
		t.Fatal(err)
	}
	data, err := filepath.Abs("../../../testdata/ml/breast_cancer.csv")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir() // the current directory: ./models is the registry
	run := func(monitorExit string, args ...string) (string, error) {
		cmd := exec.Command("sh", append([]string{script}, args...)...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GSPARK="+fake, "MONITOR_EXIT="+monitorExit, "GSPARK_MODELS_DIR=", "MODEL=")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	versions := func() int {
		vs, err := registry.List(filepath.Join(work, "models"), "cancer")
		if err != nil {
			return 0
		}
		return len(vs)
	}

	out, err := run("3", data)
	if err != nil || versions() != 1 || !strings.Contains(out, "has drifted; retraining cancer") {
		t.Fatalf("drift: %d versions, %v\n%s", versions(), err, out)
	}
	if b, _ := os.ReadFile(log); string(b) != "monitor --model models/cancer --data "+data+"\n" {
		t.Errorf("monitor called as %q", b)
	}
	out, err = run("0", data)
	if err != nil || versions() != 1 || !strings.Contains(out, "no drift") {
		t.Errorf("no drift: %d versions, %v\n%s", versions(), err, out)
	}
	out, err = run("1", data)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || versions() != 1 || !strings.Contains(out, "gspark monitor failed (exit 1)") {
		t.Errorf("monitor failing: %d versions, %v\n%s", versions(), err, out)
	}
	if _, err := run("3"); err == nil {
		t.Error("no arguments: the script ran")
	}
	out, err = run("3", data, data)
	if err != nil || versions() != 2 {
		t.Errorf("second drift: %d versions, %v\n%s", versions(), err, out)
	}
	if v, err := registry.Latest(filepath.Join(work, "models"), "cancer"); err != nil || v.Number != 2 {
		t.Errorf("latest after the second retraining: %+v %v", v, err)
	}
}
