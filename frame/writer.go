package frame

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/io/arrowipc"
	"github.com/gspark/gspark/io/csv"
	"github.com/gspark/gspark/io/json"
	"github.com/gspark/gspark/io/parquet"
	"github.com/gspark/gspark/io/source"
)

// DataFrameWriter writes a DataFrame as a directory of part files, one per
// partition. The write is atomic: files go to a temporary directory that is
// renamed into place only when every partition succeeded.
type DataFrameWriter struct {
	df          *DataFrame
	mode        string
	opts        map[string]string
	format      string
	partitionBy []string
}

// PartitionBy writes the rows into hive-style directories, one per distinct
// value of cols (col=value/…, Spark's layout: the values as strings with
// path characters escaped %XX, null as __HIVE_DEFAULT_PARTITION__); the
// files hold the other columns. Reading the directory back finds the
// columns again from the directory names.
func (w *DataFrameWriter) PartitionBy(cols ...string) *DataFrameWriter {
	w.partitionBy = append(w.partitionBy, cols...)
	return w
}

// Write returns a writer for the DataFrame (save mode "error" by default).
func (df *DataFrame) Write() *DataFrameWriter {
	return &DataFrameWriter{df: df, mode: "error", opts: map[string]string{}}
}

// Mode sets the save mode: "error" (default), "overwrite", "append" or "ignore".
func (w *DataFrameWriter) Mode(mode string) *DataFrameWriter {
	w.mode = mode
	return w
}

// Option sets a writer option, e.g. "header" "true" for CSV or "compression"
// "zstd" for Parquet. Every format takes maxRecordsPerFile (Spark's: each
// output partition's rows go into files of at most this many rows, per
// PartitionBy directory too; 0 or less for no limit).
func (w *DataFrameWriter) Option(key, value string) *DataFrameWriter {
	w.opts[strings.ToLower(key)] = value
	return w
}

type batchWriter interface {
	Write(arrow.RecordBatch) error
	Close() error
}

// Parquet writes the DataFrame as Parquet part files under dir. Options:
// compression (snappy, zstd, gzip or none), parquet.block.size (parquet-mr's
// row group size in bytes, measured on the rows' in-memory size) and
// rowGroupRows (gspark's: at most this many rows per row group; default
// 1048576).
func (w *DataFrameWriter) Parquet(ctx context.Context, dir string) error {
	opts := parquet.WriterOptions{Compression: w.opts["compression"]}
	if v, ok := w.opts["parquet.block.size"]; ok {
		n, err := ParseBytes(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("write %s: option parquet.block.size: %q is not a positive size in bytes", dir, v)
		}
		opts.RowGroupBytes = n
	}
	if v, ok := w.opts["rowgrouprows"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("write %s: option rowGroupRows: %q is not a positive integer", dir, v)
		}
		opts.RowGroupRows = n
	}
	logical := w.df.Schema()
	return w.save(ctx, dir, ".parquet", func(f io.Writer, s *arrow.Schema) (batchWriter, error) {
		return parquet.NewWriter(f, withMLAttrs(s, logical), opts)
	})
}

// CSV writes the DataFrame as CSV part files under dir.
func (w *DataFrameWriter) CSV(ctx context.Context, dir string) error {
	r := &DataFrameReader{opts: w.opts}
	opts, err := r.csvOptions(true)
	if err != nil {
		return err
	}
	return w.saveText(ctx, dir, ".csv", func(f io.Writer, s *arrow.Schema) (batchWriter, error) {
		return csv.NewWriter(f, s, opts)
	})
}

// saveText is save for a text format, compressed as option "compression"
// (or "codec") says: the part files get the codec's suffix (.csv.gz).
func (w *DataFrameWriter) saveText(ctx context.Context, dir, ext string, newWriter func(io.Writer, *arrow.Schema) (batchWriter, error)) error {
	codec := w.opts["compression"]
	if codec == "" {
		codec = w.opts["codec"]
	}
	cext, err := source.CompressExt(codec)
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if cext == "" {
		return w.save(ctx, dir, ext, newWriter)
	}
	return w.save(ctx, dir, ext+cext, func(f io.Writer, s *arrow.Schema) (batchWriter, error) {
		cw, _, err := source.Compress(f, codec)
		if err != nil {
			return nil, err
		}
		bw, err := newWriter(cw, s)
		if err != nil {
			cw.Close()
			return nil, err
		}
		return &compressedWriter{batchWriter: bw, cw: cw}, nil
	})
}

// compressedWriter closes the format's writer, then the compressor.
type compressedWriter struct {
	batchWriter
	cw io.Closer
}

func (c *compressedWriter) Close() error {
	err := c.batchWriter.Close()
	if cerr := c.cw.Close(); err == nil {
		err = cerr
	}
	return err
}

