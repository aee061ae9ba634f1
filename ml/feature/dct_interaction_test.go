package feature

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml/linalg"
)

// featureStatRef is testdata/ml/feature_stat_reference.json, written by
// testdata/ml/make_feature_stat_reference.py (scipy and scikit-learn).
type featureStatRef struct {
	DCT []struct {
		In      []float64 `json:"in"`
		Forward []float64 `json:"forward"`
		Inverse []float64 `json:"inverse"`
	} `json:"dct"`
	ChiSq struct {
		Features [][]float64 `json:"features"`
		Label    []float64   `json:"label"`
		Tests    []struct {
			Statistic float64 `json:"statistic"`
			PValue    float64 `json:"pValue"`
			DOF       int     `json:"dof"`
		} `json:"tests"`
	} `json:"chisq"`
	FClassif    struct{ F, PValue []float64 } `json:"fclassif"`
	FRegression struct{ F, PValue []float64 } `json:"fregression"`
}

func loadFeatureStatRef(t *testing.T) *featureStatRef {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ml", "feature_stat_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r featureStatRef
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// TestDCT checks forward and inverse transforms against scipy.fft.dct and
// idct (type II, norm="ortho") and the printed output of Spark's ML-guide
// DCT example, with 1 and 4 partitions, dense and sparse input.
func TestDCT(t *testing.T) {
	ref := loadFeatureStatRef(t)
	s, mem := newSession(t)
	var rows [][]any
	for i, c := range ref.DCT {
		var v linalg.Vector = linalg.Dense(c.In...)
		if i%2 == 1 {
			v = v.(*linalg.DenseVector).ToSparse()
		}
		rows = append(rows, []any{int64(i), v})
	}
	// Spark's ML guide (docs/ml-features.md, DCT) prints these rows.
	spark := [][]float64{
		{1.0, -1.1480502970952693, 2.0000000000000004, -2.7716385975338604},
		{-1.0, 3.378492794482933, -7.000000000000001, 2.9301512653149677},
		{4.0, 9.304453421915744, 11.000000000000002, 1.5579302036357163},
	}
	for _, parts := range []int{1, 4} {
		df := makeDF(t, s, mem, []string{"id", "v"}, []arrow.DataType{tInt, tVec}, rows, parts)
		for _, inv := range []bool{false, true} {
			d := roundTrip(t, NewDCT().SetInputCol("v").SetOutputCol("d").SetInverse(inv))
			out, err := d.Transform(df)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range collect(t, out) {
				want := ref.DCT[i].Forward
				if inv {
					want = ref.DCT[i].Inverse
				}
				vecNear(t, "dct", r[2], linalg.Dense(want...), 1e-12)
				sameForm(t, "dct", r[2], linalg.Dense(want...))
				if !inv && i < len(spark) {
					vecNear(t, "Spark's example", r[2], linalg.Dense(spark[i]...), 1e-12)
				}
			}
		}
	}
}

// TestInteractionSparkExample reproduces the Interaction example of Spark's
// ML guide, whose output is printed there, with 1 and 4 partitions; and
// checks a sparse product and a null row.
func TestInteractionSparkExample(t *testing.T) {
	s, mem := newSession(t)
	in := [][]float64{
		{1, 1, 2, 3, 8, 4, 5},
		{2, 4, 3, 8, 7, 9, 8},
		{3, 6, 1, 9, 2, 3, 6},
		{4, 10, 8, 6, 9, 4, 5},
		{5, 9, 2, 7, 10, 7, 3},
		{6, 1, 1, 4, 2, 8, 4},
	}
	want := [][]float64{
		{8.0, 4.0, 5.0, 16.0, 8.0, 10.0, 24.0, 12.0, 15.0},
		{56.0, 72.0, 64.0, 42.0, 54.0, 48.0, 112.0, 144.0, 128.0},
		{36.0, 54.0, 108.0, 6.0, 9.0, 18.0, 54.0, 81.0, 162.0},
		{360.0, 160.0, 200.0, 288.0, 128.0, 160.0, 216.0, 96.0, 120.0},
		{450.0, 315.0, 135.0, 100.0, 70.0, 30.0, 350.0, 245.0, 105.0},
		{12.0, 48.0, 24.0, 12.0, 48.0, 24.0, 48.0, 192.0, 96.0},
	}
	var rows [][]any
	for _, r := range in {
		rows = append(rows, []any{int64(r[0]), linalg.Dense(r[1:4]...), linalg.Dense(r[4:]...)})
	}
	it := roundTrip(t, NewInteraction().SetInputCols("id1", "vec1", "vec2").SetOutputCol("interactedCol"))
	for _, parts := range []int{1, 4} {
		df := makeDF(t, s, mem, []string{"id1", "vec1", "vec2"}, []arrow.DataType{tInt, tVec, tVec}, rows, parts)
		out, err := it.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range collect(t, out) {
			vecNear(t, "interactedCol", r[3], linalg.Dense(want[i]...), 0)
			sameForm(t, "interactedCol", r[3], linalg.Dense(want[i]...))
		}
	}

	// x=2, a=(0,3,0,0), b=(0,0,5): one nonzero product 30 at 1*3+2 = 5 of 12, sparse.
	df := makeDF(t, s, mem, []string{"x", "a", "b"}, []arrow.DataType{tFloat, tVec, tVec}, [][]any{
		{2.0, sparse(t, 4, []int{1}, []float64{3}), linalg.Dense(0, 0, 5)},
		{3.0, nil, linalg.Dense(1, 1, 1)},
	}, 1)
	out, err := NewInteraction().SetInputCols("x", "a", "b").SetOutputCol("o").Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, out)
	w := sparse(t, 12, []int{5}, []float64{30})
	vecNear(t, "sparse", got[0][3], w, 0)
	sameForm(t, "sparse", got[0][3], w)
	if got[1][3] != nil {
		t.Fatalf("null input gave %v", got[1][3])
	}
}

// TestVectorSizeHint checks the three handleInvalid modes.
func TestVectorSizeHint(t *testing.T) {
	s, mem := newSession(t)
	rows := [][]any{
		{int64(0), linalg.Dense(1, 2, 3)},
		{int64(1), linalg.Dense(1, 2)},
		{int64(2), nil},
		{int64(3), sparse(t, 3, []int{2}, []float64{1})},
	}
	for _, parts := range []int{1, 4} {
		df := makeDF(t, s, mem, []string{"id", "v"}, []arrow.DataType{tInt, tVec}, rows, parts)
		h := NewVectorSizeHint().SetInputCol("v").SetSize(3)
		out, err := h.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := out.Collect(ctx); err == nil || !strings.Contains(err.Error(), "size 2, expected 3") && !strings.Contains(err.Error(), "null vector") {
			t.Fatalf("error mode: %v", err)
		}
		out, err = h.SetHandleInvalid("skip").Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		got := collect(t, out)
		if len(got) != 2 || got[0][0] != int64(0) || got[1][0] != int64(3) {
			t.Fatalf("skip kept %v", got)
		}
		out, err = h.SetHandleInvalid("optimistic").Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		if got := collect(t, out); len(got) != 4 {
			t.Fatalf("optimistic kept %d rows", len(got))
		}
	}
	df := makeDF(t, s, mem, []string{"id", "v"}, []arrow.DataType{tInt, tVec}, rows[:1], 1)
	if _, err := NewVectorSizeHint().SetInputCol("v").Transform(df); err == nil {
		t.Fatal("size unset accepted")
	}
}
