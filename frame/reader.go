package frame

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/io/json"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/planner/physical"
)

// DataFrameReader loads DataFrames from files; options use Spark's names.
type DataFrameReader struct {
	s      *Session
	opts   map[string]string
	schema *arrow.Schema
	format string
	err    error // from SchemaDDL
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

// SchemaDDL sets the schema to read with in Spark's DDL form, e.g.
// "name STRING, age INT" (Spark's schema(String)).
func (r *DataFrameReader) SchemaDDL(ddl string) *DataFrameReader {
	t, err := functions.ParseDDLSchema(ddl)
	if err != nil {
		r.err = fmt.Errorf("reader schema: %w", err)
		return r
	}
	st, ok := t.(*arrow.StructType)
	if !ok {
		st = arrow.StructOf(arrow.Field{Name: "value", Type: t, Nullable: true})
	}
	r.schema = arrow.NewSchema(st.Fields(), nil)
	return r
}

func (r *DataFrameReader) fail(err error) *DataFrame { return &DataFrame{s: r.s, err: err} }

func expand(ctx context.Context, f fsys.FS, paths []string, ext string) ([]string, error) {
	var files []string
	for _, p := range paths {
		fs, err := source.ListFilesFS(ctx, f, p, ext)
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
// Files are read by column name against the first file's schema; option
// mergeSchema "true" (default: spark.sql.parquet.mergeSchema) reads the
// union of every file's columns instead, int widened to bigint and float to
// double where files differ, a column a file lacks as null.
func (r *DataFrameReader) Parquet(paths ...string) *DataFrame { return r.load("parquet", paths) }

// load is a DataFrame over the source of format at paths.
func (r *DataFrameReader) load(format string, paths []string) *DataFrame {
	if r.err != nil {
		return r.fail(r.err)
	}
	if r.s.remote != nil {
		return r.remoteLoad(format, paths)
	}
	src, err := r.source(format, paths)
	if err != nil {
		return r.fail(err)
	}
	return r.s.newFrame(r.s.analyzer().NewScan(src, ""))
}

// source opens the files at paths as a source of format parquet, csv or
// json, with the reader's options and schema.
func (r *DataFrameReader) source(format string, paths []string) (logical.Source, error) {
	ctx := context.Background()
	fs := r.s.fsWith(r.opts)
	// Options of Spark's that would change what Parquet reading returns
	// are errors; others are ignored, as Spark ignores options a source
	// does not use.
	if format == "parquet" {
		if err := checkOptions(format, r.opts, nil, []string{"datetimerebasemode", "int96rebasemode"}); err != nil {
			return nil, err
		}
	}
	merge, err := r.boolOpt("mergeschema", r.s.parquetMergeSchema())
	if err != nil {
		return nil, err
	}
	switch format {
	case "parquet":
		files, err := expand(ctx, fs, paths, ".parquet")
		if err != nil {
			return nil, err
		}
		return r.maybePartitioned(fs, format, paths, files, merge, func(files []string, schema *arrow.Schema) (logical.Source, error) {
			return physical.NewParquetFilesWith(ctx, fs, files, physical.ParquetSchemaOptions{Schema: schema, Merge: merge})
		})
	case "csv":
		opts, err := r.csvOptions(false)
		if err != nil {
			return nil, err
		}
		files, err := expand(ctx, fs, paths, ".csv")
		if err != nil {
			return nil, err
		}
		return r.maybePartitioned(fs, format, paths, files, merge, func(files []string, schema *arrow.Schema) (logical.Source, error) {
			return physical.NewCSVFilesFS(ctx, fs, files, schema, opts)
		})
	case "json":
		mode, err := json.ParseMode(r.opts["mode"])
		if err != nil {
			return nil, err
		}
		maxRec := 0
		if v, ok := r.opts["maxrecordbytes"]; ok {
			if maxRec, err = strconv.Atoi(strings.TrimSpace(v)); err != nil || maxRec <= 0 {
				return nil, fmt.Errorf("option maxRecordBytes: %q must be a positive integer", v)
			}
		}
		files, err := expand(ctx, fs, paths, ".json")
		if err != nil {
			return nil, err
		}
		return r.maybePartitioned(fs, format, paths, files, merge, func(files []string, schema *arrow.Schema) (logical.Source, error) {
			return newJSONSource(fs, files, schema, json.Options{Mode: mode, MaxRecordBytes: maxRec})
		})
	case "arrow", "feather", "ipc":
		files, err := expand(ctx, fs, paths, ".arrow")
		if err != nil {
			return nil, err
		}
		return r.maybePartitioned(fs, "arrow", paths, files, false, func(files []string, schema *arrow.Schema) (logical.Source, error) {
			return newArrowSource(fs, files, schema)
		})
	case "avro":
		files, err := expand(ctx, fs, paths, ".avro")
		if err != nil {
			return nil, err
		}
		return r.maybePartitioned(fs, format, paths, files, merge, func(files []string, schema *arrow.Schema) (logical.Source, error) {
			return newAvroSource(fs, files, schema)
		})
	case "delta":
		return r.deltaSource(paths)
	case "libsvm":
		files, err := expand(ctx, fs, paths, "")
		if err != nil {
			return nil, err
		}
		return r.libsvmSource(files)
	}
	return nil, fmt.Errorf("unknown data source format %q (want parquet, csv, json, libsvm, arrow, avro or delta)", format)
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

// CSV reads CSV files; each path is a file, a directory or a glob.
func (r *DataFrameReader) CSV(paths ...string) *DataFrame { return r.load("csv", paths) }

// JSON reads JSON Lines files (one object per line); each path is a file, a
// directory or a glob. Without Schema the columns are inferred from the first
// 1000 lines, sorted by name as Spark does; nested objects and arrays are
// read as strings of JSON text. Option "mode" takes FAILFAST (the default),
// PERMISSIVE or DROPMALFORMED.
func (r *DataFrameReader) JSON(paths ...string) *DataFrame { return r.load("json", paths) }

// Format sets the format Load reads: "parquet", "csv", "json", "libsvm",
// "arrow" (Arrow IPC / Feather v2 files; also "feather" and "ipc") or
// "avro" (Avro object container files) or "delta" (a Delta Lake table's
// latest snapshot; option versionAsOf reads an earlier version).
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

// maybePartitioned is the source over files read from paths: a
// PartitionedSource when they lie in hive-style key=value directories under
// the one directory read (or under option basePath), else build(files,
// schema). build(files, nil) infers the files' schema; Parquet files take the
// first file's schema, and pruned directories are never opened.
func (r *DataFrameReader) maybePartitioned(fs fsys.FS, format string, paths, files []string, merge bool, build func([]string, *arrow.Schema) (logical.Source, error)) (logical.Source, error) {
	root := r.opts["basepath"]
	if root == "" && len(paths) == 1 {
		if st, err := fs.Stat(context.Background(), paths[0]); err == nil && st.IsDir {
			root = paths[0]
		}
	}
	if root == "" {
		return build(files, r.schema)
	}
	parts, err := source.DiscoverPartitions(root, files)
	if err != nil {
		return nil, err
	}
	if parts == nil {
		return build(files, r.schema)
	}
	// The files' own columns: the reader's schema without the partition
	// columns, or inferred (Parquet: from the first file).
	var data *arrow.Schema
	if r.schema != nil {
		var fields []arrow.Field
		for _, f := range r.schema.Fields() {
			isPart := false
			for _, p := range parts.Fields {
				isPart = isPart || strings.EqualFold(p.Name, f.Name)
			}
			if !isPart {
				fields = append(fields, f)
			}
		}
		data = arrow.NewSchema(fields, nil)
	} else {
		sample := files
		if format == "parquet" && !merge {
			sample = files[:1]
		}
		src, err := build(sample, nil)
		if err != nil {
			return nil, err
		}
		data = src.Schema()
	}
	return physical.NewPartitionedSource(format, root, data, parts, func(files []string) (logical.Source, error) {
		return build(files, data)
	})
}

// jsonSource is a table stored as JSON Lines files with one schema.
type jsonSource struct {
	files  []string
	schema *arrow.Schema
	opts   json.Options
	fs     fsys.FS
}

// newJSONSource is a source over files; a nil schema is inferred from the
// first lines of the files, read in order.
func newJSONSource(fs fsys.FS, files []string, schema *arrow.Schema, opts json.Options) (*jsonSource, error) {
	if schema == nil {
		inf := json.NewInference(opts)
		for _, name := range files {
			if inf.Done() {
				break
			}
			f, err := fileOpener(context.Background(), fs)(name)
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
	return &jsonSource{files: files, schema: schema, opts: opts, fs: fs}, nil
}

// Describe implements logical.Source.
func (s *jsonSource) Describe() string { return "json " + strings.Join(s.files, ", ") }

// Schema implements logical.Source.
func (s *jsonSource) Schema() *arrow.Schema { return s.schema }

// EstimatedRows implements logical.Source: a guess from the files' sizes.
func (s *jsonSource) EstimatedRows() int64 {
	return source.FilesSizeFS(context.Background(), s.fs, s.files) / 64
}

// Operator implements logical.Source: files are parsed whole, the requested
// columns picked after parsing.
func (s *jsonSource) Operator(env *exec.Env, req logical.ScanRequest) (exec.Operator, error) {
	opts := s.opts
	opts.Mem = env.Mem
	opts.BatchSize = env.BatchSize
	open := func(ctx context.Context, path string) (exec.BatchReader, error) {
		f, err := fileOpener(ctx, s.fs)(path)
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
	f fsys.File
}

// fileOpener opens local paths with os and URLs through fs.
func fileOpener(ctx context.Context, fs fsys.FS) func(string) (fsys.File, error) {
	return func(p string) (fsys.File, error) {
		if fsys.IsRemote(p) && fs != nil {
			return fs.Open(ctx, p)
		}
		return fsys.Local{}.Open(ctx, p)
	}
}

func (c *jsonFileReader) Next() (arrow.RecordBatch, error) { return c.r.Next() }

func (c *jsonFileReader) Close() error {
	err := c.r.Close()
	if ferr := c.f.Close(); err == nil {
		err = ferr
	}
	return err
}
