package samples

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/samples/tpchgen"
)

func readTable(t *testing.T, mem memory.Allocator, data []byte) (arrow.Table, int) {
	t.Helper()
	rd, err := file.NewParquetReader(bytes.NewReader(data), file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	fr, err := pqarrow.NewFileReader(rd, pqarrow.ArrowReadProperties{BatchSize: 4096}, mem)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tbl, rd.NumRowGroups()
}

func TestTables(t *testing.T) {
	ts := Tables()
	var names []string
	for _, tb := range ts {
		names = append(names, tb.Name)
		if len(tb.Data) < 8 || string(tb.Data[:4]) != "PAR1" {
			t.Errorf("%s: not a Parquet file", tb.Name)
		}
	}
	if got := strings.Join(names, ","); got != "customer,iris,lineitem,nation,orders,part,partsupp,region,supplier" {
		t.Fatalf("Tables() = %s", got)
	}
	// Each call returns fresh data.
	ts[0].Data[0] = 'X'
	ts[0].Name = "changed"
	if again := Tables(); again[0].Name != "customer" || again[0].Data[0] != 'P' {
		t.Error("Tables() shares state between calls")
	}
	for _, bad := range []string{"", "nope", "../samples", "data/iris", "iris.parquet"} {
		if _, ok := Lookup(bad); ok {
			t.Errorf("Lookup(%q) found a table", bad)
		}
	}
	mem := exectest.Alloc(t)
	for _, name := range tpchgen.Tables() {
		tb, ok := Lookup(name)
		if !ok {
			t.Fatalf("Lookup(%s) failed", name)
		}
		tbl, _ := readTable(t, mem, tb.Data)
		if tbl.NumRows() != tpchgen.RowCount(name, 0.01) {
			t.Errorf("%s: %d rows, want %d", name, tbl.NumRows(), tpchgen.RowCount(name, 0.01))
		}
		tbl.Release()
	}
}

func TestLineitem(t *testing.T) {
	mem := exectest.Alloc(t)
	tb, ok := Lookup("lineitem")
	if !ok {
		t.Fatal("no lineitem")
	}
	tbl, groups := readTable(t, mem, tb.Data)
	defer tbl.Release()
	if groups != 4 {
		t.Errorf("lineitem has %d row groups, want 4", groups)
	}
	s := tbl.Schema()
	for _, c := range []string{"l_quantity", "l_extendedprice", "l_discount", "l_tax"} {
		idx := s.FieldIndices(c)
		if len(idx) != 1 {
			t.Fatalf("no column %s", c)
		}
		d, ok := s.Field(idx[0]).Type.(arrow.DecimalType)
		if !ok || d.GetPrecision() != 15 || d.GetScale() != 2 {
			t.Errorf("%s: type %s, want decimal(15,2)", c, s.Field(idx[0]).Type)
		}
	}
	if idx := s.FieldIndices("l_shipdate"); len(idx) != 1 || s.Field(idx[0]).Type.ID() != arrow.DATE32 {
		t.Errorf("l_shipdate type: %v", s)
	}
	// The first row belongs to order 1.
	tr := array.NewTableReader(tbl, 100)
	defer tr.Release()
	if !tr.Next() {
		t.Fatal("empty lineitem")
	}
	rec := tr.RecordBatch()
	if k := rec.Column(0).(*array.Int64).Value(0); k != 1 {
		t.Errorf("first l_orderkey %d", k)
	}
}

// TestReproducible regenerates the TPC-H tables and compares them with the
// embedded files byte for byte.
func TestReproducible(t *testing.T) {
	dir := t.TempDir()
	if err := tpchgen.WriteParquet(context.Background(), dir, 0.01, 16384); err != nil {
		t.Fatal(err)
	}
	for _, name := range tpchgen.Tables() {
		got, err := os.ReadFile(filepath.Join(dir, name+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		tb, _ := Lookup(name)
		if !bytes.Equal(got, tb.Data) {
			t.Errorf("%s: regenerated file differs from the embedded one (run go run ./samples/gen -out samples/data)", name)
		}
	}
}

func TestIris(t *testing.T) {
	mem := exectest.Alloc(t)
	tb, ok := Lookup("iris")
	if !ok {
		t.Fatal("no iris")
	}
	tbl, _ := readTable(t, mem, tb.Data)
	defer tbl.Release()
	want := []string{"sepal_length", "sepal_width", "petal_length", "petal_width", "species"}
	for i, f := range tbl.Schema().Fields() {
		if f.Name != want[i] {
			t.Fatalf("column %d is %s, want %s", i, f.Name, want[i])
		}
	}
	if tbl.NumRows() != 150 {
		t.Fatalf("%d rows", tbl.NumRows())
	}
	var sums [4]float64
	perSpecies := map[string]int{}
	var first []float64
	for c := range 4 {
		for _, ch := range tbl.Column(c).Data().Chunks() {
			vals := ch.(*array.Float64).Float64Values()
			if first == nil || len(first) == c {
				first = append(first, vals[0])
			}
			for _, v := range vals {
				sums[c] += v
			}
		}
	}
	for _, ch := range tbl.Column(4).Data().Chunks() {
		a := ch.(*array.String)
		for i := range a.Len() {
			perSpecies[a.Value(i)]++
		}
	}
	// Well-known means: 5.8433, 3.0573, 3.7580, 1.1993.
	for c, m := range []float64{5.8433, 3.0573, 3.7580, 1.1993} {
		if got := sums[c] / 150; math.Abs(got-m) > 5e-5 {
			t.Errorf("mean %s = %.5f, want %.4f", want[c], got, m)
		}
	}
	if perSpecies["setosa"] != 50 || perSpecies["versicolor"] != 50 || perSpecies["virginica"] != 50 || len(perSpecies) != 3 {
		t.Errorf("species counts %v", perSpecies)
	}
	if first[0] != 5.1 || first[1] != 3.5 || first[2] != 1.4 || first[3] != 0.2 {
		t.Errorf("first row %v, want 5.1 3.5 1.4 0.2", first)
	}
}
