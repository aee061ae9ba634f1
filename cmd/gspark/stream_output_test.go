package main

import (
	"bytes"
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"testing"
)

// countingWriter counts the bytes and lines written and keeps the first and
// last lines.
type countingWriter struct {
	bytes, lines int
	first, last  string
	partial      []byte
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.bytes += len(p)
	for _, c := range p {
		if c == '\n' {
			line := strings.TrimRight(string(w.partial), "\r")
			if w.lines == 0 {
				w.first = line
			}
			w.last = line
			w.lines++
			w.partial = w.partial[:0]
			continue
		}
		w.partial = append(w.partial, c)
	}
	return len(p), nil
}

// TestSQLStreamsLargeResults prints a sorted result almost four times the
// memory limit (126 MB under 32 MiB): held whole before printing, it would
// fail with "memory limit exceeded"; streamed, only the sort's own
// (spilling) state counts. (The limit leaves room for two of the range's
// batches of 200-byte strings, which the budget counts at the pool's
// power-of-two capacity.)
func TestSQLStreamsLargeResults(t *testing.T) {
	const rows = 600000
	query := fmt.Sprintf("SELECT id, repeat('x', 200) AS pad FROM range(%d) ORDER BY id DESC", rows)
	for _, format := range []string{"csv", "json"} {
		t.Run(format, func(t *testing.T) {
			cmd := newSQL(&globalFlags{partitions: 2, memoryLimit: "32MiB"})
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			var out countingWriter
			var errOut bytes.Buffer
			cmd.SetOut(&out)
			cmd.SetErr(&errOut)
			cmd.SetArgs([]string{"-e", query, "--format", format})
			if err := cmd.ExecuteContext(context.Background()); err != nil {
				t.Fatalf("%v\n%s", err, errOut.String())
			}
			if out.bytes < 3*32<<20 {
				t.Fatalf("only %d bytes printed", out.bytes)
			}
			pad := strings.Repeat("x", 200)
			switch format {
			case "csv":
				if out.lines != rows+1 || out.first != "id,pad" || out.last != "0,"+pad {
					t.Fatalf("%d lines, first %.20q, last %.20q", out.lines, out.first, out.last)
				}
			case "json":
				if out.lines != rows+2 || out.first != "[" || out.last != "]" {
					t.Fatalf("%d lines, first %q, last %q", out.lines, out.first, out.last)
				}
			}
		})
	}
}

// TestSQLTablePreviewIsBounded: a table holds at most tablePreviewRows rows
// and says how many there were.
func TestSQLTablePreviewIsBounded(t *testing.T) {
	cmd := newSQL(&globalFlags{partitions: 2})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var out countingWriter
	var errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs([]string{"-e", fmt.Sprintf("SELECT id FROM range(%d)", tablePreviewRows+5)})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Header rule, header, rule, the rows, closing rule.
	if out.lines != tablePreviewRows+4 {
		t.Errorf("%d table lines, want %d", out.lines, tablePreviewRows+4)
	}
	want := fmt.Sprintf("%d rows, %d shown", tablePreviewRows+5, tablePreviewRows)
	if !strings.Contains(errOut.String(), want) {
		t.Errorf("summary %q does not say %q", errOut.String(), want)
	}
}

// --memory-limit also gives the Go runtime a soft limit of the budget plus
// the documented overhead (128 MiB) less the resident set the runtime does not
// manage (the binary's resident pages and a margin), unless GOMEMLIMIT is set.
func TestMemoryLimitSetsRuntimeLimit(t *testing.T) {
	if got, want := runtimeLimit(256<<20, 53<<20), int64(256<<20+128<<20-53<<20-nonHeapMargin); got != want {
		t.Errorf("runtimeLimit(256 MiB, 53 MiB) = %d, want %d", got, want)
	}
	if got, want := runtimeLimit(256<<20, 200<<20), int64(256<<20); got != want {
		t.Errorf("runtimeLimit(256 MiB, 200 MiB) = %d, want the budget %d", got, want)
	}
	if fileRSS() < 1<<20 {
		t.Errorf("fileRSS() = %d: a Go test binary has more than 1 MiB of resident code", fileRSS())
	}
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	t.Setenv("GOMEMLIMIT", "")
	if _, err := (&globalFlags{memoryLimit: "256MiB"}).session(); err != nil {
		t.Fatal(err)
	}
	// The binary's resident pages are read when the session starts; they
	// only grow, so the limit lies between the budget and what the pages
	// read now leave.
	if got, most := debug.SetMemoryLimit(-1), runtimeLimit(256<<20, fileRSS())+4<<20; got < 256<<20 || got > most {
		t.Errorf("runtime limit %d, want between %d and %d", got, 256<<20, most)
	}
	debug.SetMemoryLimit(before)
	t.Setenv("GOMEMLIMIT", "1GiB")
	if _, err := (&globalFlags{memoryLimit: "64MiB"}).session(); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("GOMEMLIMIT set, yet the runtime limit became %d", got)
	}
}
