package interop

import (
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/gspark/gspark/io/parquet"
	"github.com/gspark/gspark/values/vectors"
)

// TestDuckDBReadsVectors writes a vector column with gspark's Parquet
// writer and checks that DuckDB sees Spark's VectorUDT struct with the
// values written (expected values by hand).
func TestDuckDBReadsVectors(t *testing.T) {
	mem := memory.NewGoAllocator()
	sp, err := vectors.Sparse(4, []int{1, 3}, []float64{2.5, -1})
	if err != nil {
		t.Fatal(err)
	}
	vs := vectors.NewVectorArray(mem, []vectors.Vector{vectors.Dense(1, 0.5, -2), sp, nil})
	defer vs.Release()
	ib := array.NewInt64Builder(mem)
	defer ib.Release()
	ib.AppendValues([]int64{1, 2, 3}, nil)
	ids := ib.NewArray()
	defer ids.Release()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "v", Type: vectors.VectorType(), Nullable: true},
	}, nil)
	rec := array.NewRecordBatch(sc, []arrow.Array{ids, vs}, 3)
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "vec.parquet")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := parquet.NewWriter(fh, sc, parquet.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var typ string
	if err := db.QueryRow(`SELECT typeof(v) FROM read_parquet(?) LIMIT 1`, path).Scan(&typ); err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{`"type" TINYINT`, `size INTEGER`, `indices INTEGER[]`, `"values" DOUBLE[]`} {
		if !strings.Contains(typ, part) {
			t.Errorf("DuckDB type %s lacks %s", typ, part)
		}
	}
	rows, err := db.Query(`SELECT id, v IS NULL, v.type, v.size, v.indices, v."values" FROM read_parquet(?) ORDER BY id`, path)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got [][]any
	for rows.Next() {
		var id int64
		var isNull bool
		var kind, size, indices, vals any
		if err := rows.Scan(&id, &isNull, &kind, &size, &indices, &vals); err != nil {
			t.Fatal(err)
		}
		got = append(got, []any{id, isNull, kind, size, indices, vals})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{int64(1), false, int8(1), int32(3), nil, []any{1.0, 0.5, -2.0}},
		{int64(2), false, int8(0), int32(4), []any{int32(1), int32(3)}, []any{2.5, -1.0}},
		{int64(3), true, nil, nil, nil, nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DuckDB rows\n%v\nwant\n%v", got, want)
	}
}
