package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

// binaries holds the command built once for the package's tests.
type binaries struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

var built binaries

func TestMain(m *testing.M) {
	// Fail the tests if a goroutine is still running once they have
	// finished; remove the built binary either way.
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		if built.dir != "" {
			os.RemoveAll(built.dir)
		}
		os.Exit(code)
	}))
}

// buildBinary compiles the gspark command into a temporary directory, once
// for all the tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "gspark-test-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "gspark")
		args := []string{"build", "-o", built.path}
		if raceBuild {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, ".")...)
		cmd.Env = os.Environ()
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.path
}

func TestDemoCommand(t *testing.T) {
	bin := buildBinary(t)
	tmp := t.TempDir()
	cmd := exec.Command(bin, "demo", "--partitions", "3")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("gspark demo: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"3 partitions", "TPC-H Q1", "|l_returnflag|l_linestatus|", "Revenue by nation", "|n_name", "Iris", "setosa", "demo finished in",
		// The ML job: six steps, the scored Parquet files read back, the saved model in SQL.
		"[6/6] transform score", "|species   |prediction|n  |", "|p_setosa|p_versicolor|p_virginica|",
		// Deployment: one record through the predictor, the drift check.
		"per record over 1000 calls", "sepal_length  input   numeric", "no drift in 5 columns"} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
	// Iris is nearly separable: a multinomial logistic regression on the
	// four measurements classifies well over 90% of held-out rows.
	m := regexp.MustCompile(`heldout\.accuracy\s+([0-9.]+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no held-out accuracy in the demo output:\n%s", text)
	}
	if acc, _ := strconv.ParseFloat(m[1], 64); acc < 0.9 || acc > 1 {
		t.Errorf("held-out accuracy %v, want in [0.9, 1]", acc)
	}
	// The record scored in-process is iris row 101 (6.3, 3.3, 6.0, 2.5), a
	// virginica (index 2 in alphabetical order): the most probable class.
	pm := regexp.MustCompile(`→ prediction ([0-9.]+), probability \[([0-9.]+) ([0-9.]+) ([0-9.]+)\]`).FindStringSubmatch(text)
	if pm == nil {
		t.Fatalf("no in-process prediction in the demo output:\n%s", text)
	}
	if p2, _ := strconv.ParseFloat(pm[4], 64); pm[1] != "2" || p2 < 0.5 {
		t.Errorf("in-process prediction %s with probabilities %v, want 2 (virginica) with p > 0.5", pm[1], pm[2:])
	}
	// The job's outputs live in a temporary directory that is removed.
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("demo left %d entries in TMPDIR: %v", len(left), left)
	}
}

func TestBadFlagFails(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(bin, "demo", "--memory-limit", "lots").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--memory-limit") {
		t.Fatalf("want a failure naming the flag, got %v\n%s", err, out)
	}
	for _, n := range []string{"0", "-4"} {
		out, err := exec.Command(bin, "sql", "--partitions", n, "-e", "SELECT 1").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "--partitions "+n+": want a number of partitions of 1 or more") {
			t.Errorf("--partitions %s: want a failure naming the flag, got %v\n%s", n, err, out)
		}
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"1024": 1024, "2KiB": 2048, "1.5MB": 1500000, "1g": 1 << 30, "3 GiB": 3 << 30} {
		got, err := parseBytes(in)
		if err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "-1MB"} {
		if _, err := parseBytes(bad); err == nil {
			t.Errorf("parseBytes(%q) should fail", bad)
		}
	}
}
