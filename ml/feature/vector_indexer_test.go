package feature

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

// TestVectorIndexer checks the category maps (sorted values, 0.0 first when
// present, implicit zeros of sparse rows counted), the continuous cut-off
// and the three handleInvalid modes on a hand-computed case, with 1 and 4
// partitions and a save/load round trip.
func TestVectorIndexer(t *testing.T) {
	s, mem := newSession(t)
	rows := [][]any{
		{int64(0), linalg.Dense(0, 5, 1.5)},
		{int64(1), linalg.Dense(-1, 3, 2.5)},
		{int64(2), linalg.Dense(2, 7, 1.5)},
		{int64(3), sparse(t, 3, []int{1, 2}, []float64{10, 2.5})},
	}
	want := []linalg.Vector{
		linalg.Dense(0, 5, 0),
		linalg.Dense(1, 3, 1),
		linalg.Dense(2, 7, 0),
		sparse(t, 3, []int{1, 2}, []float64{10, 1}),
	}
	names, types := []string{"id", "f"}, []arrow.DataType{tInt, tVec}
	for _, parts := range []int{1, 4} {
		df := makeDF(t, s, mem, names, types, rows, parts)
		m, err := NewVectorIndexer().SetInputCol("f").SetOutputCol("o").SetMaxCategories(3).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		m = roundTrip(t, m)
		cm := m.CategoryMaps()
		if len(cm) != 2 || len(cm[0]) != 3 || cm[0][0] != 0 || cm[0][-1] != 1 || cm[0][2] != 2 || cm[2][1.5] != 0 || cm[2][2.5] != 1 || m.NumFeatures() != 3 {
			t.Fatalf("category maps %v", cm)
		}
		out, err := m.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range collect(t, out) {
			vecNear(t, "indexed", r[2], want[i], 0)
			sameForm(t, "indexed", r[2], want[i])
		}

		bad := makeDF(t, s, mem, names, types, append([][]any{{int64(9), linalg.Dense(3, 1, 1.5)}}, rows[:2]...), parts)
		out, err = m.Transform(bad)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := out.Collect(ctx); err == nil || !strings.Contains(err.Error(), "feature 0") {
			t.Fatalf("unseen value: %v", err)
		}
		out, err = m.SetHandleInvalid("keep").Transform(bad)
		if err != nil {
			t.Fatal(err)
		}
		got := collect(t, out)
		vecNear(t, "keep", got[2][2], linalg.Dense(3, 1, 0), 0)
		out, err = m.SetHandleInvalid("skip").Transform(bad)
		if err != nil {
			t.Fatal(err)
		}
		if got := collect(t, out); len(got) != 2 || got[0][0] != int64(0) {
			t.Fatalf("skip kept %v", got)
		}
	}
}

// TestVectorIndexerSparkExample reproduces the VectorIndexer example of
// Spark's ML guide: on sample_libsvm_data with maxCategories 10 it prints
// "Chose 351 categorical features: 645, 69, 365, 138, 101, ...".
func TestVectorIndexerSparkExample(t *testing.T) {
	s := frame.NewSession()
	df := s.Read().Format("libsvm").Load(filepath.Join("..", "..", "testdata", "ml", "sample_libsvm_data.txt"))
	for _, parts := range []int{1, 4} {
		m, err := NewVectorIndexer().SetInputCol("features").SetOutputCol("indexed").SetMaxCategories(10).FitModel(ctx, df.Repartition(parts))
		if err != nil {
			t.Fatal(err)
		}
		cm := m.CategoryMaps()
		if len(cm) != 351 {
			t.Fatalf("chose %d categorical features, Spark 351", len(cm))
		}
		for _, j := range []int{645, 69, 365, 138, 101, 479, 333, 249, 0, 555, 666, 88, 170, 115, 276, 308, 5, 449, 120, 247, 614, 677, 202, 10, 56, 533, 142, 500, 340, 670, 174, 42, 417, 24, 37, 25, 257, 389, 52, 14, 504, 110, 587} {
			if _, ok := cm[j]; !ok {
				t.Fatalf("feature %d is not categorical", j)
			}
		}
	}
}
