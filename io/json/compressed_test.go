package json

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestCompressedFiles reads JSON lines files DuckDB wrote compressed (see
// testdata/io/README.md): SELECT i::INTEGER AS id, 'name ' || i AS name,
// i * 0.5 AS score FROM range(100).
func TestCompressedFiles(t *testing.T) {
	for _, name := range []string{"rows.json.gz", "rows.json.zst"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "..", "testdata", "io", "json", name)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			inf := NewInference(Options{})
			if err := inf.Add(f, path); err != nil {
				t.Fatal(err)
			}
			schema, err := inf.Schema()
			if err != nil {
				t.Fatal(err)
			}
			if got := schema.String(); !strings.Contains(got, "id: type=int64") || !strings.Contains(got, "name: type=utf8") || !strings.Contains(got, "score: type=float64") {
				t.Fatalf("schema %s", got)
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(f, path, schema, Options{Mem: memory.NewGoAllocator()})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var rows [][]string
			for {
				b, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				rows = append(rows, batchRows(b)...)
				b.Release()
			}
			if len(rows) != 100 {
				t.Fatalf("got %d rows, want 100", len(rows))
			}
			// Columns sorted by name: id, name, score.
			for i, row := range rows {
				want := []string{strconv.Itoa(i), "name " + strconv.Itoa(i), strconv.FormatFloat(float64(i)*0.5, 'g', -1, 64)}
				if strings.Join(row, "|") != strings.Join(want, "|") {
					t.Fatalf("row %d: got %v, want %v", i, row, want)
				}
			}
		})
	}
}

// TestCompressedWithoutSuffix: gzip data under a .json name is an error
// naming the file.
func TestCompressedWithoutSuffix(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "io", "json", "rows.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	err = NewInference(Options{}).Add(strings.NewReader(string(data)), "rows.json")
	if err == nil || !strings.Contains(err.Error(), "rows.json") || !strings.Contains(err.Error(), "gzip") {
		t.Fatalf("got %v, want an error naming rows.json and gzip", err)
	}
}
