package csv

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// endless yields the byte b forever: a record with no end.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func strSchema(n int) *arrow.Schema {
	fs := make([]arrow.Field, n)
	for i := range fs {
		fs[i] = arrow.Field{Name: string(rune('a' + i)), Type: arrow.BinaryTypes.String, Nullable: true}
	}
	return arrow.NewSchema(fs, nil)
}

func TestEndlessRecordFailsBounded(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  io.Reader
	}{
		{"nul", endless(0)},
		{"quoted", io.MultiReader(strings.NewReader("\""), endless('\n'))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			r, err := NewReader(tc.src, "zero.csv", strSchema(1), Options{MaxRecordBytes: 1 << 20, MaxCharsPerColumn: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			_, err = r.Next()
			var le *LimitError
			if !errors.As(err, &le) || le.Option != "maxRecordBytes" || le.File != "zero.csv" || le.Line != 1 || le.Offset != 0 {
				t.Fatalf("err = %v, want a maxRecordBytes limit error at zero.csv:1 offset 0", err)
			}
			for _, w := range []string{"zero.csv:1", "byte offset 0", "maxRecordBytes", "1048576"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			runtime.ReadMemStats(&after)
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
				t.Errorf("allocated %d bytes for a 1 MiB record bound", grown)
			}
		})
	}
}

func TestRecordBoundAtLaterLine(t *testing.T) {
	text := "a,b\n" + strings.Repeat("x", 100) + ",y\n"
	// Line 2 starts at byte 4 and holds 102 bytes plus its newline.
	_, err := readAll(t, nil, text, "f.csv", strSchema(2), Options{MaxRecordBytes: 101, Mode: DropMalformed})
	var le *LimitError
	if !errors.As(err, &le) || le.Line != 2 || le.Offset != 4 {
		t.Fatalf("err = %v, want a limit error at line 2 offset 4 even under DROPMALFORMED", err)
	}
	if _, err := readAll(t, nil, text, "f.csv", strSchema(2), Options{MaxRecordBytes: 102}); err != nil {
		t.Fatalf("a record of exactly the bound: %v", err)
	}
}

func TestMaxCharsPerColumn(t *testing.T) {
	// "é" is two bytes, one character: 4 characters, 8 bytes.
	text := "ab,éééé\n"
	rows, err := readAll(t, nil, text, "f.csv", strSchema(2), Options{MaxCharsPerColumn: 4})
	if err != nil || len(rows) != 1 {
		t.Fatalf("4 characters under a bound of 4: rows %v, err %v", rows, err)
	}
	_, err = readAll(t, nil, text, "f.csv", strSchema(2), Options{MaxCharsPerColumn: 3})
	var le *LimitError
	if !errors.As(err, &le) || le.Option != "maxCharsPerColumn" || le.Line != 1 || le.Column != 4 {
		t.Fatalf("err = %v, want a maxCharsPerColumn error at f.csv:1:4", err)
	}
	if !strings.Contains(err.Error(), "f.csv:1:4") {
		t.Errorf("error %q does not name f.csv:1:4", err)
	}
	// A quoted field spanning lines counts its line break.
	_, err = readAll(t, nil, "\"ab\ncd\"\n", "q.csv", strSchema(1), Options{MaxCharsPerColumn: 4})
	if !errors.As(err, &le) || le.Option != "maxCharsPerColumn" {
		t.Fatalf("quoted: err = %v, want a maxCharsPerColumn error", err)
	}
	if _, err := readAll(t, nil, "\"ab\ncd\"\n", "q.csv", strSchema(1), Options{MaxCharsPerColumn: 5}); err != nil {
		t.Fatalf("quoted field of 5 characters under 5: %v", err)
	}
	// The default is 1,000,000 characters; -1 lifts it.
	long := strings.Repeat("x", DefaultMaxCharsPerColumn+1) + "\n"
	if _, err := readAll(t, nil, long, "l.csv", strSchema(1), Options{}); !errors.As(err, &le) {
		t.Fatalf("default bound: err = %v", err)
	}
	if _, err := readAll(t, nil, long, "l.csv", strSchema(1), Options{MaxCharsPerColumn: -1}); err != nil {
		t.Fatalf("-1: %v", err)
	}
}

func TestInferenceBounded(t *testing.T) {
	inf, err := NewInference(Options{InferSchema: true, MaxRecordBytes: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	err = inf.Add(io.MultiReader(strings.NewReader("1,2\n"), endless('7')), "inf.csv")
	var le *LimitError
	if !errors.As(err, &le) || le.Line != 2 || le.Offset != 4 {
		t.Fatalf("err = %v, want a limit error at inf.csv line 2 offset 4", err)
	}
}

func TestLimitOptionsChecked(t *testing.T) {
	if _, err := newConfig(Options{MaxCharsPerColumn: -2}); err == nil {
		t.Error("maxCharsPerColumn -2 accepted")
	}
	if _, err := newConfig(Options{MaxRecordBytes: -1}); err == nil {
		t.Error("maxRecordBytes -1 accepted")
	}
}
