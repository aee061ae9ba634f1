package parquet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/io/source"
)

var tsType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

// allTypesSchema covers every type the reader maps, nullable and not.
func allTypesSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
		{Name: "i16", Type: arrow.PrimitiveTypes.Int16, Nullable: true},
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: false},
		{Name: "i64n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "ts", Type: tsType, Nullable: true},
		{Name: "dec", Type: &arrow.Decimal64Type{Precision: 15, Scale: 2}, Nullable: true},
		{Name: "dec9", Type: &arrow.Decimal64Type{Precision: 9, Scale: 3}, Nullable: false},
		{Name: "dec128", Type: &arrow.Decimal128Type{Precision: 25, Scale: 4}, Nullable: true},
		{Name: "flag", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "sreq", Type: arrow.BinaryTypes.String, Nullable: false},
		{Name: "bin", Type: arrow.BinaryTypes.Binary, Nullable: true},
		{Name: "rflag", Type: arrow.BinaryTypes.String, Nullable: false},
	}, nil)
}

// randBatch builds n random rows of schema s; nullable columns get ~20% nulls
// (or all nulls when allNull is set).
func randBatch(mem memory.Allocator, s *arrow.Schema, n int, r *rand.Rand, allNull bool) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, s)
	defer b.Release()
	for c, f := range s.Fields() {
		fb := b.Field(c)
		for i := 0; i < n; i++ {
			if f.Nullable && (allNull || r.IntN(5) == 0) {
				fb.AppendNull()
				continue
			}
			switch bb := fb.(type) {
			case *array.BooleanBuilder:
				bb.Append(r.IntN(2) == 0)
			case *array.Int8Builder:
				bb.Append(int8(r.IntN(256) - 128))
			case *array.Int16Builder:
				bb.Append(int16(r.IntN(65536) - 32768))
			case *array.Int32Builder:
				bb.Append(r.Int32() - math.MaxInt32/2)
			case *array.Int64Builder:
				bb.Append(r.Int64() - math.MaxInt64/2)
			case *array.Float32Builder:
				bb.Append(float32(r.NormFloat64()))
			case *array.Float64Builder:
				bb.Append(r.NormFloat64() * 1e6)
			case *array.Date32Builder:
				bb.Append(arrow.Date32(r.IntN(40000) - 10000))
			case *array.TimestampBuilder:
				bb.Append(arrow.Timestamp(r.Int64N(4e15) - 1e15))
			case *array.Decimal64Builder:
				p := f.Type.(*arrow.Decimal64Type).Precision
				lim := int64(math.Pow10(int(p)))
				bb.Append(decimal.Decimal64(r.Int64N(2*lim-1) - lim + 1))
			case *array.Decimal128Builder:
				v := decimal128.FromI64(r.Int64()).Mul(decimal128.FromI64(r.Int64N(1e6))).Add(decimal128.FromI64(r.Int64N(1000)))
				if r.IntN(2) == 0 {
					v = v.Negate()
				}
				bb.Append(v)
			case *array.StringBuilder:
				if f.Name == "flag" || f.Name == "rflag" {
					bb.Append(string(rune('A' + r.IntN(3))))
				} else {
					bb.Append(randString(r))
				}
			case *array.BinaryBuilder:
				bb.Append([]byte(randString(r)))
			default:
				panic(fmt.Sprintf("no generator for %T", fb))
			}
		}
	}
	return b.NewRecordBatch()
}

func randString(r *rand.Rand) string {
	n := r.IntN(12)
	var sb strings.Builder
	for i := 0; i < n; i++ {
		sb.WriteByte(byte('a' + r.IntN(26)))
	}
	if r.IntN(10) == 0 {
		sb.WriteString("é✓")
	}
	return sb.String()
}

