package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCPUProfile checks --cpuprofile: the profile (gzip-compressed protobuf,
// as runtime/pprof writes it) is complete when the command succeeds and when
// it fails, and a file that cannot be created fails the command.
func TestCPUProfile(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name, sql string
		fail      bool
	}{
		{"ok", "SELECT sum(id) FROM range(3000000)", false},
		{"failing", "SELECT nope FROM range(3)", true},
	} {
		prof := filepath.Join(dir, tc.name+".pprof")
		out, err := exec.Command(bin, "--cpuprofile", prof, "sql", "-e", tc.sql).CombinedOutput()
		if (err != nil) != tc.fail {
			t.Fatalf("%s: err %v, want failure %v\n%s", tc.name, err, tc.fail, out)
		}
		b, err := os.ReadFile(prof)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		// A stopped profile is a gzip stream; an unstopped one is empty.
		if len(b) < 20 || !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			t.Errorf("%s: profile of %d bytes is not a finished gzip stream", tc.name, len(b))
		}
	}
	out, err := exec.Command(bin, "--cpuprofile", filepath.Join(dir, "missing", "p.pprof"), "sql", "-e", "SELECT 1").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--cpuprofile") {
		t.Errorf("profile in a missing directory: err %v, output %s", err, out)
	}
}
