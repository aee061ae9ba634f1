package json

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
	"github.com/gspark/gspark/io/textfmt"
)

// readAll reads every row of data as strings (ValueStr, "<nil>" for null).
func readAll(t *testing.T, mem memory.Allocator, data string, schema *arrow.Schema, opts Options) ([][]string, error) {
	t.Helper()
	opts.Mem = mem
	r, err := NewReader(strings.NewReader(data), "in.json", schema, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var rows [][]string
	for {
		b, err := r.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, batchRows(b)...)
		b.Release()
	}
}

func batchRows(b arrow.RecordBatch) [][]string {
	var rows [][]string
	for i := 0; i < int(b.NumRows()); i++ {
		row := make([]string, b.NumCols())
		for c := range row {
			col := b.Column(c)
			if col.IsNull(i) {
				row[c] = "<nil>"
			} else {
				row[c] = col.ValueStr(i)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func TestInferSchema(t *testing.T) {
	data := `{"b": 1, "a": "x", "c": true, "d": null, "e": {"k": [1, 2]}}

{"b": 2.5, "a": "y", "c": false, "f": 9223372036854775807}
{"b": null, "g": 1, "h": "s"}
{"g": 2, "h": 3, "i": [], "j": 99999999999999999999}
`
	s, err := InferSchema(strings.NewReader(data), "in.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "a:utf8 b:float64 c:bool d:utf8 e:utf8 f:int64 g:int64 h:utf8 i:utf8 j:float64"
	var got []string
	for _, f := range s.Fields() {
		got = append(got, f.Name+":"+f.Type.String())
	}
	if strings.Join(got, " ") != want {
		t.Fatalf("schema %s, want %s", strings.Join(got, " "), want)
	}
	mem := exectest.Alloc(t)
	rows, err := readAll(t, mem, data, s, Options{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	wantRows := [][]string{
		{"x", "1", "true", "<nil>", `{"k": [1, 2]}`, "<nil>", "<nil>", "<nil>", "<nil>", "<nil>"},
		{"y", "2.5", "false", "<nil>", "<nil>", "9223372036854775807", "<nil>", "<nil>", "<nil>", "<nil>"},
		{"<nil>", "<nil>", "<nil>", "<nil>", "<nil>", "<nil>", "1", "s", "<nil>", "<nil>"},
		{"<nil>", "<nil>", "<nil>", "<nil>", "<nil>", "<nil>", "2", "3", "[]", "1e+20"},
	}
	if fmt.Sprint(rows) != fmt.Sprint(wantRows) {
		t.Fatalf("rows\n%v\nwant\n%v", rows, wantRows)
	}
}

func TestInferSamplingAndEmpty(t *testing.T) {
	data := "{\"a\": 1}\n{\"a\": 1.5}\n"
	s, err := InferSchema(strings.NewReader(data), "in.json", Options{SamplingRows: 1})
	if err != nil {
		t.Fatal(err)
	}
	if s.Field(0).Type.ID() != arrow.INT64 {
		t.Fatalf("sampling 1 line: %s", s)
	}
	if _, err := InferSchema(strings.NewReader("\n  \n"), "e.json", Options{}); err == nil || !strings.Contains(err.Error(), "e.json") {
		t.Fatalf("empty input: %v", err)
	}
	// Several inputs: the first is empty, as a part file of an empty partition is.
	inf := NewInference(Options{})
	for i, d := range []string{"", "{\"x\": \"a\"}\n", "{\"x\": 1, \"y\": 2}\n"} {
		if err := inf.Add(strings.NewReader(d), fmt.Sprintf("p%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	s, err = inf.Schema()
	if err != nil || s.String() != arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "y", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil).String() {
		t.Fatalf("merged schema %v, %v", s, err)
	}
}

func TestMalformed(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	cases := []struct{ data, err string }{
		{"{\"a\": 1}\n{\"a\": 2\n", "in.json:2:8: expected ',' or '}'"},
		{"{\"a\": 1}\n\n[1]\n", "in.json:3:1: expected a JSON object"},
		{"{\"a\": \"x\"}\n", `in.json:1: cannot read "x" as bigint in column a`},
		{"{\"a\": 1.5}\n", `in.json:1: cannot read 1.5 as bigint in column a`},
		{"{\"a\": 01}\n", "in.json:1:7: invalid number"},
		{"{\"a\": 1} x\n", "in.json:1:10: unexpected"},
		{"{\"a\": \"\\q\"}\n", "invalid escape"},
		{"{\"a\": \"abc\n", "unterminated string"},
		{"{\"a\": [1, }\n", "expected a value"},
		{"{\"a\": tru}\n", "expected a value"},
		{"{\"a\" 1}\n", "expected ':'"},
		{"{a: 1}\n", "expected a field name"},
	}
	for _, c := range cases {
		mem := exectest.Alloc(t)
		_, err := readAll(t, mem, c.data, schema, Options{})
		var pe *ParseError
		if err == nil || !strings.Contains(err.Error(), c.err) || !errors.As(err, &pe) {
			t.Errorf("%q: error %v, want %q", c.data, err, c.err)
		}
	}
	data := "{\"a\": 1}\n{\"a\": \"x\"}\nnope\n{\"a\": 3, \"a\": 4}\n{}\n"
	mem := exectest.Alloc(t)
	rows, err := readAll(t, mem, data, schema, Options{Mode: Permissive})
	if err != nil || fmt.Sprint(rows) != "[[1] [<nil>] [<nil>] [4] [<nil>]]" {
		t.Fatalf("permissive: %v %v", rows, err)
	}
	rows, err = readAll(t, mem, data, schema, Options{Mode: DropMalformed})
	if err != nil || fmt.Sprint(rows) != "[[1] [4] [<nil>]]" {
		t.Fatalf("dropmalformed: %v %v", rows, err)
	}
	for _, m := range []string{"permissive", "FAILFAST", "DropMalformed", ""} {
		if _, err := ParseMode(m); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParseMode("lenient"); err == nil {
		t.Error("unknown mode accepted")
	}
}

func TestExplicitTypes(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
		{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "dec", Type: &arrow.Decimal64Type{Precision: 6, Scale: 2}, Nullable: true},
		{Name: "big", Type: &arrow.Decimal128Type{Precision: 30, Scale: 3}, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	data := `{"i8": -128, "f32": "NaN", "d": "2024-02-29", "ts": "2024-01-02T03:04:05.123456Z", "dec": 1234.5, "big": "123456789012345678901234.5", "s": "a\"\\\u00e9\ud83d\ude00"}
{"i8": 127, "f32": 1e3, "d": "1969-12-31", "ts": "2024-01-02 03:04:05+01:00", "dec": -0.01, "big": 1.5e3, "s": 12.50}
{"f32": "-Infinity", "ts": "2024-01-02", "dec": 12e-2, "s": false}
`
	mem := exectest.Alloc(t)
	rows, err := readAll(t, mem, data, schema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"-128", "NaN", "2024-02-29", "2024-01-02T03:04:05.123456Z", "1234.5", "123456789012345678901234.5", "a\"\\é😀"},
		{"127", "1000", "1969-12-31", "2024-01-02T02:04:05Z", "-0.01", "1500", "12.50"},
		{"<nil>", "-Inf", "<nil>", "2024-01-02T00:00:00Z", "0.12", "<nil>", "false"},
	}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Fatalf("rows\n%q\nwant\n%q", rows, want)
	}
	for _, bad := range []string{`{"i8": 128}`, `{"dec": 10000}`, `{"dec": 0.001}`, `{"d": "2024-02-30"}`, `{"ts": "yesterday"}`, `{"f32": "1.5"}`} {
		if _, err := readAll(t, mem, bad, schema, Options{}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// randomBatch builds a batch of n random rows (about a fifth null) of schema.
func randomBatch(mem memory.Allocator, rng *rand.Rand, schema *arrow.Schema, n int) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	strs := []string{"", "plain", "quote\"back\\slash", "new\nline\ttab", "\x01ctl", "ünïcødé 😀", "{\"not\": \"nested\"}", "null"}
	for range n {
		for c, f := range schema.Fields() {
			fb := b.Field(c)
			if rng.IntN(5) == 0 {
				fb.AppendNull()
				continue
			}
			switch bb := fb.(type) {
			case *array.BooleanBuilder:
				bb.Append(rng.IntN(2) == 0)
			case *array.Int32Builder:
				bb.Append(rng.Int32() - math.MaxInt32/2)
			case *array.Int64Builder:
				bb.Append(rng.Int64() - math.MaxInt64/2)
			case *array.Float64Builder:
				switch rng.IntN(8) {
				case 0:
					bb.Append(math.NaN())
				case 1:
					bb.Append(math.Inf(1 - 2*rng.IntN(2)))
				case 2:
					bb.Append(math.Copysign(0, -1))
				default:
					bb.Append(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20)))
				}
			case *array.StringBuilder:
				bb.Append(strs[rng.IntN(len(strs))])
			case *array.Date32Builder:
				bb.Append(arrow.Date32(rng.IntN(40000) - 10000))
			case *array.TimestampBuilder:
				bb.Append(arrow.Timestamp(rng.Int64N(4e15) - 1e15))
			case *array.Decimal64Builder:
				bb.Append(decimal.Decimal64(rng.Int64N(2e9) - 1e9))
			case *array.Decimal128Builder:
				v := decimal128.FromI64(rng.Int64()).Mul(decimal128.FromI64(rng.Int64N(1e9)))
				bb.Append(v)
			default:
				panic(f.Type)
			}
		}
	}
	return b.NewRecordBatch()
}

func TestRoundTripRandom(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "s \"quoted\"", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "dec", Type: &arrow.Decimal64Type{Precision: 12, Scale: 3}, Nullable: true},
		{Name: "dec128", Type: &arrow.Decimal128Type{Precision: 38, Scale: 5}, Nullable: true},
	}, nil)
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 20 {
		mem := exectest.Alloc(t)
		var buf bytes.Buffer
		w, err := NewWriter(&buf, schema)
		if err != nil {
			t.Fatal(err)
		}
		var want [][]string
		for range rng.IntN(4) {
			b := randomBatch(mem, rng, schema, rng.IntN(50)) // may be empty
			if err := w.Write(b); err != nil {
				t.Fatal(err)
			}
			want = append(want, batchRows(b)...)
			b.Release()
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.Write(nil); err == nil {
			t.Fatal("write after close")
		}
		got, err := readAll(t, mem, buf.String(), schema, Options{BatchSize: 1 + rng.IntN(20)})
		if err != nil {
			t.Fatalf("iteration %d: %v\n%s", iter, err, buf.String())
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("iteration %d: got\n%q\nwant\n%q\njson:\n%s", iter, got, want, buf.String())
		}
		// Every line is valid JSON that inference accepts too.
		if len(want) > 0 {
			if _, err := InferSchema(bytes.NewReader(buf.Bytes()), "w.json", Options{}); err != nil && !strings.Contains(err.Error(), "no fields") {
				t.Fatal(err)
			}
		}
	}
}

func TestWriterFormat(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "dec", Type: &arrow.Decimal64Type{Precision: 10, Scale: 2}, Nullable: true},
	}, nil)
	b := exectest.Batch(mem, schema, [][]any{
		{int64(1), 1e10, "a", arrow.Date32(19000), nil, int64(-5)},
		{nil, nil, nil, nil, nil, nil},
		{int64(-2), 0.5, "x\u2028", nil, nil, int64(12345)},
	})
	defer b.Release()
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, schema)
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	w.Close()
	want := `{"i":1,"f":1.0E10,"s":"a","d":"2022-01-08","dec":-0.05}
{}
{"i":-2,"f":0.5,"s":"x` + "\u2028" + `","dec":123.45}
`
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestUnsupportedType(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "l", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64)}}, nil)
	if _, err := NewReader(strings.NewReader(""), "x.json", schema, Options{}); err == nil || !strings.Contains(err.Error(), "column l") {
		t.Fatalf("got %v", err)
	}
	if _, err := NewWriter(io.Discard, arrow.NewSchema(nil, nil)); err == nil {
		t.Fatal("empty schema accepted")
	}
}

