package delta

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

const testSchema = `{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"k","type":"integer","nullable":true,"metadata":{}}]}`

// jsonQuote is s as a JSON string.
func jsonQuote(s string) string { return fmt.Sprintf("%q", s) }

func protocolLine(reader int, features ...string) string {
	if reader == 3 {
		return fmt.Sprintf(`{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["%s"],"writerFeatures":[]}}`, strings.Join(features, `","`))
	}
	return fmt.Sprintf(`{"protocol":{"minReaderVersion":%d,"minWriterVersion":2}}`, reader)
}

func metaLine(conf string) string {
	return `{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":` + jsonQuote(testSchema) +
		`,"partitionColumns":["k"],"configuration":{` + conf + `},"createdTime":1}}`
}

func addLine(path, k string) string {
	pv := `{"k":null}`
	if k != "" {
		pv = `{"k":"` + k + `"}`
	}
	return `{"add":{"path":"` + path + `","partitionValues":` + pv + `,"size":10,"modificationTime":1,"dataChange":true}}`
}

func removeLine(path string) string {
	return `{"remove":{"path":"` + path + `","deletionTimestamp":2,"dataChange":true}}`
}

// writeLog writes the commits (each a list of action lines) as versions
// 0, 1, … of a table in a new directory.
func writeLog(t *testing.T, commits ...[]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "_delta_log"), 0o755); err != nil {
		t.Fatal(err)
	}
	for v, lines := range commits {
		writeCommit(t, dir, int64(v), lines)
	}
	return dir
}