// cell is a naive, row-at-a-time normalization of one value for comparison:
// integers (incl. dates, timestamps in µs, decimal unscaled) become int64 or a
// decimal string, floats their bits, strings/binary a string, null nil.
func cell(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Float32:
		return math.Float32bits(a.Value(i))
	case *array.Float64:
		return math.Float64bits(a.Value(i))
	case *array.Date32:
		return int64(a.Value(i))
	case *array.Timestamp:
		v := int64(a.Value(i))
		switch a.DataType().(*arrow.TimestampType).Unit {
		case arrow.Millisecond:
			v *= 1000
		case arrow.Nanosecond:
			v = floorDiv(v, 1000)
		case arrow.Second:
			v *= 1e6
		}
		return v
	case *array.Decimal64:
		return decimal128.FromI64(int64(a.Value(i))).BigInt().String()
	case *array.Decimal128:
		return a.Value(i).BigInt().String()
	case *array.String:
		return "s:" + a.Value(i)
	case *array.Binary:
		return "s:" + string(a.Value(i))
	}
	panic(fmt.Sprintf("cell: unsupported %T", a))
}

// rowsOf flattens batches into normalized rows.
func rowsOf(batches []arrow.RecordBatch) [][]any {
	var out [][]any
	for _, b := range batches {
		for i := 0; i < int(b.NumRows()); i++ {
			row := make([]any, b.NumCols())
			for c := range row {
				row[c] = cell(b.Column(c), i)
			}
			out = append(out, row)
		}
	}
	return out
}

func compareRows(t *testing.T, got, want [][]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("row %d: got %d columns, want %d", i, len(got[i]), len(want[i]))
		}
		for c := range want[i] {
			if got[i][c] != want[i][c] {
				t.Fatalf("row %d col %d: got %v (%T), want %v (%T)", i, c, got[i][c], got[i][c], want[i][c], want[i][c])
			}
		}
	}
}

