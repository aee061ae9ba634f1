package frame_test

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
)

func TestWithMetadataFollowsColumn(t *testing.T) {
	s := frame.NewSession()
	df := s.CreateDataFrameRows([][]any{{int64(0)}, {int64(1)}, {int64(2)}}, "id BIGINT").WithColumn("x", frame.Col("id").Add(1))
	md := arrow.NewMetadata([]string{"ml_attr"}, []string{`{"type":"nominal","num_vals":3}`})
	df = df.WithMetadata("x", md)
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	check := func(what string, d *frame.DataFrame, col string) {
		t.Helper()
		if err := d.Err(); err != nil {
			t.Fatal(err)
		}
		f, ok := d.Schema().FieldsByName(col)
		if !ok {
			t.Fatalf("%s: no column %q", what, col)
		}
		if v, ok := f[0].Metadata.GetValue("ml_attr"); !ok || v != `{"type":"nominal","num_vals":3}` {
			t.Fatalf("%s: metadata %v", what, f[0].Metadata)
		}
	}
	check("withMetadata", df, "x")
	check("select", df.Select(frame.Col("x")), "x")
	check("rename", df.WithColumnRenamed("x", "y"), "y")
	check("filter", df.Filter(frame.Col("x").Gt(1)), "x")
	// Another column carries none; a computed column from x carries none.
	d2 := df.WithColumn("z", frame.Col("x").Add(1))
	f, _ := d2.Schema().FieldsByName("z")
	if f[0].HasMetadata() {
		t.Fatalf("computed column kept metadata %v", f[0].Metadata)
	}
	rows, err := df.Collect(context.Background())
	if err != nil || len(rows) != 3 {
		t.Fatalf("collect: %v %v", rows, err)
	}
	if df.WithMetadata("nope", md).Err() == nil {
		t.Fatal("want an error for a missing column")
	}
}

// A source's field metadata (here an Arrow schema given to
// CreateDataFrameArrow) shows on the DataFrame's schema.
func TestSourceFieldMetadata(t *testing.T) {
	s := frame.NewSession()
	md := arrow.NewMetadata([]string{"ml_attr"}, []string{`{"type":"nominal","vals":["a","b"]}`})
	sch := arrow.NewSchema([]arrow.Field{{Name: "idx", Type: arrow.PrimitiveTypes.Float64, Metadata: md}}, nil)
	df := s.CreateDataFrameArrow([][]any{{0.0}, {1.0}}, sch).Select(frame.Col("idx"))
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	if v, ok := df.Schema().Field(0).Metadata.GetValue("ml_attr"); !ok || v != `{"type":"nominal","vals":["a","b"]}` {
		t.Fatalf("metadata %v", df.Schema().Field(0).Metadata)
	}
	rows, err := df.Collect(context.Background())
	if err != nil || len(rows) != 2 {
		t.Fatalf("collect: %v %v", rows, err)
	}
}
