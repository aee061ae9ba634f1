package all

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/clustering"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/regression"
)

// fDoubleArray is an array<double> field as Spark's encoder gives an
// Array[Double] of a case class: nullable, of non-null elements.
func fDoubleArray(n string) arrow.Field {
	return arrow.Field{Name: n, Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float64}), Nullable: true}
}

// javaStringHash is Java's String.hashCode (s[0]·31^(n−1) + … + s[n−1] in 32-bit
// arithmetic, ASCII here): Spark's HasSeed defaults seed to the hash of the
// class name, and a fitted model copies its estimator's default.
func javaStringHash(s string) int64 {
	var h int32
	for i := 0; i < len(s); i++ {
		h = 31*h + int32(s[i])
	}
	return int64(h)
}

// savedSparkParamMaps saves st with SaveSpark into a new directory and
// returns the directory and its metadata's paramMap and defaultParamMap.
func savedSparkParamMaps(t *testing.T, st interface{ SaveSpark(string) error }) (string, map[string]any, map[string]any) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "m")
	if err := st.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	md := readJSON(t, filepath.Join(dir, "metadata", "part-00000"))
	pm, _ := md["paramMap"].(map[string]any)
	dm, _ := md["defaultParamMap"].(map[string]any)
	return dir, pm, dm
}

// checkSavedParams compares the params in m with want, each as JSON.
func checkSavedParams(t *testing.T, what string, m map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		g, ok := m[k]
		gb, _ := json.Marshal(g)
		wb, _ := json.Marshal(w)
		if !ok || string(gb) != string(wb) {
			t.Errorf("%s %s = %s (present %v), want %s", what, k, gb, ok, wb)
		}
	}
}

