package csv

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/values"
)

// readFile infers the schema of the file at path and reads its rows, as the
// CSV source does (the path is the name).
func readFile(t *testing.T, path string) (*arrow.Schema, [][]any, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts := Options{Header: true, InferSchema: true, Mem: memory.NewGoAllocator()}
	schema, err := InferSchema(f, path, opts)
	if err != nil {
		return nil, nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(f, path, schema, opts)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var rows [][]any
	for {
		b, err := r.Next()
		if err == io.EOF {
			return schema, rows, nil
		}
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, values.Rows([]arrow.RecordBatch{b})...)
		b.Release()
	}
}

// TestCompressedFiles reads CSV files DuckDB wrote compressed (see
// testdata/io/README.md): SELECT i::INTEGER AS id, 'name ' || i AS name,
// i * 0.5 AS score FROM range(100).
func TestCompressedFiles(t *testing.T) {
	var want [][]any
	for i := 0; i < 100; i++ {
		want = append(want, []any{int32(i), "name " + strconv.Itoa(i), float64(i) * 0.5})
	}
	for _, name := range []string{"rows.csv.gz", "rows.csv.zst", "rows.csv.bz2"} {
		t.Run(name, func(t *testing.T) {
			schema, rows, err := readFile(t, filepath.Join("..", "..", "testdata", "io", "csv", name))
			if err != nil {
				t.Fatal(err)
			}
			if got := schema.String(); !strings.Contains(got, "id: type=int32") || !strings.Contains(got, "name: type=utf8") || !strings.Contains(got, "score: type=float64") {
				t.Fatalf("schema %s", got)
			}
			compareRows(t, rows, want)
		})
	}
}

// TestCompressedWithoutSuffix: gzip data under a .csv name is an error
// naming the file, not one garbage column.
func TestCompressedWithoutSuffix(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "io", "csv", "gzip_named.csv")
	_, _, err := readFile(t, path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "gzip") {
		t.Fatalf("got %v, want an error naming %s and gzip", err, path)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	if _, err := NewReader(f, path, s, Options{}); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("NewReader: got %v, want an error naming %s", err, path)
	}
}
