package avro

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/hamba/avro/v2/ocf"
)

// fixtureSchema is the schema of testdata/io/avro/types_*.avro.
const fixtureSchema = `{"type": "record", "name": "row", "fields": [
 {"name": "b", "type": "boolean"},
 {"name": "i", "type": "int"},
 {"name": "l", "type": ["null", "long"]},
 {"name": "f", "type": "float"},
 {"name": "d", "type": "double"},
 {"name": "s", "type": "string"},
 {"name": "by", "type": "bytes"},
 {"name": "fx", "type": {"type": "fixed", "name": "two", "size": 2}},
 {"name": "e", "type": ["null", {"type": "enum", "name": "color", "symbols": ["RED", "GREEN"]}]},
 {"name": "dt", "type": {"type": "int", "logicalType": "date"}},
 {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}},
 {"name": "tsm", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
 {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2}},
 {"name": "arr", "type": {"type": "array", "items": "int"}},
 {"name": "m", "type": {"type": "map", "values": ["null", "string"]}},
 {"name": "rec", "type": ["null", {"type": "record", "name": "inner", "fields": [{"name": "x", "type": "long"}, {"name": "y", "type": "string"}]}]},
 {"name": "u", "type": ["int", "long"]}
]}`

// fixtureRows are the two records of the fixtures, as hamba/avro's
// generic encoder takes them (named types in unions under their name).
func fixtureRows() []map[string]any {
	return []map[string]any{{
		"b": true, "i": 7, "l": int64(9007199254740993), "f": float32(1.5), "d": 2.25, "s": "héllo",
		"by": []byte{0x00, 0xff}, "fx": [2]byte{1, 2}, "e": map[string]any{"color": "GREEN"},
		"dt":  time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		"ts":  time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC),
		"tsm": time.Date(2024, 1, 2, 3, 4, 5, 123000000, time.UTC),
		"dec": big.NewRat(1234, 100), "arr": []any{1, 2, 3}, "m": map[string]any{"a": "x", "b": nil},
		"rec": map[string]any{"inner": map[string]any{"x": int64(3), "y": "z"}}, "u": 5,
	}, {
		"b": false, "i": -1, "l": nil, "f": float32(-0.25), "d": -1e300, "s": "",
		"by": []byte{}, "fx": [2]byte{0, 0}, "e": nil,
		"dt": time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), "ts": time.Unix(0, 0).UTC(), "tsm": nil,
		"dec": big.NewRat(-5, 100), "arr": []any{}, "m": map[string]any{}, "rec": nil, "u": map[string]any{"long": int64(1) << 40},
	}}
}

var codecs = []ocf.CodecName{ocf.Null, ocf.Deflate, ocf.Snappy, ocf.ZStandard}

