package csv

import (
	"bytes"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestWriteBinaryRefused checks that a BINARY column is refused with a
// hint: Spark's CSV writer prints the Java object's name, not the bytes.
func TestWriteBinaryRefused(t *testing.T) {
	s := arrow.NewSchema([]arrow.Field{{Name: "b", Type: arrow.BinaryTypes.Binary, Nullable: true}}, nil)
	bb := array.NewBinaryBuilder(memory.DefaultAllocator, arrow.BinaryTypes.Binary)
	defer bb.Release()
	bb.Append([]byte{1})
	col := bb.NewArray()
	defer col.Release()
	rec := array.NewRecordBatch(s, []arrow.Array{col}, 1)
	defer rec.Release()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, s, Options{Header: true})
	if err == nil {
		err = w.Write(rec)
	}
	if err == nil || !strings.Contains(err.Error(), "hex(col) or base64(col)") || !strings.Contains(err.Error(), "column b") {
		t.Fatalf("got %v, want the BINARY column refused with a hint", err)
	}
}