// TestFormatHelpersAgainstReference checks the allocation-free date parser
// and decimal formatter against the standard library on random values.
func TestFormatHelpersAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		y, m, d := rng.IntN(10000), rng.IntN(14), rng.IntN(33)
		text := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		got, ok := parseDate([]byte(text))
		ref, err := time.Parse("2006-01-02", text)
		if ok != (err == nil) || (ok && int64(got) != floorDiv(ref.Unix(), 86400)) {
			t.Fatalf("%s: %d %v, reference %v %v", text, got, ok, ref, err)
		}
	}
	for _, bad := range []string{"2020-1-01", "20200101", "2020-01-0a", "+020-01-01"} {
		if _, ok := parseDate([]byte(bad)); ok {
			t.Errorf("%s parsed", bad)
		}
	}
	specials := []int64{0, 1, -1, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 999, -1000}
	for i := range 20000 {
		var n decimal128.Num
		switch {
		case i < len(specials):
			n = decimal128.FromI64(specials[i])
		case i%3 == 0:
			n = decimal128.FromI64(rng.Int64()).Mul(decimal128.FromI64(rng.Int64N(1e6) - 5e5))
		default:
			n = decimal128.FromI64(rng.Int64() >> rng.IntN(64) * int64(1-2*rng.IntN(2)))
		}
		scale := int32(rng.IntN(20))
		if got, want := string(textfmt.AppendDecimal(nil, n, scale)), n.ToString(scale); got != want {
			t.Fatalf("%v scale %d: %s, want %s", n, scale, got, want)
		}
	}
}

