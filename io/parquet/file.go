// Package parquet reads Parquet files straight into Arrow arrays and writes
// Arrow record batches as Parquet. Reading takes the footer from parquet-go,
// reads and decompresses the pages of each column chunk itself, decodes
// values with parquet-go's encodings (DELTA_BINARY_PACKED with its own
// decoder) and copies fixed-width values into Arrow buffers in bulk; row
// groups are the unit of parallelism and may be read concurrently from one
// File.
//
// Types are read as Spark 3.2+ reads them where Spark can, else as noted:
//   - INT96 (Spark and Impala timestamps): timestamp(us, UTC); the nanoseconds
//     below a microsecond are truncated, as Spark does (see int96Micros).
//   - Unsigned INT(8/16/32): smallint, int, bigint; INT(64, unsigned):
//     decimal(20,0) (both the logical and the legacy UINT_* converted types).
//   - FIXED_LEN_BYTE_ARRAY: DECIMAL as decimal; UUID as a string in the
//     canonical 8-4-4-4-12 lower-case form; FLOAT16 as float (float32);
//     anything else (INTERVAL included) as binary.
//   - DECIMAL on BYTE_ARRAY (big-endian two's complement of any length whose
//     value fits 128 bits): decimal.
//   - TIME(MILLIS/MICROS/NANOS): a string 'HH:MM:SS.fff', '.ffffff' or
//     '.fffffffff' (3, 6 or 9 digits, the unit's precision). Spark before
//     4.1 does not read TIME columns and the engine has no TIME type; the
//     text is the form DuckDB prints TIME in and Spark 4.1 casts its TIME to
//     (here the fraction always has the unit's digits), keeps every digit,
//     and sorts and compares in time order within a column.
//   - TIMESTAMP(MILLIS/MICROS/NANOS), adjusted to UTC or not: timestamp(us,
//     UTC), the engine's one timestamp type (microseconds, as Spark's). A
//     NANOS value that is not a whole number of microseconds is an error
//     naming the value, never silently truncated.
//
// Nested lists, maps and structs are read as Arrow lists, maps and structs
// (see nested.go for the layouts understood). A column of a type gspark
// cannot read is typed null in Schema and fails with ErrUnsupported only
// when it is read, so the file's other columns stay queryable. Files written
// with Parquet modular encryption fail at Open with ErrEncrypted.
package parquet

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/values/vectors"
)

// ErrNotParquet is returned (wrapped) by Open when the input lacks the
// Parquet magic bytes.
var ErrNotParquet = errors.New("not a parquet file")

// ErrEncrypted is returned (wrapped) by Open for a file written with
// Parquet modular encryption (encrypted footer or encrypted columns).
var ErrEncrypted = errors.New("encrypted Parquet is not supported")

// ErrUnsupported is returned (wrapped) when a column whose type gspark
// cannot read is selected; the error names the file and the column.
var ErrUnsupported = errors.New("unsupported Parquet column")

// colKind says how a column's physical values become Arrow values.
type colKind uint8

const (
	kCopy4       colKind = iota // 4-byte values copied as is (int32, date32, float32)
	kCopy8                      // 8-byte values copied as is (int64, float64, decimal64, timestamp us)
	kBool                       // bit-packed booleans
	kInt8                       // int32 narrowed to int8
	kInt16                      // int32 narrowed to int16
	kInt32To64                  // int32 widened to int64 (decimal64 on INT32)
	kInt32To128                 // int32 widened to decimal128
	kInt64To128                 // int64 widened to decimal128
	kTsMillis                   // int64 milliseconds to microseconds
	kTsNanos                    // int64 nanoseconds to microseconds (floor)
	kFLBA64                     // big-endian fixed bytes to int64 (decimal64)
	kFLBA128                    // big-endian fixed bytes to decimal128
	kBinary                     // byte arrays (or fixed values rendered by column.render) to string/binary
	kInt96                      // INT96 (nanos of day, Julian day) to timestamp microseconds
	kUint8                      // int32 holding uint8 to int16
	kUint16                     // int32 holding uint16 to int32
	kUint32                     // int32 holding uint32 to int64
	kUint64                     // int64 holding uint64 to decimal128(20,0)
	kFloat16                    // IEEE half-precision FIXED_LEN_BYTE_ARRAY(2) to float32
	kBADec64                    // big-endian BYTE_ARRAY decimal to int64 (decimal64)
	kBADec128                   // big-endian BYTE_ARRAY decimal to decimal128
	kUnsupported                // a column gspark cannot read (column.unsupported says why)
)

