package frame

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/csv"
	"github.com/gspark/gspark/io/json"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/physical"
)

// DataFrameReader loads DataFrames from files; options use Spark's names.
type DataFrameReader struct {
	s      *Session
	opts   map[string]string
	schema *arrow.Schema
	format string
}

// Read returns a reader for files.
func (s *Session) Read() *DataFrameReader {
	return &DataFrameReader{s: s, opts: map[string]string{}}
}

// Option sets a reader option (case-insensitive key), e.g. "header" "true".
func (r *DataFrameReader) Option(key, value string) *DataFrameReader {
	r.opts[strings.ToLower(key)] = value
	return r
}

// Schema sets the schema to read with instead of inferring it.
func (r *DataFrameReader) Schema(s *arrow.Schema) *DataFrameReader {
	r.schema = s
	return r
}

func (r *DataFrameReader) fail(err error) *DataFrame { return &DataFrame{s: r.s, err: err} }

func expand(paths []string, ext string) ([]string, error) {
	var files []string
	for _, p := range paths {
		fs, err := source.ListFiles(p, ext)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no %s files found in %s", strings.TrimPrefix(ext, "."), strings.Join(paths, ", "))
	}
	return files, nil
}

// Parquet reads Parquet files; each path is a file, a directory of part files or a glob.
func (r *DataFrameReader) Parquet(paths ...string) *DataFrame { return r.load("parquet", paths) }

// load is a DataFrame over the source of format at paths.
func (r *DataFrameReader) load(format string, paths []string) *DataFrame {
	src, err := r.source(format, paths)
	if err != nil {
		return r.fail(err)
	}
	return r.s.newFrame(r.s.analyzer().NewScan(src, ""))
}

// source opens the files at paths as a source of format parquet, csv or
// json, with the reader's options and schema.
func (r *DataFrameReader) source(format string, paths []string) (logical.Source, error) {
	switch format {
	case "parquet":
		files, err := expand(paths, ".parquet")
		if err != nil {
			return nil, err
		}
		return physical.NewParquetFiles(files)
	case "csv":
		opts, err := r.csvOptions()
		if err != nil {
			return nil, err
		}
		files, err := expand(paths, ".csv")
		if err != nil {
			return nil, err
		}
		return physical.NewCSVFiles(files, r.schema, opts)
	case "json":
		mode, err := json.ParseMode(r.opts["mode"])
		if err != nil {
			return nil, err
		}
		files, err := expand(paths, ".json")
		if err != nil {
			return nil, err
		}
		return newJSONSource(files, r.schema, json.Options{Mode: mode})
	case "libsvm":
		files, err := expand(paths, "")
		if err != nil {
			return nil, err
		}
		return r.libsvmSource(files)
	}
	return nil, fmt.Errorf("unknown data source format %q (want parquet, csv, json or libsvm)", format)
}

func (r *DataFrameReader) boolOpt(key string, def bool) (bool, error) {
	v, ok := r.opts[key]
	if !ok {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("option %s: %q is not true or false", key, v)
	}
	return b, nil
}

func (r *DataFrameReader) runeOpt(keys []string, def rune) (rune, error) {
	for _, k := range keys {
		if v, ok := r.opts[k]; ok {
			rs := []rune(v)
			if v == `\t` {
				return '\t', nil
			}
			if len(rs) != 1 {
				return 0, fmt.Errorf("option %s: %q must be one character", k, v)
			}
			return rs[0], nil
		}
	}
	return def, nil
}

// csvOptions maps Spark's CSV options (header, sep/delimiter, quote, escape,
// nullValue, inferSchema, dateFormat, timestampFormat) to the reader's.
func (r *DataFrameReader) csvOptions() (csv.Options, error) {
	var o csv.Options
	var err error
	if o.Header, err = r.boolOpt("header", false); err != nil {
		return o, err
	}
	if o.InferSchema, err = r.boolOpt("inferschema", false); err != nil {
		return o, err
	}
	if o.Delimiter, err = r.runeOpt([]string{"sep", "delimiter"}, ','); err != nil {
		return o, err
	}
	if o.Quote, err = r.runeOpt([]string{"quote"}, '"'); err != nil {
		return o, err
	}
	if o.Escape, err = r.runeOpt([]string{"escape"}, '\\'); err != nil {
		return o, err
	}
	o.NullValue = r.opts["nullvalue"]
	o.DateFormat = r.opts["dateformat"]
	o.TimestampFormat = r.opts["timestampformat"]
	return o, nil
}

