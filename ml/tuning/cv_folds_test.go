package tuning

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/optim/optimtest"
	"github.com/gspark/gspark/ml/regression"
)

// TestCrossValidatorFoldCol: with foldCol, fold f validates the rows whose
// fold number is f and trains on the others. The metrics are recomputed
// by hand from frames built from exactly those rows; collectSubModels keeps
// the fold×map models, which equal the by-hand fits; parallelism 3 gives
// the same numbers as 1.
func TestCrossValidatorFoldCol(t *testing.T) {
	s, mem := newSession(t)
	_, rows := optimtest.ReadCSV(t, "diabetes.csv")
	feat := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	cols := []optimtest.Col{{Name: "features", Src: feat, Vec: true}, {Name: "label", Src: []int{10}}}
	var withFold [][]float64
	for i, r := range rows {
		withFold = append(withFold, append(append([]float64(nil), r...), float64((i*7)%3)))
	}
	df := optimtest.Frame(t, s, mem, withFold, append(cols, optimtest.Col{Name: "foldd", Src: []int{11}}), 2).
		WithColumn("fold", frame.Col("foldd").Cast("int"))
	grid := NewParamGridBuilder().AddGrid("regParam", 0.0, 5.0).Build()
	ev := evaluation.NewRegressionEvaluator()
	var first []float64
	for _, par := range []int{1, 3} {
		cv := NewCrossValidator().SetEstimator(regression.NewLinearRegression()).SetEstimatorParamMaps(grid).
			SetEvaluator(ev).SetNumFolds(3).SetFoldCol("fold").SetCollectSubModels(true).SetParallelism(par)
		m, err := cv.FitCV(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		sub := m.SubModels()
		if len(sub) != 3 || len(sub[0]) != 2 {
			t.Fatalf("sub-models %d×%d, want 3×2", len(sub), len(sub[0]))
		}
		for f := 0; f < 3; f++ {
			var train, valid [][]float64
			for i, r := range rows {
				if (i*7)%3 == f {
					valid = append(valid, r)
				} else {
					train = append(train, r)
				}
			}
			tdf := optimtest.Frame(t, s, mem, train, cols, 1)
			vdf := optimtest.Frame(t, s, mem, valid, cols, 1)
			for j, reg := range []float64{0, 5} {
				hm, err := regression.NewLinearRegression().SetRegParam(reg).FitLinear(ctx, tdf)
				if err != nil {
					t.Fatal(err)
				}
				out, err := hm.Transform(vdf)
				if err != nil {
					t.Fatal(err)
				}
				want, err := ev.Evaluate(ctx, out)
				if err != nil {
					t.Fatal(err)
				}
				what := fmt.Sprintf("parallelism=%d fold %d map %d", par, f, j)
				if got := m.FoldMetrics()[f][j]; !optimtest.RelClose(got, want, 1e-9, 1e-12) {
					t.Errorf("%s: metric %v, by hand %v", what, got, want)
				}
				sm, ok := sub[f][j].(*regression.LinearRegressionModel)
				if !ok {
					t.Fatalf("%s: sub-model is a %T", what, sub[f][j])
				}
				a, b := sm.Coefficients().ToArray(), hm.Coefficients().ToArray()
				for k := range a {
					if !optimtest.RelClose(a[k], b[k], 1e-9, 1e-9) {
						t.Errorf("%s: sub-model coefficient %d = %v, by hand %v", what, k, a[k], b[k])
					}
				}
			}
		}
		if first == nil {
			first = m.AvgMetrics()
		} else {
			for j, v := range m.AvgMetrics() {
				if v != first[j] {
					t.Errorf("parallelism %d: avg metric %d = %v, parallelism 1 gave %v", par, j, v, first[j])
				}
			}
		}
	}
	// Without collectSubModels there are none.
	m, err := NewCrossValidator().SetEstimator(regression.NewLinearRegression()).SetEvaluator(ev).SetFoldCol("fold").FitCV(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if m.SubModels() != nil {
		t.Error("sub-models kept without collectSubModels")
	}
	// Fold numbers out of range, a non-integer column, a missing column.
	for _, c := range []struct {
		cv   *CrossValidator
		want string
	}{
		{NewCrossValidator().SetNumFolds(2).SetFoldCol("fold"), "must be in range [0, 2), but got 2"},
		{NewCrossValidator().SetFoldCol("foldd"), "must be an integer column"},
		{NewCrossValidator().SetFoldCol("nope"), `"nope" does not exist`},
	} {
		_, err := c.cv.SetEstimator(regression.NewLinearRegression()).SetEvaluator(ev).FitCV(ctx, df)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error containing %q", err, c.want)
		}
	}
}

// TestTrainValidationSplitSubModels: collectSubModels keeps one model per
// param map, fitted on the training split; each scores its validation
// metric on the validation split.
func TestTrainValidationSplitSubModels(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "diabetes.csv", 2)
	grid := NewParamGridBuilder().AddGrid("regParam", 0.0, 5.0, 50.0).Build()
	ev := evaluation.NewRegressionEvaluator()
	m, err := NewTrainValidationSplit().SetEstimator(regression.NewLinearRegression()).SetEstimatorParamMaps(grid).
		SetEvaluator(ev).SetSeed(3).SetParallelism(2).SetCollectSubModels(true).FitTVS(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	split, err := df.RandomSplit([]float64{0.75, 0.25}, 3)
	if err != nil {
		t.Fatal(err)
	}
	sub := m.SubModels()
	if len(sub) != 3 {
		t.Fatalf("%d sub-models, want 3", len(sub))
	}
	for j, sm := range sub {
		out, err := sm.Transform(split[1])
		if err != nil {
			t.Fatal(err)
		}
		got, err := ev.Evaluate(ctx, out)
		if err != nil {
			t.Fatal(err)
		}
		if got != m.ValidationMetrics()[j] {
			t.Errorf("sub-model %d scores %v on the validation split, validation metric %v", j, got, m.ValidationMetrics()[j])
		}
		if r := sm.(*regression.LinearRegressionModel).Summary(); r == nil || r.NumInstances == 442 {
			t.Errorf("sub-model %d was not fitted on the training split", j)
		}
	}
}
