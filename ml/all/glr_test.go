package all

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

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
