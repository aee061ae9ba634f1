package all

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/tuning"
)

// irisIndexed is iris with a features vector and a label index.
func irisIndexed(t *testing.T) *frame.DataFrame {
	t.Helper()
	s := frame.NewSession(frame.WithPartitions(2))
	df := s.Table("samples.iris")
	p := ml.NewPipeline(
		feature.NewVectorAssembler().SetInputCols("sepal_length", "sepal_width", "petal_length", "petal_width").SetOutputCol("features"),
		feature.NewStringIndexer().SetInputCol("species").SetOutputCol("label"),
	)
	fitted, err := p.Fit(context.Background(), df)
	if err != nil {
		t.Fatal(err)
	}
	out, err := fitted.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// savedClass reads the class and uid of the stage saved at dir/sub.
func savedClass(t *testing.T, dir, sub string) (string, string) {
	t.Helper()
	md := readJSON(t, filepath.Join(dir, sub, "metadata", "part-00000"))
	c, _ := md["class"].(string)
	u, _ := md["uid"].(string)
	return c, u
}

// sameTransform checks that two transformers give the same cols on df.
func sameTransform(t *testing.T, a, b ml.Transformer, df *frame.DataFrame, cols []string) {
	t.Helper()
	o1, err := a.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	o2, err := b.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	if r1, r2 := rowsOf(t, o1, cols), rowsOf(t, o2, cols); len(r1) == 0 || !reflect.DeepEqual(r1, r2) {
		t.Errorf("loaded back, %s transforms differently", a.(ml.Stage).UID())
	}
}

// A OneVsRestModel in Spark's layout (OneVsRest.scala's
// OneVsRestModelWriter and OneVsRestParams.saveImpl): paramMap holds every
// param but classifier, the extra keys labelMetadata and numClasses, the
// base classifier under classifier/ and model i under model_<i>/; it loads
// back predicting the same, and the unfitted OneVsRest too.
func TestSaveOneVsRestInSparkLayout(t *testing.T) {
	ctx := context.Background()
	df := irisIndexed(t)
	lr := classification.NewLogisticRegression().SetMaxIter(20)
	ovr := classification.NewOneVsRest(lr)
	m, err := ovr.FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "ovr")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	md := readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
	if md["class"] != "org.apache.spark.ml.classification.OneVsRestModel" || md["uid"] != m.UID() || md["numClasses"] != 3.0 ||
		!slices.Equal(keys(md, ""), []string{"class", "defaultParamMap", "labelMetadata", "numClasses", "paramMap", "sparkVersion", "timestamp", "uid"}) ||
		!slices.Equal(keys(md, "paramMap"), []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol"}) {
		t.Errorf("metadata %v", md)
	}
	var lm map[string]map[string]any
	if s, _ := md["labelMetadata"].(string); json.Unmarshal([]byte(s), &lm) != nil || lm["ml_attr"]["num_vals"] != 3.0 || lm["ml_attr"]["type"] != "nominal" {
		t.Errorf("labelMetadata %v", md["labelMetadata"])
	}
	if c, u := savedClass(t, dir, "classifier"); c != "org.apache.spark.ml.classification.LogisticRegression" || u != lr.UID() {
		t.Errorf("classifier/ holds %s %s", c, u)
	}
	if cmd := readJSON(t, filepath.Join(dir, "classifier", "metadata", "part-00000")); cmd["paramMap"].(map[string]any)["maxIter"] != 20.0 {
		t.Errorf("classifier metadata %v", cmd)
	}
	for i, bm := range m.Models() {
		if c, u := savedClass(t, dir, "model_"+string(rune('0'+i))); c != "org.apache.spark.ml.classification.LogisticRegressionModel" || u != bm.UID() {
			t.Errorf("model_%d holds %s %s", i, c, u)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "model_3")); err == nil {
		t.Error("model_3 exists for 3 classes")
	}
	back, err := Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	bm, ok := back.(*classification.OneVsRestModel)
	if !ok || bm.UID() != m.UID() || bm.NumClasses() != 3 || bm.Classifier() == nil || bm.Classifier().UID() != lr.UID() {
		t.Fatalf("loaded %T", back)
	}
	sameTransform(t, m, bm, df, []string{"rawPrediction", "prediction"})
	if err := bm.SaveSpark(filepath.Join(t.TempDir(), "again")); err != nil {
		t.Errorf("saving the loaded model again: %v", err)
	}

	edir := filepath.Join(t.TempDir(), "ovr-est")
	if err := ovr.SetParallelism(2).SaveSpark(edir); err != nil {
		t.Fatal(err)
	}
	emd := readJSON(t, filepath.Join(edir, "metadata", "part-00000"))
	if emd["class"] != "org.apache.spark.ml.classification.OneVsRest" || emd["paramMap"].(map[string]any)["parallelism"] != 2.0 {
		t.Errorf("estimator metadata %v", emd)
	}
	est, err := Load(ctx, edir)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := est.(*classification.OneVsRest)
	if !ok || e.UID() != ovr.UID() || e.Classifier().UID() != lr.UID() {
		t.Fatalf("loaded %T", est)
	}
	if v, _ := e.Classifier().Params().Get("maxIter"); v != 20 {
		t.Errorf("classifier maxIter %v", v)
	}
	if v, _ := e.Params().Get("parallelism"); v != 2 {
		t.Errorf("parallelism %v", v)
	}
}

