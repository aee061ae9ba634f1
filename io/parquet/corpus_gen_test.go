package parquet

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	aparquet "github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	pq "github.com/parquet-go/parquet-go"
)

// TestWriteCorpus writes the arrow-go and parquet-go files of the
// conformance corpus into testdata/io/parquet. It runs only when
// GSPARK_WRITE_CORPUS=1, so the checked-in files stay fixed:
//
//	GSPARK_WRITE_CORPUS=1 go test ./io/parquet -run TestWriteCorpus
func TestWriteCorpus(t *testing.T) {
	if os.Getenv("GSPARK_WRITE_CORPUS") != "1" {
		t.Skip("set GSPARK_WRITE_CORPUS=1 to rewrite the corpus files")
	}
	for _, c := range []struct {
		name  string
		codec compress.Compression
		v2    bool
		dict  bool
	}{
		{"arrow_types_snappy_dict_v1.parquet", compress.Codecs.Snappy, false, true},
		{"arrow_types_gzip_dict_v2.parquet", compress.Codecs.Gzip, true, true},
		{"arrow_types_zstd_plain_v1.parquet", compress.Codecs.Zstd, false, false},
		{"arrow_types_brotli_plain_v2.parquet", compress.Codecs.Brotli, true, false},
		{"arrow_types_lz4raw_dict_v1.parquet", compress.Codecs.Lz4Raw, false, true},
		{"arrow_types_uncompressed_plain_v2.parquet", compress.Codecs.Uncompressed, true, false},
	} {
		opts := []aparquet.WriterProperty{aparquet.WithCompression(c.codec), aparquet.WithDictionaryDefault(c.dict),
			aparquet.WithDataPageSize(512)}
		if c.v2 {
			opts = append(opts, aparquet.WithDataPageVersion(aparquet.DataPageV2))
		} else {
			opts = append(opts, aparquet.WithDataPageVersion(aparquet.DataPageV1))
		}
		writeArrow(t, c.name, arrowTypes(), opts)
	}
	for _, v2 := range []bool{false, true} {
		opts := []aparquet.WriterProperty{aparquet.WithCompression(compress.Codecs.Zstd), aparquet.WithDictionaryDefault(false),
			aparquet.WithDataPageSize(512),
			aparquet.WithEncodingFor("i32", aparquet.Encodings.DeltaBinaryPacked),
			aparquet.WithEncodingFor("i64", aparquet.Encodings.DeltaBinaryPacked),
			aparquet.WithEncodingFor("s", aparquet.Encodings.DeltaLengthByteArray),
			aparquet.WithEncodingFor("bin", aparquet.Encodings.DeltaByteArray),
			aparquet.WithEncodingFor("f32", aparquet.Encodings.ByteStreamSplit),
			aparquet.WithEncodingFor("f64", aparquet.Encodings.ByteStreamSplit),
		}
		name := "arrow_delta_split_v1.parquet"
		opts = append(opts, aparquet.WithDataPageVersion(aparquet.DataPageV1))
		if v2 {
			name = "arrow_delta_split_v2.parquet"
			opts[len(opts)-1] = aparquet.WithDataPageVersion(aparquet.DataPageV2)
		}
		writeArrow(t, name, arrowTypes(), opts)
	}
	writeArrow(t, "arrow_nested.parquet", arrowNested(), nil)
	writeParquetGo(t)
}