func writeFile(t testing.TB, s *arrow.Schema, batches []arrow.RecordBatch, opts WriterOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeArrowMem writes rec (schema s) to a Parquet file in memory with
// arrow-go's writer and props, for files shaped by writer settings gspark's
// own writer does not offer.
func writeArrowMem(t *testing.T, s *arrow.Schema, rec arrow.RecordBatch, props *parquet.WriterProperties) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	fw, err := pqarrow.NewFileWriter(s, &buf, props, pqarrow.NewArrowWriterProperties())
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// readAll reads every row group of data with opts and returns the batches.
func readAll(t testing.TB, data []byte, opts ReadOptions) (*File, []arrow.RecordBatch) {
	t.Helper()
	f, err := Open(bytes.NewReader(data), int64(len(data)), "test.parquet")
	if err != nil {
		t.Fatal(err)
	}
	var out []arrow.RecordBatch
	for rg := 0; rg < f.NumRowGroups(); rg++ {
		r, err := f.ReadRowGroup(context.Background(), rg, opts)
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
			out = append(out, b)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return f, out
}

func release(bs []arrow.RecordBatch) {
	for _, b := range bs {
		b.Release()
	}
}

// pqarrowRows reads data with pqarrow's FileReader as an independent truth.
func pqarrowRows(t *testing.T, data []byte) [][]any {
	t.Helper()
	mem := memory.NewGoAllocator()
	pr, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{BatchSize: 1 << 20}, mem)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	tr := array.NewTableReader(tbl, 1<<30)
	defer tr.Release()
	var bs []arrow.RecordBatch
	for tr.Next() {
		b := tr.RecordBatch()
		b.Retain()
		bs = append(bs, b)
	}
	defer release(bs)
	return rowsOf(bs)
}

func TestRoundTripAllTypes(t *testing.T) {
	mem := exectest.Alloc(t)
	s := allTypesSchema()
	r := rand.New(rand.NewPCG(1, 2))
	var in []arrow.RecordBatch
	for _, n := range []int{400, 0, 900, 1, 1200} {
		in = append(in, randBatch(mem, s, n, r, false))
	}
	in = append(in, randBatch(mem, s, 300, r, true)) // all-null tail
	defer release(in)
	want := rowsOf(in)
	for _, comp := range []string{"", "zstd", "gzip", "none"} {
		data := writeFile(t, s, in, WriterOptions{Compression: comp, RowGroupRows: 1000})
		if comp == "" {
			compareRows(t, pqarrowRows(t, data), want)
		}
		sizes := []int{1000}
		if comp == "" {
			sizes = []int{0, 1, 7, 1000, 100000}
		}
		for _, bs := range sizes {
			f, got := readAll(t, data, ReadOptions{BatchSize: bs, Mem: mem})
			if f.NumRowGroups() < 3 {
				t.Fatalf("expected several row groups, got %d", f.NumRowGroups())
			}
			if !f.Schema().Equal(s) {
				t.Fatalf("schema mismatch:\n%s\nwant\n%s", f.Schema(), s)
			}
			if f.NumRows() != int64(len(want)) {
				t.Fatalf("NumRows %d want %d", f.NumRows(), len(want))
			}
			limit := bs
			if limit <= 0 {
				limit = DefaultBatchSize
			}
			for _, b := range got {
				if b.NumRows() > int64(limit) || b.NumRows() == 0 {
					t.Fatalf("batch of %d rows with batch size %d", b.NumRows(), bs)
				}
			}
			compareRows(t, rowsOf(got), want)
			release(got)
			if f.DecodedRowGroups() != int64(f.NumRowGroups()) {
				t.Fatalf("DecodedRowGroups %d, want %d", f.DecodedRowGroups(), f.NumRowGroups())
			}
		}
	}
}

func TestProjection(t *testing.T) {
	mem := exectest.Alloc(t)
	s := allTypesSchema()
	r := rand.New(rand.NewPCG(3, 4))
	in := []arrow.RecordBatch{randBatch(mem, s, 3000, r, false)}
	defer release(in)
	all := rowsOf(in)
	data := writeFile(t, s, in, WriterOptions{RowGroupRows: 1000})
	for _, sel := range [][]int{{14}, {10, 4, 0}, {16, 13, 13, 2}, {}} {
		_, got := readAll(t, data, ReadOptions{Columns: sel, BatchSize: 333, Mem: mem})
		n := 0
		for _, b := range got {
			if int(b.NumCols()) != len(sel) {
				t.Fatalf("batch has %d columns, want %d", b.NumCols(), len(sel))
			}
			for i, c := range sel {
				if b.Schema().Field(i).Name != s.Field(c).Name {
					t.Fatalf("field %d is %s, want %s", i, b.Schema().Field(i).Name, s.Field(c).Name)
				}
			}
			n += int(b.NumRows())
		}
		if n != len(all) {
			t.Fatalf("projection %v: %d rows, want %d", sel, n, len(all))
		}
		want := make([][]any, len(all))
		for i, row := range all {
			want[i] = make([]any, len(sel))
			for j, c := range sel {
				want[i][j] = row[c]
			}
		}
		if len(sel) > 0 {
			compareRows(t, rowsOf(got), want)
		}
		release(got)
	}
	f, err := Open(bytes.NewReader(data), int64(len(data)), "x.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadRowGroup(context.Background(), 0, ReadOptions{Columns: []int{99}, Mem: mem}); err == nil {
		t.Fatal("expected error for bad column index")
	}
	if _, err := f.ReadRowGroup(context.Background(), 7, ReadOptions{Mem: mem}); err == nil {
		t.Fatal("expected error for bad row group")
	}
}

// TestPqarrowWrittenFiles reads files written directly by pqarrow with
// settings our writer does not use (no dictionary, data page v2, decimals on
// FIXED_LEN_BYTE_ARRAY, timestamps in ms and ns) and compares with pqarrow.
func TestPqarrowWrittenFiles(t *testing.T) {
	mem := exectest.Alloc(t)
	s := arrow.NewSchema([]arrow.Field{
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: false},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "tsms", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "tsns", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "dec", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
		{Name: "dec30", Type: &arrow.Decimal128Type{Precision: 30, Scale: 5}, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "flag", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	r := rand.New(rand.NewPCG(5, 6))
	gm := memory.NewGoAllocator()
	bld := array.NewRecordBuilder(gm, s)
	n := 5000
	for i := 0; i < n; i++ {
		null := func() bool { return r.IntN(4) == 0 }
		for c := range s.Fields() {
			fb := bld.Field(c)
			if s.Field(c).Nullable && null() {
				fb.AppendNull()
				continue
			}
			switch bb := fb.(type) {
			case *array.Int32Builder:
				bb.Append(r.Int32())
			case *array.Int64Builder:
				bb.Append(r.Int64N(1000) - 500)
			case *array.Float64Builder:
				bb.Append(r.Float64())
			case *array.BooleanBuilder:
				bb.Append(r.IntN(3) == 0)
			case *array.TimestampBuilder:
				v := r.Int64N(1e15) - 5e14
				if s.Field(c).Type.(*arrow.TimestampType).Unit == arrow.Nanosecond {
					v = v / 1000 * 1000 // whole microseconds: finer values are an error
				}
				bb.Append(arrow.Timestamp(v))
			case *array.Decimal128Builder:
				v := decimal128.FromI64(r.Int64N(1e11) - 5e10)
				bb.Append(v)
			case *array.StringBuilder:
				if c == 9 {
					bb.Append([]string{"N", "R", "A"}[r.IntN(3)])
				} else {
					bb.Append(randString(r))
				}
			}
		}
	}
	rec := bld.NewRecordBatch()
	bld.Release()
	defer rec.Release()
	for _, cfg := range []struct {
		name  string
		props []parquet.WriterProperty
	}{
		{"v1-dict", []parquet.WriterProperty{parquet.WithDictionaryDefault(true)}},
		{"v2-plain", []parquet.WriterProperty{parquet.WithDictionaryDefault(false), parquet.WithDataPageVersion(parquet.DataPageV2)}},
		{"small-pages", []parquet.WriterProperty{parquet.WithDataPageSize(1024), parquet.WithDictionaryPageSizeLimit(64), parquet.WithCompression(compress.Codecs.Zstd)}},
	} {
		t.Run(cfg.name, func(t *testing.T) {
			buf := writeArrowMem(t, s, rec, parquet.NewWriterProperties(append(cfg.props, parquet.WithMaxRowGroupLength(1700))...))
			data := buf.Bytes()
			f, got := readAll(t, data, ReadOptions{BatchSize: 999, Mem: mem})
			defer release(got)
			if _, ok := f.Schema().Field(6).Type.(*arrow.Decimal64Type); !ok {
				t.Fatalf("DECIMAL(12,2) on FLBA read as %s, want decimal64", f.Schema().Field(6).Type)
			}
			if !arrow.TypeEqual(f.Schema().Field(4).Type, tsType) || !arrow.TypeEqual(f.Schema().Field(5).Type, tsType) {
				t.Fatalf("timestamps read as %s/%s", f.Schema().Field(4).Type, f.Schema().Field(5).Type)
			}
			compareRows(t, rowsOf(got), pqarrowRows(t, data))
		})
	}
}

func TestWriterTypesInFooter(t *testing.T) {
	mem := exectest.Alloc(t)
	s := allTypesSchema()
	in := randBatch(mem, s, 10, rand.New(rand.NewPCG(1, 1)), false)
	defer in.Release()
	data := writeFile(t, s, []arrow.RecordBatch{in}, WriterOptions{})
	pr, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	sc := pr.MetaData().Schema
	check := func(name, phys, logical string) {
		t.Helper()
		col := sc.Column(sc.ColumnIndexByName(name))
		if col.PhysicalType().String() != phys || !strings.Contains(col.LogicalType().String(), logical) {
			t.Errorf("%s stored as %s %s, want %s %s", name, col.PhysicalType(), col.LogicalType(), phys, logical)
		}
	}
	check("dec", "INT64", "Decimal(precision=15, scale=2)")
	check("dec9", "INT32", "Decimal(precision=9, scale=3)")
	check("d", "INT32", "Date")
	check("s", "BYTE_ARRAY", "String")
}

func filt(col string, op source.Op, v arrow.Array) source.Filter {
	return source.Filter{Column: col, Op: op, Value: v}
}

func TestCanSkip(t *testing.T) {
	mem := exectest.Alloc(t)
	s := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: false},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "dec", Type: &arrow.Decimal64Type{Precision: 15, Scale: 2}, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}, nil)
	// Row group 0: i in [10,20], no nulls; row group 1: i in [30,40] with a
	// null; row group 2: all columns null except i32.
	var rows [][]any
	for i := 10; i <= 20; i++ {
		rows = append(rows, []any{int64(i), int32(i), float64(i), int32(i), int64(i * 100), fmt.Sprintf("k%02d", i), true})
	}
	for i := 30; i <= 40; i++ {
		rows = append(rows, []any{int64(i), int32(i), float64(i), int32(i), int64(i * 100), fmt.Sprintf("k%02d", i), false})
	}
	rows[len(rows)-1] = []any{nil, int32(40), nil, nil, nil, nil, nil}
	for i := 0; i < 11; i++ {
		rows = append(rows, []any{nil, int32(50), nil, nil, nil, nil, nil})
	}
	in := exectest.Batch(mem, s, rows)
	defer in.Release()
	data := writeFile(t, s, []arrow.RecordBatch{in}, WriterOptions{RowGroupRows: 11})
	f, err := Open(bytes.NewReader(data), int64(len(data)), "skip.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if f.NumRowGroups() != 3 {
		t.Fatalf("%d row groups", f.NumRowGroups())
	}
	one := func(typ arrow.DataType, v any) arrow.Array {
		b := exectest.Batch(mem, arrow.NewSchema([]arrow.Field{{Name: "v", Type: typ, Nullable: true}}, nil), [][]any{{v}})
		defer b.Release()
		a := b.Column(0)
		a.Retain()
		return a
	}
	i64 := func(v int64) arrow.Array { return one(arrow.PrimitiveTypes.Int64, v) }
	var toRelease []arrow.Array
	keep := func(a arrow.Array) arrow.Array { toRelease = append(toRelease, a); return a }
	defer func() {
		for _, a := range toRelease {
			a.Release()
		}
	}()
	cases := []struct {
		f    []source.Filter
		want [3]bool
	}{
		{[]source.Filter{filt("i", source.Eq, keep(i64(15)))}, [3]bool{false, true, true}},
		{[]source.Filter{filt("i", source.Eq, keep(i64(25)))}, [3]bool{true, true, true}},
		{[]source.Filter{filt("i", source.Lt, keep(i64(10)))}, [3]bool{true, true, true}},
		{[]source.Filter{filt("i", source.LtEq, keep(i64(10)))}, [3]bool{false, true, true}},
		{[]source.Filter{filt("i", source.Gt, keep(i64(20)))}, [3]bool{true, false, true}},
		{[]source.Filter{filt("i", source.GtEq, keep(i64(20)))}, [3]bool{false, false, true}},
		{[]source.Filter{filt("i", source.NotEq, keep(i64(15)))}, [3]bool{false, false, true}},
		{[]source.Filter{filt("i", source.IsNull, nil)}, [3]bool{true, false, false}},
		{[]source.Filter{filt("i", source.IsNotNull, nil)}, [3]bool{false, false, true}},
		{[]source.Filter{filt("i32", source.IsNull, nil)}, [3]bool{true, true, true}},
		{[]source.Filter{filt("i32", source.Eq, keep(one(arrow.PrimitiveTypes.Int32, int32(50))))}, [3]bool{true, true, false}},
		{[]source.Filter{filt("f", source.Gt, keep(one(arrow.PrimitiveTypes.Float64, 35.5)))}, [3]bool{true, false, true}},
		{[]source.Filter{filt("d", source.Lt, keep(one(arrow.FixedWidthTypes.Date32, int32(31))))}, [3]bool{false, false, true}},
		{[]source.Filter{filt("dec", source.GtEq, keep(one(&arrow.Decimal64Type{Precision: 15, Scale: 2}, int64(2001))))}, [3]bool{true, false, true}},
		{[]source.Filter{filt("s", source.Eq, keep(one(arrow.BinaryTypes.String, "k15")))}, [3]bool{false, true, true}},
		{[]source.Filter{filt("s", source.Gt, keep(one(arrow.BinaryTypes.String, "k2")))}, [3]bool{false, false, true}},
		{[]source.Filter{filt("s", source.Lt, keep(one(arrow.BinaryTypes.String, "k")))}, [3]bool{true, true, true}},
		// AND: either filter alone proving emptiness suffices.
		{[]source.Filter{filt("i", source.Gt, keep(i64(12))), filt("s", source.Lt, keep(one(arrow.BinaryTypes.String, "k11")))}, [3]bool{false, true, true}},
		// Unusable: wrong value type, unknown column, bool, null value.
		{[]source.Filter{filt("i", source.Eq, keep(one(arrow.PrimitiveTypes.Int32, int32(99))))}, [3]bool{}},
		{[]source.Filter{filt("zz", source.Eq, keep(i64(99)))}, [3]bool{}},
		{[]source.Filter{filt("b", source.Eq, keep(one(arrow.FixedWidthTypes.Boolean, true)))}, [3]bool{}},
		{[]source.Filter{filt("i", source.Eq, keep(one(arrow.PrimitiveTypes.Int64, nil)))}, [3]bool{}},
	}
	for ci, c := range cases {
		for rg := 0; rg < 3; rg++ {
			if got := f.CanSkip(rg, c.f); got != c.want[rg] {
				t.Errorf("case %d %v rg %d: CanSkip=%v want %v", ci, c.f, rg, got, c.want[rg])
			}
		}
	}
	if f.DecodedRowGroups() != 0 {
		t.Fatalf("CanSkip decoded row groups")
	}
	u := f.Usable([]source.Filter{
		filt("i", source.Eq, toRelease[0]),
		filt("zz", source.Eq, toRelease[0]),
		filt("i", source.Eq, keep(one(arrow.PrimitiveTypes.Int32, int32(1)))),
		filt("b", source.IsNull, nil),
		filt("b", source.Eq, keep(one(arrow.FixedWidthTypes.Boolean, true))),
		filt("s", source.Gt, keep(one(arrow.BinaryTypes.String, "x"))),
	})
	if len(u) != 3 || u[0].Column != "i" || u[1].Column != "b" || u[2].Column != "s" {
		t.Fatalf("Usable = %v", u)
	}
}

