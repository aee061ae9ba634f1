package csv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/values"
)

var tsType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

// readAll reads every batch of text with schema and returns the rows.
func readAll(t *testing.T, mem memory.Allocator, text, name string, schema *arrow.Schema, opts Options) ([][]any, error) {
	t.Helper()
	opts.Mem = mem
	r, err := NewReader(strings.NewReader(text), name, schema, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var rows [][]any
	for {
		b, err := r.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		if int(b.NumRows()) > r.cfg.BatchSize {
			t.Errorf("batch of %d rows exceeds batch size %d", b.NumRows(), r.cfg.BatchSize)
		}
		rows = append(rows, values.Rows([]arrow.RecordBatch{b})...)
		b.Release()
	}
}

func schemaOf(cols ...any) *arrow.Schema {
	var fs []arrow.Field
	for i := 0; i < len(cols); i += 2 {
		fs = append(fs, arrow.Field{Name: cols[i].(string), Type: cols[i+1].(arrow.DataType), Nullable: true})
	}
	return arrow.NewSchema(fs, nil)
}

func TestReadBasic(t *testing.T) {
	mem := exectest.Alloc(t)
	s := schemaOf("name", arrow.BinaryTypes.String, "age", arrow.PrimitiveTypes.Int32,
		"score", arrow.PrimitiveTypes.Float64, "ok", arrow.FixedWidthTypes.Boolean,
		"d", arrow.FixedWidthTypes.Date32, "ts", tsType,
		"amt", &arrow.Decimal64Type{Precision: 7, Scale: 2}, "big", &arrow.Decimal128Type{Precision: 38, Scale: 4})
	text := "name,age,score,ok,d,ts,amt,big\r\n" +
		"alice,30,1.5,true,2024-02-29,2024-02-29 13:14:15.25,-12.5,12345678901234567890123456789012.3456\r\n" +
		"\"b,\"\"ob\"\"\",,-0.25,FALSE,,2024-01-02T03:04:05Z,00012.30,-1\n" +
		"\n" +
		"\"multi\nline \\\"x\\\"\",7,1e10,,1969-12-31,1969-12-31,,\n" +
		"\"\",-2147483648,NaN,True,0001-01-01,2000-01-01 00:00:00+02:00,99999.99,0.12340000\n"
	rows, err := readAll(t, mem, text, "t.csv", s, Options{Header: true, BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	ts := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	d := func(s string) time.Time { return ts(s + "T00:00:00Z") }
	dec := func(s string) values.Decimal {
		v, err := values.ParseDecimal(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	big := dec("12345678901234567890123456789012.3456")
	want := [][]any{
		{"alice", int32(30), 1.5, true, d("2024-02-29"), ts("2024-02-29T13:14:15.25Z"), dec("-12.50"), big},
		{`b,"ob"`, nil, -0.25, false, nil, ts("2024-01-02T03:04:05Z"), dec("12.30"), dec("-1.0000")},
		{"multi\nline \"x\"", int32(7), 1e10, nil, d("1969-12-31"), ts("1969-12-31T00:00:00Z"), nil, nil},
		{"", int32(math.MinInt32), math.NaN(), true, d("0001-01-01"), ts("1999-12-31T22:00:00Z"), dec("99999.99"), dec("0.1234")},
	}
	compareRows(t, rows, want)
}

// compareRows compares row values, treating NaN as equal to NaN.
func compareRows(t *testing.T, got, want [][]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		for c := range want[i] {
			if !sameValue(got[i][c], want[i][c]) {
				t.Fatalf("row %d col %d: got %#v, want %#v", i, c, got[i][c], want[i][c])
			}
		}
	}
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y && math.Signbit(x) == math.Signbit(y) || math.IsNaN(x) && math.IsNaN(y))
	case float32:
		y, ok := b.(float32)
		return ok && (x == y && math.Signbit(float64(x)) == math.Signbit(float64(y)) || x != x && y != y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	}
	return a == b
}

func TestInferSchema(t *testing.T) {
	cases := []struct {
		name string
		text string
		opts Options
		want string
	}{
		{"header", "a,b,c,d,e,f,g,h,i,j\n" +
			"1,3000000000,1.5,2020-01-01,2020-01-01 10:00:00,true,x,,1,2020-01-01\n" +
			"-2,1,7,2020-02-30,2020-01-01,FALSE,1,,true,2020-01-01T01:02:03\n",
			Options{Header: true, InferSchema: true},
			"a:int32 b:int64 c:float64 d:string e:timestamp[us, tz=UTC] f:bool g:string h:utf8 i:string j:timestamp[us, tz=UTC]"},
		{"no header", "1,2.5,NA\n2,,NA\n", Options{InferSchema: true, NullValue: "NA"},
			"_c0:int32 _c1:float64 _c2:utf8"},
		{"no infer", "x,y\n1,2\n", Options{Header: true}, "x:utf8 y:utf8"},
		{"sampling", "a\n1\n2\nx\n", Options{Header: true, InferSchema: true, SamplingRows: 2}, "a:int32"},
		{"dates", "d\n2020-01-01\n1999-12-31\n", Options{Header: true, InferSchema: true}, "d:date32"},
		{"custom date", "d;n\n01/02/2020;9223372036854775807\n", Options{Header: true, InferSchema: true, Delimiter: ';', DateFormat: "MM/dd/yyyy"}, "d:date32 n:int64"},
		{"overflow to double", "n\n9223372036854775808\n", Options{Header: true, InferSchema: true}, "n:float64"},
		{"duplicate and empty names", "a,A,,b\n1,2,3,4\n", Options{Header: true}, "a0:utf8 A1:utf8 _c2:utf8 b:utf8"},
		{"quoted numbers", "\"1\"\t\"\"\n", Options{InferSchema: true, Delimiter: '\t'}, "_c0:int32 _c1:string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := InferSchema(strings.NewReader(tc.text), "t.csv", tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, f := range s.Fields() {
				if !f.Nullable {
					t.Errorf("column %s not nullable", f.Name)
				}
				parts = append(parts, f.Name+":"+f.Type.String())
			}
			got := strings.Join(parts, " ")
			want := strings.ReplaceAll(tc.want, ":string", ":utf8")
			if got != want {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
		})
	}
	if _, err := InferSchema(strings.NewReader(""), "e.csv", Options{}); err == nil || !strings.Contains(err.Error(), "e.csv") {
		t.Fatalf("empty input: %v", err)
	}
	_, err := InferSchema(strings.NewReader("a,b\n1,2\n3\n"), "p.csv", Options{Header: true, InferSchema: true, Mode: FailFast})
	if err == nil || err.Error() != "p.csv:3: expected 2 fields, found 1" {
		t.Fatalf("ragged: %v", err)
	}
	// Other modes skip a malformed record when inferring: x,y,z would make
	// column a a string.
	s, err := InferSchema(strings.NewReader("a,b\n1,2\nx,y,z\n3\n4,5\n"), "p.csv", Options{Header: true, InferSchema: true})
	if err != nil || s.Field(0).Type.ID() != arrow.INT32 || s.Field(1).Type.ID() != arrow.INT32 {
		t.Fatalf("ragged, permissive: %v %v", s, err)
	}
}

func TestMalformed(t *testing.T) {
	age := schemaOf("name", arrow.BinaryTypes.String, "id", arrow.PrimitiveTypes.Int64, "age", arrow.PrimitiveTypes.Int32)
	cases := []struct {
		name, text string
		schema     *arrow.Schema
		want       string
	}{
		{"bad int", "name,id,age\nal,1,30\nbob,2,abc\n", age, `people.csv:3:7: cannot parse "abc" as int in column age`},
		{"field count", "name,id,age\nal,1,30\nx,2,3\nbob,2\n", age, "people.csv:4: expected 3 fields, found 2"},
		{"too many", "name,id,age\nal,1,30,4\n", age, "people.csv:2: expected 3 fields, found 4"},
		{"unterminated", "name,id,age\na,1,2\nb,2,3\nc,3,4\n\"d,4,5\n", age, "people.csv:5:1: unterminated quoted field"},
		{"unterminated mid", "name,id,age\na,1,\"2\n", age, "people.csv:2:5: unterminated quoted field"},
		{"after quote", "name,id,age\n\"a\"x,1,2\n", age, `people.csv:2:4: unexpected character 'x' after closing quote`},
		{"continuation line", "name,id,age\n\"a\nb\nc\",12x,2\n", age, `people.csv:4:4: cannot parse "12x" as bigint in column id`},
		{"overflow", "name,id,age\na,1,2147483648\n", age, `people.csv:2:5: cannot parse "2147483648" as int in column age`},
		{"decimal digits", "v\n1234.5\n", schemaOf("v", &arrow.Decimal64Type{Precision: 5, Scale: 2}), `people.csv:2:1: cannot parse "1234.5" as decimal(5,2) in column v`},
		{"decimal frac", "v\n0.00001000\n", schemaOf("v", &arrow.Decimal64Type{Precision: 18, Scale: 4}), `people.csv:2:1: cannot parse "0.00001000" as decimal(18,4) in column v`},
		{"decimal scale", "v\n1.234\n", schemaOf("v", &arrow.Decimal128Type{Precision: 20, Scale: 2}), `people.csv:2:1: cannot parse "1.234" as decimal(20,2) in column v`},
		{"date", "v\n2020-13-01\n", schemaOf("v", arrow.FixedWidthTypes.Date32), `people.csv:2:1: cannot parse "2020-13-01" as date in column v`},
		{"timestamp", "v\n2020-01-01 25:00:00\n", schemaOf("v", tsType), `people.csv:2:1: cannot parse "2020-01-01 25:00:00" as timestamp in column v`},
		{"bool", "v\nyes\n", schemaOf("v", arrow.FixedWidthTypes.Boolean), `people.csv:2:1: cannot parse "yes" as boolean in column v`},
		{"int8", "v\n128\n", schemaOf("v", arrow.PrimitiveTypes.Int8), `people.csv:2:1: cannot parse "128" as tinyint in column v`},
		{"hex float", "v\n0x1p3\n", schemaOf("v", arrow.PrimitiveTypes.Float64), `people.csv:2:1: cannot parse "0x1p3" as double in column v`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := exectest.Alloc(t)
			_, err := readAll(t, mem, tc.text, "people.csv", tc.schema, Options{Header: true, BatchSize: 2, Mode: FailFast})
			var pe *ParseError
			if err == nil || err.Error() != tc.want || !errors.As(err, &pe) {
				t.Fatalf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestOptionsAndEdgeCases(t *testing.T) {
	mem := exectest.Alloc(t)
	s := schemaOf("a", arrow.BinaryTypes.String, "b", arrow.PrimitiveTypes.Int64)
	check := func(text string, opts Options, want [][]any) {
		t.Helper()
		rows, err := readAll(t, mem, text, "x.csv", s, opts)
		if err != nil {
			t.Fatal(err)
		}
		compareRows(t, rows, want)
	}
	check("a;b\nx;1\n\"y;z\";NA\nNA;\n\"NA\";2", Options{Header: true, Delimiter: ';', NullValue: "NA"},
		[][]any{{"x", int64(1)}, {"y;z", nil}, {nil, nil}, {"NA", int64(2)}})
	check("x\t1\n\"t\tab\"\t2\n", Options{Delimiter: '\t'}, [][]any{{"x", int64(1)}, {"t\tab", int64(2)}})
	check("'it''s'|3\n'a\\'b'|4\n", Options{Delimiter: '|', Quote: '\''}, [][]any{{"it's", int64(3)}, {"a'b", int64(4)}})
	check("\xef\xbb\xbfq,5\n", Options{}, [][]any{{"q", int64(5)}})
	check("", Options{Header: true}, nil)
	check("a,b\n", Options{Header: true}, nil)
	check(",\n\"\",\n", Options{}, [][]any{{nil, nil}, {"", nil}})
	check("\"a\\b\\\\c\",1\n", Options{}, [][]any{{`a\b\c`, int64(1)}})
	check(`x"y,1`+"\n", Options{}, [][]any{{`x"y`, int64(1)}})

	long := strings.Repeat("z", 200<<10)
	check(long+",1\n\""+long+"\n"+long+"\",2\n", Options{}, [][]any{{long, int64(1)}, {long + "\n" + long, int64(2)}})

	for _, bad := range []Options{{Delimiter: '"'}, {Delimiter: 'é'}, {Quote: '\n'}} {
		if _, err := NewReader(strings.NewReader(""), "x.csv", s, bad); err == nil {
			t.Errorf("options %+v accepted", bad)
		}
	}
	if _, err := NewReader(strings.NewReader(""), "x.csv", schemaOf("l", arrow.ListOf(arrow.PrimitiveTypes.Int32)), Options{}); err == nil {
		t.Error("list type accepted")
	}
	// A reader returns its error again and releases everything on Close.
	r, err := NewReader(strings.NewReader("1,2\nx,y\n"), "x.csv", schemaOf("a", arrow.PrimitiveTypes.Int32, "b", arrow.PrimitiveTypes.Int32), Options{Mem: mem, Mode: FailFast})
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := r.Next()
	_, err2 := r.Next()
	if err1 == nil || err1 != err2 {
		t.Fatalf("errors %v, %v", err1, err2)
	}
	r.Close()
}

// randomBatch builds a batch of schema s with n random rows, about one in
// five values null.
func randomBatch(rng *rand.Rand, mem memory.Allocator, s *arrow.Schema, n int) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, s)
	defer b.Release()
	pieces := []string{"a", ",", ";", "\t", "\"", "\\", "\n", "\r\n", " ", "NA", "é", "x\\\"", ""}
	for range n {
		for c, f := range s.Fields() {
			fb := b.Field(c)
			if rng.IntN(5) == 0 {
				fb.AppendNull()
				continue
			}
			switch bb := fb.(type) {
			case *array.BooleanBuilder:
				bb.Append(rng.IntN(2) == 0)
			case *array.Int8Builder:
				bb.Append(int8(rng.Uint32()))
			case *array.Int16Builder:
				bb.Append(int16(rng.Uint32()))
			case *array.Int32Builder:
				bb.Append(int32(rng.Uint32()))
			case *array.Int64Builder:
				bb.Append(int64(rng.Uint64()))
			case *array.Float32Builder:
				switch rng.IntN(6) {
				case 0:
					bb.Append(float32(math.Inf(-1)))
				case 1:
					bb.Append(float32(rng.NormFloat64() * 1e-5))
				default:
					bb.Append(math.Float32frombits(rng.Uint32()))
				}
			case *array.Float64Builder:
				switch rng.IntN(6) {
				case 0:
					bb.Append(math.NaN())
				case 1:
					bb.Append(float64(rng.IntN(1000)))
				case 2:
					bb.Append(rng.NormFloat64() * 1e8)
				default:
					bb.Append(math.Float64frombits(rng.Uint64()))
				}
			case *array.StringBuilder:
				var sb strings.Builder
				for range rng.IntN(5) {
					sb.WriteString(pieces[rng.IntN(len(pieces))])
				}
				bb.Append(sb.String())
			case *array.Date32Builder:
				bb.Append(arrow.Date32(rng.IntN(3_000_000) - 719_162))
			case *array.TimestampBuilder:
				bb.Append(arrow.Timestamp(rng.Int64N(200_000_000_000_000_000) - 62_000_000_000_000_000))
			case *array.Decimal64Builder:
				p := f.Type.(*arrow.Decimal64Type).Precision
				lim := int64(math.Pow10(int(p)))
				bb.Append(decimal.Decimal64(rng.Int64N(2*lim-1) - (lim - 1)))
			case *array.Decimal128Builder:
				v := decimal128.New(rng.Int64N(1<<60)-1<<59, rng.Uint64())
				if rng.IntN(3) == 0 {
					v = decimal128.FromI64(rng.Int64N(1000) - 500)
				}
				bb.Append(v)
			}
		}
	}
	return b.NewRecordBatch()
}

func TestRoundTrip(t *testing.T) {
	s := schemaOf("b", arrow.FixedWidthTypes.Boolean, "i8", arrow.PrimitiveTypes.Int8,
		"i16", arrow.PrimitiveTypes.Int16, "i32", arrow.PrimitiveTypes.Int32, "i64", arrow.PrimitiveTypes.Int64,
		"f32", arrow.PrimitiveTypes.Float32, "f64", arrow.PrimitiveTypes.Float64, "s", arrow.BinaryTypes.String,
		"d", arrow.FixedWidthTypes.Date32, "ts", tsType,
		"d64", &arrow.Decimal64Type{Precision: 18, Scale: 4}, "d64z", &arrow.Decimal64Type{Precision: 9, Scale: 0},
		"d128", &arrow.Decimal128Type{Precision: 38, Scale: 10}, "s2", arrow.BinaryTypes.String)
	for k, opts := range []Options{
		{Header: true},
		{Delimiter: ';', NullValue: "NA", Header: true},
		{Delimiter: '\t'},
		{Delimiter: '|', Quote: '\'', Escape: '\''},
	} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			mem := exectest.Alloc(t)
			rng := rand.New(rand.NewPCG(uint64(k), 7))
			var batches []arrow.RecordBatch
			for _, n := range []int{0, 1, 50, 0, 300} {
				batches = append(batches, randomBatch(rng, mem, s, n))
			}
			defer func() {
				for _, b := range batches {
					b.Release()
				}
			}()
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
			opts.BatchSize = 64
			got, err := readAll(t, mem, buf.String(), "rt.csv", s, opts)
			if err != nil {
				t.Fatal(err)
			}
			compareRows(t, got, values.Rows(batches))
		})
	}
}

func TestWriterFormat(t *testing.T) {
	mem := exectest.Alloc(t)
	s := schemaOf("f", arrow.PrimitiveTypes.Float64, "s", arrow.BinaryTypes.String,
		"d", arrow.FixedWidthTypes.Date32, "ts", tsType, "dec", &arrow.Decimal64Type{Precision: 10, Scale: 3},
		"big", &arrow.Decimal128Type{Precision: 38, Scale: 2}, "x,y", arrow.PrimitiveTypes.Int16)
	b := array.NewRecordBuilder(mem, s)
	defer b.Release()
	f := b.Field(0).(*array.Float64Builder)
	str := b.Field(1).(*array.StringBuilder)
	d := b.Field(2).(*array.Date32Builder)
	ts := b.Field(3).(*array.TimestampBuilder)
	dec := b.Field(4).(*array.Decimal64Builder)
	big := b.Field(5).(*array.Decimal128Builder)
	i16 := b.Field(6).(*array.Int16Builder)
	f.AppendValues([]float64{1e7, 0.001, 1.5, -2, 1e-4}, nil)
	str.AppendValues([]string{"", "a\"b", "c\\", "plain", "x\ny"}, nil)
	d.AppendValues([]arrow.Date32{0, -1, 19000, 1, 2}, nil)
	ts.AppendValues([]arrow.Timestamp{0, 1_500_000, -1, 123, 86400e6 + 120e6}, nil)
	dec.AppendValues([]decimal.Decimal64{1, -1234, 0, 1000, -5}, nil)
	big.AppendValues([]decimal128.Num{decimal128.FromI64(-7), decimal128.FromI64(0), decimal128.New(5421010862427522170, 687399551400673279), decimal128.FromI64(100), decimal128.FromI64(12345)}, nil)
	i16.AppendValues([]int16{1, -1, 0, 5, 9}, []bool{true, false, true, true, true})
	rec := b.NewRecordBatch()
	defer rec.Release()

	var buf bytes.Buffer
	w, err := NewWriter(&buf, s, Options{Header: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Close()
	want := `f,s,d,ts,dec,big,"x,y"
1.0E7,"",1970-01-01,1970-01-01 00:00:00,0.001,-0.07,1
0.001,"a\"b",1969-12-31,1970-01-01 00:00:01.5,-1.234,0.00,
1.5,c\,2022-01-08,1969-12-31 23:59:59.999999,0.000,999999999999999999999999999999999999.99,0
-2.0,plain,1970-01-02,1970-01-01 00:00:00.000123,1.000,1.00,5
1.0E-4,"x
y",1970-01-03,1970-01-02 00:02:00,-0.005,123.45,9
`
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestWriteDictionary(t *testing.T) {
	mem := exectest.Alloc(t)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	db := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	defer db.Release()
	db.AppendString("red")
	db.AppendNull()
	db.AppendString("a,b")
	db.AppendString("red")
	arr := db.NewArray()
	defer arr.Release()
	s := arrow.NewSchema([]arrow.Field{{Name: "c", Type: dt, Nullable: true}}, nil)
	rec := array.NewRecordBatch(s, []arrow.Array{arr}, 4)
	defer rec.Release()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if got := buf.String(); got != "red\n\n\"a,b\"\nred\n" {
		t.Fatalf("got %q", got)
	}
}

func TestCustomFormats(t *testing.T) {
	mem := exectest.Alloc(t)
	s := schemaOf("d", arrow.FixedWidthTypes.Date32, "ts", tsType, "ms", &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"})
	opts := Options{DateFormat: "dd/MM/yyyy", TimestampFormat: "yyyy/MM/dd HH'h'mm'm'ss.SSS", Mem: mem, Mode: FailFast}
	rows, err := readAll(t, mem, "31/12/1999,2020/06/01 10h20m30.125,2020/06/01 10h20m30.125\n", "f.csv", s, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2020, 6, 1, 10, 20, 30, 125e6, time.UTC)
	compareRows(t, rows, [][]any{{time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), want, want}})
	if _, err := readAll(t, mem, "1999-12-31,,\n", "f.csv", s, opts); err == nil || err.Error() != `f.csv:1:1: cannot parse "1999-12-31" as date in column d` {
		t.Fatalf("custom date: %v", err)
	}

	b := array.NewRecordBuilder(mem, s)
	defer b.Release()
	b.Field(0).(*array.Date32Builder).Append(10957)
	b.Field(1).(*array.TimestampBuilder).Append(arrow.Timestamp(want.UnixMicro()))
	b.Field(2).(*array.TimestampBuilder).Append(arrow.Timestamp(want.UnixMilli()))
	rec := b.NewRecordBatch()
	defer rec.Release()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "01/01/2000,2020/06/01 10h20m30.125,2020/06/01 10h20m30.125\n" {
		t.Fatalf("got %q", got)
	}
	if err := w.Write(rec); err == nil {
		t.Fatal("write after close accepted")
	}
}
