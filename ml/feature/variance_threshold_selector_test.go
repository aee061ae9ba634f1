package feature

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/linalg"
)

func TestBinarizer(t *testing.T) {
	s, mem := newSession(t)
	// pyspark docstring: 0.5 with threshold 1.0 → 0.0.
	df := makeDF(t, s, mem, []string{"id", "values"}, []arrow.DataType{tInt, tFloat}, [][]any{{int64(0), 0.5}, {int64(1), 1.5}, {int64(2), nil}}, 2)
	b := NewBinarizer().SetThreshold(1).SetInputCol("values").SetOutputCol("features")
	rows := transformRows(t, b, df)
	if rows[0][2] != 0.0 || rows[1][2] != 1.0 || rows[2][2] != nil {
		t.Fatalf("rows %v", rows)
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, b), df))
	sv := sparse(t, 4, []int{1, 3}, []float64{0.2, 3})
	vdf := vectorFrame(t, s, []linalg.Vector{linalg.Dense(0.5, 1.5, -1), sv}, 2)
	vb := NewBinarizer().SetThreshold(0.3).SetInputCol("features").SetOutputCol("b")
	rows = transformRows(t, vb, vdf)
	vecNear(t, "dense", rows[0][2], linalg.Dense(1, 1, 0), 0)
	if rows[1][2].(linalg.Vector).String() != "(4,[3],[1.0])" {
		t.Fatalf("sparse %v", rows[1][2])
	}
	vb.SetThreshold(-1)
	rows = transformRows(t, vb, vdf)
	vecNear(t, "negative threshold", rows[1][2], linalg.Dense(1, 1, 1, 1), 0)
}

func TestNGram(t *testing.T) {
	s, mem := newSession(t)
	// pyspark docstring: [a..e] with n=2 → [a b, b c, c d, d e]; n=4 → [a b c d, b c d e].
	df := makeDF(t, s, mem, []string{"id", "inputTokens"}, []arrow.DataType{tInt, tTokens},
		[][]any{{int64(0), []string{"a", "b", "c", "d", "e"}}, {int64(1), []string{"x"}}, {int64(2), nil}}, 2)
	ng := NewNGram().SetInputCol("inputTokens").SetOutputCol("nGrams")
	rows := transformRows(t, ng, df)
	if !slices.Equal(strs(rows[0][2]), []string{"a b", "b c", "c d", "d e"}) || len(strs(rows[1][2])) != 0 || rows[1][2] == nil || rows[2][2] != nil {
		t.Fatalf("rows %v", rows)
	}
	ng.SetN(4)
	rows = transformRows(t, ng, df)
	if !slices.Equal(strs(rows[0][2]), []string{"a b c d", "b c d e"}) {
		t.Fatalf("n=4 %v", rows)
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, ng), df))
}

func TestElementwiseProductAndVectorSlicer(t *testing.T) {
	s, _ := newSession(t)
	// pyspark docstring: [2,1,3] ∘ [1,2,3] → [2,2,9].
	df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(2, 1, 3), sparse(t, 3, []int{2}, []float64{4})}, 2)
	ep := NewElementwiseProduct().SetScalingVec(1, 2, 3).SetInputCol("features").SetOutputCol("eprod")
	rows := transformRows(t, ep, df)
	vecNear(t, "dense", rows[0][2], linalg.Dense(2, 2, 9), 0)
	if rows[1][2].(linalg.Vector).String() != "(3,[2],[12.0])" {
		t.Fatalf("sparse %v", rows[1][2])
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, ep), df))

	// pyspark docstring: indices [1, 4] of [-2.0, 2.3, 0.0, 0.0, 1.0] → [2.3, 1.0].
	df2 := vectorFrame(t, s, []linalg.Vector{linalg.Dense(-2, 2.3, 0, 0, 1), linalg.Dense(0, 0, 0, 0, 0), sparse(t, 5, []int{4}, []float64{7})}, 2)
	vs := NewVectorSlicer().SetInputCol("features").SetOutputCol("sliced").SetIndices(1, 4)
	rows = transformRows(t, vs, df2)
	vecNear(t, "doc", rows[0][2], linalg.Dense(2.3, 1), 0)
	if rows[2][2].(linalg.Vector).String() != "(2,[1],[7.0])" {
		t.Fatalf("sparse %v", rows[2][2])
	}
	sameRows(t, rows, transformRows(t, roundTrip(t, vs), df2))
	wantErr(t, runErr(NewVectorSlicer().SetInputCol("features").SetOutputCol("s").SetIndices(9), df2), "index 9 is out of range")
}