// sparkLRModelDir writes a binomial LogisticRegressionModel in Spark 2.0's
// layout (numClasses, numFeatures, intercept, coefficients) at dir.
func sparkLRModelDir(t *testing.T, dir, uid string, intercept float64, coef ...float64) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "metadata"), 0o755); err != nil {
		t.Fatal(err)
	}
	md := `{"class":"org.apache.spark.ml.classification.LogisticRegressionModel","timestamp":1,"sparkVersion":"2.0.2","uid":"` + uid + `",` +
		`"paramMap":{"featuresCol":"features","maxIter":5}}`
	writeMetaFile(t, filepath.Join(dir, "metadata", "part-00000"), md)
	schema := arrow.NewSchema([]arrow.Field{fInt("numClasses"), fInt("numFeatures"), fDouble("intercept"), fVec("coefficients")}, nil)
	if err := ml.WriteSparkRows(dir, "data", schema, []any{2, len(coef), intercept, linalg.Dense(coef...)}); err != nil {
		t.Fatal(err)
	}
}

func writeMetaFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

const sparkLRMetadata = `{"class":"org.apache.spark.ml.classification.LogisticRegression","timestamp":1,"sparkVersion":"2.4.7","uid":"logreg_h",` +
	`"paramMap":{"maxIter":5},"defaultParamMap":{"maxIter":100,"regParam":0.0,"featuresCol":"features"}}`

type featRow struct {
	Features linalg.Vector `gspark:"features"`
}

// A OneVsRestModel directory as Spark writes it loads: model k's raw
// prediction is its margin w·x + b, and the prediction the class with the
// largest, computed here by hand.
func TestLoadSparkOneVsRestModel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ovr")
	writeMetaFile(t, filepath.Join(dir, "metadata", "part-00000"),
		`{"class":"org.apache.spark.ml.classification.OneVsRestModel","timestamp":1,"sparkVersion":"2.4.7","uid":"oneVsRest_h",`+
			`"paramMap":{"featuresCol":"features","labelCol":"label","predictionCol":"pred","rawPredictionCol":"rawPrediction"},`+
			`"defaultParamMap":{"featuresCol":"features","labelCol":"label","predictionCol":"prediction","rawPredictionCol":"rawPrediction"},`+
			`"labelMetadata":"{\"ml_attr\":{\"type\":\"nominal\",\"num_vals\":2,\"name\":\"label\"}}","numClasses":2}`)
	writeMetaFile(t, filepath.Join(dir, "classifier", "metadata", "part-00000"), sparkLRMetadata)
	sparkLRModelDir(t, filepath.Join(dir, "model_0"), "logreg_m0", 0, 1, 0)
	sparkLRModelDir(t, filepath.Join(dir, "model_1"), "logreg_m1", 0.5, 0, 1)
	st, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	m := st.(*classification.OneVsRestModel)
	if m.UID() != "oneVsRest_h" || m.NumClasses() != 2 || m.Classifier().UID() != "logreg_h" {
		t.Fatalf("loaded %s %d", m.UID(), m.NumClasses())
	}
	out, err := m.Transform(frame.NewSession().CreateDataFrame([]featRow{{linalg.Dense(3, 1)}, {linalg.Dense(1, 2)}}))
	if err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(t, out, []string{"rawPrediction", "pred"})
	// (3, 1): margins 3 and 1 + 0.5 → class 0; (1, 2): 1 and 2.5 → class 1.
	want := [][2]any{{[]float64{3, 1.5}, 0.0}, {[]float64{1, 2.5}, 1.0}}
	for i, r := range rows {
		if !slices.Equal(r[0].(linalg.Vector).ToArray(), want[i][0].([]float64)) || r[1] != want[i][1] {
			t.Errorf("row %d: %v, want %v", i, r, want[i])
		}
	}
	// numClasses larger than the model directories is an error naming the
	// missing one.
	b, _ := os.ReadFile(filepath.Join(dir, "metadata", "part-00000"))
	writeMetaFile(t, filepath.Join(dir, "metadata", "part-00000"), strings.Replace(string(b), `"numClasses":2`, `"numClasses":3`, 1))
	if _, err := Load(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "model 2 is missing") {
		t.Errorf("numClasses 3 with 2 models: %v", err)
	}
}

