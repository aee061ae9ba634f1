// Package arrowipc reads and writes Arrow IPC files (the Arrow file format,
// which Feather v2 is) and reads the Arrow IPC stream format.
//
// Reading: a file that starts and ends with the magic "ARROW1" is read as
// the file format; a file without the leading magic is read as a stream. A
// file with the leading magic but no footer (a truncated file) is an error
// naming the file. Compressed bodies (LZ4 frame and ZSTD) are decompressed by
// arrow-go. Dictionary-encoded columns are decoded to their value type;
// top-level unsigned integers, large and view strings and binaries are
// widened to the types Spark has (see widened).
// Columns of the gspark vector extension type (stored with the Arrow
// extension metadata "ARROW:extension:name" = "gspark.ml.vector") read back
// as vectors. Unread columns are still loaded from disk with each batch (the
// IPC format stores a batch's columns in one body) but never reach the
// engine.
package arrowipc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/values/vectors"
)

// magic opens and closes an Arrow IPC file.
var magic = []byte("ARROW1")

// batchSource is either kind of arrow-go reader.
type batchSource interface {
	Read() (arrow.RecordBatch, error)
	Schema() *arrow.Schema
}

// Reader reads the record batches of one Arrow IPC file.
type Reader struct {
	path   string
	f      fsys.File
	src    batchSource
	closer func()
	file   *arrow.Schema // as stored
	want   *arrow.Schema // what Next returns
	cols   []int         // file column of each want column, -1 if not read
	mem    memory.Allocator
}

// Options configure a Reader.
type Options struct {
	// Schema is the schema Next returns; columns are found in the file by
	// name, ignoring case. Nil means the file's own schema (see Schema).
	Schema *arrow.Schema
	// Read marks the columns of Schema to read; the others are returned
	// as all-null columns. Nil reads every column.
	Read []bool
	// Mem allocates the batches; default memory.DefaultAllocator.
	Mem memory.Allocator
	// Open opens the file at path (an object store's through its fsys.FS);
	// nil opens a local file.
	Open func(path string) (fsys.File, error)
}

// ReadSchema is the schema gspark reads from the Arrow IPC file at path.
func ReadSchema(path string) (*arrow.Schema, error) {
	r, err := Open(path, Options{})
	if err != nil {
		return nil, err
	}
	s := r.Schema()
	return s, r.Close()
}

// Open opens the Arrow IPC file at path.
func Open(path string, opts Options) (r *Reader, err error) {
	defer recoverErr(&err, path)
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	open := opts.Open
	if open == nil {
		open = func(path string) (fsys.File, error) { return fsys.Local{}.Open(context.Background(), path) }
	}
	f, err := open(path)
	if err != nil {
		return nil, fmt.Errorf("arrow: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	st := f
	head := make([]byte, len(magic))
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("arrow: %s: %w", path, err)
	}
	r = &Reader{path: path, f: f, mem: opts.Mem}
	if n == len(magic) && bytes.Equal(head, magic) {
		tail := make([]byte, len(magic))
		if st.Size() < int64(2*len(magic)) {
			return nil, fmt.Errorf("arrow: %s: truncated Arrow IPC file (%d bytes, no footer)", path, st.Size())
		}
		if _, err := f.ReadAt(tail, st.Size()-int64(len(magic))); err != nil {
			return nil, fmt.Errorf("arrow: %s: %w", path, err)
		}
		if !bytes.Equal(tail, magic) {
			return nil, fmt.Errorf("arrow: %s: truncated Arrow IPC file: the footer magic ARROW1 is missing at the end", path)
		}
		fr, err := ipc.NewFileReader(f, ipc.WithAllocator(opts.Mem))
		if err != nil {
			return nil, fmt.Errorf("arrow: %s: not a readable Arrow IPC file: %w", path, err)
		}
		r.src, r.closer = fr, func() { fr.Close() }
	} else {
		sr, err := ipc.NewReader(f, ipc.WithAllocator(opts.Mem))
		if err != nil {
			return nil, fmt.Errorf("arrow: %s: not an Arrow IPC file or stream: %w", path, err)
		}
		r.src, r.closer = sr, sr.Release
	}
	r.file = r.src.Schema()
	if opts.Schema == nil {
		r.want, err = normalize(r.file)
		if err != nil {
			return nil, fmt.Errorf("arrow: %s: %w", path, err)
		}
		r.cols = make([]int, r.file.NumFields())
		for i := range r.cols {
			r.cols[i] = i
		}
		return r, nil
	}
	r.want = opts.Schema
	r.cols = make([]int, opts.Schema.NumFields())
	for i, f := range opts.Schema.Fields() {
		r.cols[i] = -1
		if opts.Read != nil && !opts.Read[i] {
			continue
		}
		for j, ff := range r.file.Fields() {
			if strings.EqualFold(ff.Name, f.Name) {
				r.cols[i] = j
				break
			}
		}
		if r.cols[i] < 0 {
			return nil, fmt.Errorf("arrow: %s: column %s is not in the file (it has %s)", path, f.Name, names(r.file))
		}
	}
	return r, nil
}

func names(s *arrow.Schema) string {
	var ns []string
	for _, f := range s.Fields() {
		ns = append(ns, f.Name)
	}
	return strings.Join(ns, ", ")
}

// recoverErr turns a panic in arrow-go on a malformed file into an error
// naming the file.
func recoverErr(err *error, path string) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("arrow: %s: malformed Arrow IPC data: %v", path, p)
	}
}

