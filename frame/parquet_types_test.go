package frame_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	pq "github.com/parquet-go/parquet-go"

	"github.com/gspark/gspark/frame"
)

// A Parquet file with a column gspark cannot read (a list) answers queries
// that leave the column out; selecting it fails with an error naming the
// file and the column, without an "unknown table" prefix. Encrypted files
// say so.
func TestParquetUnsupportedColumnInSQL(t *testing.T) {
	type row struct {
		ID   int64   `parquet:"id"`
		Tags []int32 `parquet:"tags,list"`
		Name string  `parquet:"name"`
	}
	path := filepath.Join(t.TempDir(), "nested.parquet")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := pq.Write(fh, []row{{ID: 7, Tags: []int32{1, 2}, Name: "a"}, {ID: 8, Name: "b"}}); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	s := frame.NewSession()
	got := collect(t, s.SQL("SELECT id, name FROM parquet.`"+path+"` ORDER BY id"))
	want := []frame.Row{{int64(7), "a"}, {int64(8), "b"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SELECT id, name: %v, want %v", got, want)
	}
	for _, q := range []string{"SELECT * FROM parquet.`" + path + "`", "SELECT tags FROM parquet.`" + path + "`"} {
		_, err := s.SQL(q).Collect(context.Background())
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "column tags") ||
			!strings.Contains(err.Error(), "nested type not supported") || strings.Contains(err.Error(), "unknown table") {
			t.Errorf("%s: %v", q, err)
		}
	}
	enc := filepath.Join("..", "testdata", "io", "parquet", "uniform_encryption.parquet.encrypted")
	err = s.SQL("SELECT * FROM parquet.`" + enc + "`").Err()
	if err == nil || !strings.Contains(err.Error(), "encrypted Parquet is not supported") || strings.Contains(err.Error(), "unknown table") {
		t.Errorf("encrypted: %v", err)
	}
}
