package tuning

import (
	"strings"
	"testing"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/optim/optimtest"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/regression"
)

// A mistyped grid param used to fit silently (the name matched no stage and
// was ignored); it must now fail before any fitting, naming the param, the
// stages and the likely intended name, with both validators and both the
// plain and the stage-targeted form.
func TestGridUnknownParam(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "diabetes.csv", 2)
	lr := regression.NewLinearRegression()
	pipe := ml.NewPipeline(lr)
	ev := evaluation.NewRegressionEvaluator()
	cases := map[string][]param.ParamMap{
		"plain":    NewParamGridBuilder().AddGrid("regParm", 0.0, 1.0).Build(),
		"targeted": NewParamGridBuilder().AddGridFor(lr, "regParm", 0.0, 1.0).Build(),
	}
	for name, grid := range cases {
		cv := NewCrossValidator().SetEstimator(pipe).SetEstimatorParamMaps(grid).SetEvaluator(ev)
		_, err := cv.Fit(ctx, df)
		if err == nil || !strings.Contains(err.Error(), `"regParm"`) || !strings.Contains(err.Error(), `did you mean "regParam"?`) {
			t.Errorf("%s: cross-validator: got %v", name, err)
		}
		if _, err := cv.TransformSchema(df.Schema()); err == nil {
			t.Errorf("%s: TransformSchema accepted the grid", name)
		}
		tvs := NewTrainValidationSplit().SetEstimator(lr).SetEstimatorParamMaps(grid).SetEvaluator(ev)
		if _, err := tvs.Fit(ctx, df); err == nil || !strings.Contains(err.Error(), "regParm") {
			t.Errorf("%s: train-validation split: got %v", name, err)
		}
	}
	// A stage that is not part of the estimator.
	other := regression.NewLinearRegression()
	grid := NewParamGridBuilder().AddGridFor(other, "regParam", 0.1).Build()
	_, err := NewCrossValidator().SetEstimator(pipe).SetEstimatorParamMaps(grid).SetEvaluator(ev).Fit(ctx, df)
	if err == nil || !strings.Contains(err.Error(), other.UID()) || !strings.Contains(err.Error(), lr.UID()) {
		t.Errorf("foreign stage: got %v", err)
	}
}

// A plain name that two stages define is ambiguous; AddGridFor sets the
// param of the one stage named and leaves the other alone.
func TestGridAmbiguousAndTargeted(t *testing.T) {
	a := feature.NewStandardScaler().SetInputCol("features").SetOutputCol("a")
	b := feature.NewStandardScaler().SetInputCol("a").SetOutputCol("b")
	pipe := ml.NewPipeline(a, b)
	_, err := resolveMaps(pipe, NewParamGridBuilder().AddGrid("withMean", true).Build())
	if err == nil || !strings.Contains(err.Error(), "ambiguous") || !strings.Contains(err.Error(), a.UID()) || !strings.Contains(err.Error(), b.UID()) {
		t.Fatalf("got %v", err)
	}
	maps, err := resolveMaps(pipe, NewParamGridBuilder().AddGridFor(b, "withMean", true, false).Build())
	if err != nil {
		t.Fatal(err)
	}
	if len(maps) != 2 || maps[0][b.UID()+".withMean"] != true || maps[1][b.UID()+".withMean"] != false {
		t.Fatalf("maps %v", maps)
	}
	st, err := gridEstimator{pipe}.Copy(maps[0])
	if err != nil {
		t.Fatal(err)
	}
	stages := st.(*ml.Pipeline).Stages()
	if stages[0].Params().IsSet("withMean") {
		t.Errorf("the grid set withMean on %s too", a.UID())
	}
	if v, _ := stages[1].Params().Get("withMean"); v != true {
		t.Errorf("withMean of %s is %v, want true", b.UID(), v)
	}
	// The original pipeline is untouched.
	if b.Params().IsSet("withMean") {
		t.Error("Copy changed the original stage")
	}
}

// A targeted grid selects the same model as the plain one it stands for:
// the average metrics are equal map by map.
func TestGridTargetedMatchesPlain(t *testing.T) {
	s, mem := newSession(t)
	df := optimtest.Labeled(t, s, mem, "diabetes.csv", 2)
	lr := regression.NewLinearRegression()
	ev := evaluation.NewRegressionEvaluator()
	fit := func(grid []param.ParamMap) []float64 {
		m, err := NewCrossValidator().SetEstimator(ml.NewPipeline(lr)).SetEstimatorParamMaps(grid).SetEvaluator(ev).SetSeed(3).FitCV(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		return m.AvgMetrics()
	}
	plain := fit(NewParamGridBuilder().AddGrid("regParam", 0.0, 50.0).Build())
	targeted := fit(NewParamGridBuilder().AddGridFor(lr, "regParam", 0.0, 50.0).Build())
	if len(plain) != 2 || plain[0] != targeted[0] || plain[1] != targeted[1] || plain[0] == plain[1] {
		t.Fatalf("plain %v, targeted %v", plain, targeted)
	}
}

// A saved validator keeps its stage-targeted grid keys and their types.
func TestGridTargetedPersists(t *testing.T) {
	lr := regression.NewLinearRegression()
	grid := NewParamGridBuilder().AddGridFor(lr, "regParam", 0.0, 0.5).AddGridFor(lr, "maxIter", 20).Build()
	cv := NewCrossValidator().SetEstimator(ml.NewPipeline(lr)).SetEstimatorParamMaps(grid).SetEvaluator(evaluation.NewRegressionEvaluator())
	dir := t.TempDir() + "/cv"
	if err := cv.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := ml.LoadAs[*CrossValidator](ctx, dir, Register(regression.Register(ml.NewRegistry())))
	if err != nil {
		t.Fatal(err)
	}
	if len(back.maps) != 2 || back.maps[1][lr.UID()+".regParam"] != 0.5 || back.maps[0][lr.UID()+".maxIter"] != 20 {
		t.Fatalf("loaded maps %v", back.maps)
	}
}
