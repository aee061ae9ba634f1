package parquet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	aparquet "github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// optionalKeyMap writes a file whose one column m is a MAP<string, int>
// declaring OPTIONAL keys (which some writers do), one row per key given;
// a nil key is written null.
func optionalKeyMap(t *testing.T, keys []*string) []byte {
	t.Helper()
	key, err := schema.NewPrimitiveNodeLogical("key", aparquet.Repetitions.Optional, schema.StringLogicalType{}, aparquet.Types.ByteArray, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	val, err := schema.NewPrimitiveNode("value", aparquet.Repetitions.Optional, aparquet.Types.Int32, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	kv, err := schema.NewGroupNode("key_value", aparquet.Repetitions.Repeated, schema.FieldList{key, val}, -1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := schema.NewGroupNodeLogical("m", aparquet.Repetitions.Optional, schema.FieldList{kv}, schema.MapLogicalType{}, -1)
	if err != nil {
		t.Fatal(err)
	}
	root, err := schema.NewGroupNode("schema", aparquet.Repetitions.Required, schema.FieldList{m}, -1)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := file.NewParquetWriter(&buf, root)
	rg := w.AppendRowGroup()
	// Levels: m optional (1), key_value repeated (2), key and value
	// optional (3). Each row holds one entry.
	var kvals []aparquet.ByteArray
	var kdefs, vdefs, reps []int16
	var vvals []int32
	for i, k := range keys {
		reps = append(reps, 0)
		if k == nil {
			kdefs = append(kdefs, 2)
		} else {
			kdefs = append(kdefs, 3)
			kvals = append(kvals, aparquet.ByteArray(*k))
		}
		vdefs = append(vdefs, 3)
		vvals = append(vvals, int32(i))
	}
	cw, err := rg.NextColumn()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cw.(*file.ByteArrayColumnChunkWriter).WriteBatch(kvals, kdefs, reps); err != nil {
		t.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	if cw, err = rg.NextColumn(); err != nil {
		t.Fatal(err)
	}
	if _, err := cw.(*file.Int32ColumnChunkWriter).WriteBatch(vvals, vdefs, reps); err != nil {
		t.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := rg.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readMapColumn reads column 0 of data in batches of two rows and returns
// the maps' text and the first error.
func readMapColumn(t *testing.T, data []byte) ([]string, error) {
	t.Helper()
	f, err := Open(bytes.NewReader(data), int64(len(data)), "m.parquet")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := f.ReadRowGroup(context.Background(), 0, ReadOptions{Columns: []int{0}, BatchSize: 2})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []string
	for {
		b, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		for i := range int(b.NumRows()) {
			out = append(out, b.Column(0).ValueStr(i))
		}
		b.Release()
	}
}

// A MAP declaring optional keys reads while its keys are present; a null
// key (which Spark refuses in a map) fails the read with an error naming the
// file, the column and the row, rather than a panic, a dropped entry or
// the whole column being unreadable.
func TestOptionalMapKeys(t *testing.T) {
	a, b, c := "a", "b", "c"
	got, err := readMapColumn(t, optionalKeyMap(t, []*string{&a, &b, &c}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`[{"key":"a","value":0}]`, `[{"key":"b","value":1}]`, `[{"key":"c","value":2}]`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %q, want %q", got, want)
	}
	_, err = readMapColumn(t, optionalKeyMap(t, []*string{&a, &b, &c, nil, &a}))
	if err == nil {
		t.Fatal("a null map key read without an error")
	}
	for _, want := range []string{"m.parquet", "column m", "null map key in row 3 "} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}
