package stat

import (
	"context"
	"encoding/json"

	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

var ctx = context.Background()

// frameOf builds a DataFrame (features vector, label, weight) spread over
// parts partitions in contiguous runs; a nil vector is a null row.
func frameOf(t *testing.T, vecs []linalg.Vector, labels, weights []float64, parts int) *frame.DataFrame {
	t.Helper()
	mem := exectest.Alloc(t)
	s := frame.NewSession(frame.WithAllocator(mem))
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "features", Type: linalg.VectorType(), Nullable: true},
		{Name: "label", Type: arrow.PrimitiveTypes.Float64},
		{Name: "weight", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	batch := func(lo, hi int) arrow.RecordBatch {
		vb := linalg.NewVectorBuilder(mem)
		defer vb.Release()
		lb, wb := array.NewFloat64Builder(mem), array.NewFloat64Builder(mem)
		defer lb.Release()
		defer wb.Release()
		for i := lo; i < hi; i++ {
			if vecs[i] == nil {
				vb.AppendNull()
			} else {
				vb.Append(vecs[i])
			}
			l, w := 0.0, 1.0
			if labels != nil {
				l = labels[i]
			}
			if weights != nil {
				w = weights[i]
			}
			lb.Append(l)
			wb.Append(w)
		}
		cols := []arrow.Array{vb.NewArray(), lb.NewArray(), wb.NewArray()}
		rec := array.NewRecordBatch(schema, cols, int64(hi-lo))
		for _, c := range cols {
			c.Release()
		}
		return rec
	}
	batches := make([][]arrow.RecordBatch, parts)
	per := (len(vecs) + parts - 1) / parts
	for p := range batches {
		lo, hi := min(p*per, len(vecs)), min((p+1)*per, len(vecs))
		batches[p] = append(batches[p], batch(lo, hi))
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

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*(1+math.Abs(b))
}

func checkVec(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
	for i := range got {
		if !near(got[i], want[i], tol) {
			t.Fatalf("%s[%d]: got %v, want %v (all: %v)", what, i, got[i], want[i], got)
		}
	}
}

// ref is testdata/ml/feature_stat_reference.json, written by
// testdata/ml/make_feature_stat_reference.py (numpy, scipy, scikit-learn).
type ref struct {
	Wine5   [][]float64 `json:"wine5"`
	Weights []float64   `json:"weights"`
	Corr    struct {
		Pearson, Spearman [][]float64
	} `json:"corr"`
	Summary, SummaryWeighted refSummary
	ChiSq                    struct {
		Features [][]float64 `json:"features"`
		Label    []float64   `json:"label"`
		Tests    []struct {
			Statistic float64 `json:"statistic"`
			PValue    float64 `json:"pValue"`
			DOF       int64   `json:"dof"`
		} `json:"tests"`
	} `json:"chisq"`
}

type refSummary struct {
	Mean, Sum, Variance, Std, NumNonZeros, Max, Min, NormL1, NormL2 []float64
	Count                                                           int64
	WeightSum                                                       float64
}

func loadRef(t *testing.T) *ref {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ml", "feature_stat_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r ref
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func dense(rows [][]float64) []linalg.Vector {
	out := make([]linalg.Vector, len(rows))
	for i, r := range rows {
		out[i] = linalg.Dense(r...)
	}
	return out
}

// sparkCorrInput is the data of the Correlation example of Spark's ML guide.
func sparkCorrInput(t *testing.T) []linalg.Vector {
	a, err := linalg.Sparse(4, []int{0, 3}, []float64{1, -2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := linalg.Sparse(4, []int{0, 3}, []float64{9, 1})
	if err != nil {
		t.Fatal(err)
	}
	return []linalg.Vector{a, linalg.Dense(4, 5, 0, 3), linalg.Dense(6, 7, 0, 8), b}
}

func TestCorrSparkExample(t *testing.T) {
	nan := math.NaN()
	// Printed by Spark's ML guide (ml-statistics.md, Correlation).
	want := map[string][][]float64{
		Pearson: {
			{1.0, 0.055641488407465814, nan, 0.4004714203168137},
			{0.055641488407465814, 1.0, nan, 0.9135958615342522},
			{nan, nan, 1.0, nan},
			{0.4004714203168137, 0.9135958615342522, nan, 1.0},
		},
		Spearman: {
			{1.0, 0.10540925533894532, nan, 0.40000000000000174},
			{0.10540925533894532, 1.0, nan, 0.9486832980505141},
			{nan, nan, 1.0, nan},
			{0.40000000000000174, 0.9486832980505141, nan, 1.0},
		},
	}
	for _, parts := range []int{1, 4} {
		df := frameOf(t, sparkCorrInput(t), nil, nil, parts)
		for m, w := range want {
			got, err := Corr(ctx, df, "features", m)
			if err != nil {
				t.Fatal(err)
			}
			for i := range w {
				checkVec(t, m, got[i], w[i], 1e-12)
			}
		}
	}
	if _, err := Corr(ctx, frameOf(t, sparkCorrInput(t), nil, nil, 1), "features", "kendall"); err == nil {
		t.Fatal("unknown method accepted")
	}
}

func TestCorrReference(t *testing.T) {
	r := loadRef(t)
	for _, parts := range []int{1, 4} {
		df := frameOf(t, dense(r.Wine5), nil, nil, parts)
		for m, w := range map[string][][]float64{Pearson: r.Corr.Pearson, Spearman: r.Corr.Spearman} {
			got, err := Corr(ctx, df, "features", m)
			if err != nil {
				t.Fatal(err)
			}
			for i := range w {
				checkVec(t, m, got[i], w[i], 1e-12)
			}
		}
	}
}

func TestChiSquareTestSparkExample(t *testing.T) {
	vecs := dense([][]float64{{0.5, 10}, {1.5, 20}, {1.5, 30}, {3.5, 30}, {3.5, 40}, {3.5, 40}})
	labels := []float64{0, 0, 1, 0, 0, 1}
	for _, parts := range []int{1, 4} {
		res, err := ChiSquareTest(ctx, frameOf(t, vecs, labels, nil, parts), "features", "label")
		if err != nil {
			t.Fatal(err)
		}
		// Printed by Spark's ML guide (ml-statistics.md, ChiSquareTest).
		checkVec(t, "pValues", res.PValues, []float64{0.6872892787909721, 0.6822703303362126}, 1e-12)
		checkVec(t, "statistics", res.Statistics, []float64{0.75, 1.5}, 1e-12)
		if res.DegreesOfFreedom[0] != 2 || res.DegreesOfFreedom[1] != 3 {
			t.Fatalf("degreesOfFreedom %v", res.DegreesOfFreedom)
		}
	}
}

func TestChiSquareTestReference(t *testing.T) {
	r := loadRef(t)
	for _, parts := range []int{1, 4} {
		res, err := ChiSquareTest(ctx, frameOf(t, dense(r.ChiSq.Features), r.ChiSq.Label, nil, parts), "features", "label")
		if err != nil {
			t.Fatal(err)
		}
		for j, w := range r.ChiSq.Tests {
			if !near(res.Statistics[j], w.Statistic, 1e-12) || res.DegreesOfFreedom[j] != w.DOF || math.Abs(res.PValues[j]-w.PValue) > 1e-12 {
				t.Fatalf("feature %d: got (%v, %v, %v), want %+v", j, res.Statistics[j], res.DegreesOfFreedom[j], res.PValues[j], w)
			}
		}
	}
}

func TestSummarizerSparkExample(t *testing.T) {
	vecs := dense([][]float64{{2, 3, 5}, {4, 6, 7}})
	for _, parts := range []int{1, 4} {
		df := frameOf(t, vecs, nil, []float64{1, 2}, parts)
		// Printed by Spark's ML guide (ml-statistics.md, Summarizer).
		s, err := Summarize(ctx, df, "features", "weight")
		if err != nil {
			t.Fatal(err)
		}
		checkVec(t, "weighted mean", s.Mean, []float64{3.333333333333333, 5.0, 6.333333333333333}, 1e-12)
		checkVec(t, "weighted variance", s.Variance, []float64{2.000000000000001, 4.5, 2.000000000000001}, 1e-12)
		s, err = Summarize(ctx, df, "features", "")
		if err != nil {
			t.Fatal(err)
		}
		checkVec(t, "mean", s.Mean, []float64{3, 4.5, 6}, 1e-12)
		checkVec(t, "variance", s.Variance, []float64{2, 4.5, 2}, 1e-12)
	}
}

func TestSummarizerReference(t *testing.T) {
	r := loadRef(t)
	for _, parts := range []int{1, 4} {
		for _, weighted := range []bool{false, true} {
			want, wcol := r.Summary, ""
			if weighted {
				want, wcol = r.SummaryWeighted, "weight"
			}
			s, err := Summarize(ctx, frameOf(t, dense(r.Wine5), nil, r.Weights, parts), "features", wcol)
			if err != nil {
				t.Fatal(err)
			}
			checkVec(t, "mean", s.Mean, want.Mean, 1e-12)
			checkVec(t, "sum", s.Sum, want.Sum, 1e-12)
			checkVec(t, "variance", s.Variance, want.Variance, 1e-12)
			checkVec(t, "std", s.Std, want.Std, 1e-12)
			checkVec(t, "numNonZeros", s.NumNonZeros, want.NumNonZeros, 0)
			checkVec(t, "max", s.Max, want.Max, 0)
			checkVec(t, "min", s.Min, want.Min, 0)
			checkVec(t, "normL1", s.NormL1, want.NormL1, 1e-12)
			checkVec(t, "normL2", s.NormL2, want.NormL2, 1e-12)
			if s.Count != want.Count || !near(s.WeightSum, want.WeightSum, 1e-12) {
				t.Fatalf("count %d weightSum %v, want %d %v", s.Count, s.WeightSum, want.Count, want.WeightSum)
			}
		}
	}
}

// TestSummarizerSparseAndNulls checks implicit zeros of sparse vectors (in
// max, min and numNonZeros), skipped null rows and zero weights, by hand.
func TestSummarizerSparseAndNulls(t *testing.T) {
	sv, err := linalg.Sparse(2, []int{1}, []float64{-3})
	if err != nil {
		t.Fatal(err)
	}
	vecs := []linalg.Vector{sv, nil, linalg.Dense(5, 5), linalg.Dense(100, 100)}
	s, err := Summarize(ctx, frameOf(t, vecs, nil, []float64{1, 1, 1, 0}, 2), "features", "weight")
	if err != nil {
		t.Fatal(err)
	}
	checkVec(t, "max", s.Max, []float64{5, 5}, 0)
	checkVec(t, "min", s.Min, []float64{0, -3}, 0)
	checkVec(t, "numNonZeros", s.NumNonZeros, []float64{1, 2}, 0)
	checkVec(t, "mean", s.Mean, []float64{2.5, 1}, 1e-15)
	if s.Count != 2 {
		t.Fatalf("count %d", s.Count)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// TestChiSquareTestEqualTables checks that two features with the same
// contingency table (up to relabelling their values) get bit-identical
// statistics, so that Spark's tie-break by feature index applies (the data
// of Spark's ChiSqSelector example: features 2 and 3).
func TestChiSquareTestEqualTables(t *testing.T) {
	vecs := dense([][]float64{{0, 0, 18, 1}, {0, 1, 12, 0}, {1, 0, 15, 0.1}})
	df := frameOf(t, vecs, []float64{1, 0, 0}, nil, 1)
	for i := 0; i < 20; i++ {
		res, err := ChiSquareTest(ctx, df, "features", "label")
		if err != nil {
			t.Fatal(err)
		}
		if res.Statistics[2] != res.Statistics[3] || res.PValues[2] != res.PValues[3] {
			t.Fatalf("run %d: statistics %v, p-values %v", i, res.Statistics, res.PValues)
		}
	}
}
