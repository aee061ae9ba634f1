package parquet

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// readAnyParquet opens data as a Parquet file named f.parquet and reads every
// row group, all columns together and each column alone, in batches of 61 rows.
// It fails on a panic, a leaked buffer, an error that does not name the
// file, or an error that is not sticky; errors are expected for garbage.
func readAnyParquet(t testing.TB, data []byte) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	f, err := Open(bytes.NewReader(data), int64(len(data)), "f.parquet")
	if err != nil {
		namesParquetFile(t, err)
		return
	}
	defer f.Close()
	// A valid file may declare billions of rows in a few bytes (all-null
	// RLE runs); decoding them is slow, not wrong, so such inputs stop here.
	if f.NumRows() > 1<<16 {
		return
	}
	sels := [][]int{nil}
	for i := range f.Schema().NumFields() {
		sels = append(sels, []int{i})
	}
	for rg := range f.NumRowGroups() {
		for _, sel := range sels {
			r, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{Columns: sel, BatchSize: 61, Mem: mem})
			if err != nil {
				namesParquetFile(t, err)
				continue
			}
			for {
				b, err := r.Next()
				if err != nil {
					if err != io.EOF {
						namesParquetFile(t, err)
						if _, err2 := r.Next(); err2 != err {
							t.Fatalf("error not sticky: %v then %v", err, err2)
						}
					}
					break
				}
				b.Release()
			}
			if err := r.Close(); err != nil {
				namesParquetFile(t, err)
			}
		}
	}
}

// namesParquetFile fails unless a read error names the file it came from.
func namesParquetFile(t testing.TB, err error) {
	t.Helper()
	if !strings.Contains(err.Error(), "f.parquet") {
		t.Fatalf("error does not name the file: %v", err)
	}
}

// FuzzRead mutates the files of the conformance corpus (testdata/io/parquet,
// those under 100 KB so each run stays fast) and reads the result.
func FuzzRead(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "io", "parquet", "*"))
	if err != nil {
		f.Fatal(err)
	}
	seeded := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) < 100<<10 {
			f.Add(data)
			seeded++
		}
	}
	if seeded < 10 {
		f.Fatalf("only %d corpus files under testdata/io/parquet", seeded)
	}
	f.Add([]byte("PAR1"))
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			readAnyParquet(t, data)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("reading a %d-byte input took over 20s", len(data))
		}
	})
}
