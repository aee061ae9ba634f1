package parquet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	pq "github.com/parquet-go/parquet-go"

	"github.com/gspark/gspark/io/source"
)

// readCells reads every row of f (all columns unless cols is given) as
// normalized cells (see cell).
func readCells(t *testing.T, f *File, cols []int) [][]any {
	t.Helper()
	var rows [][]any
	for rg := 0; rg < f.NumRowGroups(); rg++ {
		r, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{Columns: cols, BatchSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		for {
			b, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, rowsOf([]arrow.RecordBatch{b})...)
			b.Release()
		}
		r.Close()
	}
	return rows
}

func column0(rows [][]any) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r[0]
	}
	return out
}

func sameCells(t *testing.T, what string, got, want []any) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d: %v", what, len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: row %d = %v (%T), want %v (%T)", what, i, got[i], got[i], want[i], want[i])
		}
	}
}

// INT96 timestamps written by Spark 3.4.3: the microseconds listed in the
// corpus's int96_from_spark.md.
func TestInt96FromSpark(t *testing.T) {
	f, err := OpenFile(fixture("int96_from_spark.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.Schema().Field(0).Type; !arrow.TypeEqual(got, tsUTC) {
		t.Fatalf("type %s, want timestamp[us, UTC]", got)
	}
	want := []any{int64(1704141296123456), int64(1704070800000000), int64(253402225200000000), int64(1735599600000000), nil, int64(9089380393200000000)}
	sameCells(t, "a", column0(readCells(t, f, nil)), want)
}

// Hand-built INT96 values: nanoseconds below a microsecond are truncated,
// as Spark's fromJulianDay does.
func TestInt96Micros(t *testing.T) {
	mk := func(nanos int64, day int32) []byte {
		b := make([]byte, 12)
		for i := 0; i < 8; i++ {
			b[i] = byte(uint64(nanos) >> (8 * i))
		}
		for i := 0; i < 4; i++ {
			b[8+i] = byte(uint32(day) >> (8 * i))
		}
		return b
	}
	for _, c := range []struct {
		nanos int64
		day   int32
		want  int64
	}{
		{0, 2440588, 0},                                 // 1970-01-01T00:00:00
		{1999, 2440588, 1},                              // 1999 ns → 1 µs (truncated)
		{86399999999999, 2440587, -1},                   // 1969-12-31T23:59:59.999999999
		{43200_000_000_000, 2440589, 86400e6 + 43200e6}, // 1970-01-02T12:00
	} {
		if got := int96Micros(mk(c.nanos, c.day)); got != c.want {
			t.Errorf("int96(%d ns, day %d) = %d; want %d", c.nanos, c.day, got, c.want)
		}
	}
}

// FLOAT16 columns written by pyarrow (the corpus README lists the values).
func TestFloat16(t *testing.T) {
	nan := math.Float32bits(float32(math.NaN()))
	bitsOf := func(v float32) any { return math.Float32bits(v) }
	for _, c := range []struct {
		file string
		want []any
	}{
		{"float16_zeros_and_nans.parquet", []any{nil, bitsOf(0), nan}},
		{"float16_nonzeros_and_nans.parquet", []any{nil, bitsOf(1), bitsOf(-2), nan, bitsOf(0), bitsOf(-1), bitsOf(float32(math.Copysign(0, -1))), bitsOf(2)}},
	} {
		f, err := OpenFile(fixture(c.file))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Schema().Field(0).Type; got.ID() != arrow.FLOAT32 {
			t.Errorf("%s: type %s, want float", c.file, got)
		}
		got := column0(readCells(t, f, nil))
		f.Close()
		// Any NaN payload will do: compare NaNs by class.
		for i, v := range got {
			if b, ok := v.(uint32); ok && math.IsNaN(float64(math.Float32frombits(b))) {
				got[i] = nan
			}
		}
		sameCells(t, c.file, got, c.want)
	}
}

// DECIMAL(4,2) on BYTE_ARRAY: 1.00 to 24.00, as DuckDB's
// test_parquet_decimal.test reads the same file.
func TestByteArrayDecimal(t *testing.T) {
	f, err := OpenFile(fixture("byte_array_decimal.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.Schema().Field(0).Type; !arrow.TypeEqual(got, &arrow.Decimal64Type{Precision: 4, Scale: 2}) {
		t.Fatalf("type %s, want decimal(4,2)", got)
	}
	var want []any
	for i := 1; i <= 24; i++ {
		want = append(want, strconv.Itoa(i*100))
	}
	sameCells(t, "value", column0(readCells(t, f, nil)), want)
}

// typedRow exercises the logical types parquet-go writes from Go types:
// unsigned integers, UUID, plain fixed-length bytes and TIME.
type typedRow struct {
	U8   uint8    `parquet:"u8"`
	U16  uint16   `parquet:"u16"`
	U32  uint32   `parquet:"u32"`
	U64  uint64   `parquet:"u64"`
	ID   [16]byte `parquet:"id,uuid"`
	Raw  [3]byte  `parquet:"raw"`
	TMs  int32    `parquet:"tms,time(millisecond)"`
	TUs  int64    `parquet:"tus,time(microsecond)"`
	TNs  int64    `parquet:"tns,time(nanosecond)"`
	Name string   `parquet:"name"`
}

func writeTyped(t *testing.T, rows []typedRow, opts ...pq.WriterOption) *File {
	t.Helper()
	var buf bytes.Buffer
	if err := pq.Write(&buf, rows, opts...); err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "typed.parquet")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Unsigned integers widen as Spark 3.2+ reads them; UUIDs render in the
// canonical form; other fixed bytes stay binary; TIME renders as text.
// Expected values are computed by hand.
func TestLogicalTypesFromParquetGo(t *testing.T) {
	id := [16]byte{0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00}
	rows := []typedRow{
		{U8: 255, U16: 65535, U32: 4294967295, U64: math.MaxUint64, ID: id, Raw: [3]byte{0, 'a', 0xff},
			TMs: 45296789, TUs: 45296789012, TNs: 86399999999999, Name: "max"},
		{U8: 1, U16: 2, U32: 3, U64: 4, Raw: [3]byte{'x', 'y', 'z'}, Name: "small"},
	}
	for _, dict := range []bool{false, true} {
		var opts []pq.WriterOption
		if dict {
			opts = append(opts, pq.DefaultEncoding(&pq.RLEDictionary))
		}
		f := writeTyped(t, rows, opts...)
		wantTypes := []arrow.DataType{arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64,
			&arrow.Decimal128Type{Precision: 20, Scale: 0}, arrow.BinaryTypes.String, arrow.BinaryTypes.Binary,
			arrow.BinaryTypes.String, arrow.BinaryTypes.String, arrow.BinaryTypes.String, arrow.BinaryTypes.String}
		for i, w := range wantTypes {
			if got := f.Schema().Field(i).Type; !arrow.TypeEqual(got, w) {
				t.Errorf("dict=%v: column %s: type %s, want %s", dict, f.Schema().Field(i).Name, got, w)
			}
		}
		got := readCells(t, f, nil)
		want := [][]any{
			{int64(255), int64(65535), int64(4294967295), "18446744073709551615", "s:123e4567-e89b-12d3-a456-426614174000",
				"s:\x00a\xff", "s:12:34:56.789", "s:12:34:56.789012", "s:23:59:59.999999999", "s:max"},
			{int64(1), int64(2), int64(3), "4", "s:00000000-0000-0000-0000-000000000000",
				"s:xyz", "s:00:00:00.000", "s:00:00:00.000000", "s:00:00:00.000000000", "s:small"},
		}
		if len(got) != len(want) {
			t.Fatalf("dict=%v: %d rows", dict, len(got))
		}
		for i := range want {
			sameCells(t, "row", got[i], want[i])
		}
	}
}

// A column gspark cannot read fails only when it is selected, naming the
// file and the column, also when the unreadable type is inside a list.
func TestUnsupportedColumnOnlyWhenSelected(t *testing.T) {
	// DECIMAL(40,0) is wider than any Arrow decimal gspark reads.
	schema := pq.NewSchema("m", pq.Group{
		"id":   pq.Int(64),
		"tags": pq.Optional(pq.List(pq.Decimal(0, 40, pq.FixedLenByteArrayType(17)))),
		"name": pq.String(),
	})
	var buf bytes.Buffer
	w := pq.NewWriter(&buf, schema)
	for _, r := range []map[string]any{{"id": int64(7), "name": "a"}, {"id": int64(8), "name": "b"}} {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "n.parquet")
	if err != nil {
		t.Fatal(err)
	}
	// parquet-go orders a group's fields by name.
	if f.Schema().Field(2).Name != "tags" {
		t.Fatalf("schema %s", f.Schema())
	}
	got := readCells(t, f, []int{0, 1})
	want := [][]any{{int64(7), "s:a"}, {int64(8), "s:b"}}
	for i := range want {
		sameCells(t, "row", got[i], want[i])
	}
	_, err = f.ReadRowGroup(context.Background(), 0, ReadOptions{Columns: []int{2}})
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "read n.parquet: column tags:") || !strings.Contains(err.Error(), "DECIMAL(40,0)") {
		t.Fatalf("selecting tags: %v", err)
	}
	// Statistics of the list's leaf say nothing about the list being null.
	if got := f.Usable([]source.Filter{{Column: "tags", Op: source.IsNull}, {Column: "id", Op: source.IsNotNull}}); len(got) != 1 || got[0].Column != "id" {
		t.Errorf("usable filters %v, want only id's", got)
	}
}

// Files written with Parquet modular encryption (corpus files, encrypted
// footer and plaintext footer) fail at open with ErrEncrypted.
func TestEncryptedRejected(t *testing.T) {
	for _, name := range []string{"uniform_encryption.parquet.encrypted", "encrypt_columns_plaintext_footer.parquet.encrypted"} {
		_, err := OpenFile(fixture(name))
		if !errors.Is(err, ErrEncrypted) || !strings.Contains(err.Error(), "encrypted Parquet is not supported") || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := os.Stat(fixture("uniform_encryption.parquet.encrypted")); err != nil {
		t.Fatal(err)
	}
}

// TIMESTAMP(NANOS) values are read to microseconds only when exact; a value
// with nanoseconds is an error rather than a silent truncation.
func TestTimestampNanosLossy(t *testing.T) {
	type tsRow struct {
		T int64 `parquet:"t,timestamp(nanosecond)"`
	}
	for _, c := range []struct {
		v    int64
		want any
		bad  bool
	}{{1_700_000_000_123_456_000, int64(1_700_000_000_123_456), false}, {-1000, int64(-1), false}, {1_700_000_000_123_456_789, nil, true}} {
		var buf bytes.Buffer
		if err := pq.Write(&buf, []tsRow{{c.v}}); err != nil {
			t.Fatal(err)
		}
		f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "ns.parquet")
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.ReadRowGroup(context.Background(), 0, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := r.Next()
		if c.bad {
			if err == nil || !strings.Contains(err.Error(), "column t: TIMESTAMP(NANOS) value 1700000000123456789 has nanoseconds") {
				t.Errorf("%d: %v", c.v, err)
			}
		} else if err != nil {
			t.Errorf("%d: %v", c.v, err)
		} else {
			sameCells(t, "t", []any{cell(b.Column(0), 0)}, []any{c.want})
			b.Release()
		}
		r.Close()
	}
}

// column_chunk_key_value_metadata.parquet has a column chunk key-value entry
// without a value, which parquet-go rejects; the corpus README describes the
// file: two INT32 columns, chunk metadata {"foo": "bar",
// "thisiskeywithoutvalue": null} (the missing value may read as "").
func TestKeyValueWithoutValue(t *testing.T) {
	f, err := OpenFile(fixture("column_chunk_key_value_metadata.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := f.Schema()
	if s.NumFields() != 2 || s.Field(0).Type.ID() != arrow.INT32 || s.Field(1).Type.ID() != arrow.INT32 {
		t.Fatalf("schema %s, want two int32 columns", s)
	}
	kv := f.pf.Metadata().RowGroups[0].Columns[0].MetaData.KeyValueMetadata
	if len(kv) != 2 || kv[0].Key != "foo" || kv[0].Value != "bar" || kv[1].Key != "thisiskeywithoutvalue" || kv[1].Value != "" {
		t.Fatalf("column chunk metadata %v", kv)
	}
	if rows := readCells(t, f, nil); len(rows) != int(f.NumRows()) {
		t.Fatalf("%d rows, footer says %d", len(rows), f.NumRows())
	}
}

// Data page v2 files whose pages hold only nulls (the corpus README): one
// null FLOAT with no bytes to decompress under Snappy, and INT32 nulls whose
// empty data is a ZSTD stream decompressing to nothing.
func TestEmptyDataPagesV2(t *testing.T) {
	f, err := OpenFile(fixture("datapage_v2_empty_datapage.snappy.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Schema().Field(0).Type; got.ID() != arrow.FLOAT32 {
		t.Errorf("type %s, want float", got)
	}
	sameCells(t, "value", column0(readCells(t, f, nil)), []any{nil})
	f.Close()
	f, err = OpenFile(fixture("page_v2_empty_compressed.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := readCells(t, f, nil)
	if len(rows) == 0 || int64(len(rows)) != f.NumRows() || f.Schema().Field(0).Type.ID() != arrow.INT32 {
		t.Fatalf("%d rows of %s, footer says %d", len(rows), f.Schema(), f.NumRows())
	}
	for i, r := range rows {
		if r[0] != nil {
			t.Fatalf("row %d = %v, want null", i, r[0])
		}
	}
}
