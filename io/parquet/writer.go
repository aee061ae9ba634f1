package parquet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/values/vectors"
)

// DefaultRowGroupRows is the row group size used when
// WriterOptions.RowGroupRows is not positive.
const DefaultRowGroupRows = 1 << 20

// WriterOptions configures a Writer.
type WriterOptions struct {
	// Compression is "", "snappy" (the default), "zstd", "gzip" or "none".
	Compression string
	// RowGroupRows is the maximum number of rows per row group
	// (DefaultRowGroupRows if <= 0).
	RowGroupRows int64
	// RowGroupBytes, when positive, also bounds a row group by size, as
	// parquet-mr's parquet.block.size: a new row group starts once the rows
	// written to the current one reach this many bytes, measured as their
	// Arrow in-memory size (uncompressed, so files' row groups come out
	// smaller on disk).
	RowGroupBytes int64
}

// Writer writes record batches of one schema as a Parquet file. Decimal64
// columns are stored as DECIMAL(p,s) on INT32/INT64, date32 as DATE, lists
// as 3-level LISTs, maps as MAPs of key_value groups, structs as groups,
// strings (plain or dictionary arrays) as STRING and ML vectors as Spark's
// VectorUDT struct, marked in the file's metadata (VectorColumnsKey). Not safe for concurrent use.
type Writer struct {
	schema  *arrow.Schema // user schema
	wschema *arrow.Schema // schema handed to pqarrow (decimal64 as decimal128)
	fw      *pqarrow.FileWriter
	conv    bool
	mem     memory.Allocator
	closed  bool
	// Row group limits and the current row group's rows and bytes.
	maxRows, maxBytes int64
	groupRows         int64
	groupBytes        float64
}

// NewWriter starts a Parquet file with the given schema on w.
func NewWriter(w io.Writer, schema *arrow.Schema, opts WriterOptions) (*Writer, error) {
	var codec compress.Compression
	switch strings.ToLower(opts.Compression) {
	case "", "snappy":
		codec = compress.Codecs.Snappy
	case "zstd":
		codec = compress.Codecs.Zstd
	case "gzip":
		codec = compress.Codecs.Gzip
	case "none", "uncompressed":
		codec = compress.Codecs.Uncompressed
	default:
		return nil, fmt.Errorf("parquet writer: unknown compression %q", opts.Compression)
	}
	rows := opts.RowGroupRows
	if rows <= 0 {
		rows = DefaultRowGroupRows
	}
	fields := make([]arrow.Field, schema.NumFields())
	conv := false
	for i, fld := range withoutMLAttrs(schema).Fields() {
		if t, ok := widenType(fld.Type); ok {
			fld.Type = t
			conv = true
		}
		fields[i] = fld
	}
	var meta *arrow.Metadata
	if marked := vectorWriteSchema(fields); len(marked) > 0 {
		names, err := json.Marshal(marked)
		if err != nil {
			return nil, fmt.Errorf("parquet writer: %w", err)
		}
		m := arrow.NewMetadata([]string{VectorColumnsKey}, []string{string(names)})
		meta, conv = &m, true
	}
	wschema := arrow.NewSchema(fields, meta)
	mem := memory.DefaultAllocator
	props := parquet.NewWriterProperties(
		parquet.WithCompression(codec),
		parquet.WithMaxRowGroupLength(rows),
		parquet.WithStoreDecimalAsInteger(true),
		parquet.WithAllocator(mem),
	)
	fw, err := pqarrow.NewFileWriter(wschema, writeOnly{w}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem)))
	if err != nil {
		return nil, fmt.Errorf("parquet writer: %w", err)
	}
	wr := &Writer{schema: schema, wschema: wschema, fw: fw, conv: conv, mem: mem, maxRows: rows, maxBytes: opts.RowGroupBytes}
	if err := wr.addSparkSchema(); err != nil {
		fw.Close()
		return nil, err
	}
	return wr, nil
}

