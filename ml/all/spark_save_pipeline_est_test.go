package all

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/tuning"
)

// An unfitted pipeline in Spark's layout (Pipeline.scala's
// SharedReadWrite.saveImpl): class org.apache.spark.ml.Pipeline, paramMap
// {stageUids}, an empty defaultParamMap, each stage in its own Spark layout
// under stages/<index>_<uid>; it loads back with the same stages and fits
// to the same model.
func TestSaveUnfittedPipelineInSparkLayout(t *testing.T) {
	ctx := context.Background()
	df := frame.NewSession(frame.WithPartitions(2)).Table("samples.iris")
	dt := classification.NewDecisionTreeClassifier().SetMaxDepth(3)
	p := ml.NewPipeline(
		feature.NewVectorAssembler().SetInputCols("sepal_length", "sepal_width", "petal_length", "petal_width").SetOutputCol("features"),
		feature.NewStringIndexer().SetInputCol("species").SetOutputCol("label"),
		dt,
	)
	dir := filepath.Join(t.TempDir(), "p")
	if err := p.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	md := readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
	var uids []string
	for _, st := range p.Stages() {
		uids = append(uids, st.UID())
	}
	if md["class"] != "org.apache.spark.ml.Pipeline" || md["uid"] != p.UID() || !slices.Equal(keys(md, "paramMap"), []string{"stageUids"}) ||
		len(keys(md, "defaultParamMap")) != 0 || !reflect.DeepEqual(md["paramMap"].(map[string]any)["stageUids"], []any{uids[0], uids[1], uids[2]}) {
		t.Errorf("metadata %v", md)
	}
	for i, want := range []string{"org.apache.spark.ml.feature.VectorAssembler", "org.apache.spark.ml.feature.StringIndexer",
		"org.apache.spark.ml.classification.DecisionTreeClassifier"} {
		if c, u := savedClass(t, dir, filepath.Join("stages", fmt.Sprintf("%d_%s", i, uids[i]))); c != want || u != uids[i] {
			t.Errorf("stage %d holds %s %s, want %s %s", i, c, u, want, uids[i])
		}
	}
	back, err := Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	bp, ok := back.(*ml.Pipeline)
	if !ok || bp.UID() != p.UID() || len(bp.Stages()) != 3 {
		t.Fatalf("loaded %T", back)
	}
	for i, st := range bp.Stages() {
		want := p.Stages()[i]
		if reflect.TypeOf(st) != reflect.TypeOf(want) || st.UID() != want.UID() || st.Params().ExplainParams() != want.Params().ExplainParams() {
			t.Errorf("stage %d loaded as %T %s:\n%s\nsaved:\n%s", i, st, st.UID(), st.Params().ExplainParams(), want.Params().ExplainParams())
		}
	}
	m1, err := p.Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := bp.Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	sameTransform(t, m1, m2, df, []string{"label", "probability", "prediction"})

	// A stage without a Spark layout is refused, naming it.
	bad := ml.NewPipeline(dt, &noSparkLayout{ml.NewStageBase("noSpark_2")})
	if err := bad.SaveSpark(filepath.Join(t.TempDir(), "bad")); err == nil || !strings.Contains(err.Error(), "stage 1 (noSpark_2") {
		t.Errorf("saving a stage without a Spark layout: %v", err)
	}
}

