package json

import (
	"bytes"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/values/vectors"
)

// TestWriteVectors checks vectors against the JSON Spark writes for a
// VectorUDT column: its storage struct (type, size, indices, values) with
// the null fields left out (ignoreNullFields), doubles in Java's form.
func TestWriteVectors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sp, err := vectors.Sparse(4, []int{1, 3}, []float64{2.5, -1})
	if err != nil {
		t.Fatal(err)
	}
	vs := vectors.NewVectorArray(mem, []vectors.Vector{vectors.Dense(1, 0.5, math.NaN()), sp, nil, vectors.Dense()})
	defer vs.Release()
	sc := arrow.NewSchema([]arrow.Field{{Name: "features", Type: vectors.VectorType(), Nullable: true}}, nil)
	rec := array.NewRecordBatch(sc, []arrow.Array{vs}, int64(vs.Len()))
	defer rec.Release()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, sc)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := `{"features":{"type":1,"values":[1.0,0.5,"NaN"]}}
{"features":{"type":0,"size":4,"indices":[1,3],"values":[2.5,-1.0]}}
{}
{"features":{"type":1,"values":[]}}
`
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
