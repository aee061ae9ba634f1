package frame

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/avro"
	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/planner/logical"
)

// avroSource is a table stored as Avro object container files.
type avroSource struct {
	files  []string
	schema *arrow.Schema
	fs     fsys.FS
}

// newAvroSource is a source over files; a nil schema is the first file's.
func newAvroSource(fs fsys.FS, files []string, schema *arrow.Schema) (*avroSource, error) {
	if schema == nil {
		r, err := avro.Open(files[0], avro.Options{Open: fileOpener(context.Background(), fs)})
		if err != nil {
			return nil, err
		}
		schema = r.Schema()
		if err := r.Close(); err != nil {
			return nil, err
		}
	}
	return &avroSource{files: files, schema: schema, fs: fs}, nil
}

// Describe implements logical.Source.
func (s *avroSource) Describe() string { return "avro " + strings.Join(s.files, ", ") }

// Schema implements logical.Source.
func (s *avroSource) Schema() *arrow.Schema { return s.schema }

// EstimatedRows implements logical.Source: a guess from the files' sizes.
func (s *avroSource) EstimatedRows() int64 {
	return source.FilesSizeFS(context.Background(), s.fs, s.files) / 32
}

// Operator implements logical.Source: records are decoded whole, only the
// requested columns converted.
func (s *avroSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	read := make([]bool, s.schema.NumFields())
	for _, c := range req.ReadColumns {
		read[c] = true
	}
	open := func(ctx context.Context, path string) (exec.BatchReader, error) {
		return avro.Open(path, avro.Options{Schema: s.schema, Read: read, Mem: env.Mem, Open: fileOpener(ctx, s.fs), BatchSize: env.BatchSize})
	}
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "Avro", Files: s.files, Open: open, Schema: s.schema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: req.Partitions, FilePaths: true,
	}), nil
}