// Arrays, structs and maps are written as Spark's JSON writer writes them
// (expected values by hand from Spark's rules: null array elements and map
// values as null, null struct fields left out, map keys as strings).
func TestWriterNested(t *testing.T) {
	mem := exectest.Alloc(t)
	i64, str := arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String
	st := arrow.StructOf(arrow.Field{Name: "a", Type: i64, Nullable: true},
		arrow.Field{Name: "b", Type: arrow.ListOf(str), Nullable: true})
	fields := []arrow.Field{
		{Name: "l", Type: arrow.ListOf(arrow.ListOf(i64)), Nullable: true},
		{Name: "s", Type: st, Nullable: true},
		{Name: "m", Type: arrow.MapOf(arrow.PrimitiveTypes.Int32, st), Nullable: true},
		{Name: "d", Type: arrow.MapOf(arrow.FixedWidthTypes.Date32, str), Nullable: true},
	}
	js := []string{
		`[[[1, null], [], null], null, [], [[2]]]`,
		`[{"a": 1, "b": ["x", null]}, null, {"a": null, "b": null}, {"a": 2, "b": []}]`,
		`[[{"key": 1, "value": {"a": 3, "b": ["q\""]}}, {"key": -2, "value": null}], null, [], [{"key": 0, "value": {"a": null, "b": null}}]]`,
		`[[{"key": 19000, "value": "v"}], [], null, null]`,
	}
	var cols []arrow.Array
	for k, f := range fields {
		a, _, err := array.FromJSON(mem, f.Type, strings.NewReader(js[k]))
		if err != nil {
			t.Fatal(err)
		}
		defer a.Release()
		cols = append(cols, a)
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBatch(schema, cols, 4)
	defer b.Release()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, schema)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	w.Close()
	want := `{"l":[[1,null],[],null],"s":{"a":1,"b":["x",null]},"m":{"1":{"a":3,"b":["q\""]},"-2":null},"d":{"2022-01-08":"v"}}
{"d":{}}
{"l":[],"s":{},"m":{}}
{"l":[[2]],"s":{"a":2,"b":[]},"m":{"0":{}}}
`
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
