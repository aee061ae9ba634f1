package parquet

import (
	"bytes"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/gspark/gspark/exec/exectest"
)

// TestWriterAbortDropsBufferedRowGroup writes 25 rows in row groups of 10
// twice: once closed, once aborted. The aborted output must be exactly the
// closed file up to the start of its third row group, as the closed file's
// footer (read by arrow-go's Parquet reader) places it: the two full row
// groups written, the buffered third one dropped, and no footer.
func TestWriterAbortDropsBufferedRowGroup(t *testing.T) {
	mem := exectest.Alloc(t)
	s := arrow.NewSchema([]arrow.Field{{Name: "i", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewInt64Builder(mem)
	for i := range 25 {
		b.Append(int64(i * 3))
	}
	col := b.NewArray()
	b.Release()
	in := array.NewRecordBatch(s, []arrow.Array{col}, 25)
	col.Release()
	defer in.Release()
	opts := WriterOptions{RowGroupRows: 10, Compression: "none"}

	write := func(buf *bytes.Buffer) *Writer {
		t.Helper()
		w, err := NewWriter(buf, s, opts)
		if err != nil {
			t.Fatal(err)
		}
		// Row by row, so that each row group boundary falls inside Write.
		for r := range int64(25) {
			part := in.NewSlice(r, r+1)
			err := w.Write(part)
			part.Release()
			if err != nil {
				t.Fatal(err)
			}
		}
		return w
	}

	var full bytes.Buffer
	if err := write(&full).Close(); err != nil {
		t.Fatal(err)
	}
	pr, err := file.NewParquetReader(bytes.NewReader(full.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	if n := pr.NumRowGroups(); n != 3 {
		t.Fatalf("closed file has %d row groups, want 3", n)
	}
	cc, err := pr.MetaData().RowGroup(2).ColumnChunk(0)
	if err != nil {
		t.Fatal(err)
	}
	third := cc.DataPageOffset()
	if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 {
		third = min(third, cc.DictionaryPageOffset())
	}

	var aborted bytes.Buffer
	w := write(&aborted)
	w.Abort()
	if int64(aborted.Len()) != third || !bytes.Equal(aborted.Bytes(), full.Bytes()[:third]) {
		t.Fatalf("aborted output is %d bytes, want the closed file's first %d (up to its third row group)", aborted.Len(), third)
	}
	// Nothing is written after an abort, by Write or by Close.
	if err := w.Write(in); err == nil {
		t.Fatal("Write after Abort succeeded")
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close after Abort: %v", err)
	}
	if int64(aborted.Len()) != third {
		t.Fatalf("output grew to %d bytes after Abort, want %d", aborted.Len(), third)
	}
}
