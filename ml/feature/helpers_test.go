package feature

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
)

var ctx = context.Background()

// Column types of test frames.
var (
	tFloat  = arrow.PrimitiveTypes.Float64
	tInt    = arrow.PrimitiveTypes.Int64
	tString = arrow.BinaryTypes.String
	tVec    = arrow.DataType(linalg.VectorType())
	tTokens = arrow.ListOf(arrow.BinaryTypes.String)
)

func schemaOf(names []string, types []arrow.DataType) *arrow.Schema {
	fields := make([]arrow.Field, len(names))
	for i := range names {
		fields[i] = arrow.Field{Name: names[i], Type: types[i], Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// buildBatch builds a batch from rows of Go values: float64, int64, string,
// linalg.Vector, []string; nil is null.
func buildBatch(t *testing.T, mem memory.Allocator, s *arrow.Schema, rows [][]any) arrow.RecordBatch {
	t.Helper()
	cols := make([]arrow.Array, s.NumFields())
	for c, f := range s.Fields() {
		switch {
		case linalg.IsVector(f.Type):
			b := linalg.NewVectorBuilder(mem)
			for _, r := range rows {
				if r[c] == nil {
					b.AppendNull()
				} else {
					b.Append(r[c].(linalg.Vector))
				}
			}
			cols[c] = b.NewArray()
			b.Release()
		case f.Type.ID() == arrow.LIST:
			b := array.NewListBuilder(mem, arrow.BinaryTypes.String)
			vb := b.ValueBuilder().(*array.StringBuilder)
			for _, r := range rows {
				if r[c] == nil {
					b.AppendNull()
					continue
				}
				b.Append(true)
				vb.AppendValues(r[c].([]string), nil)
			}
			cols[c] = b.NewArray()
			b.Release()
		default:
			one := arrow.NewSchema([]arrow.Field{f}, nil)
			sub := make([][]any, len(rows))
			for i, r := range rows {
				sub[i] = []any{r[c]}
			}
			b := exectest.Batch(mem, one, sub)
			cols[c] = b.Column(0)
			cols[c].Retain()
			b.Release()
		}
	}
	rec := array.NewRecordBatch(s, cols, int64(len(rows)))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// makeDF spreads rows over parts partitions in contiguous runs (plus an
// empty batch in the first partition) and returns the DataFrame.
func makeDF(t *testing.T, s *frame.Session, mem memory.Allocator, names []string, types []arrow.DataType, rows [][]any, parts int) *frame.DataFrame {
	t.Helper()
	schema := schemaOf(names, types)
	batches := make([][]arrow.RecordBatch, parts)
	batches[0] = append(batches[0], buildBatch(t, mem, schema, nil))
	per := (len(rows) + parts - 1) / parts
	for p := 0; p < parts; p++ {
		lo, hi := min(p*per, len(rows)), min((p+1)*per, len(rows))
		if lo < hi {
			batches[p] = append(batches[p], buildBatch(t, mem, schema, rows[lo:hi]))
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

// collect runs df and returns its rows sorted by the first column.
func collect(t *testing.T, df *frame.DataFrame) []frame.Row {
	t.Helper()
	rows, err := df.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(rows, func(a, b frame.Row) int { return compareAny(a[0], b[0]) })
	return rows
}

func compareAny(a, b any) int {
	switch x := a.(type) {
	case int64:
		y := b.(int64)
		return int(min(max(x-y, -1), 1))
	case float64:
		y := b.(float64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	case string:
		return strings.Compare(x, b.(string))
	}
	return 0
}

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*(1+math.Abs(b))
}

// vecNear compares a result cell with a wanted vector (same form when
// checkForm).
func vecNear(t *testing.T, what string, got any, want linalg.Vector, tol float64) {
	t.Helper()
	if want == nil {
		if got != nil {
			t.Fatalf("%s: got %v, want null", what, got)
		}
		return
	}
	v, ok := got.(linalg.Vector)
	if !ok || v.Size() != want.Size() {
		t.Fatalf("%s: got %v (%T), want %v", what, got, got, want)
	}
	a, b := v.ToArray(), want.ToArray()
	for i := range a {
		if !near(a[i], b[i], tol) {
			t.Fatalf("%s: got %v, want %v", what, v, want)
		}
	}
}

func sameForm(t *testing.T, what string, got any, want linalg.Vector) {
	t.Helper()
	_, gs := got.(*linalg.SparseVector)
	_, ws := want.(*linalg.SparseVector)
	if gs != ws {
		t.Fatalf("%s: got %v, want the form of %v", what, got, want)
	}
}

func sparse(t *testing.T, n int, idx []int, vals []float64) *linalg.SparseVector {
	t.Helper()
	s, err := linalg.Sparse(n, idx, vals)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newSession returns a session on a checked allocator.
func newSession(t *testing.T) (*frame.Session, memory.Allocator) {
	mem := exectest.Alloc(t)
	return frame.NewSession(frame.WithAllocator(mem)), mem
}

// roundTrip saves st, loads it with Registry and checks class and uid.
func roundTrip[T ml.Stage](t *testing.T, st T) T {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "stage")
	if err := st.Save(dir); err != nil {
		t.Fatal(err)
	}
	r := Register(ml.NewRegistry())
	got, err := ml.LoadAs[T](ctx, dir, r)
	if err != nil {
		t.Fatal(err)
	}
	if got.UID() != st.UID() || got.Params().ExplainParams() != st.Params().ExplainParams() {
		t.Fatalf("loaded %s:\n%s\nsaved:\n%s", got.UID(), got.Params().ExplainParams(), st.Params().ExplainParams())
	}
	return got
}

// sameRows checks two results are equal cell by cell (vectors within tol).
func sameRows(t *testing.T, a, b []frame.Row) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d rows vs %d", len(a), len(b))
	}
	for i := range a {
		for c := range a[i] {
			x, y := a[i][c], b[i][c]
			if v, ok := x.(linalg.Vector); ok {
				vecNear(t, "row", y, v, 0)
				sameForm(t, "row", y, v)
				continue
			}
			if f, ok := x.(float64); ok {
				if !near(f, y.(float64), 0) {
					t.Fatalf("row %d col %d: %v vs %v", i, c, x, y)
				}
				continue
			}
			if xs, ok := x.([]any); ok {
				ys := y.([]any)
				if !slices.Equal(xs, ys) {
					t.Fatalf("row %d col %d: %v vs %v", i, c, x, y)
				}
				continue
			}
			if x != y {
				t.Fatalf("row %d col %d: %v vs %v", i, c, x, y)
			}
		}
	}
}

// transformRows transforms df with tr and collects the rows.
func transformRows(t *testing.T, tr ml.Transformer, df *frame.DataFrame) []frame.Row {
	t.Helper()
	out, err := tr.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	return collect(t, out)
}

func fit(t *testing.T, e ml.Estimator, df *frame.DataFrame) ml.Model {
	t.Helper()
	m, err := e.Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func wantErr(t *testing.T, err error, substr string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), substr) {
		t.Fatalf("error %v, want one containing %q", err, substr)
	}
}

// runErr transforms and collects, returning the first error.
func runErr(tr ml.Transformer, df *frame.DataFrame) error {
	out, err := tr.Transform(df)
	if err != nil {
		return err
	}
	_, err = out.Collect(ctx)
	return err
}

var partitionCounts = []int{1, 4}

// exectestAllocOf returns the allocator of tests' sessions: a plain Go
// allocator is fine for building inputs, which the session's checked
// allocator does not track.
func exectestAllocOf(*frame.Session) memory.Allocator { return memory.NewGoAllocator() }

func mustTransform(t *testing.T, tr ml.Transformer, df *frame.DataFrame) *frame.DataFrame {
	t.Helper()
	out, err := tr.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// strs returns the strings of an array<string> cell (nil for a null cell).
func strs(v any) []string {
	if v == nil {
		return nil
	}
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