// A CrossValidatorModel in Spark's layout (ValidatorParams.saveImpl and
// CrossValidator.scala's CrossValidatorModelWriter): every param in
// paramMap with estimatorParamMaps as Spark encodes it, avgMetrics and
// persistSubModels, evaluator/, estimator/, bestModel/ and
// subModels/fold<i>/<j>; it loads back with the same metrics, param maps
// and predictions.
func TestSaveCrossValidatorModelInSparkLayout(t *testing.T) {
	ctx := context.Background()
	df := irisIndexed(t)
	lr := classification.NewLogisticRegression().SetMaxIter(15)
	ev := evaluation.NewMulticlassClassificationEvaluator().SetMetricName("accuracy")
	grid := tuning.NewParamGridBuilder().AddGrid("regParam", 0.0, 0.5).Build()
	cv := tuning.NewCrossValidator().SetEstimator(lr).SetEvaluator(ev).SetEstimatorParamMaps(grid).SetNumFolds(2).SetSeed(7).SetCollectSubModels(true)
	m, err := cv.FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "cv")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	md := readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
	pm, _ := md["paramMap"].(map[string]any)
	if md["class"] != "org.apache.spark.ml.tuning.CrossValidatorModel" || md["uid"] != cv.UID() || md["persistSubModels"] != true ||
		!slices.Equal(keys(md, ""), []string{"avgMetrics", "class", "defaultParamMap", "paramMap", "persistSubModels", "sparkVersion", "timestamp", "uid"}) ||
		!slices.Equal(keys(md, "paramMap"), []string{"collectSubModels", "estimatorParamMaps", "numFolds", "parallelism", "seed"}) ||
		!slices.Equal(keys(md, "defaultParamMap"), []string{"collectSubModels", "numFolds", "parallelism", "seed"}) ||
		pm["numFolds"] != 2.0 || pm["seed"] != 7.0 || pm["collectSubModels"] != true {
		t.Errorf("metadata %v", md)
	}
	wantMaps := []any{
		[]any{map[string]any{"parent": lr.UID(), "name": "regParam", "value": "0.0", "isJson": "true"}},
		[]any{map[string]any{"parent": lr.UID(), "name": "regParam", "value": "0.5", "isJson": "true"}},
	}
	if !reflect.DeepEqual(pm["estimatorParamMaps"], wantMaps) {
		t.Errorf("estimatorParamMaps %v, want %v", pm["estimatorParamMaps"], wantMaps)
	}
	var avg []float64
	for _, v := range md["avgMetrics"].([]any) {
		avg = append(avg, v.(float64))
	}
	if !slices.Equal(avg, m.AvgMetrics()) {
		t.Errorf("avgMetrics %v, model has %v", avg, m.AvgMetrics())
	}
	for sub, want := range map[string]string{
		"evaluator":         "org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator",
		"estimator":         "org.apache.spark.ml.classification.LogisticRegression",
		"bestModel":         "org.apache.spark.ml.classification.LogisticRegressionModel",
		"subModels/fold0/0": "org.apache.spark.ml.classification.LogisticRegressionModel",
		"subModels/fold1/1": "org.apache.spark.ml.classification.LogisticRegressionModel",
	} {
		if c, _ := savedClass(t, dir, sub); c != want {
			t.Errorf("%s holds %s, want %s", sub, c, want)
		}
	}
	if emd := readJSON(t, filepath.Join(dir, "evaluator", "metadata", "part-00000")); emd["uid"] != ev.UID() ||
		emd["paramMap"].(map[string]any)["metricName"] != "accuracy" {
		t.Errorf("evaluator metadata %v", emd)
	}
	back, err := Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	bm, ok := back.(*tuning.CrossValidatorModel)
	if !ok || bm.UID() != m.UID() || bm.BestIndex() != m.BestIndex() || !slices.Equal(bm.AvgMetrics(), m.AvgMetrics()) {
		t.Fatalf("loaded %T", back)
	}
	v := bm.Validator()
	if v == nil || v.Estimator().UID() != lr.UID() || v.Evaluator().UID() != ev.UID() || !reflect.DeepEqual(v.EstimatorParamMaps(), grid) {
		t.Fatalf("loaded validator %+v", v)
	}
	if n, _ := v.Params().Get("numFolds"); n != 2 {
		t.Errorf("numFolds %v", n)
	}
	sameTransform(t, m, bm, df, []string{"rawPrediction", "prediction"})

	edir := filepath.Join(t.TempDir(), "cv-est")
	if err := cv.SaveSpark(edir); err != nil {
		t.Fatal(err)
	}
	est, err := Load(ctx, edir)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := est.(*tuning.CrossValidator); !ok || c.UID() != cv.UID() || !reflect.DeepEqual(c.EstimatorParamMaps(), grid) {
		t.Fatalf("loaded %T", est)
	}
}

