package frame

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/libsvm"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/planner/logical"
)

// libsvmSource is a table stored as LIBSVM text files.
type libsvmSource struct {
	files []string
	opts  libsvm.Options
}

// libsvmSource applies the reader's options (numFeatures, vectorType) to a
// source over files; without numFeatures the files are read once to find
// the largest index, as Spark does.
func (r *DataFrameReader) libsvmSource(files []string) (*libsvmSource, error) {
	if r.schema != nil {
		return nil, fmt.Errorf("libsvm: the data source has a fixed schema (label double, features vector); Schema is not accepted")
	}
	var opts libsvm.Options
	switch vt := strings.ToLower(r.opts["vectortype"]); vt {
	case "", "sparse":
	case "dense":
		opts.Dense = true
	default:
		return nil, fmt.Errorf("libsvm: option vectorType %q must be sparse or dense", r.opts["vectortype"])
	}
	if v, ok := r.opts["numfeatures"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("libsvm: option numFeatures %q must be a positive integer", v)
		}
		opts.NumFeatures = n
		return &libsvmSource{files: files, opts: opts}, nil
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("libsvm: %w", err)
		}
		n, err := libsvm.NumFeatures(f, name)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("libsvm: %w", err)
		}
		opts.NumFeatures = max(opts.NumFeatures, n)
	}
	return &libsvmSource{files: files, opts: opts}, nil
}

// Describe implements logical.Source.
func (s *libsvmSource) Describe() string { return "libsvm " + strings.Join(s.files, ", ") }

// Schema implements logical.Source.
func (s *libsvmSource) Schema() *arrow.Schema { return libsvm.Schema() }

// EstimatedRows implements logical.Source: a guess from the files' sizes.
func (s *libsvmSource) EstimatedRows() int64 { return source.FilesSize(s.files) / 256 }

// Operator implements logical.Source.
func (s *libsvmSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	opts := s.opts
	opts.Mem = env.Mem
	opts.BatchSize = env.BatchSize
	open := func(ctx context.Context, path string) (exec.BatchReader, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		return &libsvmFileReader{r: libsvm.NewReader(f, path, opts), f: f}, nil
	}
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "LIBSVM", Files: s.files, Open: open, Schema: libsvm.Schema(), ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: req.Partitions, FilePaths: true,
	}), nil
}

type libsvmFileReader struct {
	r *libsvm.Reader
	f *os.File
}

func (c *libsvmFileReader) Next() (arrow.RecordBatch, error) { return c.r.Next() }

func (c *libsvmFileReader) Close() error {
	err := c.r.Close()
	if ferr := c.f.Close(); err == nil {
		err = ferr
	}
	return err
}