// Write appends the rows of b, which must have the writer's schema.
func (w *Writer) Write(b arrow.RecordBatch) error {
	if w.closed {
		return errors.New("parquet writer: write after close")
	}
	if !withoutMLAttrs(b.Schema()).Equal(withoutMLAttrs(w.schema)) {
		return fmt.Errorf("parquet writer: batch schema %s does not match %s", b.Schema(), w.schema)
	}
	if b.NumRows() == 0 {
		return nil
	}
	rec := b
	if w.conv {
		cols := make([]arrow.Array, b.NumCols())
		for i, c := range b.Columns() {
			if _, ok := widenType(c.DataType()); ok && !vectors.IsVector(c.DataType()) {
				cols[i] = widenArray(w.mem, c, w.wschema.Field(i).Type)
			} else if e, ok := c.(array.ExtensionArray); ok && vectors.IsVector(c.DataType()) {
				cols[i] = e.Storage()
				cols[i].Retain()
			} else {
				c.Retain()
				cols[i] = c
			}
		}
		rec = array.NewRecordBatch(w.wschema, cols, b.NumRows())
		for _, c := range cols {
			c.Release()
		}
		defer rec.Release()
	} else if !rec.Schema().Equal(w.wschema) {
		// The batch differs in ML attributes only, which go to the footer.
		rec = array.NewRecordBatch(w.wschema, b.Columns(), b.NumRows())
		defer rec.Release()
	}
	return w.writeGroups(rec)
}

// writeGroups writes rec into the current row group, starting new ones
// where the row or byte limit falls.
func (w *Writer) writeGroups(rec arrow.RecordBatch) error {
	n := rec.NumRows()
	var size int64
	for _, c := range rec.Columns() {
		size += arraySize(c)
	}
	perRow := float64(size) / float64(n)
	for off := int64(0); off < n; {
		if w.groupRows > 0 && (w.groupRows >= w.maxRows || w.maxBytes > 0 && w.groupBytes >= float64(w.maxBytes)) {
			if err := w.fw.NewBufferedRowGroupChecked(); err != nil {
				return fmt.Errorf("parquet writer: %w", err)
			}
			w.groupRows, w.groupBytes = 0, 0
		}
		take := min(n-off, w.maxRows-w.groupRows)
		if w.maxBytes > 0 && perRow > 0 {
			take = min(take, max(int64(math.Ceil((float64(w.maxBytes)-w.groupBytes)/perRow)), 1))
		}
		part := rec
		if take != n {
			part = rec.NewSlice(off, off+take)
		}
		err := w.fw.WriteBuffered(part)
		if take != n {
			part.Release()
		}
		if err != nil {
			return fmt.Errorf("parquet writer: %w", err)
		}
		w.groupRows += take
		w.groupBytes += perRow * float64(take)
		off += take
	}
	return nil
}

// widenType returns t with every decimal64 in it (at any depth of lists,
// maps and structs) made decimal128 of the same precision and scale, which
// pqarrow writes; ok is false when t has none.
func widenType(t arrow.DataType) (arrow.DataType, bool) {
	switch x := t.(type) {
	case *arrow.Decimal64Type:
		return &arrow.Decimal128Type{Precision: x.Precision, Scale: x.Scale}, true
	case *arrow.MapType:
		k, kok := widenType(x.KeyType())
		v, vok := widenType(x.ItemType())
		if !kok && !vok {
			return t, false
		}
		m := arrow.MapOf(k, v)
		m.KeysSorted = x.KeysSorted
		return m, true
	case *arrow.ListType:
		e, ok := widenType(x.Elem())
		if !ok {
			return t, false
		}
		f := x.ElemField()
		f.Type = e
		return arrow.ListOfField(f), true
	case *arrow.StructType:
		fields := x.Fields()
		changed := false
		for i := range fields {
			if ft, ok := widenType(fields[i].Type); ok {
				fields[i].Type = ft
				changed = true
			}
		}
		if !changed {
			return t, false
		}
		return arrow.StructOf(fields...), true
	}
	return t, false
}

