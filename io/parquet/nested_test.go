package parquet

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/io/source"
)

// nestedCase is a column of nested values given as Arrow JSON, and the
// values as the conformance test renders them (normValue), written by hand.
type nestedCase struct {
	name string
	typ  arrow.DataType
	json string
	want []string
}

func nestedCases() []nestedCase {
	i32, str := arrow.PrimitiveTypes.Int32, arrow.BinaryTypes.String
	return []nestedCase{
		{"l", arrow.ListOf(i32), `[[1, null, 3], null, [], [null]]`,
			[]string{"[n:1, null, n:3]", "null", "[]", "[null]"}},
		{"ll", arrow.ListOf(arrow.ListOf(i32)), `[[[1, 2], [], null], [null], null, []]`,
			[]string{"[[n:1, n:2], [], null]", "[null]", "null", "[]"}},
		{"s", arrow.StructOf(arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
			arrow.Field{Name: "b", Type: arrow.ListOf(str), Nullable: true}),
			`[{"a": 1, "b": ["x", null]}, null, {"a": null, "b": null}, {"a": 4, "b": []}]`,
			[]string{"{a:n:1, b:[s:x, null]}", "null", "{a:null, b:null}", "{a:n:4, b:[]}"}},
		{"m", arrow.MapOf(str, arrow.ListOf(i32)),
			`[[{"key": "k1", "value": [1]}, {"key": "k2", "value": null}], null, [], [{"key": "k", "value": []}]]`,
			[]string{"map{s:k1=>[n:1], s:k2=>null}", "null", "map{}", "map{s:k=>[]}"}},
		{"ls", arrow.ListOf(arrow.StructOf(arrow.Field{Name: "x", Type: arrow.StructOf(arrow.Field{Name: "y", Type: str, Nullable: true}), Nullable: true})),
			`[[{"x": {"y": "a"}}, {"x": null}, null, {"x": {"y": null}}], [], null, [null]]`,
			[]string{"[{x:{y:s:a}}, {x:null}, null, {x:{y:null}}]", "[]", "null", "[null]"}},
		// decimal64 (written as decimal128 by pqarrow) inside a list, a
		// struct and a map.
		{"dec", arrow.StructOf(arrow.Field{Name: "l", Type: arrow.ListOf(&arrow.Decimal64Type{Precision: 10, Scale: 2}), Nullable: true},
			arrow.Field{Name: "m", Type: arrow.MapOf(str, &arrow.Decimal64Type{Precision: 4, Scale: 0}), Nullable: true}),
			`[{"l": ["1.50", null], "m": [{"key": "k", "value": "-12"}]}, {"l": null, "m": null}, null, {"l": ["-0.01"], "m": []}]`,
			[]string{"{l:[n:1.5, null], m:map{s:k=>n:-12}}", "{l:null, m:null}", "null", "{l:[n:-0.01], m:map{}}"}},
	}
}

// nestedBatch builds one batch holding every case as a column.
func nestedBatch(t *testing.T, mem memory.Allocator) arrow.RecordBatch {
	t.Helper()
	var fields []arrow.Field
	var cols []arrow.Array
	for _, c := range nestedCases() {
		a, _, err := array.FromJSON(mem, c.typ, strings.NewReader(c.json))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		fields = append(fields, arrow.Field{Name: c.name, Type: c.typ, Nullable: true})
		cols = append(cols, a)
	}
	b := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(cols[0].Len()))
	for _, a := range cols {
		a.Release()
	}
	return b
}

// gspark's writer stores lists, maps and structs with nulls at every level
// as standard Parquet that arrow-go reads back to the values written, and
// gspark's reader reads them back the same, batch boundaries anywhere.
func TestNestedWriteRead(t *testing.T) {
	mem := exectest.Alloc(t)
	b := nestedBatch(t, mem)
	defer b.Release()
	data := writeFile(t, b.Schema(), []arrow.RecordBatch{b, b}, WriterOptions{})
	path := filepath.Join(t.TempDir(), "nested.parquet")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ref, err := readWithArrow(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(data), int64(len(data)), "nested.parquet")
	if err != nil {
		t.Fatal(err)
	}
	// A leaf's statistics say nothing about its list, map or struct being
	// null (its null count counts empty lists and null elements too).
	if got := f.Usable([]source.Filter{{Column: "l", Op: source.IsNotNull}, {Column: "s", Op: source.IsNull}}); len(got) != 0 {
		t.Errorf("usable filters on nested columns: %v", got)
	}
	for ci, c := range nestedCases() {
		if !arrow.TypeEqual(f.Schema().Field(ci).Type, c.typ) {
			t.Errorf("%s: read as %s, written as %s", c.name, f.Schema().Field(ci).Type, c.typ)
		}
		for _, bs := range []int{1, 3, 100} {
			got := readColumnBatches(t, f, ci, bs, mem)
			want := append(append([]string(nil), c.want...), c.want...)
			if len(got) != len(want) || len(ref.rows) != len(want) {
				t.Fatalf("%s: gspark %d rows, arrow-go %d, want %d", c.name, len(got), len(ref.rows), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("%s batch %d row %d: gspark %s, want %s", c.name, bs, i, got[i], want[i])
				}
				if a := ref.rows[i][ref.col[c.name]]; a != want[i] {
					t.Errorf("%s row %d: arrow-go %s, want %s", c.name, i, a, want[i])
				}
			}
		}
	}
}

// readColumnBatches reads column c of every row group in batches of bs
// rows and renders its values with normValue.
func readColumnBatches(t *testing.T, f *File, c, bs int, mem memory.Allocator) []string {
	t.Helper()
	var out []string
	for rg := range f.NumRowGroups() {
		r, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{Columns: []int{c}, BatchSize: bs, Mem: mem})
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
			col := b.Column(0)
			for i := range col.Len() {
				v, err := normValue(col, i)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, v)
			}
			b.Release()
		}
		r.Close()
	}
	return out
}
