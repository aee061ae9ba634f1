// Package optimtest loads the reference datasets and results under
// testdata/ml (made by testdata/ml/make_reference.py) for the tests of the
// ML model packages.
package optimtest

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

// Dir returns the path of testdata/ml: the module's root is the nearest
// directory above the working directory (a test's package directory) that
// holds go.mod. It does not rely on source file paths, which -trimpath
// builds (CI's) do not keep.
func Dir() string {
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join("testdata", "ml")
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "testdata", "ml")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(dir, "testdata", "ml")
		}
	}
}

// ReadCSV reads testdata/ml/name: its header and its rows as numbers.
func ReadCSV(t testing.TB, name string) ([]string, [][]float64) {
	t.Helper()
	f, err := os.Open(filepath.Join(Dir(), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := make([][]float64, len(recs)-1)
	for i, r := range recs[1:] {
		rows[i] = make([]float64, len(r))
		for j, s := range r {
			if rows[i][j], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("%s row %d: %v", name, i, err)
			}
		}
	}
	return recs[0], rows
}

// Reference returns testdata/ml/reference.json decoded.
func Reference(t testing.TB) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Dir(), "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Floats converts a decoded JSON array of numbers.
func Floats(v any) []float64 {
	a := v.([]any)
	out := make([]float64, len(a))
	for i, x := range a {
		out[i] = x.(float64)
	}
	return out
}

// Col is one column of a frame made by Frame: a double column (Vec nil) or
// a vector column of the given source columns.
type Col struct {
	Name string
	Src  []int // source columns; one for a double column
	Vec  bool
}

// Frame builds a DataFrame from rows, spreading them over parts partitions
// in contiguous runs, with an empty batch first in partition 0.
func Frame(t testing.TB, s *frame.Session, mem memory.Allocator, rows [][]float64, cols []Col, parts int) *frame.DataFrame {
	t.Helper()
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		typ := arrow.DataType(arrow.PrimitiveTypes.Float64)
		if c.Vec {
			typ = linalg.VectorType()
		}
		fields[i] = arrow.Field{Name: c.Name, Type: typ, Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	build := func(rows [][]float64) arrow.RecordBatch {
		arrs := make([]arrow.Array, len(cols))
		for i, c := range cols {
			if c.Vec {
				b := linalg.NewVectorBuilder(mem)
				vals := make([]float64, len(c.Src))
				for _, r := range rows {
					for k, j := range c.Src {
						vals[k] = r[j]
					}
					b.AppendDense(vals)
				}
				arrs[i] = b.NewArray()
				b.Release()
				continue
			}
			b := array.NewFloat64Builder(mem)
			for _, r := range rows {
				v := r[c.Src[0]]
				if math.IsNaN(v) {
					b.AppendNull()
				} else {
					b.Append(v)
				}
			}
			arrs[i] = b.NewArray()
			b.Release()
		}
		rec := array.NewRecordBatch(schema, arrs, int64(len(rows)))
		for _, a := range arrs {
			a.Release()
		}
		return rec
	}
	batches := make([][]arrow.RecordBatch, parts)
	batches[0] = append(batches[0], build(nil))
	per := (len(rows) + parts - 1) / parts
	for p := 0; p < parts; p++ {
		lo, hi := min(p*per, len(rows)), min((p+1)*per, len(rows))
		if lo < hi {
			batches[p] = append(batches[p], build(rows[lo:hi]))
		}
	}
	df, err := s.FromBatches(schema, batches)
	for _, bs := range batches {
		for _, b := range bs {
			b.Release()
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(df.Unpersist)
	return df
}

// Labeled returns a frame of the CSV's rows with "features" (every column
// but the last, as a vector) and "label" (the last column).
func Labeled(t testing.TB, s *frame.Session, mem memory.Allocator, name string, parts int) *frame.DataFrame {
	t.Helper()
	header, rows := ReadCSV(t, name)
	src := make([]int, len(header)-1)
	for i := range src {
		src[i] = i
	}
	return Frame(t, s, mem, rows, []Col{{Name: "features", Src: src, Vec: true}, {Name: "label", Src: []int{len(header) - 1}}}, parts)
}

// RelClose reports whether got is within rel of want relative to
// max(|want|, floor).
func RelClose(got, want, rel, floor float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), floor)
}
