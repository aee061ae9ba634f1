package frame

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/io/csv"
	"github.com/gspark/gspark/io/source"
	"github.com/gspark/gspark/planner"
)

// DataFrameReader loads DataFrames from files; options use Spark's names.
type DataFrameReader struct {
	s      *Session
	opts   map[string]string
	schema *arrow.Schema
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
func (r *DataFrameReader) Parquet(paths ...string) *DataFrame {
	files, err := expand(paths, ".parquet")
	if err != nil {
		return r.fail(err)
	}
	src, err := planner.NewParquetFiles(files)
	if err != nil {
		return r.fail(err)
	}
	return r.s.newFrame(r.s.analyzer().NewScan(src, ""))
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
func (r *DataFrameReader) CSV(paths ...string) *DataFrame {
	opts, err := r.csvOptions()
	if err != nil {
		return r.fail(err)
	}
	files, err := expand(paths, ".csv")
	if err != nil {
		return r.fail(err)
	}
	src, err := planner.NewCSVFiles(files, r.schema, opts)
	if err != nil {
		return r.fail(err)
	}
	return r.s.newFrame(r.s.analyzer().NewScan(src, ""))
}