// CSV reads CSV files; each path is a file, a directory or a glob.
func (r *DataFrameReader) CSV(paths ...string) *DataFrame { return r.load("csv", paths) }

// JSON reads JSON Lines files (one object per line); each path is a file, a
// directory or a glob. Without Schema the columns are inferred from the first
// 1000 lines, sorted by name as Spark does; nested objects and arrays are
// read as strings of JSON text. Option "mode" takes FAILFAST (the default),
// PERMISSIVE or DROPMALFORMED.
func (r *DataFrameReader) JSON(paths ...string) *DataFrame { return r.load("json", paths) }

// Format sets the format Load reads: "parquet", "csv", "json" or "libsvm".
// The libsvm format (Spark's LIBSVM data source) reads columns label
// (double) and features (vector); its options are numFeatures (the vector
// size; without it, one more than the largest index in the files, found by a
// first pass) and vectorType ("sparse", the default, or "dense").
func (r *DataFrameReader) Format(name string) *DataFrameReader {
	r.format = strings.ToLower(name)
	return r
}

// Load reads paths in the format set by Format (Parquet by default, as
// Spark's default data source).
func (r *DataFrameReader) Load(paths ...string) *DataFrame {
	if r.format == "" {
		return r.load("parquet", paths)
	}
	return r.load(r.format, paths)
}

// jsonSource is a table stored as JSON Lines files with one schema.
type jsonSource struct {
	files  []string
	schema *arrow.Schema
	opts   json.Options
}

// newJSONSource is a source over files; a nil schema is inferred from the
// first lines of the files, read in order.
func newJSONSource(files []string, schema *arrow.Schema, opts json.Options) (*jsonSource, error) {
	if schema == nil {
		inf := json.NewInference(opts)
		for _, name := range files {
			if inf.Done() {
				break
			}
			f, err := os.Open(name)
			if err != nil {
				return nil, err
			}
			err = inf.Add(f, name)
			f.Close()
			if err != nil {
				return nil, err
			}
		}
		var err error
		if schema, err = inf.Schema(); err != nil {
			return nil, fmt.Errorf("%w in %s", err, strings.Join(files, ", "))
		}
	}
	return &jsonSource{files: files, schema: schema, opts: opts}, nil
}

// Describe implements logical.Source.
func (s *jsonSource) Describe() string { return "json " + strings.Join(s.files, ", ") }

// Schema implements logical.Source.
func (s *jsonSource) Schema() *arrow.Schema { return s.schema }

// EstimatedRows implements logical.Source: a guess from the files' sizes.
func (s *jsonSource) EstimatedRows() int64 { return filesSize(s.files) / 64 }

// filesSize is the total size in bytes of the files that can be stat'ed.
func filesSize(files []string) int64 {
	var size int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			size += st.Size()
		}
	}
	return size
}

// Operator implements logical.Source: files are parsed whole, the requested
// columns picked after parsing.
func (s *jsonSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	opts := s.opts
	opts.Mem = env.Mem
	opts.BatchSize = env.BatchSize
	open := func(ctx context.Context, path string) (exec.BatchReader, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		r, err := json.NewReader(f, path, s.schema, opts)
		if err != nil {
			f.Close()
			return nil, err
		}
		return &jsonFileReader{r: r, f: f}, nil
	}
	return exec.NewFileScan(env, exec.FileScanSpec{
		Format: "JSON", Files: s.files, Open: open, Schema: s.schema, ReadColumns: req.ReadColumns,
		Predicate: req.Predicate, Output: req.Output, Limit: req.Limit, Partitions: req.Partitions, FilePaths: true,
	}), nil
}

type jsonFileReader struct {
	r *json.Reader
	f *os.File
}

func (c *jsonFileReader) Next() (arrow.RecordBatch, error) { return c.r.Next() }

func (c *jsonFileReader) Close() error {
	err := c.r.Close()
	if ferr := c.f.Close(); err == nil {
		err = ferr
	}
	return err
}
