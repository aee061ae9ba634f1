package parquet

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/values/vectors"
)

// vectorRows are the test vectors: dense, sparse, null, empty dense, a
// sparse with no active element and a dense holding NaN.
func vectorRows(t *testing.T) []vectors.Vector {
	t.Helper()
	sp, err := vectors.Sparse(4, []int{1, 3}, []float64{2.5, -1})
	if err != nil {
		t.Fatal(err)
	}
	sp0, err := vectors.Sparse(3, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return []vectors.Vector{vectors.Dense(1, 0.5, -2), sp, nil, vectors.Dense(), sp0, vectors.Dense(math.NaN(), 7)}
}

// checkVectors compares a read vector column with want, row by row,
// including the dense or sparse form.
func checkVectors(t *testing.T, batches []arrow.RecordBatch, col int, want []vectors.Vector) {
	t.Helper()
	var got []vectors.Vector
	var dense []bool
	for _, b := range batches {
		vc, err := vectors.Vectors(b.Column(col))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < vc.Len(); i++ {
			v, _ := vc.At(i)
			got = append(got, v)
			dense = append(dense, v != nil && vc.IsDense(i))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		switch {
		case w == nil || got[i] == nil:
			if w != nil || got[i] != nil {
				t.Errorf("row %d: got %v, want %v", i, got[i], w)
			}
		case !vectors.Equal(got[i], w):
			t.Errorf("row %d: got %v, want %v", i, got[i], w)
		default:
			_, wantDense := w.(*vectors.DenseVector)
			if dense[i] != wantDense {
				t.Errorf("row %d: dense %v, want %v", i, dense[i], wantDense)
			}
		}
	}
}

func TestVectorRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	want := vectorRows(t)
	vs := vectors.NewVectorArray(mem, want)
	defer vs.Release()
	ib := array.NewInt64Builder(mem)
	defer ib.Release()
	for i := range want {
		ib.Append(int64(i))
	}
	ids := ib.NewArray()
	defer ids.Release()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "v", Type: vectors.VectorType(), Nullable: true},
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	rec := array.NewRecordBatch(sc, []arrow.Array{vs, ids}, int64(len(want)))
	defer rec.Release()
	// Row groups of 4 rows read in batches of 3: batches cross row groups' pages.
	data := writeFile(t, sc, []arrow.RecordBatch{rec}, WriterOptions{RowGroupRows: 4})
	f, batches := readAll(t, data, ReadOptions{BatchSize: 3, Mem: mem})
	defer release(batches)
	if f.NumRowGroups() != 2 {
		t.Fatalf("%d row groups, want 2", f.NumRowGroups())
	}
	if !vectors.IsVector(f.Schema().Field(0).Type) || f.Schema().Field(1).Type.ID() != arrow.INT64 {
		t.Fatalf("schema %s", f.Schema())
	}
	checkVectors(t, batches, 0, want)
	var n int64
	for _, b := range batches {
		for i := 0; i < int(b.NumRows()); i++ {
			if got := b.Column(1).(*array.Int64).Value(i); got != n {
				t.Errorf("id %d, want %d", got, n)
			}
			n++
		}
	}

	// Projection of the vector column alone, and of the id alone.
	_, only := readAll(t, data, ReadOptions{Columns: []int{0}, Mem: mem})
	checkVectors(t, only, 0, want)
	release(only)
	_, ids2 := readAll(t, data, ReadOptions{Columns: []int{1}, Mem: mem})
	if len(ids2) != 2 || ids2[1].Column(0).(*array.Int64).Value(1) != 5 {
		t.Errorf("id projection: %v", ids2)
	}
	release(ids2)

	// pqarrow, an independent reader, sees the plain struct of VectorUDT.
	pr, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{}, memory.NewGoAllocator())
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	if got := tbl.Schema().Field(0).Type; !arrow.TypeEqual(got, vectors.VectorStorageType()) {
		t.Errorf("pqarrow sees %s, want the storage struct", got)
	}
	tr := array.NewTableReader(tbl, 1<<20)
	defer tr.Release()
	var pb []arrow.RecordBatch
	for tr.Next() {
		pb = append(pb, tr.RecordBatch())
	}
	checkVectors(t, pb, 0, want)
}

// TestVectorSparkLayout reads the layout Spark writes for a VectorUDT
// column: type required, lists of required elements, a null size on dense
// rows, the column marked in Spark's row metadata.
func TestVectorSparkLayout(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	st := arrow.StructOf(
		arrow.Field{Name: "type", Type: arrow.PrimitiveTypes.Int8},
		arrow.Field{Name: "size", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "indices", Type: arrow.ListOfNonNullable(arrow.PrimitiveTypes.Int32), Nullable: true},
		arrow.Field{Name: "values", Type: arrow.ListOfNonNullable(arrow.PrimitiveTypes.Float64), Nullable: true},
	)
	spark := `{"type":"struct","fields":[{"name":"features","type":{"type":"udt","class":"org.apache.spark.ml.linalg.VectorUDT","pyClass":"pyspark.ml.linalg.VectorUDT","sqlType":{"type":"struct","fields":[]}},"nullable":true,"metadata":{}},{"name":"plain","type":{"type":"struct","fields":[]},"nullable":true,"metadata":{}}]}`
	md := arrow.NewMetadata([]string{sparkRowMetadataKey}, []string{spark})
	sc := arrow.NewSchema([]arrow.Field{{Name: "features", Type: st, Nullable: true}, {Name: "plain", Type: st, Nullable: true}}, &md)
	b := array.NewRecordBuilder(memory.NewGoAllocator(), sc)
	defer b.Release()
	for c := 0; c < 2; c++ {
		sb := b.Field(c).(*array.StructBuilder)
		kinds := sb.FieldBuilder(0).(*array.Int8Builder)
		sizes := sb.FieldBuilder(1).(*array.Int32Builder)
		il := sb.FieldBuilder(2).(*array.ListBuilder)
		vl := sb.FieldBuilder(3).(*array.ListBuilder)
		// dense [3.0, 4.0] as Spark writes it: size and indices null.
		sb.Append(true)
		kinds.Append(1)
		sizes.AppendNull()
		il.AppendNull()
		vl.Append(true)
		vl.ValueBuilder().(*array.Float64Builder).AppendValues([]float64{3, 4}, nil)
		// null (AppendNull appends to the fields too)
		sb.AppendNull()
		// sparse (5,[0,4],[1.0,-1.0])
		sb.Append(true)
		kinds.Append(0)
		sizes.Append(5)
		il.Append(true)
		il.ValueBuilder().(*array.Int32Builder).AppendValues([]int32{0, 4}, nil)
		vl.Append(true)
		vl.ValueBuilder().(*array.Float64Builder).AppendValues([]float64{1, -1}, nil)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	buf := writeArrowMem(t, sc, rec, parquet.NewWriterProperties())
	f, batches := readAll(t, buf.Bytes(), ReadOptions{Mem: mem})
	defer release(batches)
	if !vectors.IsVector(f.Schema().Field(0).Type) {
		t.Errorf("features: type %s, want vector", f.Schema().Field(0).Type)
	}
	if got := f.Schema().Field(1).Type; !arrow.TypeEqual(got, vectors.VectorStorageType()) {
		t.Errorf("plain (not marked): type %s, want the storage struct", got)
	}
	sp, _ := vectors.Sparse(5, []int{0, 4}, []float64{1, -1})
	want := []vectors.Vector{vectors.Dense(3, 4), nil, sp}
	checkVectors(t, batches, 0, want)
	checkVectors(t, batches, 1, want)
}