// A CrossValidator over a pipeline in Spark's layout: estimatorParamMaps
// entries name the stage owning each param as parent (ValidatorParams'
// saveImpl writes p.parent, the uid of the stage the param belongs to),
// the pipeline goes under estimator/ and the best model is a
// PipelineModel; it loads back with the same param maps, addressed to the
// stage, and predicts the same.
func TestSaveCrossValidatorOverPipelineInSparkLayout(t *testing.T) {
	ctx := context.Background()
	df := irisIndexed(t)
	scaler := feature.NewStandardScaler().SetInputCol("features").SetOutputCol("scaled")
	dt := classification.NewDecisionTreeClassifier()
	dt.Params().Set("featuresCol", "scaled")
	p := ml.NewPipeline(scaler, dt)
	ev := evaluation.NewMulticlassClassificationEvaluator().SetMetricName("accuracy")
	grid := tuning.NewParamGridBuilder().AddGrid("maxDepth", 1, 3).AddGridFor(scaler, "withMean", false, true).Build()
	cv := tuning.NewCrossValidator().SetEstimator(p).SetEvaluator(ev).SetEstimatorParamMaps(grid).SetNumFolds(2).SetSeed(3)
	m, err := cv.FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "cv")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	md := readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
	maps, _ := md["paramMap"].(map[string]any)["estimatorParamMaps"].([]any)
	if len(maps) != 4 {
		t.Fatalf("estimatorParamMaps %v", maps)
	}
	for i, pm := range maps {
		entries := pm.([]any)
		if len(entries) != 2 {
			t.Fatalf("param map %d: %v", i, entries)
		}
		for _, e := range entries {
			e := e.(map[string]any)
			wantParent := map[string]string{"maxDepth": dt.UID(), "withMean": scaler.UID()}[e["name"].(string)]
			if e["parent"] != wantParent || e["isJson"] != "true" {
				t.Errorf("param map %d entry %v: parent should be %s", i, e, wantParent)
			}
		}
	}
	for sub, want := range map[string]string{
		"estimator": "org.apache.spark.ml.Pipeline",
		filepath.Join("estimator", "stages", "1_"+dt.UID()): "org.apache.spark.ml.classification.DecisionTreeClassifier",
		"bestModel": "org.apache.spark.ml.PipelineModel",
	} {
		if c, _ := savedClass(t, dir, sub); c != want {
			t.Errorf("%s holds %s, want %s", sub, c, want)
		}
	}
	back, err := Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	bm, ok := back.(*tuning.CrossValidatorModel)
	if !ok || bm.BestIndex() != m.BestIndex() || !slices.Equal(bm.AvgMetrics(), m.AvgMetrics()) {
		t.Fatalf("loaded %T", back)
	}
	got := bm.Validator().EstimatorParamMaps()
	for i, want := range grid {
		g := got[i]
		if len(g) != 2 || g[tuning.StageParamKey(dt, "maxDepth")] != want["maxDepth"] ||
			g[tuning.StageParamKey(scaler, "withMean")] != want[tuning.StageParamKey(scaler, "withMean")] {
			t.Errorf("param map %d loaded as %v, saved %v", i, g, want)
		}
	}
	sameTransform(t, m, bm, df, []string{"probability", "prediction"})
}

// A TrainValidationSplit over a random forest and a OneVsRest over
// LinearSVC, unfitted and fitted, save in Spark's layout and load back.
func TestSaveValidatorsOverEstimatorsInSparkLayout(t *testing.T) {
	ctx := context.Background()
	df := irisIndexed(t)
	rf := classification.NewRandomForestClassifier()
	rf.Params().Set("seed", int64(5))
	grid := tuning.NewParamGridBuilder().AddGrid("numTrees", 2, 4).Build()
	tvs := tuning.NewTrainValidationSplit().SetEstimator(rf).SetEvaluator(evaluation.NewMulticlassClassificationEvaluator()).
		SetEstimatorParamMaps(grid).SetSeed(1)
	m, err := tvs.FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "tvs")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	if c, _ := savedClass(t, dir, "estimator"); c != "org.apache.spark.ml.classification.RandomForestClassifier" {
		t.Errorf("estimator holds %s", c)
	}
	back, err := Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	bm := back.(*tuning.TrainValidationSplitModel)
	if !reflect.DeepEqual(bm.Validator().EstimatorParamMaps(), grid) ||
		bm.Validator().Estimator().Params().ExplainParams() != rf.Params().ExplainParams() {
		t.Errorf("loaded param maps %v, estimator:\n%s", bm.Validator().EstimatorParamMaps(), bm.Validator().Estimator().Params().ExplainParams())
	}
	sameTransform(t, m, bm, df, []string{"prediction"})

	svc := classification.NewLinearSVC().SetMaxIter(20)
	ovr := classification.NewOneVsRest(svc)
	edir := filepath.Join(t.TempDir(), "ovr")
	if err := ovr.SaveSpark(edir); err != nil {
		t.Fatal(err)
	}
	if c, u := savedClass(t, edir, "classifier"); c != "org.apache.spark.ml.classification.LinearSVC" || u != svc.UID() {
		t.Errorf("classifier holds %s %s", c, u)
	}
	est, err := Load(ctx, edir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := est.(*classification.OneVsRest); !ok {
		t.Fatalf("loaded %T", est)
	}
	om, err := ovr.Fit(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	mdir := filepath.Join(t.TempDir(), "ovrm")
	if err := om.(*classification.OneVsRestModel).SaveSpark(mdir); err != nil {
		t.Fatal(err)
	}
	lm, err := Load(ctx, mdir)
	if err != nil {
		t.Fatal(err)
	}
	c := lm.(*classification.OneVsRestModel).Classifier()
	if c == nil || c.UID() != svc.UID() || c.Params().ExplainParams() != svc.Params().ExplainParams() {
		t.Errorf("loaded classifier %v", c)
	}
	sameTransform(t, om, lm.(ml.Transformer), df, []string{"prediction"})
}