// widenArray converts the decimal64 values of arr (of any nesting) to
// decimal128, giving the result type typ (widenType of arr's type).
func widenArray(mem memory.Allocator, arr arrow.Array, typ arrow.DataType) arrow.Array {
	if d, ok := arr.(*array.Decimal64); ok {
		return widenDecimal64(mem, d, typ)
	}
	if _, ok := widenType(arr.DataType()); !ok {
		arr.Retain()
		return arr
	}
	data := arr.Data()
	var childTypes []arrow.DataType
	switch t := typ.(type) {
	case *arrow.MapType:
		childTypes = []arrow.DataType{t.Elem()}
	case *arrow.ListType:
		childTypes = []arrow.DataType{t.Elem()}
	case *arrow.StructType:
		for _, f := range t.Fields() {
			childTypes = append(childTypes, f.Type)
		}
	}
	children := make([]arrow.ArrayData, len(data.Children()))
	for i, cd := range data.Children() {
		ca := array.MakeFromData(cd)
		w := widenArray(mem, ca, childTypes[i])
		ca.Release()
		children[i] = w.Data()
		children[i].Retain()
		w.Release()
	}
	nd := array.NewData(typ, data.Len(), data.Buffers(), children, data.NullN(), data.Offset())
	for _, c := range children {
		c.Release()
	}
	defer nd.Release()
	return array.MakeFromData(nd)
}

// widenDecimal64 converts a decimal64 array to decimal128 of the same
// precision and scale, keeping its offset and validity bitmap.
func widenDecimal64(mem memory.Allocator, d *array.Decimal64, typ arrow.DataType) arrow.Array {
	n, off := d.Len(), d.Data().Offset()
	buf := memory.NewResizableBuffer(mem)
	buf.Resize((off + n) * 16)
	dst := as[decimal128.Num](buf.Bytes())[off:]
	for i := 0; i < n; i++ {
		dst[i] = decimal128.FromI64(int64(d.Value(i)))
	}
	bufs := []*memory.Buffer{nil, buf}
	if d.NullN() > 0 {
		bufs[0] = d.Data().Buffers()[0]
	}
	data := array.NewData(typ, n, bufs, nil, d.NullN(), off)
	buf.Release()
	defer data.Release()
	return array.MakeFromData(data)
}

// writeOnly hides any Close method of the destination so that closing the
// Parquet writer never closes it.
type writeOnly struct{ w io.Writer }

func (o writeOnly) Write(p []byte) (int, error) { return o.w.Write(p) }

// Close writes the footer. It does not close the underlying io.Writer.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.fw.Close(); err != nil {
		return fmt.Errorf("parquet writer: %w", err)
	}
	return nil
}

// Abort ends the writer without writing what it still buffers or the
// footer, for a write that failed or was cancelled: the file is left
// incomplete, for the caller to remove. Closing instead would first encode
// and compress the buffered row group.
func (w *Writer) Abort() {
	w.closed = true
}

// arraySize is the in-memory size of a's values: exact for fixed-width,
// string and binary arrays (slices counted by their own rows; the validity
// bitmap only when there are nulls), the size of the buffers otherwise.
func arraySize(a arrow.Array) int64 {
	n := int64(a.Len())
	var valid int64
	if a.NullN() > 0 {
		valid = (n + 7) / 8
	}
	switch c := a.(type) {
	case *array.String:
		offs := c.ValueOffsets()
		return valid + 4*(n+1) + int64(offs[len(offs)-1]-offs[0])
	case *array.Binary:
		offs := c.ValueOffsets()
		return valid + 4*(n+1) + int64(offs[len(offs)-1]-offs[0])
	}
	if fw, ok := a.DataType().(arrow.FixedWidthDataType); ok && fw.BitWidth() >= 8 {
		return valid + n*int64(fw.BitWidth()/8)
	}
	return int64(a.Data().SizeInBytes())
}
