package frame_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

type createAddress struct {
	City string
	Zip  *int32 `gspark:"zip"`
}

type createPerson struct {
	Name    string `gspark:"name"`
	Age     int    `gspark:"age"`
	Small   int8
	Score   float64
	Ratio   float32
	Ok      bool
	Born    time.Time
	Tags    []string
	Attrs   map[string]int
	Home    createAddress
	Manager *string
	Count   uint16
	Vec     linalg.Vector
	Skipped int `gspark:"-"`
	hidden  int
}

// TestCreateDataFrameFromStructs reads back every column type, checked
// against the values written (and SQL over them), with nulls from nil
// pointers, slices and maps.
func TestCreateDataFrameFromStructs(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	zip := int32(75001)
	boss := "ann"
	born := time.Date(1990, 5, 17, 8, 30, 0, 0, time.UTC)
	people := []createPerson{
		{Name: "bob", Age: 41, Small: -3, Score: 2.5, Ratio: 0.25, Ok: true, Born: born,
			Tags: []string{"a", "b"}, Attrs: map[string]int{"x": 1, "y": 2},
			Home: createAddress{City: "Paris", Zip: &zip}, Manager: &boss, Count: 65535, Vec: linalg.Dense(1, 2)},
		{Name: "eve", Age: 7},
	}
	df := s.CreateDataFrame(people)
	if df.Err() != nil {
		t.Fatal(df.Err())
	}
	var names []string
	for _, f := range df.Schema().Fields() {
		names = append(names, f.Name+" "+f.Type.String())
	}
	want := []string{"name utf8", "age int64", "Small int8", "Score float64", "Ratio float32", "Ok bool",
		"Born timestamp[us, tz=UTC]", "Tags list<item: utf8, nullable>",
		"Attrs map<utf8, int64, items_nullable>", "Home struct<City: utf8 nullable, zip: int32 nullable>", "Manager utf8", "Count int32", "Vec vector"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("schema:\n got %v\nwant %v", names, want)
	}
	if err := df.CreateOrReplaceTempView("people"); err != nil {
		t.Fatal(err)
	}
	rows := collect(t, s.SQL(`SELECT name, age, Small, Score, Ratio, Ok, Born, size(Tags), Tags[1], Attrs['y'],
		Home.City, Home.zip, Manager, Count, Vec IS NULL FROM people ORDER BY name`))
	got := fmt.Sprint(rows)
	wantRows := "[[bob 41 -3 2.5 0.25 true 1990-05-17 08:30:00 +0000 UTC 2 b 2 Paris 75001 ann 65535 false] " +
		"[eve 7 0 0 0 false 0001-01-01 00:00:00 +0000 UTC <nil> <nil> <nil>  <nil> <nil> 0 true]]"
	if got != wantRows {
		t.Fatalf("rows:\n got %s\nwant %s", got, wantRows)
	}
}

// TestCreateDataFrameRowsWithDDL builds rows against a DDL schema, with
// nulls, integer widening into doubles and nested values.
func TestCreateDataFrameRowsWithDDL(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	df := s.CreateDataFrameRows([][]any{
		{1, "x", 1.5, []any{int64(1), 2}, map[string]any{"p": 3, "q": "s"}, time.Date(2024, 2, 29, 23, 0, 0, 0, time.UTC)},
		{nil, nil, 2, nil, []any{nil, "t"}, nil},
	}, "a INT, b STRING, c DOUBLE, d ARRAY<BIGINT>, e STRUCT<p: INT, q: STRING>, f DATE")
	if df.Err() != nil {
		t.Fatal(df.Err())
	}
	if err := df.CreateOrReplaceTempView("t"); err != nil {
		t.Fatal(err)
	}
	rows := collect(t, s.SQL("SELECT a, b, c, d[1], e.p, e.q, CAST(f AS STRING) FROM t"))
	got := fmt.Sprint(rows)
	want := "[[1 x 1.5 2 3 s 2024-02-29] [<nil> <nil> 2 <nil> <nil> t <nil>]]"
	if got != want {
		t.Fatalf("rows:\n got %s\nwant %s", got, want)
	}
	if ty := df.Schema().Field(0).Type; ty.ID() != arrow.INT32 {
		t.Fatalf("a has type %s, want int32", ty)
	}

	sch := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int16, Nullable: true}}, nil)
	rows = collect(t, s.CreateDataFrameArrow([][]any{{int16(4)}, {uint8(5)}}, sch))
	if fmt.Sprint(rows) != "[[4] [5]]" {
		t.Fatalf("arrow schema rows: %v", rows)
	}
}

// TestCreateDataFrameErrors checks that mismatches name the row and field.
func TestCreateDataFrameErrors(t *testing.T) {
	s := frame.NewSession()
	type bad struct{ C chan int }
	cases := []struct {
		df   *frame.DataFrame
		want string
	}{
		{s.CreateDataFrameRows([][]any{{1, "a"}, {"two", "b"}}, "a INT, b STRING"), `row 1, field a: cannot store string "two" in a int32 column`},
		{s.CreateDataFrameRows([][]any{{300}}, "a TINYINT"), "row 0, field a: 300 is out of range"},
		{s.CreateDataFrameRows([][]any{{[]any{1, "x"}}}, "a ARRAY<INT>"), `row 0, field a[1]: cannot store string "x"`},
		{s.CreateDataFrameRows([][]any{{map[string]any{"p": 1.5}}}, "s STRUCT<p: INT>"), `row 0, field s.p: cannot store float64 "1.5"`},
		{s.CreateDataFrameRows([][]any{{1, 2}}, "a INT"), "row 0: 2 values for 1 columns"},
		{s.CreateDataFrameRows(nil, "a WHATEVER"), "schema"},
		{s.CreateDataFrame([]bad{{}}), "field C: unsupported Go type chan int"},
		{s.CreateDataFrame([]*createAddress{{City: "x"}, nil}), "row 1: nil"},
		{s.CreateDataFrame(42), "slice of structs"},
	}
	for _, c := range cases {
		if c.df.Err() == nil || !strings.Contains(c.df.Err().Error(), c.want) {
			t.Errorf("error %v, want one containing %q", c.df.Err(), c.want)
		}
	}
}