// JSON writes the DataFrame as JSON Lines part files under dir, one object a
// row with null fields left out.
func (w *DataFrameWriter) JSON(ctx context.Context, dir string) error {
	return w.saveText(ctx, dir, ".json", func(f io.Writer, s *arrow.Schema) (batchWriter, error) {
		return json.NewWriter(f, s)
	})
}

// Arrow writes the DataFrame as Arrow IPC files (Feather v2) under dir,
// part files .arrow; option "compression" is none (the default), lz4 or zstd.
func (w *DataFrameWriter) Arrow(ctx context.Context, dir string) error {
	return w.save(ctx, dir, ".arrow", func(f io.Writer, s *arrow.Schema) (batchWriter, error) {
		return arrowipc.NewWriter(f, s, arrowipc.WriterOptions{Compression: w.opts["compression"], Mem: w.df.s.mem})
	})
}

// Format sets the format Save writes: "parquet" (the default), "csv",
// "json" or "arrow" (also "feather", "ipc").
func (w *DataFrameWriter) Format(name string) *DataFrameWriter {
	w.format = strings.ToLower(name)
	return w
}

// Save writes the DataFrame under dir in the format set by Format.
func (w *DataFrameWriter) Save(ctx context.Context, dir string) error {
	switch w.format {
	case "", "parquet":
		return w.Parquet(ctx, dir)
	case "csv":
		return w.CSV(ctx, dir)
	case "json":
		return w.JSON(ctx, dir)
	case "arrow", "feather", "ipc":
		return w.Arrow(ctx, dir)
	}
	return fmt.Errorf("unknown data source format %q (want parquet, csv, json or arrow)", w.format)
}

