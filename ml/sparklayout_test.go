package ml

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// appendRawMatrix appends a matrix struct with the given fields as Spark
// lays them out (colPtrs and rowIndices nil for a dense matrix).
func appendRawMatrix(b *array.StructBuilder, typ int8, rows, cols int32, ptrs, idx []int32, vals []float64, transposed bool) {
	b.Append(true)
	b.FieldBuilder(0).(*array.Int8Builder).Append(typ)
	b.FieldBuilder(1).(*array.Int32Builder).Append(rows)
	b.FieldBuilder(2).(*array.Int32Builder).Append(cols)
	for k, xs := range [][]int32{ptrs, idx} {
		lb := b.FieldBuilder(3 + k).(*array.ListBuilder)
		if xs == nil {
			lb.AppendNull()
			continue
		}
		lb.Append(true)
		lb.ValueBuilder().(*array.Int32Builder).AppendValues(xs, nil)
	}
	vb := b.FieldBuilder(5).(*array.ListBuilder)
	vb.Append(true)
	vb.ValueBuilder().(*array.Float64Builder).AppendValues(vals, nil)
	b.FieldBuilder(6).(*array.BooleanBuilder).Append(transposed)
}

// The four forms of Spark's matrices (Matrices.scala: dense column-major,
// dense row-major when transposed, sparse CSC, and CSR when transposed)
// of the same 2×3 matrix
//
//	[1 0 2]
//	[0 3 0]
//
// decode to the same rows, after a Parquet round trip.
func TestSparkMatrixForms(t *testing.T) {
	mem := memory.NewGoAllocator()
	schema := arrow.NewSchema([]arrow.Field{{Name: "m", Type: SparkMatrixType(), Nullable: true}}, nil)
	rb := array.NewRecordBuilder(mem, schema)
	defer rb.Release()
	b := rb.Field(0).(*array.StructBuilder)
	appendRawMatrix(b, 1, 2, 3, nil, nil, []float64{1, 0, 0, 3, 2, 0}, false)
	appendRawMatrix(b, 1, 2, 3, nil, nil, []float64{1, 0, 2, 0, 3, 0}, true)
	appendRawMatrix(b, 0, 2, 3, []int32{0, 1, 2, 3}, []int32{0, 1, 0}, []float64{1, 3, 2}, false)
	appendRawMatrix(b, 0, 2, 3, []int32{0, 2, 3}, []int32{0, 2, 1}, []float64{1, 2, 3}, true)
	rec := rb.NewRecordBatch()
	defer rec.Release()
	dir := t.TempDir()
	if err := WriteSparkParquet(dir, "data", rec); err != nil {
		t.Fatal(err)
	}
	d, err := ReadSparkData(context.Background(), dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Release()
	want := [][]float64{{1, 0, 2}, {0, 3, 0}}
	for r := range 4 {
		m, err := d.Matrix("m", r)
		if err != nil {
			t.Fatal(err)
		}
		got := m.Rows()
		if len(got) != 2 || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
			t.Errorf("form %d decodes to %v, want %v", r, got, want)
		}
	}
	// A sparse matrix whose pointers do not cover its values is an error.
	rb2 := array.NewRecordBuilder(mem, schema)
	defer rb2.Release()
	appendRawMatrix(rb2.Field(0).(*array.StructBuilder), 0, 2, 3, []int32{0, 1, 2}, []int32{0, 1, 0}, []float64{1, 3, 2}, false)
	bad := rb2.NewRecordBatch()
	defer bad.Release()
	dir2 := filepath.Join(t.TempDir(), "bad")
	if err := WriteSparkParquet(dir2, "data", bad); err != nil {
		t.Fatal(err)
	}
	d2, err := ReadSparkData(context.Background(), dir2, "data")
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Release()
	if _, err := d2.Matrix("m", 0); err == nil {
		t.Error("a sparse matrix with 3 column pointers for 3 columns decoded without error")
	}
}
