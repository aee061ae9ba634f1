package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMemProfile checks --memprofile's profiler: after the heap grows it
// leaves a finished heap profile (a gzip stream, as runtime/pprof writes
// it), and a file that cannot be created is an error naming the flag.
func TestMemProfile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "heap.pprof")
	p, err := startMemProfiler(path, 5*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	var keep [][]byte
	for range 50 {
		keep = append(keep, make([]byte, 1<<20))
		time.Sleep(time.Millisecond)
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	_ = keep
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 20 || !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		t.Errorf("profile of %d bytes is not a gzip stream", len(b))
	}
	if _, err := startMemProfiler(filepath.Join(dir, "missing", "p.pprof"), time.Second); err == nil || !strings.Contains(err.Error(), "--memprofile") {
		t.Errorf("profile in a missing directory: err %v", err)
	}
}
