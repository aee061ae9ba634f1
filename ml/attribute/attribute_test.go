package attribute

import (
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// Expected JSON is written by hand from Spark's attribute layout
// (AttributeKeys and toMetadataImpl in org.apache.spark.ml.attribute).
func TestScalarJSON(t *testing.T) {
	cases := []struct {
		a    Attribute
		want string
	}{
		{NewNominal("idx", []string{"a", "c", "b", "__unknown"}), `{"type":"nominal","name":"idx","vals":["a","c","b","__unknown"]}`},
		{NewNominalCount("", 3), `{"type":"nominal","num_vals":3}`},
		{NewNumeric("x"), `{"type":"numeric","name":"x"}`},
		{NewBinary("b"), `{"type":"binary","name":"b"}`},
	}
	for _, c := range cases {
		if got := c.a.JSON(); got != c.want {
			t.Errorf("JSON: got %s want %s", got, c.want)
		}
		f := arrow.Field{Name: "col", Type: arrow.PrimitiveTypes.Float64, Metadata: c.a.Metadata(arrow.Metadata{})}
		back, ok, err := FromField(f)
		if err != nil || !ok {
			t.Fatalf("FromField: %v %v", ok, err)
		}
		want := c.a
		if want.Name == "" {
			want.Name = "col"
		}
		if !reflect.DeepEqual(back, want) {
			t.Errorf("round trip: got %+v want %+v", back, want)
		}
	}
	// Spark's JSON with no type is numeric.
	f := arrow.Field{Name: "v", Metadata: arrow.NewMetadata([]string{Key}, []string{`{"name":"v","min":1.5}`})}
	a, ok, err := FromField(f)
	if err != nil || !ok || a.Type != Numeric || a.Min == nil || *a.Min != 1.5 {
		t.Fatalf("untyped: %+v %v %v", a, ok, err)
	}
	if n, ok := NewNominal("", []string{"a", "b", "c"}).Cardinality(); !ok || n != 3 {
		t.Fatalf("cardinality %d %v", n, ok)
	}
	if _, ok := NewNumeric("").Cardinality(); ok {
		t.Fatal("numeric has no cardinality")
	}
}

func TestFromFieldErrors(t *testing.T) {
	for _, v := range []string{`{"type":"weird"}`, `{"type":"nominal","num_vals":2,"vals":["a","b"]}`, `{"type":"binary","vals":["a"]}`, `not json`} {
		f := arrow.Field{Name: "c1", Metadata: arrow.NewMetadata([]string{Key}, []string{v})}
		if _, _, err := FromField(f); err == nil {
			t.Errorf("%s: want an error", v)
		}
	}
	if _, ok, err := FromField(arrow.Field{Name: "x"}); ok || err != nil {
		t.Fatal("no metadata is no attribute")
	}
}

func TestGroupJSON(t *testing.T) {
	g := NewGroup([]Attribute{NewNumeric(""), NewNominal("f_c", []string{"a", "b"}), NewBinary("f_b"), NewNumeric("num")})
	want := `{"attrs":{"binary":[{"name":"f_b","idx":2}],"nominal":[{"name":"f_c","idx":1,"vals":["a","b"]}],"numeric":[{"name":"num","idx":3}]},"num_attrs":4}`
	if got := g.JSON(); got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	f := arrow.Field{Name: "features", Metadata: g.Metadata(arrow.NewMetadata([]string{"other"}, []string{"1"}))}
	if v, _ := f.Metadata.GetValue("other"); v != "1" {
		t.Fatal("other metadata lost")
	}
	back, ok, err := GroupFromField(f)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if n, ok := back.NumAttributes(); !ok || n != 4 {
		t.Fatalf("size %d", n)
	}
	if back.Attrs[0].Type != Numeric || back.Attrs[1].Type != Nominal || back.Attrs[2].Type != Binary || back.Attrs[3].Name != "num" {
		t.Fatalf("slots %+v", back.Attrs)
	}
	if cf := back.CategoricalFeatures(); !reflect.DeepEqual(cf, map[int]int{1: 2, 2: 2}) {
		t.Fatalf("categorical %v", cf)
	}
	sizeOnly := Group{Size: 5}
	if got := sizeOnly.JSON(); got != `{"num_attrs":5}` {
		t.Fatalf("size only: %s", got)
	}
	bad := arrow.Field{Name: "v", Metadata: arrow.NewMetadata([]string{Key}, []string{`{"attrs":{"nominal":[{"idx":7,"num_vals":2}]},"num_attrs":3}`})}
	if _, _, err := GroupFromField(bad); err == nil {
		t.Fatal("want an error for a slot outside the vector")
	}
}