// TestCanSkipAgreesWithData checks on random data that a skipped row group
// really has no matching row (naive row-at-a-time evaluation).
func TestCanSkipAgreesWithData(t *testing.T) {
	mem := exectest.Alloc(t)
	s := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	r := rand.New(rand.NewPCG(9, 9))
	var rows [][]any
	for i := 0; i < 2000; i++ {
		if r.IntN(10) == 0 {
			rows = append(rows, []any{nil})
		} else {
			rows = append(rows, []any{int64(i/100*10 + r.IntN(10))})
		}
	}
	in := exectest.Batch(mem, s, rows)
	defer in.Release()
	data := writeFile(t, s, []arrow.RecordBatch{in}, WriterOptions{RowGroupRows: 100})
	f, err := Open(bytes.NewReader(data), int64(len(data)), "agree.parquet")
	if err != nil {
		t.Fatal(err)
	}
	skipped := 0
	for trial := 0; trial < 200; trial++ {
		x := int64(r.IntN(220) - 10)
		vb := exectest.Batch(mem, s, [][]any{{x}})
		op := source.Op(r.IntN(8))
		flt := []source.Filter{{Column: "v", Op: op, Value: vb.Column(0)}}
		for rg := 0; rg < f.NumRowGroups(); rg++ {
			if !f.CanSkip(rg, flt) {
				continue
			}
			skipped++
			for _, row := range rows[rg*100 : rg*100+100] {
				if match(row[0], op, x) {
					t.Fatalf("row group %d skipped for v %s %d but row %v matches", rg, op, x, row[0])
				}
			}
		}
		vb.Release()
	}
	if skipped == 0 {
		t.Fatal("nothing was ever skipped")
	}
}

