package physical

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/scan"
	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/io/parquet"
	"github.com/gspark/gspark/planner/logical"
)

// ParquetSource is a table stored as one or more Parquet files with one schema.
type ParquetSource struct {
	name   string
	inputs []scan.ParquetInput
	schema *arrow.Schema
	rows   int64
	first  func() (*parquet.File, error)
}

// NewParquetFiles opens the footers of the files at paths (already expanded
// from directories) and checks that they share one schema.
func NewParquetFiles(paths []string) (*ParquetSource, error) {
	return NewParquetFilesFS(context.Background(), fsys.Local{}, paths)
}

// NewParquetFilesFS is NewParquetFiles over files on fs: local paths are
// opened as by NewParquetFiles, URLs through fs, read by byte ranges.
func NewParquetFilesFS(ctx context.Context, fs fsys.FS, paths []string) (*ParquetSource, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no Parquet files to read")
	}
	openers := make([]func() (*parquet.File, error), len(paths))
	for i, p := range paths {
		openers[i] = func() (*parquet.File, error) { return parquet.OpenFileFS(ctx, fs, p) }
	}
	src, err := newParquetSource(strings.Join(paths, ", "), paths, openers, true)
	if err != nil {
		return nil, err
	}
	// Scans open the files of an object store with the query's context.
	for i, p := range paths {
		if fsys.IsRemote(p) {
			src.inputs[i].OpenContext = func(qctx context.Context) (*parquet.File, error) { return parquet.OpenFileFS(qctx, fs, p) }
		}
	}
	return src, nil
}

// NewParquetBytes is a source over a Parquet file held in memory.
func NewParquetBytes(name string, data []byte) (*ParquetSource, error) {
	open := func() (*parquet.File, error) {
		return parquet.Open(bytes.NewReader(data), int64(len(data)), name)
	}
	return newParquetSource(name, []string{name}, []func() (*parquet.File, error){open}, false)
}

// newParquetSource reads the footers; onDisk says names are file paths.
func newParquetSource(desc string, names []string, openers []func() (*parquet.File, error), onDisk bool) (*ParquetSource, error) {
	src := &ParquetSource{name: desc, first: openers[0]}
	for i, open := range openers {
		f, err := open()
		if err != nil {
			return nil, err
		}
		s := f.Schema()
		if src.schema == nil {
			src.schema = s
		} else if !s.Equal(src.schema) {
			f.Close()
			return nil, fmt.Errorf("parquet file %s has schema %s, but %s has %s", names[i], s, names[0], src.schema)
		}
		rgs := make([]int64, f.NumRowGroups())
		for rg := range rgs {
			rgs[rg] = f.RowGroupNumRows(rg)
		}
		src.rows += f.NumRows()
		in := scan.ParquetInput{Name: names[i], Open: open, RowGroups: rgs}
		if onDisk {
			in.Path = names[i]
		}
		src.inputs = append(src.inputs, in)
		if err := f.Close(); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// Describe implements Source.
func (s *ParquetSource) Describe() string { return "parquet " + s.name }

// Schema implements Source.
func (s *ParquetSource) Schema() *arrow.Schema { return s.schema }

// EstimatedRows implements Source.
func (s *ParquetSource) EstimatedRows() int64 { return s.rows }

// Operator implements Source.
func (s *ParquetSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	filters := req.Filters
	if len(filters) > 0 {
		f, err := s.first()
		if err != nil {
			return nil, err
		}
		filters = f.Usable(filters)
		if err := f.Close(); err != nil {
			return nil, err
		}
	}
	return scan.NewParquet(env, scan.ParquetSpec{
		Files:       s.inputs,
		Schema:      s.schema,
		ReadColumns: req.ReadColumns,
		Filters:     filters,
		Predicate:   req.Predicate,
		Output:      req.Output,
		Limit:       req.Limit,
		Partitions:  req.Partitions,
	}), nil
}