// A TrainValidationSplitModel in Spark's layout (TrainValidationSplit.scala's
// writer): validationMetrics, trainRatio, subModels/<j>.
func TestSaveTrainValidationSplitModelInSparkLayout(t *testing.T) {
	ctx := context.Background()
	df := irisIndexed(t)
	lr := classification.NewLogisticRegression().SetMaxIter(15)
	ev := evaluation.NewMulticlassClassificationEvaluator()
	grid := tuning.NewParamGridBuilder().AddGrid("maxIter", 2, 15).Build()
	tvs := tuning.NewTrainValidationSplit().SetEstimator(lr).SetEvaluator(ev).SetEstimatorParamMaps(grid).SetTrainRatio(0.6).SetCollectSubModels(true)
	m, err := tvs.FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "tvs")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	md := readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
	pm, _ := md["paramMap"].(map[string]any)
	if md["class"] != "org.apache.spark.ml.tuning.TrainValidationSplitModel" ||
		!slices.Equal(keys(md, ""), []string{"class", "defaultParamMap", "paramMap", "persistSubModels", "sparkVersion", "timestamp", "uid", "validationMetrics"}) ||
		!slices.Equal(keys(md, "paramMap"), []string{"collectSubModels", "estimatorParamMaps", "parallelism", "seed", "trainRatio"}) ||
		pm["trainRatio"] != 0.6 {
		t.Errorf("metadata %v", md)
	}
	if want := []any{map[string]any{"parent": lr.UID(), "name": "maxIter", "value": "2", "isJson": "true"}}; !reflect.DeepEqual(pm["estimatorParamMaps"].([]any)[0], want) {
		t.Errorf("estimatorParamMaps %v", pm["estimatorParamMaps"])
	}
	for _, sub := range []string{"evaluator", "estimator", "bestModel", "subModels/0", "subModels/1"} {
		if _, err := os.Stat(filepath.Join(dir, sub, "metadata", "part-00000")); err != nil {
			t.Error(err)
		}
	}
	back, err := Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	bm, ok := back.(*tuning.TrainValidationSplitModel)
	if !ok || bm.BestIndex() != m.BestIndex() || !slices.Equal(bm.ValidationMetrics(), m.ValidationMetrics()) ||
		!reflect.DeepEqual(bm.Validator().EstimatorParamMaps(), grid) {
		t.Fatalf("loaded %T", back)
	}
	if r, _ := bm.Validator().Params().Get("trainRatio"); r != 0.6 {
		t.Errorf("trainRatio %v", r)
	}
	sameTransform(t, m, bm, df, []string{"rawPrediction", "prediction"})
}

