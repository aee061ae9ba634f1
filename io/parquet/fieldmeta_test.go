package parquet

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// sparkIndexedFooter is the schema JSON Spark writes in the footer of a
// DataFrame holding a string column and StringIndexer's output: a
// StructType's JSON with the nominal attribute of the indexed column in
// the field's "metadata" (Spark's StructField.jsonValue and
// NominalAttribute's "ml_attr" object: vals, type, name).
const sparkIndexedFooter = `{"type":"struct","fields":[{"name":"cat","type":"string","nullable":true,"metadata":{}},` +
	`{"name":"idx","type":"double","nullable":false,"metadata":{"ml_attr":{"vals":["a","c","b"],"type":"nominal","name":"idx"}}}]}`

// twoColumns is a batch of a string column and a double column; idxMeta
// is the Arrow metadata of the double column.
func twoColumns(t *testing.T, idxMeta arrow.Metadata) arrow.RecordBatch {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{{Name: "cat", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "idx", Type: arrow.PrimitiveTypes.Float64, Metadata: idxMeta}}, nil)
	b := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"a", "b", "c", "a"}, nil)
	b.Field(1).(*array.Float64Builder).AppendValues([]float64{0, 2, 1, 0}, nil)
	return b.NewRecordBatch()
}

// TestSparkFieldMetadataRead: a file whose footer holds Spark's schema JSON
// (written here with arrow-go's writer, so gspark's writer plays no part)
// opens with the column's ML attributes in its Arrow field metadata.
func TestSparkFieldMetadataRead(t *testing.T) {
	rec := twoColumns(t, arrow.Metadata{})
	defer rec.Release()
	var buf bytes.Buffer
	fw, err := pqarrow.NewFileWriter(rec.Schema(), &buf, parquet.NewWriterProperties(), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.AppendKeyValueMetadata("org.apache.spark.sql.parquet.row.metadata", sparkIndexedFooter); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "spark.parquet")
	if err != nil {
		t.Fatal(err)
	}
	s := f.Schema()
	got, ok := s.Field(1).Metadata.GetValue("ml_attr")
	if want := `{"vals":["a","c","b"],"type":"nominal","name":"idx"}`; !ok || got != want {
		t.Fatalf("idx ml_attr %q, want %q", got, want)
	}
	if s.Field(0).Metadata.Len() != 0 {
		t.Fatalf("cat metadata %v", s.Field(0).Metadata)
	}
}

// footerValue returns the value of key in the footer of a Parquet file, as
// arrow-go's reader sees it.
func footerValue(t *testing.T, data []byte, key string) *string {
	t.Helper()
	r, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return r.MetaData().KeyValueMetadata().FindValue(key)
}

// TestSparkFieldMetadataWrite: a column with ML attributes makes the
// writer store Spark's schema JSON in the footer, equal (as JSON) to what
// Spark writes for the same DataFrame; gspark reads the attributes back;
// without attributes no entry is written.
func TestSparkFieldMetadataWrite(t *testing.T) {
	attr := arrow.NewMetadata([]string{"ml_attr"}, []string{`{"vals":["a","c","b"],"type":"nominal","name":"idx"}`})
	rec := twoColumns(t, attr)
	defer rec.Release()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, rec.Schema(), WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	v := footerValue(t, buf.Bytes(), "org.apache.spark.sql.parquet.row.metadata")
	if v == nil {
		t.Fatal("no Spark schema in the footer")
	}
	var got, want any
	if err := json.Unmarshal([]byte(*v), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(sparkIndexedFooter), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("footer schema\n%s\nSpark's\n%s", *v, sparkIndexedFooter)
	}
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "gspark.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := f.Schema().Field(1).Metadata.GetValue("ml_attr"); g != `{"vals":["a","c","b"],"type":"nominal","name":"idx"}` {
		t.Fatalf("read back ml_attr %q", g)
	}

	plain := twoColumns(t, arrow.Metadata{})
	defer plain.Release()
	buf.Reset()
	if w, err = NewWriter(&buf, plain.Schema(), WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(w.Write(plain), w.Close()); err != nil {
		t.Fatal(err)
	}
	if v := footerValue(t, buf.Bytes(), "org.apache.spark.sql.parquet.row.metadata"); v != nil {
		t.Fatalf("footer schema written without ML attributes: %s", *v)
	}

	bad := twoColumns(t, arrow.NewMetadata([]string{"ml_attr"}, []string{`{"vals":`}))
	defer bad.Release()
	if _, err := NewWriter(&buf, bad.Schema(), WriterOptions{}); err == nil {
		t.Fatal("ml_attr that is not JSON was accepted")
	}
}
