package exec

import (
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/expr"
)

// InputFileMetadata is the metadata a scan of the file at path attaches to
// its batches for input_file_name() and the block functions (see
// expr.InputFileKey); the file's length is -1 when it cannot be stat'ed.
func InputFileMetadata(path string) *arrow.Metadata {
	size := int64(-1)
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	md := expr.InputFileMetadata(path, size)
	return &md
}

// WithMetadata returns b with md as its schema's metadata, sharing b's
// columns; it takes over b's reference. A nil md returns b.
func WithMetadata(b arrow.RecordBatch, md *arrow.Metadata) arrow.RecordBatch {
	if md == nil {
		return b
	}
	nb := array.NewRecordBatch(arrow.NewSchema(b.Schema().Fields(), md), b.Columns(), b.NumRows())
	b.Release()
	return nb
}

// carryInputFile returns out with the input file metadata of in, which out
// was computed from row for row; it takes over out's reference.
func carryInputFile(in, out arrow.RecordBatch) arrow.RecordBatch {
	md := in.Schema().Metadata()
	if md.FindKey(expr.InputFileKey) < 0 || out.Schema().HasMetadata() {
		return out
	}
	return WithMetadata(out, &md)
}
