package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildBinary compiles the gspark command into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gspark")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = os.Environ()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestDemoCommand(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(bin, "demo", "--partitions", "3").CombinedOutput()
	if err != nil {
		t.Fatalf("gspark demo: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"3 partitions", "TPC-H Q1", "|l_returnflag|l_linestatus|", "Revenue by nation", "|n_name", "Iris", "setosa", "demo finished in"} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
}

func TestBadFlagFails(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(bin, "demo", "--memory-limit", "lots").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--memory-limit") {
		t.Fatalf("want a failure naming the flag, got %v\n%s", err, out)
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
