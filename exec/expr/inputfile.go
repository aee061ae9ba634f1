package expr

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The schema metadata keys with which a file scan marks each batch it
// produces: the file's URI and its length in bytes. Operators that keep
// rows in their batches (filters, projections) carry them on; exchanges and
// operators that combine rows do not, so input_file_name() above them is
// empty, as Spark's is after a shuffle.
const (
	InputFileKey       = "gspark.input_file"
	InputFileLengthKey = "gspark.input_file_length"
)

// InputFileMetadata is the metadata a scan attaches to the batches it reads
// from the file at path of size bytes: the path as a file URI (absolute,
// percent-encoded, as Spark's input_file_name shows it).
func InputFileMetadata(path string, size int64) arrow.Metadata {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	return arrow.NewMetadata([]string{InputFileKey, InputFileLengthKey}, []string{u.String(), strconv.FormatInt(size, 10)})
}

// InputFile returns the file a batch was read from and the file's length,
// ok false when the batch carries no such metadata.
func InputFile(b arrow.RecordBatch) (uri string, length int64, ok bool) {
	md := b.Schema().Metadata()
	i := md.FindKey(InputFileKey)
	if i < 0 {
		return "", -1, false
	}
	length = -1
	if j := md.FindKey(InputFileLengthKey); j >= 0 {
		if n, err := strconv.ParseInt(md.Values()[j], 10, 64); err == nil {
			length = n
		}
	}
	return md.Values()[i], length, true
}

// inputFileExpr is input_file_name(), input_file_block_start() or
// input_file_block_length() of the batch's file.
type inputFileExpr struct{ name string }

// InputFileName returns input_file_name(): the URI of the file the row was
// read from, empty when the row does not come straight from a file scan.
func InputFileName() Expr { return &inputFileExpr{name: "input_file_name"} }

// InputFileBlockStart returns input_file_block_start(): the offset of the
// block read, 0 as gspark reads whole files; -1 when not from a file.
func InputFileBlockStart() Expr { return &inputFileExpr{name: "input_file_block_start"} }

// InputFileBlockLength returns input_file_block_length(): the length of
// the block read, the file's length as gspark reads whole files; -1 when
// not from a file.
func InputFileBlockLength() Expr { return &inputFileExpr{name: "input_file_block_length"} }

func (e *inputFileExpr) DataType() arrow.DataType {
	if e.name == "input_file_name" {
		return arrow.BinaryTypes.String
	}
	return arrow.PrimitiveTypes.Int64
}

func (e *inputFileExpr) String() string { return e.name + "()" }

func (e *inputFileExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	uri, length, ok := InputFile(batch)
	switch e.name {
	case "input_file_name":
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.Reserve(n)
		b.ReserveData(n * len(uri))
		for range n {
			b.Append(uri)
		}
		return b.NewArray(), nil
	case "input_file_block_start", "input_file_block_length":
		v := int64(-1)
		if ok {
			v = 0
			if e.name == "input_file_block_length" {
				v = length
			}
		}
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.Reserve(n)
		for range n {
			b.UnsafeAppend(v)
		}
		return b.NewArray(), nil
	}
	return nil, fmt.Errorf("unknown input file function %s", e.name)
}