// outWidth is the byte width of one Arrow value for fixed-width kinds.
func (k colKind) outWidth() int {
	switch k {
	case kCopy4, kUint16, kFloat16:
		return 4
	case kCopy8, kInt32To64, kTsMillis, kTsNanos, kFLBA64, kInt96, kUint32, kBADec64:
		return 8
	case kInt8, kBool:
		return 1
	case kInt16, kUint8:
		return 2
	case kInt32To128, kInt64To128, kFLBA128, kUint64, kBADec128:
		return 16
	}
	return 0
}

// column describes one top-level (flat) column of the file.
type column struct {
	name     string
	phys     format.Type
	kind     colKind
	typeLen  int  // FIXED_LEN_BYTE_ARRAY width
	optional bool // max definition level 1
	typ      arrow.DataType
	leaf     int           // index of the column's (first) leaf column chunk
	vec      *vectorLayout // a vector struct column; nil for a flat one
	nest     *nestLayout   // a nested (list, map, struct) column; nil for a flat one
	// maxDef and maxRep are the levels of a leaf inside a nested column
	// (both 0 for a flat column, whose definition level is 1 when optional).
	maxDef, maxRep int
	// render, for a kBinary column over fixed-width physical values
	// (FIXED_LEN_BYTE_ARRAY, TIME), appends the Arrow bytes of one value.
	render func(dst, v []byte) ([]byte, error)
	// unsupported says why the column cannot be read; the rest of the file
	// can (the column is typed null in the schema and fails when selected).
	unsupported error
}

// levels returns the maximum definition and repetition levels of the
// column's leaf.
func (c *column) levels() (maxDef, maxRep int) {
	if c.maxDef > 0 || c.maxRep > 0 {
		return c.maxDef, c.maxRep
	}
	if c.optional {
		return 1, 0
	}
	return 0, 0
}

// File is an open Parquet file (footer read). Its methods are safe for
// concurrent use; each ReadRowGroup returns an independent reader.
type File struct {
	name    string
	r       io.ReaderAt
	pf      *pq.File
	closer  io.Closer
	schema  *arrow.Schema
	cols    []column
	decoded atomic.Int64
}

// OpenFile opens the Parquet file at path; File.Close closes the underlying
// os.File.
func OpenFile(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	f, err := Open(fh, st.Size(), path)
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// OpenFileFS opens the Parquet file at path on the file system fs (a local
// path by OpenFile); an object store's file is read by byte ranges, the
// footer and then only the column chunks a scan asks for.
func OpenFileFS(ctx context.Context, fs fsys.FS, path string) (*File, error) {
	if !fsys.IsRemote(path) {
		return OpenFile(path)
	}
	fh, err := fs.Open(ctx, path)
	if err != nil {
		return nil, err // names the URL
	}
	f, err := Open(fh, fh.Size(), path)
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// Open reads the footer of the Parquet file held in r (size bytes long);
// name is used in error messages.
func Open(r io.ReaderAt, size int64, name string) (f *File, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("open %s: corrupt file: %v", name, p)
		}
	}()
	if size < 12 {
		return nil, fmt.Errorf("open %s: %w (%d bytes)", name, ErrNotParquet, size)
	}
	var head [4]byte
	var tail [8]byte // footer length (little-endian) and the magic
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	if _, err := r.ReadAt(tail[:], size-8); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	if (string(head[:]) == "PAR1" || string(head[:]) == "PARE") && string(tail[4:]) == "PARE" {
		return nil, fmt.Errorf("open %s: %w (encrypted footer)", name, ErrEncrypted)
	}
	if string(head[:]) != "PAR1" || string(tail[4:]) != "PAR1" {
		return nil, fmt.Errorf("open %s: %w", name, ErrNotParquet)
	}
	// The footer length is checked before anything is allocated for it: a
	// damaged length must not cost gigabytes.
	footerLen := int64(binary.LittleEndian.Uint32(tail[:4]))
	if footerLen > size-12 {
		return nil, fmt.Errorf("open %s: corrupt file: footer length %d exceeds the file's %d bytes", name, footerLen, size)
	}
	pqOpts := []pq.FileOption{pq.SkipPageIndex(true), pq.SkipBloomFilters(true), pq.ReadBufferSize(1 << 20)}
	pf, err := pq.OpenFile(r, size, pqOpts...)
	if err != nil && strings.Contains(err.Error(), "missing required field") {
		// A KeyValue without its (optional) value: retry with it set to "".
		if pr, psize, perr := relaxedReader(r, size, footerLen); perr == nil && pr != nil {
			pf, err = pq.OpenFile(pr, psize, pqOpts...)
		}
	}
	if err != nil && strings.Contains(err.Error(), "DecryptionConfig") {
		// parquet-go's error for a plaintext footer signed with a key.
		return nil, fmt.Errorf("open %s: %w (signed plaintext footer)", name, ErrEncrypted)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	cols, leaves, err := mapSchema(pf.Metadata())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	md := pf.Metadata()
	if md.EncryptionAlgorithm.Value != nil {
		return nil, fmt.Errorf("open %s: %w (plaintext footer, encrypted columns)", name, ErrEncrypted)
	}
	for i, rg := range md.RowGroups {
		for _, cc := range rg.Columns {
			if cc.CryptoMetadata.Value != nil || len(cc.EncryptedColumnMetadata) > 0 {
				return nil, fmt.Errorf("open %s: %w (encrypted column %s)", name, ErrEncrypted, strings.Join(cc.MetaData.PathInSchema, "."))
			}
		}
		if len(rg.Columns) != leaves {
			return nil, fmt.Errorf("open %s: row group %d has %d column chunks, schema has %d leaf columns", name, i, len(rg.Columns), leaves)
		}
		if rg.NumRows < 0 {
			return nil, fmt.Errorf("open %s: row group %d: negative row count", name, i)
		}
	}
	if len(pf.RowGroups()) != len(md.RowGroups) {
		return nil, fmt.Errorf("open %s: inconsistent row group metadata", name)
	}
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: c.optional}
	}
	fields = withSparkFieldMetadata(fields, md.KeyValueMetadata)
	return &File{name: name, r: r, pf: pf, schema: arrow.NewSchema(fields, nil), cols: cols}, nil
}

