package json

import (
	"bytes"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
)

// TestWriteBinary checks that BINARY values are written as Spark's JSON
// writer writes them: Base64 strings with padding (0x00FF41 is "AP9B" by
// hand: 000000 001111 111101 000001; 0x41 is "QQ=="), NULL left out.
func TestWriteBinary(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "b", Type: arrow.BinaryTypes.Binary, Nullable: true}}, nil)
	bb := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	defer bb.Release()
	bb.Append([]byte{0x00, 0xff, 0x41})
	bb.Append([]byte{0x41})
	bb.Append([]byte{})
	bb.AppendNull()
	col := bb.NewArray()
	defer col.Release()
	b := array.NewRecordBatch(schema, []arrow.Array{col}, int64(col.Len()))
	defer b.Release()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, schema)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "{\"b\":\"AP9B\"}\n{\"b\":\"QQ==\"}\n{\"b\":\"\"}\n{}\n"
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
