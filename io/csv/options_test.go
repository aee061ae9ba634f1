package csv

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/exectest"
)

// TestSparkOptions reads text with each of Spark's CSV reading options; the
// expected rows follow Spark's CSV data source documentation (and are worked
// out by hand from it).
func TestSparkOptions(t *testing.T) {
	str, i32, f64 := arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Float64
	ab := schemaOf("a", i32, "b", i32)
	abc := schemaOf("a", i32, "b", i32, "_corrupt_record", str)
	empty := "EMPTY"
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	inf, ninf := math.Inf(1), math.Inf(-1)
	bad := "a,b\n1,2\nx,3\n4\n5,6,7\n\"8\"x,9\n"
	cases := []struct {
		name   string
		text   string
		schema *arrow.Schema
		opts   Options
		want   [][]any
	}{
		// mode: PERMISSIVE keeps malformed records with nulls; the raw
		// record goes to the corrupt-record column of the schema.
		{"permissive corrupt column", bad, abc, Options{Header: true, CorruptColumn: "_corrupt_record"},
			[][]any{{int32(1), int32(2), nil}, {nil, int32(3), "x,3"}, {int32(4), nil, "4"}, {int32(5), int32(6), "5,6,7"}, {nil, nil, "\"8\"x,9"}}},
		{"permissive corrupt column first", "1,2\nz,2\n", schemaOf("c", str, "a", i32, "b", i32), Options{CorruptColumn: "c"},
			[][]any{{nil, int32(1), int32(2)}, {"z,2", nil, int32(2)}}},
		{"permissive default", bad, ab, Options{Header: true},
			[][]any{{int32(1), int32(2)}, {nil, int32(3)}, {int32(4), nil}, {int32(5), int32(6)}, {nil, nil}}},
		{"dropmalformed", bad, abc, Options{Header: true, Mode: DropMalformed, CorruptColumn: "_corrupt_record"},
			[][]any{{int32(1), int32(2), nil}}},
		{"corrupt record spans lines", "s,n\n\"a\nb\",x\n\"c\",1\n", schemaOf("s", str, "n", i32, "bad", str), Options{Header: true, CorruptColumn: "bad"},
			[][]any{{"a\nb", nil, "\"a\nb\",x"}, {"c", int32(1), nil}}},
		// nullValue, emptyValue
		{"nullValue", "a,b\nNA,1\n\"NA\",2\n,3\n", schemaOf("a", str, "b", i32), Options{Header: true, NullValue: "NA"},
			[][]any{{nil, int32(1)}, {"NA", int32(2)}, {"", int32(3)}}},
		{"emptyValue", "\"\",1\n,2\n", schemaOf("a", str, "b", i32), Options{EmptyValue: &empty},
			[][]any{{"EMPTY", int32(1)}, {nil, int32(2)}}},
		{"empty string default", "\"\",1\n", schemaOf("a", str, "b", i32), Options{},
			[][]any{{"", int32(1)}}},
		// nanValue, positiveInf, negativeInf (defaults NaN, Inf, -Inf)
		{"nan and infinities default", "NaN\nInf\n-Inf\nInfinity\n-Infinity\n", schemaOf("x", f64), Options{},
			[][]any{{math.NaN()}, {inf}, {ninf}, {inf}, {ninf}}},
		{"nan and infinities custom", "n/a\nbig\nsmall\n1.5\n", schemaOf("x", f64), Options{NanValue: "n/a", PositiveInf: "big", NegativeInf: "small"},
			[][]any{{math.NaN()}, {inf}, {ninf}, {1.5}}},
		// dateFormat, timestampFormat: Spark datetime patterns
		{"dateFormat", "12/31/1999,31.12.1999 23:59\n", schemaOf("d", arrow.FixedWidthTypes.Date32, "t", tsType),
			Options{DateFormat: "MM/dd/yyyy", TimestampFormat: "dd.MM.yyyy HH:mm"},
			[][]any{{day(1999, 12, 31), time.Date(1999, 12, 31, 23, 59, 0, 0, time.UTC)}}},
		{"dateFormat mismatch is null", "1999-12-31\n", schemaOf("d", arrow.FixedWidthTypes.Date32), Options{DateFormat: "MM/dd/yyyy"},
			[][]any{{nil}}},
		// comment, lineSep
		{"comment", "#a note\n1,2\n# another\n3,4\n", ab, Options{Comment: '#'},
			[][]any{{int32(1), int32(2)}, {int32(3), int32(4)}}},
		{"no comment by default", "#1,2\n", schemaOf("a", str, "b", i32), Options{},
			[][]any{{"#1", int32(2)}}},
		{"lineSep", "1,2;3,4;\"5\n\",6", schemaOf("a", str, "b", i32), Options{LineSep: ';'},
			[][]any{{"1", int32(2)}, {"3", int32(4)}, {"5\n", int32(6)}}},
		{"carriage return line ends", "1,2\r\n3,4\r\n", ab, Options{},
			[][]any{{int32(1), int32(2)}, {int32(3), int32(4)}}},
		// encoding
		{"latin-1", "caf\xe9,1\n", schemaOf("a", str, "b", i32), Options{Encoding: "ISO-8859-1"},
			[][]any{{"café", int32(1)}}},
		{"windows-1252", "\x80 5,1\n", schemaOf("a", str, "b", i32), Options{Encoding: "windows-1252"},
			[][]any{{"€ 5", int32(1)}}},
		{"utf-16 with a byte order mark", "\xff\xfeh\x00\xe9\x00,\x001\x00\n\x00", schemaOf("a", str, "b", i32), Options{Encoding: "UTF-16"},
			[][]any{{"hé", int32(1)}}},
		{"utf-16 big-endian without a mark", "\x00h\x00\xe9\x00,\x001\x00\n", schemaOf("a", str, "b", i32), Options{Encoding: "UTF-16"},
			[][]any{{"hé", int32(1)}}},
		{"utf-16le", "h\x00\xe9\x00,\x001\x00\n\x00", schemaOf("a", str, "b", i32), Options{Encoding: "utf-16le"},
			[][]any{{"hé", int32(1)}}},
		// ignoreLeadingWhiteSpace, ignoreTrailingWhiteSpace
		{"whitespace kept by default", "  a  ,\t b \n", schemaOf("a", str, "b", str), Options{},
			[][]any{{"  a  ", "\t b "}}},
		{"ignoreLeadingWhiteSpace", "  a  ,\t b \n", schemaOf("a", str, "b", str), Options{IgnoreLeadingWhiteSpace: true},
			[][]any{{"a  ", "b "}}},
		{"ignoreTrailingWhiteSpace", "  a  ,\t b \n", schemaOf("a", str, "b", str), Options{IgnoreTrailingWhiteSpace: true},
			[][]any{{"  a", "\t b"}}},
		{"both, quoted and numbers", "  \"a, b\"  ,  7  \n", schemaOf("a", str, "b", i32), Options{IgnoreLeadingWhiteSpace: true, IgnoreTrailingWhiteSpace: true},
			[][]any{{"a, b", int32(7)}}},
		{"padded number without trimming is malformed", " 7\n", schemaOf("b", i32), Options{},
			[][]any{{nil}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mem := exectest.Alloc(t)
			tc.opts.BatchSize = 2
			rows, err := readAll(t, mem, tc.text, "x.csv", tc.schema, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			compareRows(t, rows, tc.want)
		})
	}
}

func TestFailFastAndBadOptions(t *testing.T) {
	mem := exectest.Alloc(t)
	ab := schemaOf("a", arrow.PrimitiveTypes.Int32, "b", arrow.PrimitiveTypes.Int32)
	for _, tc := range []struct {
		text, want string
	}{
		{"1,2\nx,3\n", `x.csv:2:1: cannot parse "x" as int in column a`},
		{"1,2\n4\n", `x.csv:2: expected 2 fields, found 1`},
		{"1,2\n\"4\"x,1\n", `x.csv:2:4: unexpected character 'x' after closing quote`},
	} {
		_, err := readAll(t, mem, tc.text, "x.csv", ab, Options{Mode: FailFast})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: got %v, want %s", tc.text, err, tc.want)
		}
	}
	if _, err := ParseMode("lenient"); err == nil {
		t.Error("mode lenient accepted")
	}
	for _, o := range []Options{
		{Encoding: "klingon"},
		{DateFormat: "yyyy-qq"},
		{SamplingRatio: 2},
		{CorruptColumn: "a"}, // not a string column
	} {
		if _, err := NewReader(strings.NewReader(""), "x.csv", ab, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}

// TestInferWholeInput: inference reads every row by default (Spark's
// samplingRatio 1), so a non-number after the first thousand rows still
// makes the column a string, and across files the types widen.
func TestInferWholeInput(t *testing.T) {
	text := "a\n" + strings.Repeat("1\n", 5000) + "x\n"
	s, err := InferSchema(strings.NewReader(text), "big.csv", Options{Header: true, InferSchema: true})
	if err != nil || s.Field(0).Type.ID() != arrow.STRING {
		t.Fatalf("got %v, %v; want a string column", s, err)
	}
	s, err = InferSchema(strings.NewReader(text), "big.csv", Options{Header: true, InferSchema: true, SamplingRows: 1000})
	if err != nil || s.Field(0).Type.ID() != arrow.INT32 {
		t.Fatalf("SamplingRows 1000: got %v, %v; want int", s, err)
	}
	// A sample of about 1% of 5,000 rows of ints and one late float.
	s, err = InferSchema(strings.NewReader("a\n"+strings.Repeat("1\n", 5000)), "big.csv", Options{Header: true, InferSchema: true, SamplingRatio: 0.01})
	if err != nil || s.Field(0).Type.ID() != arrow.INT32 {
		t.Fatalf("samplingRatio: got %v, %v", s, err)
	}
	inf, err := NewInference(Options{Header: true, InferSchema: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"a,b\n1,2020-01-01\n", "a,b\n2.5,2020-01-01 10:00:00\n"} {
		if err := inf.Add(strings.NewReader(text), "f"+string(rune('0'+i))+".csv"); err != nil {
			t.Fatal(err)
		}
	}
	s, err = inf.Schema()
	if err != nil || s.Field(0).Type.ID() != arrow.FLOAT64 || s.Field(1).Type.ID() != arrow.TIMESTAMP {
		t.Fatalf("two files: got %v, %v; want double, timestamp", s, err)
	}
}