// arrowTypes is 300 rows of the flat types gspark reads, every column null
// in every seventh row (shifted per column).
func arrowTypes() arrow.RecordBatch {
	mem := memory.NewGoAllocator()
	fields := []arrow.Field{
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
		{Name: "i16", Type: arrow.PrimitiveTypes.Int16, Nullable: true},
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "u8", Type: arrow.PrimitiveTypes.Uint8, Nullable: true},
		{Name: "u16", Type: arrow.PrimitiveTypes.Uint16, Nullable: true},
		{Name: "u32", Type: arrow.PrimitiveTypes.Uint32, Nullable: true},
		{Name: "u64", Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
		{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "bin", Type: arrow.BinaryTypes.Binary, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "ts_ms", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "ts_us", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "ts_ns", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "t_ms", Type: arrow.FixedWidthTypes.Time32ms, Nullable: true},
		{Name: "t_us", Type: arrow.FixedWidthTypes.Time64us, Nullable: true},
		{Name: "dec9", Type: &arrow.Decimal128Type{Precision: 9, Scale: 2}, Nullable: true},
		{Name: "dec18", Type: &arrow.Decimal128Type{Precision: 18, Scale: 3}, Nullable: true},
		{Name: "dec38", Type: &arrow.Decimal128Type{Precision: 38, Scale: 4}, Nullable: true},
		{Name: "req", Type: arrow.PrimitiveTypes.Int64, Nullable: false},
	}
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	const n = 300
	for i := range n {
		for c, fb := range b.Fields() {
			if fields[c].Nullable && (i+c)%7 == 0 {
				fb.AppendNull()
				continue
			}
			k := int64(i)*2654435761%1000003 - 500001 // scattered, signed
			switch fb := fb.(type) {
			case *array.BooleanBuilder:
				fb.Append(i%3 == 1)
			case *array.Int8Builder:
				fb.Append(int8(k))
			case *array.Int16Builder:
				fb.Append(int16(k * 37))
			case *array.Int32Builder:
				fb.Append(int32(k * 4099))
			case *array.Int64Builder:
				fb.Append(k * 9223372036854)
			case *array.Uint8Builder:
				fb.Append(uint8(k))
			case *array.Uint16Builder:
				fb.Append(uint16(k * 37))
			case *array.Uint32Builder:
				fb.Append(uint32(k * 4099))
			case *array.Uint64Builder:
				fb.Append(uint64(k * 9223372036854))
			case *array.Float32Builder:
				fb.Append(float32(k) / 7)
			case *array.Float64Builder:
				fb.Append(float64(k) / 13)
			case *array.StringBuilder:
				fb.Append(fmt.Sprintf("s%d-é-%d", i%17, k))
			case *array.BinaryBuilder:
				fb.Append([]byte{byte(i), 0, byte(k), 0xff})
			case *array.Date32Builder:
				fb.Append(arrow.Date32(k / 10))
			case *array.TimestampBuilder:
				fb.Append(arrow.Timestamp(k * 1000003))
			case *array.Time32Builder:
				fb.Append(arrow.Time32(int64(i) * 287999 % 86400000))
			case *array.Time64Builder:
				fb.Append(arrow.Time64(int64(i) * 287999999 % 86400000000))
			case *array.Decimal128Builder:
				fb.Append(decimal128.FromI64(k * int64(i%5+1)))
			}
		}
	}
	return b.NewRecordBatch()
}

// arrowNested holds the nested columns gspark does not read yet.
func arrowNested() arrow.RecordBatch {
	mem := memory.NewGoAllocator()
	fields := []arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "l", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
		{Name: "m", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64), Nullable: true},
	}
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	for i := range 10 {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		lb := b.Field(1).(*array.ListBuilder)
		lb.Append(true)
		for j := range i % 3 {
			lb.ValueBuilder().(*array.Int32Builder).Append(int32(i + j))
		}
		mb := b.Field(2).(*array.MapBuilder)
		mb.Append(true)
		mb.KeyBuilder().(*array.StringBuilder).Append(fmt.Sprint("k", i))
		mb.ItemBuilder().(*array.Int64Builder).Append(int64(i * 10))
	}
	return b.NewRecordBatch()
}

