package frame

import (
	"context"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/arrowipc"
	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/planner/logical"
)

// arrowSource is a table stored as Arrow IPC (Feather v2) files.
type arrowSource struct {
	files  []string
	schema *arrow.Schema
	fs     fsys.FS
}

// newArrowSource is a source over files; a nil schema is the first file's.
func newArrowSource(fs fsys.FS, files []string, schema *arrow.Schema) (*arrowSource, error) {
	if schema == nil {
		r, err := arrowipc.Open(files[0], arrowipc.Options{Open: fileOpener(context.Background(), fs)})
		if err != nil {
			return nil, err
		}
		schema = r.Schema()
		if err := r.Close(); err != nil {
			return nil, err
		}
	}
	return &arrowSource{files: files, schema: schema, fs: fs}, nil
}

// Describe implements logical.Source.
func (s *arrowSource) Describe() string { return "arrow " + strings.Join(s.files, ", ") }

// Schema implements logical.Source.
func (s *arrowSource) Schema() *arrow.Schema { return s.schema }

// EstimatedRows implements logical.Source: a guess from the files' sizes.
func (s *arrowSource) EstimatedRows() int64 {
	return source.FilesSizeFS(context.Background(), s.fs, s.files) / 32
}

// Operator implements logical.Source: only the requested columns leave the
// reader.
func (s *arrowSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	read := make([]bool, s.schema.NumFields())
	for _, c := range req.ReadColumns {
		read[c] = true
	}
	open := func(ctx context.Context, path string) (exec.BatchReader, error) {
		return arrowipc.Open(path, arrowipc.Options{Schema: s.schema, Read: read, Mem: env.Mem, Open: fileOpener(ctx, s.fs)})
	}
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "Arrow", Files: s.files, Open: open, Schema: s.schema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: req.Partitions, FilePaths: true,
	}), nil
}
