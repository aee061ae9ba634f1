package all

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/regression"
	"github.com/gspark/gspark/ml/tuning"
)

func TestLoadAnyStage(t *testing.T) {
	classes := Registry().Classes()
	for _, c := range []string{"gspark.ml.Pipeline", "gspark.ml.PipelineModel", "gspark.ml.feature.StandardScalerModel", "gspark.ml.feature.VectorAssembler"} {
		if !slices.Contains(classes, c) {
			t.Errorf("registry lacks %s", c)
		}
	}
	for _, pkg := range []string{"gspark.ml.regression.", "gspark.ml.classification.", "gspark.ml.clustering."} {
		if !slices.ContainsFunc(classes, func(c string) bool { return strings.HasPrefix(c, pkg) }) {
			t.Errorf("registry has no %s* class: %v", pkg, classes)
		}
	}
	p := ml.NewPipeline(feature.NewTokenizer().SetInputCol("t"), feature.NewHashingTF().SetInputCol("w").SetNumFeatures(8))
	dir := filepath.Join(t.TempDir(), "p")
	if err := p.Save(dir); err != nil {
		t.Fatal(err)
	}
	st, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	lp, ok := st.(*ml.Pipeline)
	if !ok || len(lp.Stages()) != 2 || lp.Stages()[1].Params().ExplainParams() != p.Stages()[1].Params().ExplainParams() {
		t.Fatalf("loaded %T %v", st, st)
	}
}

// Cross-validation and train/validation-split models save their metrics and
// best model (under bestModel) and load back as themselves.
func TestTuningModelsSaveAndLoad(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	df := s.Table("samples.iris")
	pipeline := ml.NewPipeline(
		feature.NewVectorAssembler().SetInputCols("petal_length", "petal_width").SetOutputCol("features"),
		regression.NewLinearRegression().SetLabelCol("sepal_length"),
	)
	grid := tuning.NewParamGridBuilder().AddGrid("regParam", 0.0, 0.5).Build()
	eval := evaluation.NewRegressionEvaluator().SetLabelCol("sepal_length")
	cv, err := tuning.NewCrossValidator().SetEstimator(pipeline).SetEstimatorParamMaps(grid).SetEvaluator(eval).SetNumFolds(3).SetSeed(5).FitCV(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	tvs, err := tuning.NewTrainValidationSplit().SetEstimator(pipeline).SetEstimatorParamMaps(grid).SetEvaluator(eval).SetSeed(5).Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []ml.Model{cv, tvs} {
		dir := filepath.Join(t.TempDir(), "m")
		if err := m.Save(dir); err != nil {
			t.Fatal(err)
		}
		back, err := Load(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if back.ClassName() != m.ClassName() || back.UID() != m.UID() {
			t.Fatalf("loaded %s %s, saved %s %s", back.ClassName(), back.UID(), m.ClassName(), m.UID())
		}
		if lcv, ok := back.(*tuning.CrossValidatorModel); ok && fmt.Sprint(lcv.AvgMetrics()) != fmt.Sprint(cv.AvgMetrics()) {
			t.Fatalf("avgMetrics %v, saved %v", lcv.AvgMetrics(), cv.AvgMetrics())
		}
		a, err := m.Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		b, err := back.(ml.Transformer).Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		ea, _ := eval.Evaluate(ctx, a)
		eb, _ := eval.Evaluate(ctx, b)
		if ea != eb || ea == 0 {
			t.Fatalf("%s: rmse %v after loading, %v before", m.ClassName(), eb, ea)
		}
	}
}

// The validators themselves save their estimator (a pipeline here), their
// evaluator and param maps, and a loaded one fits the same model.
func TestValidatorsSaveAndLoad(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	df := s.Table("samples.iris")
	pipeline := ml.NewPipeline(
		feature.NewVectorAssembler().SetInputCols("petal_length", "petal_width").SetOutputCol("features"),
		regression.NewLinearRegression().SetLabelCol("sepal_length"),
	)
	// An int param and a float param: both must come back with their types.
	grid := tuning.NewParamGridBuilder().AddGrid("regParam", 0.0, 0.5).AddGrid("maxIter", 50, 100).Build()
	eval := evaluation.NewRegressionEvaluator().SetLabelCol("sepal_length").SetMetricName("mae")
	cv := tuning.NewCrossValidator().SetEstimator(pipeline).SetEstimatorParamMaps(grid).SetEvaluator(eval).SetNumFolds(4).SetSeed(9)
	tvs := tuning.NewTrainValidationSplit().SetEstimator(pipeline).SetEstimatorParamMaps(grid).SetEvaluator(eval).SetTrainRatio(0.6).SetSeed(9)
	for _, est := range []ml.Estimator{cv, tvs} {
		dir := filepath.Join(t.TempDir(), "v")
		if err := est.Save(dir); err != nil {
			t.Fatal(err)
		}
		back, err := Load(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		le, ok := back.(ml.Estimator)
		if !ok || back.UID() != est.UID() || back.Params().ExplainParams() != est.Params().ExplainParams() {
			t.Fatalf("loaded %T:\n%s\nsaved:\n%s", back, back.Params().ExplainParams(), est.Params().ExplainParams())
		}
		m1, err := est.Fit(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := le.Fit(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := m1.Transform(df)
		b, _ := m2.Transform(df)
		ea, _ := eval.Evaluate(ctx, a)
		eb, _ := eval.Evaluate(ctx, b)
		if ea != eb {
			t.Fatalf("%s: the loaded validator's model scores %v, the saved one's %v", est.ClassName(), eb, ea)
		}
	}
	if err := tuning.NewCrossValidator().Save(filepath.Join(t.TempDir(), "x")); err == nil {
		t.Fatal("saving a cross-validator without estimator and evaluator should fail")
	}
}