func writeCommit(t *testing.T, dir string, v int64, lines []string) {
	t.Helper()
	name := filepath.Join(dir, "_delta_log", fmt.Sprintf("%020d.json", v))
	if err := os.WriteFile(name, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fileList is the snapshot's files relative to dir with their k values.
func fileList(t *testing.T, s *Snapshot) string {
	t.Helper()
	var parts []string
	for _, f := range s.Files {
		rel, err := filepath.Rel(s.Dir, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		k := "null"
		if v := f.PartitionValues["k"]; v != nil {
			k = *v
		}
		parts = append(parts, filepath.ToSlash(rel)+":"+k)
	}
	return strings.Join(parts, " ")
}

// TestLoadCommits: adds and removes applied in order; an earlier version.
func TestLoadCommits(t *testing.T) {
	ctx := context.Background()
	dir := writeLog(t,
		[]string{`{"commitInfo":{"operation":"WRITE"}}`, protocolLine(1), metaLine(""), addLine("k=1/a.parquet", "1"), addLine("k=2/b.parquet", "2")},
		[]string{removeLine("k=1/a.parquet"), addLine("k=1/c%20d.parquet", "1"), addLine("k=__HIVE_DEFAULT_PARTITION__/e.parquet", "")},
	)
	s, err := Load(ctx, dir, -1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fileList(t, s), "k=1/c d.parquet:1 k=2/b.parquet:2 k=__HIVE_DEFAULT_PARTITION__/e.parquet:null"; got != want {
		t.Errorf("latest: %s\nwant %s", got, want)
	}
	if s.Version != 1 || fmt.Sprint(s.PartitionColumns) != "[k]" || s.Schema.String() != arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "k", Type: arrow.PrimitiveTypes.Int32, Nullable: true}}, nil).String() {
		t.Errorf("version %d, partitions %v, schema %s", s.Version, s.PartitionColumns, s.Schema)
	}
	s, err = Load(ctx, dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fileList(t, s), "k=1/a.parquet:1 k=2/b.parquet:2"; got != want {
		t.Errorf("version 0: %s, want %s", got, want)
	}
	if _, err := Load(ctx, dir, 5); err == nil || !strings.Contains(err.Error(), "version 5 does not exist (the latest is 1)") {
		t.Errorf("version 5: %v", err)
	}
	if _, err := Load(ctx, t.TempDir(), -1); err == nil || !strings.Contains(err.Error(), "not a Delta table") {
		t.Errorf("no log: %v", err)
	}
}

// checkpointSchema is the part of the checkpoint schema the reader uses,
// as Spark writes it (each action a struct column, maps as maps).
var checkpointSchema = arrow.NewSchema([]arrow.Field{
	{Name: "protocol", Nullable: true, Type: arrow.StructOf(
		arrow.Field{Name: "minReaderVersion", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "minWriterVersion", Type: arrow.PrimitiveTypes.Int32, Nullable: true})},
	{Name: "metaData", Nullable: true, Type: arrow.StructOf(
		arrow.Field{Name: "id", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "format", Nullable: true, Type: arrow.StructOf(
			arrow.Field{Name: "provider", Type: arrow.BinaryTypes.String, Nullable: true},
			arrow.Field{Name: "options", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String), Nullable: true})},
		arrow.Field{Name: "schemaString", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "partitionColumns", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
		arrow.Field{Name: "configuration", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String), Nullable: true})},
	{Name: "add", Nullable: true, Type: arrow.StructOf(
		arrow.Field{Name: "path", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "partitionValues", Type: arrow.MapOf(arrow.BinaryTypes.String, arrow.BinaryTypes.String), Nullable: true},
		arrow.Field{Name: "size", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "dataChange", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		arrow.Field{Name: "deletionVector", Nullable: true, Type: arrow.StructOf(
			arrow.Field{Name: "storageType", Type: arrow.BinaryTypes.String, Nullable: true},
			arrow.Field{Name: "pathOrInlineDv", Type: arrow.BinaryTypes.String, Nullable: true}),
		})},
	{Name: "remove", Nullable: true, Type: arrow.StructOf(
		arrow.Field{Name: "path", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "deletionTimestamp", Type: arrow.PrimitiveTypes.Int64, Nullable: true})},
}, nil)

// checkpointRow is one checkpoint row in arrow-go's JSON form: column
// name → value, maps as lists of {"key","value"}.
func checkpointAdd(path, k string) string {
	return `{"add":{"path":"` + path + `","partitionValues":[{"key":"k","value":"` + k + `"}],"size":10,"dataChange":false,"deletionVector":null}}`
}

// writeCheckpoint writes rows (arrow-go JSON objects) as a Parquet
// checkpoint file with pqarrow.
func writeCheckpoint(t *testing.T, path string, rows []string) {
	t.Helper()
	rec, _, err := array.RecordFromJSON(memory.DefaultAllocator, checkpointSchema, strings.NewReader("["+strings.Join(rows, ",")+"]"))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(checkpointSchema, f, nil, pqarrow.DefaultWriterProps())
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

// TestLoadCheckpoint: a checkpoint (one file or two parts) replaces the
// commits before it, which are gone; commits after it still apply.
func TestLoadCheckpoint(t *testing.T) {
	rows := []string{
		`{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}`,
		`{"metaData":{"id":"t","format":{"provider":"parquet","options":[]},"schemaString":` + jsonQuote(testSchema) + `,"partitionColumns":["k"],"configuration":[{"key":"delta.appendOnly","value":"false"}]}}`,
		checkpointAdd("k=1/a.parquet", "1"),
		checkpointAdd("k=2/b.parquet", "2"),
		`{"remove":{"path":"k=3/old.parquet","deletionTimestamp":5}}`,
	}
	for _, parts := range []int{1, 2} {
		t.Run(fmt.Sprintf("parts=%d", parts), func(t *testing.T) {
			dir := writeLog(t)
			log := filepath.Join(dir, "_delta_log")
			if parts == 1 {
				writeCheckpoint(t, filepath.Join(log, fmt.Sprintf("%020d.checkpoint.parquet", 3)), rows)
			} else {
				writeCheckpoint(t, filepath.Join(log, fmt.Sprintf("%020d.checkpoint.%010d.%010d.parquet", 3, 1, 2)), rows[:3])
				writeCheckpoint(t, filepath.Join(log, fmt.Sprintf("%020d.checkpoint.%010d.%010d.parquet", 3, 2, 2)), rows[3:])
			}
			last := fmt.Sprintf(`{"version":3,"size":5}`)
			if parts == 2 {
				last = `{"version":3,"size":5,"parts":2}`
			}
			if err := os.WriteFile(filepath.Join(log, "_last_checkpoint"), []byte(last), 0o644); err != nil {
				t.Fatal(err)
			}
			// Commit 3 (in the checkpoint) still lies around, wrong on purpose:
			// it must not be replayed over the checkpoint.
			writeCommit(t, dir, 3, []string{addLine("k=9/not-read.parquet", "9")})
			writeCommit(t, dir, 4, []string{removeLine("k=1/a.parquet"), addLine("k=1/c.parquet", "1")})
			s, err := Load(context.Background(), dir, -1)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fileList(t, s), "k=1/c.parquet:1 k=2/b.parquet:2"; got != want {
				t.Errorf("files %s, want %s", got, want)
			}
			if s.Version != 4 || s.Configuration["delta.appendOnly"] != "false" {
				t.Errorf("version %d, configuration %v", s.Version, s.Configuration)
			}
			// Without _last_checkpoint the listing finds the checkpoint.
			os.Remove(filepath.Join(log, "_last_checkpoint"))
			s, err = Load(context.Background(), dir, 3)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fileList(t, s), "k=1/a.parquet:1 k=2/b.parquet:2"; got != want {
				t.Errorf("version 3: files %s, want %s", got, want)
			}
			// Version 2 needs commits the checkpoint replaced.
			if _, err := Load(context.Background(), dir, 2); err == nil || !strings.Contains(err.Error(), "00000000000000000000.json is missing") {
				t.Errorf("version 2: %v", err)
			}
		})
	}
}

// TestLoadUnsupported: protocol features, column mapping and deletion
// vectors gspark cannot honour are errors naming them.
func TestLoadUnsupported(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  string
	}{
		{"v2Checkpoint", []string{protocolLine(3, "v2Checkpoint"), metaLine("")}, `reader table feature "v2Checkpoint" is not supported`},
		{"reader 4", []string{protocolLine(4), metaLine("")}, "reader version 4 is not supported"},
		{"column mapping", []string{protocolLine(3, "columnMapping"), metaLine(`"delta.columnMapping.mode":"name"`)}, `column mapping mode "name" is not supported`},
		{"deletion vector", []string{protocolLine(3, "deletionVectors"), metaLine(""),
			`{"add":{"path":"k=1/a.parquet","partitionValues":{"k":"1"},"size":1,"dataChange":true,"deletionVector":{"storageType":"u","pathOrInlineDv":"ab","offset":1,"sizeInBytes":36,"cardinality":2}}}`},
			"file k=1/a.parquet has a deletion vector"},
		{"no metadata", []string{protocolLine(1)}, "no metaData action"},
		{"bad json", []string{protocolLine(1), `{"add":`}, "00000000000000000000.json:2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(context.Background(), writeLog(t, c.lines), -1)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
	// Supported features, and deletion vectors enabled but unused, read.
	dir := writeLog(t, []string{protocolLine(3, "deletionVectors", "timestampNtz", "columnMapping"), metaLine(`"delta.columnMapping.mode":"none"`), addLine("k=1/a.parquet", "1")})
	if _, err := Load(context.Background(), dir, -1); err != nil {
		t.Fatal(err)
	}
}

// TestPartitionValue: the protocol's serialization of each type.
func TestPartitionValue(t *testing.T) {
	str := func(s string) *string { return &s }
	ts := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	cases := []struct {
		t    arrow.DataType
		raw  *string
		want any
	}{
		{arrow.PrimitiveTypes.Int32, str("-7"), int32(-7)},
		{arrow.PrimitiveTypes.Int64, str("5000000000"), int64(5000000000)},
		{arrow.PrimitiveTypes.Int8, str("12"), int8(12)},
		{arrow.PrimitiveTypes.Int16, str("300"), int16(300)},
		{arrow.PrimitiveTypes.Float64, str("2.5"), 2.5},
		{arrow.PrimitiveTypes.Float32, str("0.5"), float32(0.5)},
		{arrow.FixedWidthTypes.Boolean, str("true"), true},
		{arrow.BinaryTypes.String, str("a b"), "a b"},
		{arrow.FixedWidthTypes.Date32, str("1970-01-11"), int32(10)},
		// 1970-01-01 00:00:01.5 UTC is 1,500,000 µs.
		{ts, str("1970-01-01 00:00:01.5"), int64(1500000)},
		{ts, str("1970-01-02 00:00:00"), int64(86400000000)},
		{ts, str("1970-01-01T00:00:00.000002Z"), int64(2)},
		{arrow.PrimitiveTypes.Int32, nil, nil},
		{arrow.PrimitiveTypes.Int32, str(""), nil},
		{arrow.BinaryTypes.String, str(""), nil},
	}
	for _, c := range cases {
		got, err := PartitionValue(c.t, c.raw)
		if err != nil || got != c.want {
			t.Errorf("%s %v: %#v, %v; want %#v", c.t, c.raw, got, err, c.want)
		}
	}
	if _, err := PartitionValue(arrow.PrimitiveTypes.Int32, str("x")); err == nil || !strings.Contains(err.Error(), `"x" is not a valid int32`) {
		t.Errorf("bad int: %v", err)
	}
}

// TestParseSchema: Spark's JSON schema with every primitive and nesting.
func TestParseSchema(t *testing.T) {
	s, err := ParseSchema(`{"type":"struct","fields":[
		{"name":"a","type":"byte","nullable":false,"metadata":{}},
		{"name":"b","type":"short","nullable":true,"metadata":{}},
		{"name":"c","type":"decimal(10,2)","nullable":true,"metadata":{}},
		{"name":"d","type":"timestamp_ntz","nullable":true,"metadata":{}},
		{"name":"e","type":{"type":"array","elementType":"string","containsNull":true},"nullable":true,"metadata":{}},
		{"name":"f","type":{"type":"map","keyType":"string","valueType":"double","valueContainsNull":true},"nullable":true,"metadata":{}},
		{"name":"g","type":{"type":"struct","fields":[{"name":"x","type":"date","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range s.Fields() {
		got = append(got, fmt.Sprintf("%s:%s:%v", f.Name, f.Type, f.Nullable))
	}
	want := "a:int8:false b:int16:true c:decimal64(10, 2):true d:timestamp[us]:true e:list<element: utf8, nullable>:true " +
		"f:map<utf8, float64, items_nullable>:true g:struct<x: date32 nullable>:true"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	if _, err := ParseSchema(`{"type":"struct","fields":[{"name":"v","type":"variant","nullable":true}]}`); err == nil || !strings.Contains(err.Error(), `field v: unsupported type "variant"`) {
		t.Errorf("variant: %v", err)
	}
}
