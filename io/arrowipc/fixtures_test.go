package arrowipc

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var fixtureDir = filepath.Join("..", "..", "testdata", "io", "arrow")

// TestWriteFixtures rewrites the checked-in fixtures when
// GSPARK_WRITE_ARROW_FIXTURES=1 (see testdata/io/README.md).
func TestWriteFixtures(t *testing.T) {
	if os.Getenv("GSPARK_WRITE_ARROW_FIXTURES") != "1" {
		t.Skip("set GSPARK_WRITE_ARROW_FIXTURES=1 to rewrite the fixtures")
	}
	b := dictBatch(t, memory.DefaultAllocator)
	defer b.Release()
	f, err := os.Create(filepath.Join(fixtureDir, "dict_lz4.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	fw, err := ipc.NewFileWriter(f, ipc.WithSchema(b.Schema()), ipc.WithLZ4())
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	f, err = os.Create(filepath.Join(fixtureDir, "dict_zstd_stream.arrows"))
	if err != nil {
		t.Fatal(err)
	}
	sw := ipc.NewWriter(f, ipc.WithSchema(b.Schema()), ipc.WithZstd())
	if err := sw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestCheckedInFixtures(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	// dictBatch's values: ids 10..40, colors through the dictionary
	// ["red", "green"] with indices [1, 0, null, 1].
	want := "[10 green 20 red 30 (null) 40 green]"
	for _, name := range []string{"dict_lz4.arrow", "dict_zstd_stream.arrows"} {
		if got := fmt.Sprint(readAll(t, filepath.Join(fixtureDir, name), Options{Mem: mem})); got != want {
			t.Errorf("%s: rows %s, want %s", name, got, want)
		}
	}
}