// Schema is the schema of the batches Next returns.
func (r *Reader) Schema() *arrow.Schema { return r.want }

// normalize is the schema gspark reads s as: dictionaries become their
// value type and vector extension storage becomes vectors.
func normalize(s *arrow.Schema) (*arrow.Schema, error) {
	fs := make([]arrow.Field, s.NumFields())
	for i, f := range s.Fields() {
		t, err := normalType(f)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", f.Name, err)
		}
		fs[i] = arrow.Field{Name: f.Name, Type: t, Nullable: f.Nullable}
	}
	return arrow.NewSchema(fs, nil), nil
}

func normalType(f arrow.Field) (arrow.DataType, error) {
	if name, ok := f.Metadata.GetValue(ipc.ExtensionTypeKeyName); ok && name == vectors.VectorTypeName {
		if !arrow.TypeEqual(f.Type, vectors.VectorStorageType()) {
			return nil, fmt.Errorf("vector column stored as %s, want %s", f.Type, vectors.VectorStorageType())
		}
		return vectors.VectorType(), nil
	}
	if d, ok := f.Type.(*arrow.DictionaryType); ok {
		return d.ValueType, nil
	}
	if t := widened(f.Type); t != nil {
		return t, nil
	}
	if hasDictionary(f.Type) {
		return nil, fmt.Errorf("dictionary-encoded values nested in %s are not supported", f.Type)
	}
	return f.Type, nil
}

// widened is the type gspark reads a column of Arrow type t as when t has
// no Spark counterpart, as Spark widens Parquet's: unsigned integers to the
// next wider signed type (uint64 to decimal(20,0)), large and view strings
// and binaries to string and binary. Nil means t is read as stored.
func widened(t arrow.DataType) arrow.DataType {
	switch t.ID() {
	case arrow.UINT8:
		return arrow.PrimitiveTypes.Int16
	case arrow.UINT16:
		return arrow.PrimitiveTypes.Int32
	case arrow.UINT32:
		return arrow.PrimitiveTypes.Int64
	case arrow.UINT64:
		return &arrow.Decimal128Type{Precision: 20, Scale: 0}
	case arrow.LARGE_STRING, arrow.STRING_VIEW:
		return arrow.BinaryTypes.String
	case arrow.LARGE_BINARY, arrow.BINARY_VIEW:
		return arrow.BinaryTypes.Binary
	}
	return nil
}

// widen converts c to type want (see widened).
func widen(mem memory.Allocator, c arrow.Array, want arrow.DataType) (arrow.Array, error) {
	b := array.NewBuilder(mem, want)
	defer b.Release()
	b.Reserve(c.Len())
	for i := 0; i < c.Len(); i++ {
		if c.IsNull(i) {
			b.AppendNull()
			continue
		}
		switch v := c.(type) {
		case *array.Uint8:
			b.(*array.Int16Builder).Append(int16(v.Value(i)))
		case *array.Uint16:
			b.(*array.Int32Builder).Append(int32(v.Value(i)))
		case *array.Uint32:
			b.(*array.Int64Builder).Append(int64(v.Value(i)))
		case *array.Uint64:
			b.(*array.Decimal128Builder).Append(decimal128.FromU64(v.Value(i)))
		case *array.LargeString:
			b.(*array.StringBuilder).Append(v.Value(i))
		case *array.StringView:
			b.(*array.StringBuilder).Append(v.Value(i))
		case *array.LargeBinary:
			b.(*array.BinaryBuilder).Append(v.Value(i))
		case *array.BinaryView:
			b.(*array.BinaryBuilder).Append(v.Value(i))
		default:
			return nil, fmt.Errorf("cannot read %s as %s", c.DataType(), want)
		}
	}
	return b.NewArray(), nil
}

func hasDictionary(t arrow.DataType) bool {
	switch t := t.(type) {
	case *arrow.DictionaryType:
		return true
	case arrow.NestedType:
		for _, c := range t.Fields() {
			if hasDictionary(c.Type) {
				return true
			}
		}
	}
	return false
}

// Next returns the next batch, or io.EOF after the last.
func (r *Reader) Next() (b arrow.RecordBatch, err error) {
	defer recoverErr(&err, r.path)
	rec, err := r.src.Read()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("arrow: %s: %w", r.path, err)
	}
	if _, stream := r.src.(*ipc.Reader); stream {
		rec.Retain() // the stream reader releases it on the next Read
	}
	defer rec.Release()
	return r.convert(rec)
}