// mapSchema maps the Parquet schema to Arrow column descriptions: flat
// columns, and structs laid out as Spark's VectorUDT (vectors when the
// file's metadata marks them so, else plain structs); it also returns the
// number of leaf columns.
func mapSchema(md *format.FileMetaData) ([]column, int, error) {
	els := md.Schema
	if len(els) == 0 {
		return nil, 0, errors.New("empty schema")
	}
	marked := vectorColumnNames(md.KeyValueMetadata)
	var cols []column
	leaf := 0
	for i := 1; i < len(els); i++ {
		el := &els[i]
		rep, _ := el.RepetitionType.Get()
		if n, ok := el.NumChildren.Get(); ok && n > 0 {
			c, next, ok := mapVector(els, i, leaf)
			if !ok {
				next, leaves, err := skipGroup(els, i)
				if err != nil {
					return nil, 0, fmt.Errorf("column %s: %w", el.Name, err)
				}
				c, err := mapNested(els, i, leaf)
				if err != nil {
					c = unsupportedColumn(el, leaf, err)
				}
				cols = append(cols, c)
				leaf += leaves
				i = next - 1
				continue
			}
			if marked[c.name] {
				c.typ = vectors.VectorType()
			}
			cols = append(cols, c)
			leaf += 4
			i = next - 1
			continue
		}
		if rep == format.Repeated {
			c, err := mapNested(els, i, leaf)
			if err != nil {
				c = unsupportedColumn(el, leaf, err)
			}
			cols = append(cols, c)
			leaf++
			continue
		}
		c, err := mapColumn(el)
		if err != nil {
			c = unsupportedColumn(el, leaf, err)
		}
		c.optional = rep == format.Optional
		c.leaf = leaf
		leaf++
		cols = append(cols, c)
	}
	return cols, leaf, nil
}

// unsupportedColumn is a column that fails with err when it is read; it
// is typed null so that the file's other columns stay readable.
func unsupportedColumn(el *format.SchemaElement, leaf int, err error) column {
	rep, _ := el.RepetitionType.Get()
	return column{name: el.Name, typ: arrow.Null, kind: kUnsupported, optional: rep != format.Required, leaf: leaf,
		unsupported: fmt.Errorf("%w: %w", ErrUnsupported, err)}
}

// skipGroup returns the index of the schema element after the group at i
// and the number of leaf columns under it.
func skipGroup(els []format.SchemaElement, i int) (next, leaves int, err error) {
	pending := 1 // elements still to visit
	j := i
	for pending > 0 {
		if j >= len(els) {
			return 0, 0, errors.New("schema ends inside a group")
		}
		pending--
		if n, ok := els[j].NumChildren.Get(); ok && n > 0 {
			pending += int(n)
		} else {
			leaves++
		}
		j++
	}
	return j, leaves, nil
}

var tsUTC = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