func match(v any, op source.Op, x int64) bool {
	if v == nil {
		return op == source.IsNull
	}
	a := v.(int64)
	switch op {
	case source.Eq:
		return a == x
	case source.NotEq:
		return a != x
	case source.Lt:
		return a < x
	case source.LtEq:
		return a <= x
	case source.Gt:
		return a > x
	case source.GtEq:
		return a >= x
	case source.IsNotNull:
		return true
	}
	return false
}

func TestErrors(t *testing.T) {
	mem := exectest.Alloc(t)
	_, err := OpenFile(filepath.Join(t.TempDir(), "missing.parquet"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing.parquet") {
		t.Fatalf("missing file: %v", err)
	}
	_, err = Open(bytes.NewReader([]byte("hello world, not parquet at all")), 31, "lineitem.parquet")
	if !errors.Is(err, ErrNotParquet) || !strings.Contains(err.Error(), "open lineitem.parquet: not a parquet file") {
		t.Fatalf("not parquet: %v", err)
	}
	s := allTypesSchema()
	in := randBatch(mem, s, 3000, rand.New(rand.NewPCG(7, 7)), false)
	defer in.Release()
	data := writeFile(t, s, []arrow.RecordBatch{in}, WriterOptions{RowGroupRows: 1000})
	// Truncations: every prefix length class must fail cleanly at Open.
	for _, n := range []int{0, 4, 11, len(data) / 2, len(data) - 1, len(data) - 9} {
		if _, err := Open(bytes.NewReader(data[:n]), int64(n), "trunc.parquet"); err == nil || !strings.Contains(err.Error(), "trunc.parquet") {
			t.Fatalf("truncated to %d: err %v", n, err)
		}
	}
	// Corrupt page bytes: open succeeds (footer intact), reading must error
	// or return data, never panic; try many positions.
	r := rand.New(rand.NewPCG(8, 8))
	errs := 0
	for trial := 0; trial < 60; trial++ {
		bad := bytes.Clone(data)
		pos := 4 + r.IntN(len(data)/2)
		for k := 0; k < 16 && pos+k < len(bad)-8; k++ {
			bad[pos+k] ^= byte(r.IntN(255) + 1)
		}
		f, err := Open(bytes.NewReader(bad), int64(len(bad)), "corrupt.parquet")
		if err != nil {
			errs++
			continue
		}
		for rg := 0; rg < f.NumRowGroups(); rg++ {
			rr, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{Mem: mem, BatchSize: 500})
			if err != nil {
				errs++
				continue
			}
			for {
				b, err := rr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					if !strings.Contains(err.Error(), "corrupt.parquet") {
						t.Fatalf("error does not name the file: %v", err)
					}
					errs++
					break
				}
				b.Release()
			}
			rr.Close()
		}
	}
	if errs == 0 {
		t.Fatal("no corruption was detected")
	}
	// Cancellation between batches.
	f, err := Open(bytes.NewReader(data), int64(len(data)), "ctx.parquet")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rr, err := f.ReadRowGroup(ctx, 0, ReadOptions{Mem: mem, BatchSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	b, err := rr.Next()
	if err != nil {
		t.Fatal(err)
	}
	b.Release()
	cancel()
	if _, err := rr.Next(); !errors.Is(err, context.Canceled) {
		t.Fatalf("after cancel: %v", err)
	}
	rr.Close()
}

func TestOpenFileAndConcurrentReads(t *testing.T) {
	mem := exectest.Alloc(t)
	s := allTypesSchema()
	var in []arrow.RecordBatch
	r := rand.New(rand.NewPCG(10, 11))
	for i := 0; i < 4; i++ {
		in = append(in, randBatch(mem, s, 1500, r, false))
	}
	defer release(in)
	want := rowsOf(in)
	path := filepath.Join(t.TempDir(), "c.parquet")
	if err := os.WriteFile(path, writeFile(t, s, in, WriterOptions{RowGroupRows: 500}), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Name() != path {
		t.Fatalf("Name %q", f.Name())
	}
	nrg := f.NumRowGroups()
	results := make([][][]any, nrg)
	errs := make([]error, nrg)
	var wg sync.WaitGroup
	for rg := 0; rg < nrg; rg++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rr, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{Mem: mem, BatchSize: 128})
			if err != nil {
				errs[rg] = err
				return
			}
			defer rr.Close()
			var bs []arrow.RecordBatch
			defer func() { release(bs) }()
			for {
				b, err := rr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					errs[rg] = err
					return
				}
				bs = append(bs, b)
			}
			results[rg] = rowsOf(bs)
		}()
	}
	wg.Wait()
	var got [][]any
	for rg := 0; rg < nrg; rg++ {
		if errs[rg] != nil {
			t.Fatal(errs[rg])
		}
		if int64(len(results[rg])) != f.RowGroupNumRows(rg) {
			t.Fatalf("rg %d: %d rows, want %d", rg, len(results[rg]), f.RowGroupNumRows(rg))
		}
		got = append(got, results[rg]...)
	}
	compareRows(t, got, want)
	if f.DecodedRowGroups() != int64(nrg) {
		t.Fatalf("DecodedRowGroups %d", f.DecodedRowGroups())
	}
}