// convert picks and converts the wanted columns of rec.
func (r *Reader) convert(rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	n := int(rec.NumRows())
	cols := make([]arrow.Array, len(r.cols))
	release := func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}
	for i, j := range r.cols {
		want := r.want.Field(i)
		if j < 0 {
			cols[i] = array.MakeArrayOfNull(r.mem, want.Type, n)
			continue
		}
		c, err := r.column(rec.Column(j), want.Type)
		if err != nil {
			release()
			return nil, fmt.Errorf("arrow: %s: column %s: %w", r.path, want.Name, err)
		}
		cols[i] = c
	}
	b := array.NewRecordBatch(r.want, cols, int64(n))
	release()
	return b, nil
}

// column converts c to type want (a new reference).
func (r *Reader) column(c arrow.Array, want arrow.DataType) (arrow.Array, error) {
	if d, ok := c.(*array.Dictionary); ok {
		dec, err := decodeDictionary(r.mem, d)
		if err != nil {
			return nil, err
		}
		defer dec.Release()
		c = dec
		if arrow.TypeEqual(c.DataType(), want) {
			c.Retain()
			return c, nil
		}
	}
	if arrow.TypeEqual(c.DataType(), want) {
		c.Retain()
		return c, nil
	}
	if w := widened(c.DataType()); w != nil && arrow.TypeEqual(w, want) {
		return widen(r.mem, c, want)
	}
	if ext, ok := want.(arrow.ExtensionType); ok && arrow.TypeEqual(ext.StorageType(), c.DataType()) {
		return array.NewExtensionArrayWithStorage(ext, c), nil
	}
	return nil, fmt.Errorf("stored as %s, want %s (files of one table must agree)", c.DataType(), want)
}

// decodeDictionary is the values of d looked up through its indices.
func decodeDictionary(mem memory.Allocator, d *array.Dictionary) (arrow.Array, error) {
	dict := d.Dictionary()
	b := array.NewBuilder(mem, dict.DataType())
	defer b.Release()
	b.Reserve(d.Len())
	for i := 0; i < d.Len(); i++ {
		if d.IsNull(i) {
			b.AppendNull()
			continue
		}
		k := d.GetValueIndex(i)
		if k < 0 || k >= dict.Len() {
			return nil, fmt.Errorf("dictionary index %d out of range [0, %d) at row %d", k, dict.Len(), i)
		}
		if dict.IsNull(k) {
			b.AppendNull()
			continue
		}
		switch v := dict.(type) {
		case *array.String:
			b.(*array.StringBuilder).Append(v.Value(k))
		case *array.LargeString:
			b.(*array.LargeStringBuilder).Append(v.Value(k))
		case *array.Binary:
			b.(*array.BinaryBuilder).Append(v.Value(k))
		case *array.Int64:
			b.(*array.Int64Builder).Append(v.Value(k))
		case *array.Int32:
			b.(*array.Int32Builder).Append(v.Value(k))
		case *array.Float64:
			b.(*array.Float64Builder).Append(v.Value(k))
		default:
			if err := b.AppendValueFromString(dict.ValueStr(k)); err != nil {
				return nil, fmt.Errorf("decoding a dictionary of %s: %w", dict.DataType(), err)
			}
		}
	}
	return b.NewArray(), nil
}

// Close releases the reader and closes the file.
func (r *Reader) Close() error {
	if r.closer != nil {
		r.closer()
		r.closer = nil
	}
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// WriterOptions configure a Writer.
type WriterOptions struct {
	// Compression of the record batch bodies: "" or "none"
	// (uncompressed), "lz4" (LZ4 frame) or "zstd".
	Compression string
	// Mem allocates the writer's buffers; default memory.DefaultAllocator.
	Mem memory.Allocator
}

// Writer writes record batches as one Arrow IPC file.
type Writer struct {
	w *ipc.FileWriter
}

// NewWriter starts an Arrow IPC file of schema s on w.
func NewWriter(w io.Writer, s *arrow.Schema, opts WriterOptions) (*Writer, error) {
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	o := []ipc.Option{ipc.WithSchema(s), ipc.WithAllocator(opts.Mem)}
	switch strings.ToLower(opts.Compression) {
	case "", "none", "uncompressed":
	case "lz4", "lz4_frame":
		o = append(o, ipc.WithLZ4())
	case "zstd":
		o = append(o, ipc.WithZstd())
	default:
		return nil, fmt.Errorf("arrow: compression %q is not one of none, lz4, zstd", opts.Compression)
	}
	fw, err := ipc.NewFileWriter(w, o...)
	if err != nil {
		return nil, fmt.Errorf("arrow: %w", err)
	}
	return &Writer{w: fw}, nil
}

// Write appends a batch.
func (w *Writer) Write(b arrow.RecordBatch) error {
	if err := w.w.Write(b); err != nil {
		return fmt.Errorf("arrow: %w", err)
	}
	return nil
}

// Close writes the footer; it does not close the underlying writer.
func (w *Writer) Close() error {
	if err := w.w.Close(); err != nil {
		return fmt.Errorf("arrow: %w", err)
	}
	return nil
}
