package main

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestPeakRSSIsTheChilds runs a child that touches 64 MiB while this process
// holds a 384 MiB high-water mark, and checks that the measured peak is the
// child's: wait4's ru_maxrss would report at least the parent's 384 MiB.
func TestPeakRSSIsTheChilds(t *testing.T) {
	if n := os.Getenv("GSPARK_BENCH_TOUCH_MIB"); n != "" {
		t.Skip("child mode")
	}
	big := make([]byte, 384<<20)
	for i := 0; i < len(big); i += 4096 {
		big[i] = 1
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	os.Setenv("GSPARK_BENCH_TOUCH_MIB", "64")
	defer os.Unsetenv("GSPARK_BENCH_TOUCH_MIB")
	run, err := runProcess(context.Background(), time.Minute, exe, []string{"-test.run", "^TestTouchChild$"})
	if err != nil {
		t.Fatal(err)
	}
	big[len(big)-1] = 2 // keep the parent's memory alive until the child has run
	mib := run.maxRSS >> 20
	t.Logf("child peak RSS %d MiB", mib)
	if mib < 64 || mib > 256 {
		t.Errorf("child peak RSS %d MiB, want between 64 and 256 (it touched 64 MiB; the parent holds 384)", mib)
	}
}

// TestTouchChild is the child of TestPeakRSSIsTheChilds: it touches the
// number of MiB in GSPARK_BENCH_TOUCH_MIB.
func TestTouchChild(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("GSPARK_BENCH_TOUCH_MIB"))
	if err != nil {
		t.Skip("run by TestPeakRSSIsTheChilds")
	}
	b := make([]byte, n<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	if b[0] != 1 {
		t.Fatal("not touched")
	}
}