func TestVarianceThresholdSelector(t *testing.T) {
	// Hand-computed sample variances: [16.67, 0.667, 8.17, 10.17, 5.07, 11.47]; threshold 8.0 keeps 0, 2, 3, 5.
	data := []linalg.Vector{
		linalg.Dense(6.0, 7.0, 0.0, 7.0, 6.0, 0.0), linalg.Dense(0.0, 9.0, 6.0, 0.0, 5.0, 9.0),
		linalg.Dense(0.0, 9.0, 3.0, 0.0, 5.0, 5.0), linalg.Dense(0.0, 9.0, 8.0, 5.0, 6.0, 4.0),
		linalg.Dense(8.0, 9.0, 6.0, 5.0, 4.0, 4.0), linalg.Dense(8.0, 9.0, 6.0, 0.0, 0.0, 0.0),
	}
	for _, parts := range partitionCounts {
		s, _ := newSession(t)
		df := vectorFrame(t, s, data, parts)
		sel := NewVarianceThresholdSelector().SetVarianceThreshold(8.0).SetOutputCol("selectedFeatures")
		m := fit(t, sel, df).(*VarianceThresholdSelectorModel)
		if !slices.Equal(m.SelectedFeatures(), []int{0, 2, 3, 5}) {
			t.Fatalf("selected %v", m.SelectedFeatures())
		}
		rows := transformRows(t, m, df)
		vecNear(t, "row0", rows[0][2], linalg.Dense(6, 0, 7, 0), 0)
		sameRows(t, rows, transformRows(t, roundTrip(t, m), df))
		m0 := fit(t, NewVarianceThresholdSelector(), df).(*VarianceThresholdSelectorModel)
		if !slices.Equal(m0.SelectedFeatures(), []int{0, 1, 2, 3, 4, 5}) {
			t.Fatalf("threshold 0: %v", m0.SelectedFeatures())
		}
	}
}

func TestCanceledFitAndBadFrame(t *testing.T) {
	s, _ := newSession(t)
	df := vectorFrame(t, s, []linalg.Vector{linalg.Dense(1), linalg.Dense(2)}, 2)
	c, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewStandardScaler().SetInputCol("features").Fit(c, df); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled fit: %v", err)
	}
	bad := df.Select(frame.Col("nope"))
	if _, err := NewStandardScaler().SetInputCol("features").Fit(ctx, bad); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("bad frame fit: %v", err)
	}
	if _, err := NewNormalizer().SetInputCol("features").Transform(bad); err == nil {
		t.Fatal("bad frame transform")
	}
}

func TestRobustScaler(t *testing.T) {
	// pyspark.ml.feature.RobustScaler docstring: median [2,-2], range [2,2], row 1 → [0.5,-0.5].
	data := []linalg.Vector{linalg.Dense(0, 0), linalg.Dense(1, -1), linalg.Dense(2, -2), linalg.Dense(3, -3), linalg.Dense(4, -4)}
	for _, parts := range partitionCounts {
		s, _ := newSession(t)
		df := vectorFrame(t, s, data, parts)
		rs := NewRobustScaler().SetInputCol("features").SetOutputCol("scaled")
		m := fit(t, rs, df).(*RobustScalerModel)
		vecNear(t, "median", m.Median(), linalg.Dense(2, -2), 0)
		vecNear(t, "range", m.Range(), linalg.Dense(2, 2), 0)
		rows := transformRows(t, m, df)
		vecNear(t, "row1", rows[1][2], linalg.Dense(0.5, -0.5), 0)
		sameRows(t, rows, transformRows(t, roundTrip(t, m), df))
		m2 := fit(t, NewRobustScaler().SetInputCol("features").SetOutputCol("scaled").SetWithCentering(true), df).(*RobustScalerModel)
		vecNear(t, "centered", transformRows(t, m2, df)[4][2], linalg.Dense(1, -1), 0)
	}
}
