package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/samples"
)

func TestParseIris(t *testing.T) {
	mem := exectest.Alloc(t)
	rec, err := parseIris(mem, irisCSV)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != 150 || rec.NumCols() != 5 {
		t.Fatalf("%d rows, %d columns", rec.NumRows(), rec.NumCols())
	}
	var sum float64
	for _, v := range rec.Column(0).(*array.Float64).Float64Values() {
		sum += v
	}
	if m := sum / 150; math.Abs(m-5.8433) > 5e-5 {
		t.Errorf("mean sepal_length %.5f, want 5.8433", m)
	}
	sp := rec.Column(4).(*array.String)
	counts := map[string]int{}
	for i := range sp.Len() {
		counts[sp.Value(i)]++
	}
	if counts["setosa"] != 50 || counts["versicolor"] != 50 || counts["virginica"] != 50 {
		t.Errorf("species counts %v", counts)
	}
	// Row 51 is the first versicolor: 7.0, 3.2, 4.7, 1.4.
	if sp.Value(50) != "versicolor" || rec.Column(0).(*array.Float64).Value(50) != 7.0 || rec.Column(2).(*array.Float64).Value(50) != 4.7 {
		t.Errorf("row 51: %s %v", sp.Value(50), rec.Column(0).(*array.Float64).Value(50))
	}
}

func TestParseIrisErrors(t *testing.T) {
	mem := exectest.Alloc(t)
	for _, bad := range []string{
		"x",
		"2,4,a,b\n1,2,3,4,0\n",
		"1,4,a,b\n1,2,3,4,5\n",
		"1,4,a,b\n1,2,x,4,0\n",
		"1,3,a,b\n1,2,3,0\n",
		"1,4,a,b\n1,2,3,4\n",
	} {
		rec, err := parseIris(mem, []byte(bad))
		if err == nil {
			rec.Release()
			t.Errorf("parseIris(%q) succeeded", bad)
		}
	}
	rec, err := parseIris(mem, []byte("1,4,a,b\r\n1,2,3,4,1\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.Column(4).(*array.String).Value(0) != "b" {
		t.Error("class index not mapped")
	}
}

// TestIrisReproducible checks that the generator reproduces the embedded
// iris.parquet byte for byte.
func TestIrisReproducible(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "iris.parquet")
	if err := writeIris(path, 16384); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tb, ok := samples.Lookup("iris")
	if !ok || !bytes.Equal(got, tb.Data) {
		t.Error("iris.parquet differs from the embedded copy")
	}
}

func TestRunErrors(t *testing.T) {
	if err := run(context.Background(), t.TempDir(), 0, 16384); err == nil || !strings.Contains(err.Error(), "scale factor") {
		t.Errorf("sf 0: %v", err)
	}
}
