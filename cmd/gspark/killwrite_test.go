package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kill -9 at random moments of 20 overwrites through the gspark command:
// afterwards the dataset is always one whole write — the last committed
// generation, or the one being written — never absent, partial or mixed;
// and a later gspark write leaves no debris of the killed ones.
func TestKilledOverwritesLeaveOldOrNew(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the gspark binary 40 times")
	}
	bin := buildBinary(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	write := func(gen int) *exec.Cmd {
		return exec.Command(bin, "sql", "-e", fmt.Sprintf(
			"INSERT OVERWRITE DIRECTORY '%s' USING parquet SELECT %d AS gen, l_orderkey, l_comment FROM samples.lineitem", out, gen))
	}
	// read returns the generations in the dataset and its row count.
	read := func() (string, error) {
		b, err := exec.Command(bin, "sql", "--format", "csv", "-e", fmt.Sprintf(
			"SELECT min(gen), max(gen), count(*) FROM parquet.`%s`", out)).CombinedOutput()
		return strings.ReplaceAll(strings.TrimSpace(string(b)), "\r\n", "\n"), err
	}
	if b, err := write(1).CombinedOutput(); err != nil {
		t.Fatalf("first write: %v\n%s", err, b)
	}
	full, err := read()
	if err != nil {
		t.Fatalf("%v\n%s", err, full)
	}
	rows := full[strings.LastIndex(full, ",")+1:] // the complete row count
	r := rand.New(rand.NewPCG(1, 2))
	committed, kept := 1, 0
	for gen := 2; gen <= 21; gen++ {
		cmd := write(gen)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.IntN(250)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		got, err := read()
		if err != nil {
			t.Fatalf("generation %d killed: the dataset cannot be read: %v\n%s", gen, err, got)
		}
		old := fmt.Sprintf("min(gen),max(gen),count(1)\n%d,%d,%s", committed, committed, rows)
		neu := fmt.Sprintf("min(gen),max(gen),count(1)\n%d,%d,%s", gen, gen, rows)
		switch got {
		case old:
			kept++
		case neu:
			committed = gen
		default:
			t.Fatalf("generation %d killed: dataset holds %q, want generation %d or %d with %s rows", gen, got, committed, gen, rows)
		}
	}
	debris := 0
	if ents, err := os.ReadDir(parent); err == nil {
		debris = len(ents) - 1
	}
	t.Logf("20 writes killed: %d left the previous generation, %d committed; %d hidden directories left behind", kept, 20-kept, debris)
	// The next write removes what the killed ones left.
	if b, err := write(99).CombinedOutput(); err != nil {
		t.Fatalf("last write: %v\n%s", err, b)
	}
	ents, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name() != "out" {
			t.Errorf("left in the parent directory: %s", e.Name())
		}
	}
}