func TestLineitemLikeMatchesPqarrow(t *testing.T) {
	mem := exectest.Alloc(t)
	data := lineitemLike(t, 30000)
	_, got := readAll(t, data, ReadOptions{BatchSize: 4096, Mem: mem})
	defer release(got)
	compareRows(t, rowsOf(got), pqarrowRows(t, data))
}

func TestWriteDictionaryStrings(t *testing.T) {
	mem := exectest.Alloc(t)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	s := arrow.NewSchema([]arrow.Field{{Name: "s", Type: dt, Nullable: true}}, nil)
	b := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	want := [][]any{}
	for i := 0; i < 100; i++ {
		if i%7 == 0 {
			b.AppendNull()
			want = append(want, []any{nil})
			continue
		}
		v := []string{"x", "yy", "zzz"}[i%3]
		if err := b.AppendString(v); err != nil {
			t.Fatal(err)
		}
		want = append(want, []any{"s:" + v})
	}
	arr := b.NewArray()
	b.Release()
	rec := array.NewRecordBatch(s, []arrow.Array{arr}, 100)
	arr.Release()
	defer rec.Release()
	data := writeFile(t, s, []arrow.RecordBatch{rec}, WriterOptions{})
	f, got := readAll(t, data, ReadOptions{Mem: mem})
	defer release(got)
	if !arrow.TypeEqual(f.Schema().Field(0).Type, arrow.BinaryTypes.String) {
		t.Fatalf("read back as %s", f.Schema().Field(0).Type)
	}
	compareRows(t, rowsOf(got), want)
}

// countingReaderAt counts the bytes read through it.
type countingReaderAt struct {
	r io.ReaderAt
	n int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	return n, err
}

// A footer length past the file's size is refused before anything is
// allocated or read for it: the 12-byte file "PAR1", 0x7fffffff, "PAR1"
// used to cost 2 GiB on every open.
func TestOpenRefusesAFooterLongerThanTheFile(t *testing.T) {
	for _, n := range []uint32{0x7fffffff, 0xffffffff, 1, 13} {
		var b bytes.Buffer
		b.WriteString("PAR1")
		b.Write([]byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)})
		b.WriteString("PAR1")
		data := b.Bytes()
		r := &countingReaderAt{r: bytes.NewReader(data)}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Open(r, int64(len(data)), "tiny.parquet")
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("open tiny.parquet: corrupt file: footer length %d exceeds the file's 12 bytes", n)) {
			t.Errorf("footer length %d: %v", n, err)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 || r.n > 12 {
			t.Errorf("footer length %d: allocated %d bytes, read %d", n, grown, r.n)
		}
	}
}