func mapColumn(el *format.SchemaElement) (column, error) {
	c := column{name: el.Name}
	phys, ok := el.Type.Get()
	if !ok {
		return c, errors.New("missing physical type")
	}
	c.phys = phys
	lt := el.LogicalType.Value
	ct, hasCT := el.ConvertedType.Get()
	// Decimal: logical type, or legacy converted type with scale/precision.
	prec, scale := int32(-1), int32(0)
	if d, ok := lt.(*format.DecimalType); ok {
		prec, scale = d.Precision, d.Scale
	} else if lt == nil && hasCT && ct == 5 /* DECIMAL */ {
		prec, _ = el.Precision.Get()
		scale, _ = el.Scale.Get()
	}
	if prec >= 0 {
		if prec < 1 || prec > 38 || scale < 0 || scale > prec {
			return c, fmt.Errorf("invalid DECIMAL(%d,%d)", prec, scale)
		}
		small := prec <= 18
		if small {
			c.typ = &arrow.Decimal64Type{Precision: prec, Scale: scale}
		} else {
			c.typ = &arrow.Decimal128Type{Precision: prec, Scale: scale}
		}
		switch phys {
		case format.Int32:
			c.kind = pick(small, kInt32To64, kInt32To128)
		case format.Int64:
			c.kind = pick(small, kCopy8, kInt64To128)
		case format.ByteArray:
			c.kind = pick(small, kBADec64, kBADec128)
		case format.FixedLenByteArray:
			n, _ := el.TypeLength.Get()
			if n < 1 || n > 16 {
				return c, fmt.Errorf("DECIMAL on FIXED_LEN_BYTE_ARRAY(%d) not supported", n)
			}
			c.typeLen = int(n)
			c.kind = pick(small, kFLBA64, kFLBA128)
		default:
			return c, fmt.Errorf("DECIMAL on physical type %s not supported", phys)
		}
		return c, nil
	}
	switch phys {
	case format.Boolean:
		c.typ, c.kind = arrow.FixedWidthTypes.Boolean, kBool
	case format.Int32:
		c.typ, c.kind = arrow.PrimitiveTypes.Int32, kCopy4
		switch t := lt.(type) {
		case *format.DateType:
			c.typ = arrow.FixedWidthTypes.Date32
		case *format.IntType:
			switch {
			case t.BitWidth == 8 && t.IsSigned:
				c.typ, c.kind = arrow.PrimitiveTypes.Int8, kInt8
			case t.BitWidth == 16 && t.IsSigned:
				c.typ, c.kind = arrow.PrimitiveTypes.Int16, kInt16
			case !t.IsSigned && t.BitWidth <= 32:
				unsigned(&c, int(t.BitWidth))
			case !t.IsSigned:
				return c, fmt.Errorf("%s on INT32 not supported", t)
			}
		case *format.TimeType:
			if _, ok := t.Unit.Value.(*format.MilliSeconds); !ok {
				return c, fmt.Errorf("%s on INT32 not supported", t)
			}
			c.typ, c.kind, c.render = arrow.BinaryTypes.String, kBinary, renderTime(3)
		case nil:
			if hasCT {
				switch ct {
				case 6: // DATE
					c.typ = arrow.FixedWidthTypes.Date32
				case 7: // TIME_MILLIS
					c.typ, c.kind, c.render = arrow.BinaryTypes.String, kBinary, renderTime(3)
				case 15: // INT_8
					c.typ, c.kind = arrow.PrimitiveTypes.Int8, kInt8
				case 16: // INT_16
					c.typ, c.kind = arrow.PrimitiveTypes.Int16, kInt16
				case 11: // UINT_8
					unsigned(&c, 8)
				case 12: // UINT_16
					unsigned(&c, 16)
				case 13: // UINT_32
					unsigned(&c, 32)
				}
			}
		}
	case format.Int64:
		c.typ, c.kind = arrow.PrimitiveTypes.Int64, kCopy8
		switch t := lt.(type) {
		case *format.TimestampType:
			// Timestamps not adjusted to UTC are read as UTC instants too:
			// the engine has a single timestamp type.
			c.typ = tsUTC
			switch t.Unit.Value.(type) {
			case *format.MilliSeconds:
				c.kind = kTsMillis
			case *format.MicroSeconds:
				c.kind = kCopy8
			case *format.NanoSeconds:
				c.kind = kTsNanos
			default:
				return c, fmt.Errorf("timestamp unit %s not supported", &t.Unit)
			}
		case *format.IntType:
			if !t.IsSigned {
				unsigned(&c, 64)
			}
		case *format.TimeType:
			switch t.Unit.Value.(type) {
			case *format.MicroSeconds:
				c.render = renderTime(6)
			case *format.NanoSeconds:
				c.render = renderTime(9)
			default:
				return c, fmt.Errorf("%s on INT64 not supported", t)
			}
			c.typ, c.kind = arrow.BinaryTypes.String, kBinary
		case nil:
			if hasCT {
				switch ct {
				case 8: // TIME_MICROS
					c.typ, c.kind, c.render = arrow.BinaryTypes.String, kBinary, renderTime(6)
				case 9: // TIMESTAMP_MILLIS
					c.typ, c.kind = tsUTC, kTsMillis
				case 10: // TIMESTAMP_MICROS
					c.typ = tsUTC
				case 14: // UINT_64
					unsigned(&c, 64)
				}
			}
		}
	case format.Int96:
		// Spark and Impala timestamps: read as Spark does, to microseconds.
		c.typ, c.kind = tsUTC, kInt96
	case format.Float:
		c.typ, c.kind = arrow.PrimitiveTypes.Float32, kCopy4
	case format.Double:
		c.typ, c.kind = arrow.PrimitiveTypes.Float64, kCopy8
	case format.ByteArray:
		c.typ, c.kind = arrow.BinaryTypes.Binary, kBinary
		switch lt.(type) {
		case *format.StringType, *format.EnumType, *format.JsonType:
			c.typ = arrow.BinaryTypes.String
		case nil:
			if hasCT && (ct == 0 /* UTF8 */ || ct == 4 /* ENUM */ || ct == 19 /* JSON */) {
				c.typ = arrow.BinaryTypes.String
			}
		}
	case format.FixedLenByteArray:
		n, _ := el.TypeLength.Get()
		if n < 1 {
			return c, fmt.Errorf("FIXED_LEN_BYTE_ARRAY(%d) not supported", n)
		}
		c.typeLen = int(n)
		switch lt.(type) {
		case *format.UUIDType:
			if n != 16 {
				return c, fmt.Errorf("UUID on FIXED_LEN_BYTE_ARRAY(%d)", n)
			}
			c.typ, c.kind, c.render = arrow.BinaryTypes.String, kBinary, renderUUID
		case *format.Float16Type:
			if n != 2 {
				return c, fmt.Errorf("FLOAT16 on FIXED_LEN_BYTE_ARRAY(%d)", n)
			}
			c.typ, c.kind = arrow.PrimitiveTypes.Float32, kFloat16
		default:
			c.typ, c.kind, c.render = arrow.BinaryTypes.Binary, kBinary, renderRaw
		}
	default:
		return c, fmt.Errorf("physical type %s not supported", phys)
	}
	return c, nil
}

