package physical

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/csv"
	"github.com/gspark/gspark/planner/logical"
)

// CSVSource is a table stored as CSV files with one schema.
type CSVSource struct {
	files  []string
	schema *arrow.Schema
	opts   csv.Options
}

// NewCSVFiles is a CSV source over files (already expanded from directories).
// When schema is nil it is inferred from the first file as opts say.
func NewCSVFiles(files []string, schema *arrow.Schema, opts csv.Options) (*CSVSource, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no CSV files to read")
	}
	if schema == nil {
		f, err := os.Open(files[0])
		if err != nil {
			return nil, err
		}
		defer f.Close()
		schema, err = csv.InferSchema(f, files[0], opts)
		if err != nil {
			return nil, err
		}
	}
	return &CSVSource{files: files, schema: schema, opts: opts}, nil
}

// Describe implements Source.
func (s *CSVSource) Describe() string { return "csv " + strings.Join(s.files, ", ") }

// Schema implements Source.
func (s *CSVSource) Schema() *arrow.Schema { return s.schema }

// EstimatedRows implements Source: unknown without reading the files.
func (s *CSVSource) EstimatedRows() int64 {
	var size int64
	for _, f := range s.files {
		if st, err := os.Stat(f); err == nil {
			size += st.Size()
		}
	}
	return size / 64
}

// Operator implements Source. CSV is read whole; the requested columns are
// picked after parsing.
func (s *CSVSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	opts := s.opts
	opts.Mem = env.Mem
	opts.BatchSize = env.BatchSize
	open := func(ctx context.Context, path string) (exec.BatchReader, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		r, err := csv.NewReader(f, path, s.schema, opts)
		if err != nil {
			f.Close()
			return nil, err
		}
		return &closingReader{r: r, f: f}, nil
	}
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "CSV", Files: s.files, Open: open, Schema: s.schema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: req.Partitions, FilePaths: true,
	}), nil
}

type closingReader struct {
	r *csv.Reader
	f *os.File
}

func (c *closingReader) Next() (arrow.RecordBatch, error) { return c.r.Next() }

func (c *closingReader) Close() error {
	err := c.r.Close()
	if ferr := c.f.Close(); err == nil {
		err = ferr
	}
	return err
}
