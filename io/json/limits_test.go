package json

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// endless yields the byte b forever: a line with no end.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestEndlessLineFailsBounded(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	for _, mode := range []Mode{FailFast, Permissive} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		src := io.MultiReader(strings.NewReader("{\"a\":1}\n"), endless(' '))
		r, err := NewReader(src, "z.json", schema, Options{Mode: mode, MaxRecordBytes: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Next()
		r.Close()
		var le *LimitError
		if !errors.As(err, &le) || le.File != "z.json" || le.Line != 2 || le.Offset != 8 {
			t.Fatalf("mode %v: err = %v, want a limit error at z.json line 2 offset 8", mode, err)
		}
		for _, w := range []string{"z.json:2", "byte offset 8", "maxRecordBytes"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not mention %q", err, w)
			}
		}
		runtime.ReadMemStats(&after)
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
			t.Errorf("allocated %d bytes for a 1 MiB line bound", grown)
		}
	}
}

func TestLineBoundBoundary(t *testing.T) {
	line := `{"a":"` + strings.Repeat("x", 10) + `"}` // 18 bytes
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	for _, tc := range []struct {
		limit int
		fail  bool
	}{{18, false}, {17, true}} {
		r, err := NewReader(strings.NewReader(line+"\r\n"), "b.json", schema, Options{MaxRecordBytes: tc.limit})
		if err != nil {
			t.Fatal(err)
		}
		b, err := r.Next()
		if b != nil {
			b.Release()
		}
		r.Close()
		var le *LimitError
		if got := errors.As(err, &le); got != tc.fail {
			t.Errorf("limit %d: err = %v, want failure %v", tc.limit, err, tc.fail)
		}
	}
	inf := NewInference(Options{MaxRecordBytes: 100})
	err := inf.Add(io.MultiReader(strings.NewReader(line+"\n"), endless('x')), "i.json")
	var le *LimitError
	if !errors.As(err, &le) || le.Line != 2 {
		t.Fatalf("inference: err = %v, want a limit error at line 2", err)
	}
}