// unsigned maps an unsigned integer of the given width as Spark 3.2+ does
// (Spark has no unsigned types): uint8 to smallint, uint16 to int, uint32
// to bigint and uint64 to decimal(20,0).
func unsigned(c *column, bits int) {
	switch bits {
	case 8:
		c.typ, c.kind = arrow.PrimitiveTypes.Int16, kUint8
	case 16:
		c.typ, c.kind = arrow.PrimitiveTypes.Int32, kUint16
	case 32:
		c.typ, c.kind = arrow.PrimitiveTypes.Int64, kUint32
	default:
		c.typ, c.kind = &arrow.Decimal128Type{Precision: 20, Scale: 0}, kUint64
	}
}

func pick(small bool, a, b colKind) colKind {
	if small {
		return a
	}
	return b
}

// Name returns the name given to Open (the path for OpenFile).
func (f *File) Name() string { return f.name }

// Schema returns the Arrow schema of the file's columns.
func (f *File) Schema() *arrow.Schema { return f.schema }

// NumRows returns the total number of rows in the file: the sum of its row
// groups' (some writers leave the footer's total at 0).
func (f *File) NumRows() int64 {
	var n int64
	for _, rg := range f.pf.Metadata().RowGroups {
		if rg.NumRows > math.MaxInt64-n {
			return math.MaxInt64 // a damaged footer; saturate rather than wrap
		}
		n += rg.NumRows
	}
	return n
}

// NumRowGroups returns the number of row groups in the file.
func (f *File) NumRowGroups() int { return len(f.pf.Metadata().RowGroups) }

// RowGroupNumRows returns the number of rows of row group rg (0 if rg is out
// of range).
func (f *File) RowGroupNumRows(rg int) int64 {
	if rg < 0 || rg >= f.NumRowGroups() {
		return 0
	}
	return f.pf.Metadata().RowGroups[rg].NumRows
}

// DecodedRowGroups counts the row groups this File has started decoding.
func (f *File) DecodedRowGroups() int64 { return f.decoded.Load() }

// Close closes the underlying os.File when the File came from OpenFile.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	c := f.closer
	f.closer = nil
	if err := c.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.name, err)
	}
	return nil
}
