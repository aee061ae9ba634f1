package parquet

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// TestWidens: the widenings Spark allows when merging Parquet schemas.
func TestWidens(t *testing.T) {
	i8, i16, i32, i64 := arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64
	f32, f64, str := arrow.PrimitiveTypes.Float32, arrow.PrimitiveTypes.Float64, arrow.BinaryTypes.String
	tsUTC := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	tsNTZ := &arrow.TimestampType{Unit: arrow.Microsecond}
	tsMs := &arrow.TimestampType{Unit: arrow.Millisecond}
	cases := []struct {
		from, to arrow.DataType
		want     bool
	}{
		{i8, i16, true}, {i16, i32, true}, {i32, i64, true}, {i8, i64, true}, {i64, i32, false},
		{f32, f64, true}, {f64, f32, false}, {i32, f64, false}, {i32, str, false}, {str, str, true},
		{tsUTC, tsNTZ, true}, {tsNTZ, tsUTC, true}, {tsUTC, tsMs, false},
	}
	for _, c := range cases {
		if got := Widens(c.from, c.to); got != c.want {
			t.Errorf("Widens(%s, %s) = %v", c.from, c.to, got)
		}
	}
}

// TestMergeSchemas: first-seen order, the wider type, nullable when a file
// lacks the column, names matched ignoring case.
func TestMergeSchemas(t *testing.T) {
	a := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int32}, {Name: "x", Type: arrow.PrimitiveTypes.Float32}}, nil)
	b := arrow.NewSchema([]arrow.Field{{Name: "ID", Type: arrow.PrimitiveTypes.Int64}, {Name: "name", Type: arrow.BinaryTypes.String}}, nil)
	m, err := MergeSchemas([]string{"a", "b"}, []*arrow.Schema{a, b})
	if err != nil {
		t.Fatal(err)
	}
	want := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}, {Name: "x", Type: arrow.PrimitiveTypes.Float32, Nullable: true}, {Name: "name", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	if !m.Equal(want) {
		t.Errorf("merged %s\nwant %s", m, want)
	}
	cols, identity, err := ColumnMap("b", b, m)
	if err != nil || identity || len(cols) != 3 || cols[0] != 0 || cols[1] != -1 || cols[2] != 1 {
		t.Errorf("ColumnMap: %v %v %v", cols, identity, err)
	}
	c := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.BinaryTypes.String}}, nil)
	if _, err := MergeSchemas([]string{"a", "c"}, []*arrow.Schema{a, c}); err == nil || !strings.Contains(err.Error(), "column x is float32 in a but utf8 in c") {
		t.Errorf("conflict: %v", err)
	}
}