// A CrossValidatorModel directory as Spark 2.4 writes it loads: the param
// maps decode to the estimator's param types, the best index follows the
// evaluator (areaUnderPR: larger is better), and the best model predicts
// what its coefficients give by hand. A stage-valued param map entry
// (isJson false) is an error.
func TestLoadSparkCrossValidatorModel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cv")
	md := `{"class":"org.apache.spark.ml.tuning.CrossValidatorModel","timestamp":1,"sparkVersion":"2.4.7","uid":"cv_h",` +
		`"paramMap":{"seed":42,"numFolds":4,"collectSubModels":false,"parallelism":1,"estimatorParamMaps":[` +
		`[{"parent":"logreg_h","name":"regParam","value":"0.01","isJson":"true"},{"parent":"logreg_h","name":"maxIter","value":"5","isJson":"true"}],` +
		`[{"parent":"logreg_h","name":"regParam","value":"0.1","isJson":"true"},{"parent":"logreg_h","name":"maxIter","value":"5","isJson":"true"}]]},` +
		`"defaultParamMap":{"seed":-1191137437,"numFolds":3,"collectSubModels":false,"parallelism":1},"avgMetrics":[0.7,0.9],"persistSubModels":false}`
	writeMetaFile(t, filepath.Join(dir, "metadata", "part-00000"), md)
	writeMetaFile(t, filepath.Join(dir, "evaluator", "metadata", "part-00000"),
		`{"class":"org.apache.spark.ml.evaluation.BinaryClassificationEvaluator","timestamp":1,"sparkVersion":"2.4.7","uid":"binEval_h",`+
			`"paramMap":{"metricName":"areaUnderPR","rawPredictionCol":"rawPrediction","labelCol":"label"},"defaultParamMap":{"metricName":"areaUnderROC"}}`)
	writeMetaFile(t, filepath.Join(dir, "estimator", "metadata", "part-00000"), sparkLRMetadata)
	sparkLRModelDir(t, filepath.Join(dir, "bestModel"), "logreg_h", 0.5, 2, 0, -1)
	st, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	m := st.(*tuning.CrossValidatorModel)
	v := m.Validator()
	maps := v.EstimatorParamMaps()
	if m.UID() != "cv_h" || m.BestIndex() != 1 || !slices.Equal(m.AvgMetrics(), []float64{0.7, 0.9}) || len(maps) != 2 ||
		maps[0]["regParam"] != 0.01 || maps[1]["regParam"] != 0.1 || maps[0]["maxIter"] != 5 {
		t.Fatalf("loaded %s best %d metrics %v maps %v", m.UID(), m.BestIndex(), m.AvgMetrics(), maps)
	}
	if n, _ := v.Params().Get("numFolds"); n != 4 {
		t.Errorf("numFolds %v", n)
	}
	if s, _ := v.Params().Get("seed"); s != int64(42) {
		t.Errorf("seed %v", s)
	}
	if mn, _ := v.Evaluator().Params().Get("metricName"); mn != "areaUnderPR" || v.Evaluator().UID() != "binEval_h" {
		t.Errorf("evaluator %s metricName %v", v.Evaluator().UID(), mn)
	}
	out, err := m.Transform(frame.NewSession().CreateDataFrame([]featRow{{linalg.Dense(1, 5, 1)}, {linalg.Dense(0, 0, 3)}}))
	if err != nil {
		t.Fatal(err)
	}
	// w·x + b: 2 − 1 + 0.5 = 1.5 → class 1; −3 + 0.5 = −2.5 → class 0.
	rows := rowsOf(t, out, []string{"prediction"})
	if rows[0][0] != 1.0 || rows[1][0] != 0.0 {
		t.Errorf("predictions %v", rows)
	}
	writeMetaFile(t, filepath.Join(dir, "metadata", "part-00000"), strings.Replace(md, `"value":"0.1","isJson":"true"`, `"value":"epm_regParam0","isJson":"false"`, 1))
	if _, err := Load(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("a stage-valued param map entry: %v", err)
	}
}

