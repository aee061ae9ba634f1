package all

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/regression"
)

// TestLoadGLR: GeneralizedLinearRegression and its model are registered
// under gspark's and Spark's class names; a model saved by gspark and a
// model directory in Spark's layout both load through Load and predict.
func TestLoadGLR(t *testing.T) {
	ctx := context.Background()
	classes := Registry().Classes()
	for _, c := range []string{"gspark.ml.regression.GeneralizedLinearRegression", "gspark.ml.regression.GeneralizedLinearRegressionModel",
		"org.apache.spark.ml.regression.GeneralizedLinearRegression", "org.apache.spark.ml.regression.GeneralizedLinearRegressionModel"} {
		if !slices.Contains(classes, c) {
			t.Errorf("registry lacks %s", c)
		}
	}
	s := frame.NewSession()
	df := s.Read().Format("libsvm").Load(filepath.Join("..", "..", "testdata", "ml", "sample_linear_regression_data.txt"))
	m, err := regression.NewGeneralizedLinearRegression().SetRegParam(0.3).SetMaxIter(10).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := m.Save(filepath.Join(dir, "gspark")); err != nil {
		t.Fatal(err)
	}
	st, err := Load(ctx, filepath.Join(dir, "gspark"))
	if err != nil {
		t.Fatal(err)
	}
	lm, ok := st.(*regression.GeneralizedLinearRegressionModel)
	if !ok || lm.Intercept() != m.Intercept() || !slices.Equal(lm.Coefficients().ToArray(), m.Coefficients().ToArray()) {
		t.Fatalf("loaded %T %v", st, st)
	}

	sp := filepath.Join(dir, "spark")
	if err := os.MkdirAll(filepath.Join(sp, "metadata"), 0o755); err != nil {
		t.Fatal(err)
	}
	md := `{"class":"org.apache.spark.ml.regression.GeneralizedLinearRegressionModel","timestamp":1700000000000,"sparkVersion":"3.5.0","uid":"glm_0c1d","paramMap":{"family":"gaussian","link":"identity","regParam":0.3,"maxIter":10},"defaultParamMap":{"featuresCol":"features","labelCol":"label","predictionCol":"prediction","family":"gaussian","variancePower":0.0,"maxIter":25,"tol":1.0E-6,"regParam":0.0,"solver":"irls","fitIntercept":true,"aggregationDepth":2}}`
	if err := os.WriteFile(filepath.Join(sp, "metadata", "part-00000"), []byte(md+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ml.WriteVectorRows(sp, "coefficients", [][]float64{m.Coefficients().ToArray()}, "intercept", []float64{m.Intercept()}); err != nil {
		t.Fatal(err)
	}
	// Spark's part file name and marker file.
	if err := os.Rename(filepath.Join(sp, "data", "part-00000.parquet"), filepath.Join(sp, "data", "part-00000-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9-c000.snappy.parquet")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sp, "data", "_SUCCESS"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = Load(ctx, sp)
	if err != nil {
		t.Fatal(err)
	}
	sm, ok := st.(*regression.GeneralizedLinearRegressionModel)
	if !ok || sm.UID() != "glm_0c1d" || sm.NumFeatures() != 10 {
		t.Fatalf("loaded %T %v", st, st)
	}
	a, err := m.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sm.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	ra, err := a.SelectCols("prediction").Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.SelectCols("prediction").Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ra) != 501 || len(rb) != 501 {
		t.Fatalf("%d and %d predictions", len(ra), len(rb))
	}
	for i := range ra {
		if ra[i][0] != rb[i][0] {
			t.Fatalf("row %d: %v vs %v", i, ra[i][0], rb[i][0])
		}
	}
}

// TestSaveGLRInSparkLayout: SaveSpark writes Spark's class name and
// params in metadata/part-00000 and data/ as Spark's Data(intercept,
// coefficients) — intercept a non-null double, coefficients the VectorUDT
// struct exactly as in a Parquet file Spark wrote (the perceptron's
// weights) — and the directory loads back predicting the same.
func TestSaveGLRInSparkLayout(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession()
	df := s.Read().Format("libsvm").Load(filepath.Join("..", "..", "testdata", "ml", "sample_linear_regression_data.txt"))
	m, err := regression.NewGeneralizedLinearRegression().SetFamily("gaussian").SetLink("identity").SetRegParam(0.3).SetMaxIter(10).FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "glm")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "metadata", "part-00000"))
	if err != nil {
		t.Fatal(err)
	}
	var md map[string]any
	if err := json.Unmarshal(b, &md); err != nil {
		t.Fatal(err)
	}
	pm, _ := md["paramMap"].(map[string]any)
	dm, _ := md["defaultParamMap"].(map[string]any)
	if md["class"] != "org.apache.spark.ml.regression.GeneralizedLinearRegressionModel" || pm["regParam"] != 0.3 || pm["link"] != "identity" || dm["maxIter"] != 25.0 || dm["family"] != "gaussian" {
		t.Fatalf("metadata %s", b)
	}
	got := parquetSchema(t, dir, "data")
	weights := parquetSchema(t, filepath.Join(sparkModels, "mlp-2.4.4"), "data")
	wi := weights.FieldIndices("weights")
	if got.NumFields() != 2 || got.Field(0).Name != "intercept" || got.Field(0).Type.ID() != arrow.FLOAT64 || got.Field(0).Nullable ||
		got.Field(1).Name != "coefficients" || len(wi) != 1 || !arrow.TypeEqual(got.Field(1).Type, weights.Field(wi[0]).Type) {
		t.Fatalf("data schema %v, Spark's vector %v", got, weights)
	}
	st, err := Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	lm, ok := st.(*regression.GeneralizedLinearRegressionModel)
	if !ok || lm.Intercept() != m.Intercept() || !slices.Equal(lm.Coefficients().ToArray(), m.Coefficients().ToArray()) || lm.ExplainParams() == "" {
		t.Fatalf("loaded %T %v", st, st)
	}
}
