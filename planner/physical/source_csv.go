package physical

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/csv"
	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/planner/logical"
)

// CSVSource is a table stored as CSV files with one schema.
type CSVSource struct {
	files  []string
	schema *arrow.Schema
	opts   csv.Options
	// splitBytes is the smallest byte range a large file is cut into.
	splitBytes int64
	// fs holds files that are URLs (s3://…); local files are opened with os.
	fs fsys.FS
}

// SetSplitBytes sets the smallest byte range a large file is cut into
// (default 32 MiB; Spark's spark.sql.files.maxPartitionBytes plays this part).
func (s *CSVSource) SetSplitBytes(n int64) { s.splitBytes = max(n, 64<<10) }

// NewCSVFiles is a CSV source over files (already expanded from directories).
// When schema is nil it is inferred from every file as opts say (Spark's
// inference over the whole dataset).
func NewCSVFiles(files []string, schema *arrow.Schema, opts csv.Options) (*CSVSource, error) {
	return NewCSVFilesFS(context.Background(), fsys.Local{}, files, schema, opts)
}

// NewCSVFilesFS is NewCSVFiles over files on fs: local paths are read as by
// NewCSVFiles, URLs through fs (whole, a file on an object store is not
// split into byte ranges).
func NewCSVFilesFS(ctx context.Context, fs fsys.FS, files []string, schema *arrow.Schema, opts csv.Options) (*CSVSource, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no CSV files to read")
	}
	if schema == nil {
		inf, err := csv.NewInference(opts)
		if err != nil {
			return nil, err
		}
		for _, name := range files {
			if err := inferFile(ctx, fs, inf, name); err != nil {
				return nil, err
			}
			if !opts.InferSchema && inf.Started() {
				break // the first file's header names every column
			}
		}
		if schema, err = inf.Schema(); err != nil {
			return nil, fmt.Errorf("%s: %w", strings.Join(files, ", "), err)
		}
	}
	return &CSVSource{files: files, schema: schema, opts: opts, splitBytes: splitSize, fs: fs}, nil
}

// openFile opens a local path with os, a URL through fs.
func openFile(ctx context.Context, fs fsys.FS, name string) (fsys.File, error) {
	if fsys.IsRemote(name) && fs != nil {
		return fs.Open(ctx, name)
	}
	return fsys.Local{}.Open(ctx, name)
}

func inferFile(ctx context.Context, fs fsys.FS, inf *csv.Inference, name string) error {
	f, err := openFile(ctx, fs, name)
	if err != nil {
		return err
	}
	defer f.Close()
	return inf.Add(f, name)
}

// Describe implements Source.
func (s *CSVSource) Describe() string { return "csv " + strings.Join(s.files, ", ") }

// Files lists the files the source reads.
func (s *CSVSource) Files() []string { return s.files }

// Options returns the options the files are read with.
func (s *CSVSource) Options() csv.Options { return s.opts }

// Schema implements Source.
func (s *CSVSource) Schema() *arrow.Schema { return s.schema }

// EstimatedRows implements Source: unknown without reading the files.
func (s *CSVSource) EstimatedRows() int64 {
	return source.FilesSizeFS(context.Background(), fsys.OrLocal(s.fs), s.files) / 64
}

// splitSize is the default smallest byte range a large CSV file is cut into.
const splitSize = 32 << 20

// Operator implements Source. Files are parsed and the requested columns
// picked after parsing; an uncompressed UTF-8 file larger than splitSize is
// cut into byte ranges of whole records (see csv.PlanSplits) so that one
// big file is read on every core.
func (s *CSVSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	opts := s.opts
	opts.Mem = env.Mem
	opts.BatchSize = env.BatchSize
	type unit struct {
		path  string
		k, n  int // split k of n
		plans *splitPlan
	}
	var names []string
	units := map[string]unit{}
	parts := max(req.Partitions, 1)
	sizes := make([]int64, len(s.files))
	for i, f := range s.files {
		if fsys.IsRemote(f) {
			continue // not split
		}
		if st, err := os.Stat(f); err == nil {
			sizes[i] = st.Size()
		}
	}
	for i, f := range s.files {
		n := 1
		if !fsys.IsRemote(f) && splittable(f, opts) && sizes[i] > s.splitBytes && parts > 1 {
			n = int(min(int64(parts), (sizes[i]+s.splitBytes-1)/s.splitBytes))
		}
		if n == 1 {
			names = append(names, f)
			units[f] = unit{path: f, n: 1}
			continue
		}
		plan := &splitPlan{path: f, size: sizes[i], n: n, opts: opts}
		for k := 0; k < n; k++ {
			name := fmt.Sprintf("%s[%d/%d]", f, k+1, n)
			names = append(names, name)
			units[name] = unit{path: f, k: k, n: n, plans: plan}
		}
	}
	open := func(ctx context.Context, name string) (exec.BatchReader, error) {
		u := units[name]
		f, err := openFile(ctx, s.fs, u.path)
		if err != nil {
			return nil, err
		}
		var text io.Reader = f
		o := opts
		if u.n > 1 {
			splits, err := u.plans.get(f)
			if err != nil {
				f.Close()
				return nil, err
			}
			if u.k >= len(splits) {
				f.Close()
				return emptyReader{}, nil
			}
			sp := splits[u.k]
			text = io.NewSectionReader(f, sp.Start, sp.End-sp.Start)
			if sp.Start > 0 {
				o.Header = false
				o.LineOffset = sp.FirstLine
				o.ByteOffset = sp.Start
			}
		}
		r, err := csv.NewReader(text, u.path, s.schema, o)
		if err != nil {
			f.Close()
			return nil, err
		}
		r.SetContext(ctx)
		return &closingReader{r: r, f: f}, nil
	}
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "CSV", Files: names, Open: open, Schema: s.schema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: req.Partitions, FilePaths: true,
		PathOf: func(name string) string { return units[name].path },
	}), nil
}

// splittable reports whether a file can be cut into byte ranges: not
// compressed and in UTF-8 (or ASCII-compatible single-byte text).
func splittable(path string, o csv.Options) bool {
	if source.CompressedExt(path) != "" {
		return false
	}
	switch strings.ToUpper(o.Encoding) {
	case "", "UTF-8", "UTF8", "US-ASCII", "ISO-8859-1", "LATIN1", "WINDOWS-1252":
		return true
	}
	return false
}

// splitPlan finds the record boundaries of a file once, when its first
// split is opened.
type splitPlan struct {
	path   string
	size   int64
	n      int
	opts   csv.Options
	once   sync.Once
	splits []csv.Split
	err    error
}

func (p *splitPlan) get(f io.ReaderAt) ([]csv.Split, error) {
	p.once.Do(func() {
		p.splits, p.err = csv.PlanSplits(f, p.size, p.n, p.opts)
		if p.err != nil {
			p.err = fmt.Errorf("%s: %w", p.path, p.err)
		}
	})
	return p.splits, p.err
}

type emptyReader struct{}

func (emptyReader) Next() (arrow.RecordBatch, error) { return nil, io.EOF }
func (emptyReader) Close() error                     { return nil }

type closingReader struct {
	r *csv.Reader
	f io.Closer
}

func (c *closingReader) Next() (arrow.RecordBatch, error) { return c.r.Next() }

func (c *closingReader) Close() error {
	err := c.r.Close()
	if ferr := c.f.Close(); err == nil {
		err = ferr
	}
	return err
}