func (w *DataFrameWriter) save(ctx context.Context, dir, ext string, newWriter func(io.Writer, *arrow.Schema) (batchWriter, error)) (err error) {
	if w.df.err != nil {
		return w.df.err
	}
	if w.df.s.remote != nil {
		return w.remoteSave(ctx, dir, ext)
	}
	if err := checkDuplicateColumns(w.df.Schema()); err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	mode, err := source.ParseSaveMode(w.mode)
	if err != nil {
		return err
	}
	var maxRecords int64
	if v, ok := w.opts["maxrecordsperfile"]; ok {
		if maxRecords, err = strconv.ParseInt(strings.TrimSpace(v), 10, 64); err != nil {
			return fmt.Errorf("write %s: option maxRecordsPerFile: %q is not an integer", dir, v)
		}
	}
	txn, err := source.BeginWriteFS(ctx, w.df.s.fsWith(w.opts), dir, mode)
	if err != nil {
		return err
	}
	if txn.Skipped() {
		return nil
	}
	defer func() {
		if err != nil {
			if aerr := txn.Abort(); aerr != nil {
				err = errors.Join(err, aerr)
			}
		}
	}()
	err = w.df.run(ctx, func(ctx context.Context, op exec.Operator) error {
		var keys []int
		if len(w.partitionBy) > 0 {
			var err error
			if keys, err = partitionColumns(op.Schema(), w.partitionBy); err != nil {
				return err
			}
		}
		g, gctx := errgroup.WithContext(ctx)
		for p := 0; p < op.Partitions(); p++ {
			if keys != nil {
				g.Go(func() error { return writePartitioned(gctx, w.df.s.mem, op, p, txn, ext, keys, maxRecords, newWriter) })
				continue
			}
			g.Go(func() error { return writePart(gctx, op, p, txn, ext, maxRecords, newWriter) })
		}
		return g.Wait()
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", dir, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return txn.Commit()
}

func writePart(ctx context.Context, op exec.Operator, p int, txn *source.Txn, ext string, maxRecords int64, newWriter func(io.Writer, *arrow.Schema) (batchWriter, error)) (err error) {
	defer exec.Recover(&err, strings.TrimPrefix(ext, ".")+" writer")
	bw, err := newRollingWriter(txn, "", p, ext, op.Schema(), maxRecords, newWriter)
	if err != nil {
		return err
	}
	s, err := exec.Open(ctx, op, p)
	if err != nil {
		bw.Close()
		return err
	}
	if err := exec.Drain(ctx, s, bw.Write); err != nil {
		bw.abort()
		return err
	}
	return bw.Close()
}

// aborter is a batchWriter that can stop without finishing its file (see
// parquet.Writer.Abort).
type aborter interface {
	Abort()
}

// abort ends the writer and its file after a failed or cancelled write:
// writers that can stop without flushing do, the others are closed.
func (r *rollingWriter) abort() {
	if a, ok := r.bw.(aborter); ok {
		a.Abort()
		r.bw = nil
	}
	r.Close()
}

// rollingWriter writes one output partition's rows into part files under
// dir of the dataset, starting a new file every maxRecords rows when
// maxRecords > 0 (Spark's maxRecordsPerFile): part-NNNNN-<id>.ext, then
// part-NNNNN-<id>.c001.ext, .c002, ….
type rollingWriter struct {
	txn        *source.Txn
	dir        string
	part       int
	ext        string
	schema     *arrow.Schema
	maxRecords int64
	newWriter  func(io.Writer, *arrow.Schema) (batchWriter, error)
	files      int
	rows       int64 // in the current file
	f          io.WriteCloser
	bw         batchWriter
}

// newRollingWriter opens the first file at once, so an empty partition
// still writes a file with the schema.
func newRollingWriter(txn *source.Txn, dir string, part int, ext string, schema *arrow.Schema, maxRecords int64, newWriter func(io.Writer, *arrow.Schema) (batchWriter, error)) (*rollingWriter, error) {
	r := &rollingWriter{txn: txn, dir: dir, part: part, ext: ext, schema: schema, maxRecords: maxRecords, newWriter: newWriter}
	if err := r.next(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// next closes the current file and starts the next one.
func (r *rollingWriter) next() error {
	if err := r.closeCurrent(); err != nil {
		return err
	}
	ext := r.ext
	if r.files > 0 {
		ext = fmt.Sprintf(".c%03d%s", r.files, r.ext)
	}
	f, err := r.txn.CreateFile(path.Join(r.dir, r.txn.PartName(r.part, ext)))
	if err != nil {
		return err
	}
	r.f, r.files, r.rows = f, r.files+1, 0
	bw, err := r.newWriter(f, r.schema)
	if err != nil {
		return err // a failed writer (maybe a typed nil) is never closed
	}
	r.bw = bw
	return nil
}

// Write implements batchWriter, cutting b where a file fills up.
func (r *rollingWriter) Write(b arrow.RecordBatch) error {
	if r.maxRecords <= 0 {
		return r.bw.Write(b)
	}
	n := b.NumRows()
	for off := int64(0); off < n; {
		if r.rows >= r.maxRecords {
			if err := r.next(); err != nil {
				return err
			}
		}
		take := min(n-off, r.maxRecords-r.rows)
		part := b
		if take != n {
			part = b.NewSlice(off, off+take)
		}
		err := r.bw.Write(part)
		if take != n {
			part.Release()
		}
		if err != nil {
			return err
		}
		r.rows += take
		off += take
	}
	return nil
}

func (r *rollingWriter) closeCurrent() error {
	var err error
	if r.bw != nil {
		err = r.bw.Close()
		r.bw = nil
	}
	if r.f != nil {
		if cerr := r.f.Close(); err == nil && cerr != nil && !errors.Is(cerr, os.ErrClosed) {
			err = cerr
		}
		r.f = nil
	}
	return err
}

// Close implements batchWriter.
func (r *rollingWriter) Close() error { return r.closeCurrent() }

// checkDuplicateColumns refuses a schema with two columns of one name
// (compared ignoring case, as Spark does): a file with both could not be
// read back by name.
func checkDuplicateColumns(s *arrow.Schema) error {
	seen := map[string]bool{}
	var dups []string
	for _, f := range s.Fields() {
		k := strings.ToLower(f.Name)
		if seen[k] {
			dups = append(dups, "`"+f.Name+"`")
		}
		seen[k] = true
	}
	if len(dups) > 0 {
		return fmt.Errorf("found duplicate column(s) in the data to save: %s; rename them with aliases first", strings.Join(dups, ", "))
	}
	return nil
}

// withMLAttrs returns s with the ML attributes (field metadata key
// parquet.MLAttrKey) of logical's fields of the same names, which the
// physical plan's schema does not carry; the Parquet writer keeps them in
// the footer.
func withMLAttrs(s, logical *arrow.Schema) *arrow.Schema {
	var fields []arrow.Field
	for i, f := range s.Fields() {
		j := logical.FieldIndices(f.Name)
		if len(j) != 1 {
			continue
		}
		v, ok := logical.Field(j[0]).Metadata.GetValue(parquet.MLAttrKey)
		if !ok || f.Metadata.FindKey(parquet.MLAttrKey) >= 0 {
			continue
		}
		if fields == nil {
			fields = slices.Clone(s.Fields())
		}
		fields[i].Metadata = arrow.NewMetadata(append(slices.Clone(f.Metadata.Keys()), parquet.MLAttrKey), append(slices.Clone(f.Metadata.Values()), v))
	}
	if fields == nil {
		return s
	}
	md := s.Metadata()
	return arrow.NewSchema(fields, &md)
}
