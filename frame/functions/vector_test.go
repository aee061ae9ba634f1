package functions_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr/arrayfn"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/values/vectors"
)

// vectorDF is id, v with a dense, a sparse and a null vector, and
// s struct<a: int, B: string>, m map<string, int>.
func vectorDF(t *testing.T, s *frame.Session) *frame.DataFrame {
	t.Helper()
	mem := memory.NewGoAllocator()
	sp, err := vectors.Sparse(4, []int{1, 3}, []float64{2.5, -1})
	if err != nil {
		t.Fatal(err)
	}
	vs := vectors.NewVectorArray(mem, []vectors.Vector{vectors.Dense(1, 0.5, -2), sp, nil})
	defer vs.Release()
	ids := array.NewInt64Builder(mem)
	defer ids.Release()
	ids.AppendValues([]int64{1, 2, 3}, nil)
	idArr := ids.NewArray()
	defer idArr.Release()
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "v", Type: vectors.VectorType(), Nullable: true},
	}, nil)
	rec := array.NewRecordBatch(sc, []arrow.Array{idArr, vs}, 3)
	defer rec.Release()
	df, err := s.FromBatches(sc, [][]arrow.RecordBatch{{rec}})
	if err != nil {
		t.Fatal(err)
	}
	return df
}

func TestVectorToArray(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	df := vectorDF(t, s)
	rows, err := df.Select(F.Col("id"), F.VectorToArray(F.Col("v"), ""), F.VectorToArray(F.Col("v"), "float32"),
		F.VectorToArray(F.Col("v"), "float64").GetItem(1)).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Hand computed: the sparse (4,[1,3],[2.5,-1.0]) expands to [0, 2.5, 0, -1].
	want := []frame.Row{
		{int64(1), []any{1.0, 0.5, -2.0}, []any{float32(1), float32(0.5), float32(-2)}, 0.5},
		{int64(2), []any{0.0, 2.5, 0.0, -1.0}, []any{float32(0), float32(2.5), float32(0), float32(-1)}, 2.5},
		{int64(3), nil, nil, nil},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %v\nwant %v", rows, want)
	}

	// The same in SQL, and array_to_vector back to the vector type.
	if err := df.CreateOrReplaceTempView("vt"); err != nil {
		t.Fatal(err)
	}
	out := s.SQL("SELECT vector_to_array(v)[3], array_to_vector(vector_to_array(v)) AS w FROM vt WHERE id = 2")
	if err := out.Err(); err != nil {
		t.Fatal(err)
	}
	if f := out.Schema().Field(1); !vectors.IsVector(f.Type) {
		t.Errorf("array_to_vector type: %s", f.Type)
	}
	rows, err = out.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0][0] != -1.0 || !vectors.Equal(rows[0][1].(vectors.Vector), vectors.Dense(0, 2.5, 0, -1)) {
		t.Errorf("SQL: got %v", rows)
	}

	// A vector cannot be subscripted directly; the error says what to do.
	_, err = s.SQL("SELECT v[0] FROM vt").Collect(ctx)
	if err == nil || !strings.Contains(err.Error(), "vector_to_array(v)[0]") {
		t.Errorf("v[0]: %v", err)
	}
}

func TestArrayToVectorNullElement(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	_, err := s.SQL("SELECT array_to_vector(array(1.0D, NULL))").Collect(context.Background())
	if !errors.Is(err, arrayfn.ErrNullArrayElement) {
		t.Errorf("got %v, want ErrNullArrayElement", err)
	}
}

func TestGetItemGetField(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	df := s.SQL("SELECT array(10, 20, 30) AS a, map('x', 1, 'y', 2) AS m, named_struct('p', 1.5D, 'Q', 'z') AS st")
	rows, err := df.Select(F.Col("a").GetItem(2), F.Col("m").GetItem("y"), F.Col("m").GetItem("w"),
		F.Col("st").GetField("Q"), F.Col("st").GetField("p"), F.Get(F.Col("a"), 3), F.Col("a").GetItem(F.Lit(0))).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []frame.Row{{int32(30), int32(2), nil, "z", 1.5, nil, int32(10)}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got %v, want %v", rows, want)
	}
	_, err = df.Select(F.Col("a").GetItem(3)).Collect(ctx)
	if !errors.Is(err, arrayfn.ErrInvalidArrayIndex) {
		t.Errorf("a[3]: got %v, want ErrInvalidArrayIndex", err)
	}
}

// TestVectorFilesRoundTrip writes a DataFrame with a vector column (dense,
// sparse and null rows) as Parquet and reads it back equal; JSON holds
// Spark's VectorUDT form; CSV refuses the column by name.
func TestVectorFilesRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	df := vectorDF(t, s)
	dir := filepath.Join(t.TempDir(), "vec.parquet")
	if err := df.Write().Parquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	back := s.Read().Parquet(dir).OrderBy(F.Col("id"))
	if f := back.Schema().Field(1); !vectors.IsVector(f.Type) {
		t.Fatalf("read back as %s", f.Type)
	}
	rows, err := back.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sp, _ := vectors.Sparse(4, []int{1, 3}, []float64{2.5, -1})
	want := []vectors.Vector{vectors.Dense(1, 0.5, -2), sp, nil}
	if len(rows) != 3 {
		t.Fatalf("got %v", rows)
	}
	for i, w := range want {
		got, _ := rows[i][1].(vectors.Vector)
		if (w == nil) != (got == nil) || (w != nil && (!vectors.Equal(got, w) || reflect.TypeOf(got) != reflect.TypeOf(w))) {
			t.Errorf("row %d: got %v, want %v", i, rows[i][1], w)
		}
	}

	jdir := filepath.Join(t.TempDir(), "vec.json")
	if err := df.Write().JSON(ctx, jdir); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	files, _ := filepath.Glob(filepath.Join(jdir, "*.json*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text.Write(b)
	}
	for _, line := range []string{`{"id":1,"v":{"type":1,"values":[1.0,0.5,-2.0]}}`, `{"id":2,"v":{"type":0,"size":4,"indices":[1,3],"values":[2.5,-1.0]}}`, `{"id":3}`} {
		if !strings.Contains(text.String(), line+"\n") {
			t.Errorf("JSON lacks %s:\n%s", line, text.String())
		}
	}

	err = df.Write().CSV(ctx, filepath.Join(t.TempDir(), "vec.csv"))
	if err == nil || !strings.Contains(err.Error(), "column v") || !strings.Contains(err.Error(), "vector_to_array") {
		t.Errorf("CSV: %v", err)
	}
}
