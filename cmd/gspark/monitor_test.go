package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/monitor"
)

// monitorFixture saves a logistic regression on the breast cancer data
// with its training profile, and the data as Parquet; it returns the
// model's and the Parquet directory's paths.
func monitorFixture(t *testing.T) (modelDir, bare, data string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	s := frame.NewSession(frame.WithPartitions(2))
	df := s.Read().Option("header", "true").Option("inferSchema", "true").CSV("../../testdata/ml/breast_cancer.csv").
		WithColumn("label", F.Col("label").Cast("double"))
	pipe := ml.NewPipeline(
		feature.NewVectorAssembler().SetInputCols("mean_radius", "mean_texture", "worst_area").SetOutputCol("features"),
		classification.NewLogisticRegression(),
	)
	m, err := pipe.Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := monitor.BuildProfile(ctx, df, m, monitor.ProfileOptions{LabelCol: "label"})
	if err != nil {
		t.Fatal(err)
	}
	modelDir, bare, data = filepath.Join(dir, "model"), filepath.Join(dir, "bare"), filepath.Join(dir, "data")
	if err := monitor.SaveModel(m, modelDir, prof, false); err != nil {
		t.Fatal(err)
	}
	if err := monitor.SaveModel(m, bare, nil, false); err != nil {
		t.Fatal(err)
	}
	if err := df.Write().Parquet(ctx, data); err != nil {
		t.Fatal(err)
	}
	return modelDir, bare, data
}

func TestMonitorCommand(t *testing.T) {
	modelDir, bare, data := monitorFixture(t)
	run := func(args ...string) (string, error) {
		cmd := newMonitor(&globalFlags{})
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		var o, e bytes.Buffer
		cmd.SetOut(&o)
		cmd.SetErr(&e)
		cmd.SetArgs(args)
		err := cmd.ExecuteContext(context.Background())
		return o.String(), err
	}
	// The training data itself: no drift, exit status 0.
	out, err := run("--model", modelDir, "--data", "../../testdata/ml/breast_cancer.csv")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"mean_radius", "prediction", "label", "no drift in 5 columns; 569 rows"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// mean_radius scaled by 1.3, through SQL: drift, exit status 3, and
	// the JSON report written.
	report := filepath.Join(t.TempDir(), "report.json")
	q := "SELECT mean_radius * 1.3 AS mean_radius, mean_texture, worst_area, label FROM parquet.`" + data + "`"
	out, err = run("--model", modelDir, "--sql", q, "--json", report)
	if !errors.Is(err, driftExit) {
		t.Fatalf("drift: err %v\n%s", err, out)
	}
	if !strings.Contains(out, "DRIFT: PSI") || !strings.Contains(out, "drift in ") {
		t.Errorf("table:\n%s", out)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep monitor.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Drifted || rep.Columns[0].Name != "mean_radius" || !rep.Columns[0].Drifted {
		t.Errorf("report %+v", rep)
	}
	// A looser PSI threshold and KS off: the same data passes.
	if out, err := run("--model", modelDir, "--sql", q, "--psi", "5", "--ks-pvalue", "0", "--format", "json"); err != nil || !strings.HasPrefix(out, "{") {
		t.Errorf("loose thresholds: %v\n%s", err, out)
	}
	// Parquet directory input, JSON on standard output.
	if out, err := run("--model", modelDir, "--data", data, "--json", "-"); err != nil || !strings.Contains(out, `"drifted": false`) {
		t.Errorf("parquet dir: %v\n%s", err, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", bare, "--data", data}, "has no training profile (profile.json)"},
		{[]string{"--model", filepath.Join(bare, "none"), "--data", data}, "no such file"},
		{[]string{"--model", modelDir, "--sql", "SELECT mean_radius, worst_area FROM parquet.`" + data + "`"}, `input column "mean_texture" (double) is missing`},
		{[]string{"--model", modelDir, "--sql", "SELECT 'x' AS mean_radius, mean_texture, worst_area FROM parquet.`" + data + "`"}, `input column "mean_radius" must be double, got string`},
		{[]string{"--model", modelDir, "--data", "../../testdata/monitor/ks_golden.py"}, "cannot tell its format"},
		{[]string{"--model", modelDir}, "data sql"},
		{[]string{"--model", modelDir, "--data", data, "--sql", "SELECT 1"}, "none of the others can be"},
		{[]string{"--model", modelDir, "--data", data, "--format", "xml"}, `--format "xml"`},
	} {
		if _, err := run(c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.args, err, c.want)
		}
	}
}

// TestMonitorExitStatus runs the built binary: 3 on drift, 1 on errors.
func TestMonitorExitStatus(t *testing.T) {
	bin := buildBinary(t)
	modelDir, bare, data := monitorFixture(t)
	status := func(args ...string) (int, string) {
		out, err := exec.Command(bin, append([]string{"monitor"}, args...)...).CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	q := "SELECT mean_radius * 1.3 AS mean_radius, mean_texture, worst_area FROM parquet.`" + data + "`"
	if code, out := status("--model", modelDir, "--sql", q); code != 3 || strings.Contains(out, "exit status") {
		t.Errorf("drift: status %d\n%s", code, out)
	}
	if code, out := status("--model", modelDir, "--data", data); code != 0 {
		t.Errorf("no drift: status %d\n%s", code, out)
	}
	if code, out := status("--model", bare, "--data", data); code != 1 || !strings.Contains(out, "no training profile") {
		t.Errorf("no profile: status %d\n%s", code, out)
	}
}