// Every Spark evaluator saves as metadata only, under Spark's class name,
// and loads back with its uid and params.
func TestSparkEvaluatorsRoundTrip(t *testing.T) {
	evs := []evaluation.Evaluator{
		evaluation.NewRegressionEvaluator().SetMetricName("mae"),
		evaluation.NewBinaryClassificationEvaluator().SetMetricName("areaUnderPR"),
		evaluation.NewMulticlassClassificationEvaluator().SetMetricName("accuracy"),
		evaluation.NewMultilabelClassificationEvaluator(),
		evaluation.NewRankingEvaluator(),
		evaluation.NewClusteringEvaluator(),
	}
	for _, ev := range evs {
		dir := filepath.Join(t.TempDir(), "ev")
		if err := evaluation.WriteSpark(ev, dir); err != nil {
			t.Fatal(err)
		}
		class, _ := evaluation.SparkClassName(ev)
		md := readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
		if md["class"] != class || !strings.HasPrefix(class, "org.apache.spark.ml.evaluation.") || md["uid"] != ev.UID() {
			t.Errorf("metadata %v", md)
		}
		back, err := evaluation.LoadSpark(dir)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := ev.Params().Get("metricName")
		if got, _ := back.Params().Get("metricName"); back.UID() != ev.UID() || got != want || reflect.TypeOf(back) != reflect.TypeOf(ev) {
			t.Errorf("%s loaded back as %T %s %v", class, back, back.UID(), got)
		}
	}
}

// A TrainValidationSplitModel directory as Spark writes it with
// persistSubModels loads its sub-models from subModels/<j>; with rmse
// (smaller is better) the best index is that of the smaller metric.
func TestLoadSparkTrainValidationSplitModel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tvs")
	writeMetaFile(t, filepath.Join(dir, "metadata", "part-00000"),
		`{"class":"org.apache.spark.ml.tuning.TrainValidationSplitModel","timestamp":1,"sparkVersion":"2.4.7","uid":"tvs_h",`+
			`"paramMap":{"seed":3,"trainRatio":0.8,"collectSubModels":true,"parallelism":1,"estimatorParamMaps":[`+
			`[{"parent":"logreg_h","name":"maxIter","value":"5","isJson":"true"}],[{"parent":"logreg_h","name":"maxIter","value":"10","isJson":"true"}]]},`+
			`"defaultParamMap":{"seed":-1,"trainRatio":0.75,"collectSubModels":false,"parallelism":1},"validationMetrics":[0.3,0.2],"persistSubModels":true}`)
	writeMetaFile(t, filepath.Join(dir, "evaluator", "metadata", "part-00000"),
		`{"class":"org.apache.spark.ml.evaluation.RegressionEvaluator","timestamp":1,"sparkVersion":"2.4.7","uid":"regEval_h",`+
			`"paramMap":{"metricName":"rmse"},"defaultParamMap":{"metricName":"rmse","labelCol":"label","predictionCol":"prediction"}}`)
	writeMetaFile(t, filepath.Join(dir, "estimator", "metadata", "part-00000"), sparkLRMetadata)
	sparkLRModelDir(t, filepath.Join(dir, "bestModel"), "logreg_b", 0, 1, 1)
	sparkLRModelDir(t, filepath.Join(dir, "subModels", "0"), "logreg_s0", 0, 1, 0)
	sparkLRModelDir(t, filepath.Join(dir, "subModels", "1"), "logreg_s1", 0, 0, 1)
	st, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	m := st.(*tuning.TrainValidationSplitModel)
	subs := m.SubModels()
	if m.BestIndex() != 1 || len(subs) != 2 || subs[0].UID() != "logreg_s0" || subs[1].UID() != "logreg_s1" || m.BestModel().UID() != "logreg_b" {
		t.Fatalf("loaded best %d, %d sub-models", m.BestIndex(), len(subs))
	}
	if r, _ := m.Validator().Params().Get("trainRatio"); r != 0.8 {
		t.Errorf("trainRatio %v", r)
	}
	if maps := m.Validator().EstimatorParamMaps(); maps[1]["maxIter"] != 10 {
		t.Errorf("param maps %v", maps)
	}
	// persistSubModels with a sub-model missing is an error naming it.
	if err := os.RemoveAll(filepath.Join(dir, "subModels", "1")); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "subModels/1 is missing") {
		t.Errorf("a missing sub-model: %v", err)
	}
}
