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

// A Parquet file with a column gspark cannot read (a list of DECIMAL(40,0))
// answers queries that leave the column out; selecting it fails with an
// error naming the file and the column, without an "unknown table" prefix.
// Encrypted files say so.
func TestParquetUnsupportedColumnInSQL(t *testing.T) {
	schema := pq.NewSchema("m", pq.Group{
		"id":   pq.Int(64),
		"tags": pq.Optional(pq.List(pq.Decimal(0, 40, pq.FixedLenByteArrayType(17)))),
		"name": pq.String(),
	})
	path := filepath.Join(t.TempDir(), "nested.parquet")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := pq.NewWriter(fh, schema)
	for _, r := range []map[string]any{{"id": int64(7), "name": "a"}, {"id": int64(8), "name": "b"}} {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
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
			!strings.Contains(err.Error(), "DECIMAL(40,0)") || strings.Contains(err.Error(), "unknown table") {
			t.Errorf("%s: %v", q, err)
		}
	}
	enc := filepath.Join("..", "testdata", "io", "parquet", "uniform_encryption.parquet.encrypted")
	err = s.SQL("SELECT * FROM parquet.`" + enc + "`").Err()
	if err == nil || !strings.Contains(err.Error(), "encrypted Parquet is not supported") || strings.Contains(err.Error(), "unknown table") {
		t.Errorf("encrypted: %v", err)
	}
}