// AFTSurvivalRegressionModel, IsotonicRegressionModel, FMRegressionModel,
// FMClassificationModel and the online LDA's LocalLDAModel saved in
// Spark's layout have Spark's class, metadata keys, param values and data
// fields (the writers in AFTSurvivalRegression.scala,
// IsotonicRegression.scala, FMRegressor.scala, FMClassifier.scala and
// LDA.scala's LocalLDAModelWriter) and load back with the same params and
// predictions.
func TestSaveModels2InSparkLayout(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))

	// AFTSurvivalRegression: the data of Spark's documentation example.
	type aftRow struct {
		Label    float64       `gspark:"label"`
		Censor   float64       `gspark:"censor"`
		Features linalg.Vector `gspark:"features"`
	}
	aftDF := s.CreateDataFrame([]aftRow{{1.218, 1, linalg.Dense(1.560, -0.605)}, {2.949, 0, linalg.Dense(0.346, 2.158)},
		{3.627, 0, linalg.Dense(1.380, 0.231)}, {0.273, 1, linalg.Dense(0.520, 1.151)}, {4.199, 0, linalg.Dense(0.795, -0.226)}})
	aft, err := regression.NewAFTSurvivalRegression().SetQuantileProbabilities(0.3, 0.6).SetQuantilesCol("quantiles").FitModel(ctx, aftDF)
	if err != nil {
		t.Fatal(err)
	}
	back := checkSparkSave(t, sparkSaveCase{name: "aft", model: aft, class: "org.apache.spark.ml.regression.AFTSurvivalRegressionModel",
		version: "2.4.7", defaults: []string{"featuresCol", "labelCol", "predictionCol", "censorCol", "quantileProbabilities",
			"fitIntercept", "maxIter", "tol", "aggregationDepth"},
		data: arrow.NewSchema([]arrow.Field{fVec("coefficients"), fDouble("intercept"), fDouble("scale")}, nil),
		df:   aftDF, cols: []string{"prediction", "quantiles"}})
	if b := back.(*regression.AFTSurvivalRegressionModel); b.Scale() != aft.Scale() || b.Intercept() != aft.Intercept() {
		t.Errorf("AFT loaded back: scale %v intercept %v, saved %v %v", b.Scale(), b.Intercept(), aft.Scale(), aft.Intercept())
	}
	_, pm, dm := savedSparkParamMaps(t, aft)
	checkSavedParams(t, "aft paramMap", pm, map[string]any{"quantilesCol": "quantiles", "quantileProbabilities": []float64{0.3, 0.6}})
	// Spark's defaults (AFTSurvivalRegression.scala).
	checkSavedParams(t, "aft defaultParamMap", dm, map[string]any{"censorCol": "censor",
		"quantileProbabilities": []float64{0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99},
		"fitIntercept":          true, "maxIter": 100, "tol": 1e-6, "aggregationDepth": 2, "featuresCol": "features", "labelCol": "label"})

	// IsotonicRegression, isotonic and antitonic, on Spark's sample data.
	isoDF := libsvm(s, "sample_isotonic_regression_libsvm_data.txt")
	for _, up := range []bool{true, false} {
		iso, err := regression.NewIsotonicRegression().SetIsotonic(up).FitModel(ctx, isoDF)
		if err != nil {
			t.Fatal(err)
		}
		checkSparkSave(t, sparkSaveCase{name: fmt.Sprint("iso-", up), model: iso, class: "org.apache.spark.ml.regression.IsotonicRegressionModel",
			version: "2.4.7", defaults: []string{"featuresCol", "labelCol", "predictionCol", "isotonic", "featureIndex"},
			data: arrow.NewSchema([]arrow.Field{fDoubleArray("boundaries"), fDoubleArray("predictions"), fBool("isotonic")}, nil),
			df:   isoDF, cols: []string{"prediction"}})
		dir, pm, dm := savedSparkParamMaps(t, iso)
		checkSavedParams(t, "isotonic paramMap", pm, map[string]any{"isotonic": up})
		checkSavedParams(t, "isotonic defaultParamMap", dm, map[string]any{"isotonic": true, "featureIndex": 0})
		d, err := ml.ReadSparkData(ctx, dir, "data")
		if err != nil {
			t.Fatal(err)
		}
		flag, err := d.Bool("isotonic", 0)
		bounds, _ := d.Float64s("boundaries", 0)
		preds, _ := d.Float64s("predictions", 0)
		d.Release()
		if err != nil || flag != up || !slices.Equal(bounds, iso.Boundaries().ToArray()) || !slices.Equal(preds, iso.Predictions().ToArray()) {
			t.Errorf("isotonic data: isotonic %v (%v), boundaries %v, predictions %v; want %v, %v, %v", flag, err, bounds, preds, up, iso.Boundaries(), iso.Predictions())
		}
	}

	// FMRegressor with and without the linear term; FMClassifier.
	reg, bin := libsvm(s, "sample_linear_regression_data.txt"), libsvm(s, "sample_libsvm_data.txt")
	fmrDefaults := []string{"featuresCol", "labelCol", "predictionCol", "factorSize", "fitIntercept", "fitLinear", "regParam",
		"miniBatchFraction", "initStd", "maxIter", "stepSize", "tol", "solver", "seed"}
	fmData := arrow.NewSchema([]arrow.Field{fDouble("intercept"), fVec("linear"), fMat("factors")}, nil)
	// Spark's defaults (FactorizationMachinesParams in FMRegressor.scala).
	fmDefaultValues := map[string]any{"factorSize": 8, "fitIntercept": true, "fitLinear": true, "regParam": 0.0,
		"miniBatchFraction": 1.0, "initStd": 0.01, "maxIter": 100, "stepSize": 1.0, "tol": 1e-6, "solver": "adamW"}
	for _, linear := range []bool{true, false} {
		fmr, err := regression.NewFMRegressor().SetFactorSize(2).SetMaxIter(5).SetFitLinear(linear).FitModel(ctx, reg)
		if err != nil {
			t.Fatal(err)
		}
		back := checkSparkSave(t, sparkSaveCase{name: fmt.Sprint("fmr-", linear), model: fmr, class: "org.apache.spark.ml.regression.FMRegressionModel",
			version: "3.0.0", defaults: fmrDefaults, data: fmData, df: reg, cols: []string{"prediction"}})
		if b := back.(*regression.FMRegressionModel); !slices.Equal(b.Coef, fmr.Coef) || b.K != 2 || b.D != 10 {
			t.Errorf("FMRegressionModel (fitLinear %v) loaded back: %d×%d %v, saved %v", linear, b.D, b.K, b.Coef, fmr.Coef)
		}
		dir, pm, dm := savedSparkParamMaps(t, fmr)
		checkSavedParams(t, "fmr paramMap", pm, map[string]any{"factorSize": 2, "maxIter": 5, "fitLinear": linear})
		fmDefaultValues["seed"] = javaStringHash("org.apache.spark.ml.regression.FMRegressor")
		checkSavedParams(t, "fmr defaultParamMap", dm, fmDefaultValues)
		d, err := ml.ReadSparkData(ctx, dir, "data")
		if err != nil {
			t.Fatal(err)
		}
		lin, err := d.Vector("linear", 0)
		d.Release()
		if err != nil {
			t.Fatal(err)
		}
		if _, sparse := lin.(*linalg.SparseVector); sparse == linear || lin.Size() != 10 {
			t.Errorf("fitLinear %v: linear written as %T of size %d; Spark writes an empty sparse vector only without the linear term", linear, lin, lin.Size())
		}
	}
	fmc, err := classification.NewFMClassifier().SetFactorSize(2).SetMaxIter(5).FitModel(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	checkSparkSave(t, sparkSaveCase{name: "fmc", model: fmc, class: "org.apache.spark.ml.classification.FMClassificationModel",
		version: "3.0.0", defaults: append(slices.Clone(fmrDefaults), "rawPredictionCol", "probabilityCol"), data: fmData,
		df: bin, cols: []string{"rawPrediction", "probability", "prediction"}})
	_, pm, dm = savedSparkParamMaps(t, fmc)
	checkSavedParams(t, "fmc paramMap", pm, map[string]any{"factorSize": 2, "maxIter": 5})
	fmDefaultValues["seed"], fmDefaultValues["fitLinear"] = javaStringHash("org.apache.spark.ml.classification.FMClassifier"), true
	fmDefaultValues["rawPredictionCol"], fmDefaultValues["probabilityCol"] = "rawPrediction", "probability"
	checkSavedParams(t, "fmc defaultParamMap", dm, fmDefaultValues)

	// LDA's online model (Spark's LocalLDAModel).
	type doc struct {
		Features linalg.Vector `gspark:"features"`
	}
	docs := s.CreateDataFrame([]doc{{linalg.Dense(3, 1, 0, 0, 2)}, {linalg.Dense(0, 0, 4, 1, 0)}, {linalg.Dense(2, 2, 0, 0, 1)},
		{linalg.Dense(0, 1, 3, 2, 0)}, {linalg.Dense(1, 0, 1, 3, 0)}, {linalg.Dense(4, 0, 0, 0, 3)}})
	lda, err := clustering.NewLDA().SetK(2).SetMaxIter(10).SetSubsamplingRate(0.5).SetTopicConcentration(0.3).FitModel(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	back = checkSparkSave(t, sparkSaveCase{name: "lda", model: lda, class: "org.apache.spark.ml.clustering.LocalLDAModel",
		version: "2.4.7", defaults: []string{"featuresCol", "maxIter", "seed", "checkpointInterval", "k", "optimizer", "learningOffset",
			"learningDecay", "subsamplingRate", "optimizeDocConcentration", "topicDistributionCol", "keepLastCheckpoint"},
		data: arrow.NewSchema([]arrow.Field{fInt("vocabSize"), fMat("topicsMatrix"), fVec("docConcentration"), fDouble("topicConcentration"),
			fDouble("gammaShape")}, nil),
		df: docs, cols: []string{"topicDistribution"}})
	if b := back.(*clustering.LDAModel); fmt.Sprint(b.TopicsMatrix()) != fmt.Sprint(lda.TopicsMatrix()) ||
		!slices.Equal(b.EstimatedDocConcentration(), lda.EstimatedDocConcentration()) {
		t.Errorf("LocalLDAModel loaded back: topics %v alpha %v, saved %v %v", b.TopicsMatrix(), b.EstimatedDocConcentration(), lda.TopicsMatrix(), lda.EstimatedDocConcentration())
	}
	dir, pm, dm := savedSparkParamMaps(t, lda)
	checkSavedParams(t, "lda paramMap", pm, map[string]any{"k": 2, "maxIter": 10, "subsamplingRate": 0.5, "topicConcentration": 0.3})
	// Spark's defaults (LDAParams in LDA.scala).
	checkSavedParams(t, "lda defaultParamMap", dm, map[string]any{"optimizer": "online", "learningOffset": 1024.0, "learningDecay": 0.51,
		"optimizeDocConcentration": true, "topicDistributionCol": "topicDistribution", "keepLastCheckpoint": true, "checkpointInterval": 10})
	d, err := ml.ReadSparkData(ctx, dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Release()
	vocab, _ := d.Int("vocabSize", 0)
	topics, _ := d.Matrix("topicsMatrix", 0)
	eta, _ := d.Float64("topicConcentration", 0)
	shape, err := d.Float64("gammaShape", 0)
	// Spark's topicsMatrix is vocabSize × k, term w's row holding λ[·][w].
	if err != nil || vocab != 5 || topics.NumRows != 5 || topics.NumCols != 2 || fmt.Sprint(topics.Rows()) != fmt.Sprint(lda.TopicsMatrix()) || eta != 0.3 || shape != 100 {
		t.Errorf("LocalLDAModel data: vocabSize %d, topics %d×%d %v, eta %v, gammaShape %v (%v)", vocab, topics.NumRows, topics.NumCols, topics.Rows(), eta, shape, err)
	}
}

// writeHandSparkMetadata writes dir/metadata/part-00000 as Spark's
// DefaultParamsWriter does: class, timestamp, sparkVersion, uid, paramMap
// and defaultParamMap (the maps given as JSON).
func writeHandSparkMetadata(t *testing.T, dir, class, version, uid, paramMap, defaults string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "metadata"), 0o755); err != nil {
		t.Fatal(err)
	}
	md := fmt.Sprintf(`{"class":%q,"timestamp":1700000000000,"sparkVersion":%q,"uid":%q,"paramMap":%s,"defaultParamMap":%s}`,
		class, version, uid, paramMap, defaults)
	if err := os.WriteFile(filepath.Join(dir, "metadata", "part-00000"), []byte(md+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// floatsOf collects column col of df as float64s or vectors' values.
func floatsOf(t *testing.T, df *frame.DataFrame, col string) [][]float64 {
	t.Helper()
	var out [][]float64
	for _, r := range rowsOf(t, df, []string{col}) {
		switch v := r[0].(type) {
		case float64:
			out = append(out, []float64{v})
		case linalg.Vector:
			out = append(out, v.ToArray())
		default:
			t.Fatalf("column %s: %T", col, r[0])
		}
	}
	return out
}

// nearRows reports whether got and want have the same shape and values within
// tol.
func nearRows(got, want [][]float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			return false
		}
		for j := range got[i] {
			if !(math.Abs(got[i][j]-want[i][j]) <= tol) {
				return false
			}
		}
	}
	return true
}

// featuresRow is a row of a features vector.
type featuresRow struct {
	Features linalg.Vector `gspark:"features"`
}

// Directories laid out as Spark writes these classes, built here, load
// through the Spark class names and predict what the formulas of Spark's
// models give, computed by hand.
func TestLoadHandBuiltSparkModels2(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession()
	root := t.TempDir()

	// AFT: λ = exp(β·x + b); the quantile at p is λ·(−log(1 − p))^σ.
	dir := filepath.Join(root, "aft")
	writeHandSparkMetadata(t, dir, "org.apache.spark.ml.regression.AFTSurvivalRegressionModel", "3.5.1", "aftSurvReg_1",
		`{"quantilesCol":"q","quantileProbabilities":[0.5]}`,
		`{"featuresCol":"features","maxIter":100,"tol":1.0E-6,"censorCol":"censor","fitIntercept":true,"aggregationDepth":2,`+
			`"maxBlockSizeInMB":0.0,"predictionCol":"prediction","labelCol":"label","quantileProbabilities":[0.01,0.05,0.1,0.25,0.5,0.75,0.9,0.95,0.99]}`)
	if err := ml.WriteSparkRows(dir, "data", arrow.NewSchema([]arrow.Field{fVec("coefficients"), fDouble("intercept"), fDouble("scale")}, nil),
		[]any{[]float64{0.5, -1}, 1.0, 2.0}); err != nil {
		t.Fatal(err)
	}
	st, err := Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	in := s.CreateDataFrame([]featuresRow{{linalg.Dense(2, 1)}, {linalg.Dense(0, 1)}})
	out, err := st.(ml.Transformer).Transform(in)
	if err != nil {
		t.Fatal(err)
	}
	// β·x + b: 1 − 1 + 1 = 1 and 0 − 1 + 1 = 0; (−log 0.5)^2 = (ln 2)².
	if g, w := floatsOf(t, out, "prediction"), [][]float64{{math.E}, {1}}; !nearRows(g, w, 1e-15) {
		t.Errorf("AFT predictions %v, want %v", g, w)
	}
	if g, w := floatsOf(t, out, "q"), [][]float64{{math.E * math.Ln2 * math.Ln2}, {math.Ln2 * math.Ln2}}; !nearRows(g, w, 1e-14) {
		t.Errorf("AFT quantiles %v, want %v", g, w)
	}

	// Isotonic (antitonic): linear between boundaries, constant outside.
	dir = filepath.Join(root, "iso")
	isoData := arrow.NewSchema([]arrow.Field{fDoubleArray("boundaries"), fDoubleArray("predictions"), fBool("isotonic")}, nil)
	isoMeta := `{"featuresCol":"x","labelCol":"label","predictionCol":"prediction","isotonic":true,"featureIndex":0}`
	writeHandSparkMetadata(t, dir, "org.apache.spark.ml.regression.IsotonicRegressionModel", "2.4.7", "isoReg_1", `{"isotonic":false,"featuresCol":"x"}`, isoMeta)
	if err := ml.WriteSparkRows(dir, "data", isoData, []any{[]float64{0, 1, 3}, []float64{3, 1, 0}, false}); err != nil {
		t.Fatal(err)
	}
	if st, err = Load(ctx, dir); err != nil {
		t.Fatal(err)
	}
	type xRow struct {
		X float64 `gspark:"x"`
	}
	if out, err = st.(ml.Transformer).Transform(s.CreateDataFrame([]xRow{{-1}, {0.5}, {2}, {4}})); err != nil {
		t.Fatal(err)
	}
	// 0.5: 3 + (1 − 3)·0.5 = 2; 2: 1 + (0 − 1)·(2 − 1)/(3 − 1) = 0.5.
	if g, w := floatsOf(t, out, "prediction"), [][]float64{{3}, {2}, {0.5}, {0}}; !nearRows(g, w, 0) {
		t.Errorf("isotonic predictions %v, want %v", g, w)
	}
	// Predictions that rise while the data says antitonic are refused.
	dir = filepath.Join(root, "iso-bad")
	writeHandSparkMetadata(t, dir, "org.apache.spark.ml.regression.IsotonicRegressionModel", "2.4.7", "isoReg_2", `{}`, isoMeta)
	if err := ml.WriteSparkRows(dir, "data", isoData, []any{[]float64{0, 1}, []float64{0, 1}, false}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, dir); err == nil || !strings.Contains(err.Error(), "monotone") {
		t.Errorf("rising predictions with isotonic=false: err = %v", err)
	}

	// FMRegressionModel: b + w·x + Σ_f ½((Σᵢ vᵢf xᵢ)² − Σᵢ (vᵢf xᵢ)²), the
	// factors 2×2 column-major as a DenseMatrix not transposed.
	fmData := arrow.NewSchema([]arrow.Field{fDouble("intercept"), fVec("linear"), fMat("factors")}, nil)
	fmDefaults := `{"featuresCol":"features","labelCol":"label","predictionCol":"prediction","factorSize":8,"fitIntercept":true,` +
		`"fitLinear":true,"regParam":0.0,"miniBatchFraction":1.0,"initStd":0.01,"maxIter":100,"stepSize":1.0,"tol":1.0E-6,"solver":"adamW","seed":891375198}`
	dir = filepath.Join(root, "fmr")
	writeHandSparkMetadata(t, dir, "org.apache.spark.ml.regression.FMRegressionModel", "3.0.0", "fmr_1", `{"factorSize":2}`, fmDefaults)
	if err := ml.WriteSparkRows(dir, "data", fmData, []any{0.5, []float64{1, -1}, ml.SparkMatrix{NumRows: 2, NumCols: 2, Values: []float64{1, 3, 2, 4}}}); err != nil {
		t.Fatal(err)
	}
	if st, err = Load(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if out, err = st.(ml.Transformer).Transform(s.CreateDataFrame([]featuresRow{{linalg.Dense(1, 2)}, {linalg.Dense(0, 3)}})); err != nil {
		t.Fatal(err)
	}
	// v₀ = (1, 2), v₁ = (3, 4). x = (1, 2): 0.5 + (1 − 2) + ⟨v₀, v₁⟩·1·2 =
	// 0.5 − 1 + 11·2 = 21.5. x = (0, 3): 0.5 − 3 (one feature, no pair).
	if g, w := floatsOf(t, out, "prediction"), [][]float64{{21.5}, {-2.5}}; !nearRows(g, w, 0) {
		t.Errorf("FM regression predictions %v, want %v", g, w)
	}

	// FMClassificationModel without the linear term (Spark writes an
	// empty sparse vector); factors row-major (transposed).
	dir = filepath.Join(root, "fmc")
	fmcDefaults := strings.Replace(fmDefaults, `"seed":891375198`, `"rawPredictionCol":"rawPrediction","probabilityCol":"probability","seed":-2050267832`, 1)
	writeHandSparkMetadata(t, dir, "org.apache.spark.ml.classification.FMClassificationModel", "3.1.2", "fmc_1",
		`{"factorSize":2,"fitLinear":false}`, fmcDefaults)
	noLinear, err := linalg.Sparse(2, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ml.WriteSparkRows(dir, "data", fmData, []any{0.5, noLinear, ml.SparkMatrixRows([][]float64{{0.5, 0}, {1, 0}})}); err != nil {
		t.Fatal(err)
	}
	if st, err = Load(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if out, err = st.(ml.Transformer).Transform(s.CreateDataFrame([]featuresRow{{linalg.Dense(1, 2)}, {linalg.Dense(0, 0)}})); err != nil {
		t.Fatal(err)
	}
	// x = (1, 2): 0.5 + ½((0.5 + 2)² − (0.25 + 4)) = 0.5 + 1 = 1.5; x = 0:
	// 0.5. Probability of class 1: 1/(1 + e^−raw).
	p1, p2 := 1/(1+math.Exp(-1.5)), 1/(1+math.Exp(-0.5))
	if g, w := floatsOf(t, out, "rawPrediction"), [][]float64{{-1.5, 1.5}, {-0.5, 0.5}}; !nearRows(g, w, 0) {
		t.Errorf("FM classification rawPrediction %v, want %v", g, w)
	}
	if g, w := floatsOf(t, out, "probability"), [][]float64{{1 - p1, p1}, {1 - p2, p2}}; !nearRows(g, w, 1e-15) {
		t.Errorf("FM classification probability %v, want %v", g, w)
	}
	if g, w := floatsOf(t, out, "prediction"), [][]float64{{1}, {1}}; !nearRows(g, w, 0) {
		t.Errorf("FM classification prediction %v, want %v", g, w)
	}

	// LocalLDAModel: topic 0 holds terms 0 and 1, topic 1 term 2 (λ of
	// 1e−300 elsewhere, so exp(E[log β]) there is 0). A document of terms
	// 0 and 1 only gets γ = (α₀ + n, α₁) after the first update, and the
	// second changes nothing: the mixture is (α₀ + n, α₁)/(α₀ + α₁ + n).
	dir = filepath.Join(root, "lda")
	ldaData := arrow.NewSchema([]arrow.Field{fInt("vocabSize"), fMat("topicsMatrix"), fVec("docConcentration"), fDouble("topicConcentration"),
		fDouble("gammaShape")}, nil)
	ldaDefaults := `{"featuresCol":"features","maxIter":20,"seed":1435876747,"checkpointInterval":10,"k":10,"optimizer":"online",` +
		`"learningOffset":1024.0,"learningDecay":0.51,"subsamplingRate":0.05,"optimizeDocConcentration":true,` +
		`"topicDistributionCol":"topicDistribution","keepLastCheckpoint":true}`
	// vocabSize × k column-major: topic 0's column, then topic 1's.
	topics := ml.SparkMatrix{NumRows: 3, NumCols: 2, Values: []float64{2, 3, 1e-300, 1e-300, 1e-300, 4}}
	writeHandSparkMetadata(t, dir, "org.apache.spark.ml.clustering.LocalLDAModel", "2.4.7", "lda_1", `{"k":2}`, ldaDefaults)
	if err := ml.WriteSparkRows(dir, "data", ldaData, []any{3, topics, []float64{0.5, 0.5}, 0.1, 100.0}); err != nil {
		t.Fatal(err)
	}
	if st, err = Load(ctx, dir); err != nil {
		t.Fatal(err)
	}
	m := st.(*clustering.LDAModel)
	if g, w := m.TopicsMatrix(), [][]float64{{2, 1e-300}, {3, 1e-300}, {1e-300, 4}}; fmt.Sprint(g) != fmt.Sprint(w) || m.VocabSize() != 3 {
		t.Errorf("LocalLDAModel topics %v, want %v", g, w)
	}
	if out, err = m.Transform(s.CreateDataFrame([]featuresRow{{linalg.Dense(1, 2, 0)}, {linalg.Dense(0, 0, 5)}})); err != nil {
		t.Fatal(err)
	}
	// (0.5 + 3, 0.5)/4 and (0.5, 0.5 + 5)/6.
	if g, w := floatsOf(t, out, "topicDistribution"), [][]float64{{0.875, 0.125}, {1.0 / 12, 11.0 / 12}}; !nearRows(g, w, 1e-12) {
		t.Errorf("LocalLDAModel topic distributions %v, want %v", g, w)
	}
	// A gammaShape other than 100 is refused: gspark infers with 100.
	dir = filepath.Join(root, "lda-shape")
	writeHandSparkMetadata(t, dir, "org.apache.spark.ml.clustering.LocalLDAModel", "2.4.7", "lda_2", `{"k":2}`, ldaDefaults)
	if err := ml.WriteSparkRows(dir, "data", ldaData, []any{3, topics, []float64{0.5, 0.5}, 0.1, 50.0}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, dir); err == nil || !strings.Contains(err.Error(), "gammaShape") {
		t.Errorf("gammaShape 50: err = %v", err)
	}
}