// TestWriteFixtures rewrites the checked-in fixtures when
// GSPARK_WRITE_AVRO_FIXTURES=1 (see testdata/io/README.md).
func TestWriteFixtures(t *testing.T) {
	if os.Getenv("GSPARK_WRITE_AVRO_FIXTURES") != "1" {
		t.Skip("set GSPARK_WRITE_AVRO_FIXTURES=1 to rewrite the fixtures")
	}
	for _, c := range codecs {
		f, err := os.Create(filepath.Join("..", "..", "testdata", "io", "avro", "types_"+string(c)+".avro"))
		if err != nil {
			t.Fatal(err)
		}
		enc, err := ocf.NewEncoder(fixtureSchema, f, ocf.WithCodec(c), ocf.WithSyncBlock([16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range fixtureRows() {
			if err := enc.Encode(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}

func rowsOf(t *testing.T, path string, opts Options) (*arrow.Schema, [][]string) {
	t.Helper()
	r, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rows [][]string
	for {
		b, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < int(b.NumRows()); i++ {
			var row []string
			for _, c := range b.Columns() {
				switch a := c.(type) {
				case *array.Timestamp:
					row = append(row, fmt.Sprint(int64(a.Value(i))))
					if a.IsNull(i) {
						row[len(row)-1] = "(null)"
					}
				default:
					row = append(row, c.ValueStr(i))
				}
			}
			rows = append(rows, row)
		}
		b.Release()
	}
	return r.Schema(), rows
}

func TestReadFixtures(t *testing.T) {
	wantSchema := "b: bool, i: int32, l: int64?, f: float32, d: float64, s: utf8, by: binary, fx: binary, e: utf8?, dt: date32, " +
		"ts: timestamp[us, tz=UTC], tsm: timestamp[us, tz=UTC]?, dec: decimal(5, 2), arr: list<element: int32>, " +
		"m: map<utf8, utf8, items_nullable>, rec: struct<x: int64, y: utf8>?, u: int64"
	// Hand-computed: 2024-02-29 is 54*365 + 13 leap days + 59 = 19782 days
	// after 1970-01-01; 2024-01-02T03:04:05Z is 19724*86400 + 11045 =
	// 1704164645 seconds.
	want := [][]string{
		{"true", "7", "9007199254740993", "1.5", "2.25", "héllo", "AP8=", "AQI=", "GREEN", "2024-02-29",
			"1704164645123456", "1704164645123000", "12.34", "[1,2,3]", `[{"key":"a","value":"x"},{"key":"b","value":null}]`, `{"x":3,"y":"z"}`, "5"},
		{"false", "-1", "(null)", "-0.25", "-1e+300", "", "", "AAA=", "(null)", "1969-12-31",
			"0", "(null)", "-0.05", "[]", "[]", "(null)", "1099511627776"},
	}
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	for _, c := range codecs {
		path := filepath.Join("..", "..", "testdata", "io", "avro", "types_"+string(c)+".avro")
		s, rows := rowsOf(t, path, Options{Mem: mem, BatchSize: 1})
		var fs []string
		for _, f := range s.Fields() {
			n := f.Name + ": " + f.Type.String()
			if f.Nullable {
				n += "?"
			}
			fs = append(fs, n)
		}
		if got := strings.Join(fs, ", "); got != wantSchema {
			t.Errorf("%s: schema\n%s\nwant\n%s", c, got, wantSchema)
		}
		if fmt.Sprintf("%q", rows) != fmt.Sprintf("%q", want) {
			t.Errorf("%s: rows\n%q\nwant\n%q", c, rows, want)
		}
		// Projection: only s, by name and ignoring case.
		ps := arrow.NewSchema([]arrow.Field{{Name: "I", Type: arrow.PrimitiveTypes.Int32}, {Name: "S", Type: arrow.BinaryTypes.String}}, nil)
		_, rows = rowsOf(t, path, Options{Schema: ps, Read: []bool{false, true}, Mem: mem})
		if fmt.Sprint(rows) != "[[(null) héllo] [(null) ]]" {
			t.Errorf("%s: projected rows %q", c, rows)
		}
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	// A union of string and int has no Spark type here: the error names the column.
	union := filepath.Join(dir, "union.avro")
	f, err := os.Create(union)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := ocf.NewEncoder(`{"type": "record", "name": "r", "fields": [{"name": "ok", "type": "int"}, {"name": "either", "type": ["null", "string", "int"]}]}`, f)
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(map[string]any{"ok": 1, "either": "a"}); err != nil {
		t.Fatal(err)
	}
	enc.Close()
	f.Close()
	if _, err := ReadSchema(union); err == nil || !strings.Contains(err.Error(), "column either") || !strings.Contains(err.Error(), union) {
		t.Errorf("union error %v", err)
	}

	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "io", "avro", "types_deflate.avro"))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{
		"garbage.avro":   []byte("this is not avro"),
		"truncated.avro": data[:len(data)-40],
		"header.avro":    data[:20],
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path, Options{})
		for err == nil {
			var b arrow.RecordBatch
			b, err = r.Next()
			if b != nil {
				b.Release()
			}
		}
		if r != nil {
			r.Close()
		}
		if errors.Is(err, io.EOF) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v does not name the file", name, err)
		}
	}
}
