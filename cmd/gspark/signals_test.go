package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SIGTERM and SIGHUP stop gspark as Ctrl-C does: the running query is
// cancelled, a write in progress removes its temporary directory, and the
// exit status is 128 + the signal's number.
func TestSignalsStopCleanly(t *testing.T) {
	bin := buildBinary(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}, {syscall.SIGINT, 130}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "out")
			cmd := exec.Command(bin, "sql", "-e", fmt.Sprintf(
				"INSERT OVERWRITE DIRECTORY '%s' USING parquet SELECT a.id, b.id AS j FROM range(100000) a CROSS JOIN range(100000) b", out))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the write has begun: its temporary directory exists.
			deadline := time.Now().Add(20 * time.Second)
			for {
				ents, _ := os.ReadDir(parent)
				if len(ents) > 0 {
					break
				}
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatal("the write never started")
				}
				time.Sleep(10 * time.Millisecond)
			}
			sent := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			took := time.Since(sent)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("exit %v, want status %d; stderr:\n%s", err, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "gspark: stopped by ") {
				t.Errorf("stderr does not say what stopped it:\n%s", stderr.String())
			}
			if took > 5*time.Second {
				t.Errorf("took %v to stop", took)
			}
			ents, _ := os.ReadDir(parent)
			for _, e := range ents {
				t.Errorf("left behind: %s", e.Name())
			}
		})
	}
}