func writeArrow(t *testing.T, name string, rec arrow.RecordBatch, opts []aparquet.WriterProperty) {
	t.Helper()
	defer rec.Release()
	fh, err := os.Create(fixture(name))
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(rec.Schema(), fh, aparquet.NewWriterProperties(opts...),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// pqgoRow is a row of the parquet-go files, with per-column encodings.
type pqgoRow struct {
	ID    int64     `parquet:"id,delta"`
	Small int32     `parquet:"small,delta"`
	Name  string    `parquet:"name,dict"`
	Note  string    `parquet:"note,delta"`
	Maybe *string   `parquet:"maybe,optional"`
	Blob  []byte    `parquet:"blob,plain"`
	F32   float32   `parquet:"f32,split"`
	F64   *float64  `parquet:"f64,optional,split"`
	I64s  int64     `parquet:"i64s,split"`
	Flag  *bool     `parquet:"flag,optional"`
	U32   uint32    `parquet:"u32,plain"`
	Day   int32     `parquet:"day,date"`
	TS    time.Time `parquet:"ts,timestamp(microsecond)"`
	Price int64     `parquet:"price,decimal(2:12)"`
	Opt   *int32    `parquet:"opt,optional,dict"`
}

func writeParquetGo(t *testing.T) {
	var rows []pqgoRow
	for i := range 500 {
		k := int64(i)*2654435761%1000003 - 500001
		r := pqgoRow{ID: k * 1000000007, Small: int32(k), Name: fmt.Sprint("name", i%13), Blob: []byte{byte(i), byte(k)}, Note: fmt.Sprintf("note %05d", i/3),
			F32: float32(k) / 3, I64s: k << 20, U32: uint32(k), Day: int32(k / 50),
			TS: time.UnixMicro(k * 7777777).UTC(), Price: k * 101}
		if i%4 != 0 {
			s := fmt.Sprintf("maybe %d %s", i, "ü")
			r.Maybe = &s
			f := float64(k) / 11
			r.F64 = &f
		}
		if i%3 != 0 {
			b := i%2 == 0
			r.Flag = &b
			o := int32(i % 9)
			r.Opt = &o
		}
		rows = append(rows, r)
	}
	for _, c := range []struct {
		name  string
		codec pq.WriterOption
		v     int
	}{
		{"pqgo_zstd_v1.parquet", pq.Compression(&pq.Zstd), 1},
		{"pqgo_snappy_v2.parquet", pq.Compression(&pq.Snappy), 2},
		{"pqgo_gzip_v2.parquet", pq.Compression(&pq.Gzip), 2},
		{"pqgo_lz4raw_v1.parquet", pq.Compression(&pq.Lz4Raw), 1},
		{"pqgo_uncompressed_v1.parquet", pq.Compression(&pq.Uncompressed), 1},
	} {
		fh, err := os.Create(fixture(c.name))
		if err != nil {
			t.Fatal(err)
		}
		w := pq.NewGenericWriter[pqgoRow](fh, c.codec, pq.DataPageVersion(c.v), pq.PageBufferSize(1024),
			pq.CreatedBy("parquet-go", "v0.32.0", ""))
		if _, err := w.Write(rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := fh.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWriteNestedCorpus writes the arrow-go files with deeply nested
// columns into testdata/io/parquet (with GSPARK_WRITE_CORPUS=1):
//
//	GSPARK_WRITE_CORPUS=1 go test ./io/parquet -run TestWriteNestedCorpus
func TestWriteNestedCorpus(t *testing.T) {
	if os.Getenv("GSPARK_WRITE_CORPUS") != "1" {
		t.Skip("set GSPARK_WRITE_CORPUS=1 to rewrite the corpus files")
	}
	for _, c := range []struct {
		name  string
		codec compress.Compression
		v2    bool
		dict  bool
	}{
		{"arrow_nested_deep_snappy_dict_v1.parquet", compress.Codecs.Snappy, false, true},
		{"arrow_nested_deep_zstd_plain_v2.parquet", compress.Codecs.Zstd, true, false},
	} {
		opts := []aparquet.WriterProperty{aparquet.WithCompression(c.codec), aparquet.WithDictionaryDefault(c.dict),
			aparquet.WithDataPageSize(256), aparquet.WithMaxRowGroupLength(150)}
		if c.v2 {
			opts = append(opts, aparquet.WithDataPageVersion(aparquet.DataPageV2))
		} else {
			opts = append(opts, aparquet.WithDataPageVersion(aparquet.DataPageV1))
		}
		writeArrow(t, c.name, arrowNestedDeep(t), opts)
	}
}

// arrowNestedDeep holds 400 rows of lists, maps and structs nested three
// deep, with nulls and empty collections at every level.
func arrowNestedDeep(t *testing.T) arrow.RecordBatch {
	mem := memory.NewGoAllocator()
	fields := []arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "lll", Type: arrow.ListOf(arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Int32))), Nullable: true},
		{Name: "s", Type: arrow.StructOf(
			arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
			arrow.Field{Name: "b", Type: arrow.ListOf(arrow.StructOf(
				arrow.Field{Name: "c", Type: arrow.BinaryTypes.String, Nullable: true},
				arrow.Field{Name: "d", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Float64), Nullable: true},
			)), Nullable: true},
			arrow.Field{Name: "e", Type: arrow.StructOf(arrow.Field{Name: "f", Type: arrow.FixedWidthTypes.Boolean, Nullable: true}), Nullable: true},
		), Nullable: true},
		{Name: "m", Type: arrow.MapOf(arrow.PrimitiveTypes.Int32, arrow.StructOf(
			arrow.Field{Name: "x", Type: &arrow.Decimal128Type{Precision: 20, Scale: 2}, Nullable: true},
			arrow.Field{Name: "y", Type: arrow.ListOf(arrow.FixedWidthTypes.Date32), Nullable: true},
		)), Nullable: true},
		{Name: "req", Type: arrow.ListOfNonNullable(arrow.BinaryTypes.String)},
	}
	var sb strings.Builder
	sb.WriteString("[")
	pick := func(i, k int) int { return (i*7 + k*13 + i*i) % 11 }
	for i := range 400 {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `{"id": %d, "lll": `, i)
		switch pick(i, 1) {
		case 0:
			sb.WriteString("null")
		case 1:
			sb.WriteString("[]")
		case 2:
			sb.WriteString("[null, []]")
		default:
			fmt.Fprintf(&sb, "[[[%d, null], []], [null, [%d]], [[%d, %d, %d]]]", i, -i, i*3, i%5, i*i)
		}
		sb.WriteString(`, "s": `)
		switch pick(i, 2) {
		case 0:
			sb.WriteString("null")
		case 1:
			sb.WriteString(`{"a": null, "b": null, "e": null}`)
		case 2:
			fmt.Fprintf(&sb, `{"a": %d, "b": [], "e": {"f": null}}`, i)
		default:
			fmt.Fprintf(&sb, `{"a": %d, "b": [{"c": "v%d", "d": [{"key": "k%d", "value": %d.5}, {"key": "z", "value": null}]}, null, {"c": null, "d": null}, {"c": "", "d": []}], "e": {"f": %t}}`,
				i*1000003, i%17, i%3, i, i%2 == 0)
		}
		sb.WriteString(`, "m": `)
		switch pick(i, 3) {
		case 0:
			sb.WriteString("null")
		case 1:
			sb.WriteString("[]")
		default:
			fmt.Fprintf(&sb, `[{"key": %d, "value": {"x": "%d.%02d", "y": [%d, null]}}, {"key": %d, "value": null}, {"key": 0, "value": {"x": null, "y": null}}]`,
				i, i*37, i%100, 18000+i, -i-1)
		}
		fmt.Fprintf(&sb, `, "req": ["r%d"%s]}`, i, strings.Repeat(`, "x"`, i%4))
	}
	sb.WriteString("]")
	st := arrow.StructOf(fields...)
	arr, _, err := array.FromJSON(mem, st, strings.NewReader(sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	defer arr.Release()
	return array.RecordFromStructArray(arr.(*array.Struct), arrow.NewSchema(fields, nil))
}
