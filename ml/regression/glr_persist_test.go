package regression

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// TestGLRSaveLoad: estimator and model round-trip through gspark's
// persistence with their params; the loaded model predicts what the
// fitted one did (mean and link columns, with the offset).
func TestGLRSaveLoad(t *testing.T) {
	s, mem := newSession(t)
	df := glrFrame(t, s, mem, glrLabelOf["y_pois"], 2)
	g := NewGeneralizedLinearRegression().SetFamily("poisson").SetLink("sqrt").SetWeightCol("w").SetOffsetCol("off").SetRegParam(0.01).SetMaxIter(40).SetLinkPredictionCol("eta")
	dir := t.TempDir()
	if err := g.Save(filepath.Join(dir, "est")); err != nil {
		t.Fatal(err)
	}
	reg := Register(ml.NewRegistry())
	st, err := reg.Load(ctx, filepath.Join(dir, "est"))
	if err != nil {
		t.Fatal(err)
	}
	lg, ok := st.(*GeneralizedLinearRegression)
	if !ok || lg.UID() != g.UID() || lg.ExplainParams() != g.ExplainParams() {
		t.Fatalf("loaded %T with params\n%s\nwant\n%s", st, st.Params().ExplainParams(), g.ExplainParams())
	}
	m, err := g.FitModel(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(filepath.Join(dir, "model")); err != nil {
		t.Fatal(err)
	}
	st, err = reg.Load(ctx, filepath.Join(dir, "model"))
	if err != nil {
		t.Fatal(err)
	}
	lm, ok := st.(*GeneralizedLinearRegressionModel)
	if !ok || lm.HasSummary() || lm.ExplainParams() != m.ExplainParams() {
		t.Fatalf("loaded %T (summary %v)", st, ok && lm.HasSummary())
	}
	want := collectCols(t, m, df, "prediction", "eta")
	got := collectCols(t, lm, df, "prediction", "eta")
	for c := range want {
		closeAll(t, "loaded model "+[]string{"prediction", "eta"}[c], got[c], want[c], 0)
	}
}

// collectCols transforms df with m and returns the named double columns.
func collectCols(t *testing.T, m ml.Transformer, df *frame.DataFrame, cols ...string) [][]float64 {
	t.Helper()
	out, err := m.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	return selectCols(t, out, cols...)
}

// selectCols collects the named double columns of df.
func selectCols(t *testing.T, df *frame.DataFrame, cols ...string) [][]float64 {
	t.Helper()
	rows, err := df.SelectCols(cols...).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res := make([][]float64, len(cols))
	for _, r := range rows {
		for i := range cols {
			v, _ := r[i].(float64)
			res[i] = append(res[i], v)
		}
	}
	return res
}

// TestGLRLoadSparkLayout: a model directory in the layout Spark's
// GeneralizedLinearRegressionModel writer documents (metadata/part-00000
// JSON with Spark's class name and param maps; data/ Parquet with one row
// of intercept and coefficients as a VectorUDT) loads with Spark's params
// and predicts exp(x·β + β₀ + offset) for family poisson.
func TestGLRLoadSparkLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "glm")
	if err := os.MkdirAll(filepath.Join(dir, "metadata"), 0o755); err != nil {
		t.Fatal(err)
	}
	md := `{"class":"org.apache.spark.ml.regression.GeneralizedLinearRegressionModel","timestamp":1700000000000,"sparkVersion":"3.5.0","uid":"glm_5a2e8f","paramMap":{"family":"poisson","link":"log","offsetCol":"off","linkPredictionCol":"eta"},"defaultParamMap":{"featuresCol":"features","labelCol":"label","predictionCol":"prediction","family":"gaussian","variancePower":0.0,"maxIter":25,"tol":1.0E-6,"regParam":0.0,"solver":"irls","fitIntercept":true,"aggregationDepth":2}}`
	if err := os.WriteFile(filepath.Join(dir, "metadata", "part-00000"), []byte(md+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	coef := []float64{0.25, -0.5, 1}
	if err := ml.WriteVectorRows(dir, "coefficients", [][]float64{coef}, "intercept", []float64{0.125}); err != nil {
		t.Fatal(err)
	}
	// Spark's part file name and marker file.
	if err := os.Rename(filepath.Join(dir, "data", "part-00000.parquet"), filepath.Join(dir, "data", "part-00000-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9-c000.snappy.parquet")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "_SUCCESS"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Register(ml.NewRegistry()).Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := st.(*GeneralizedLinearRegressionModel)
	if !ok || m.UID() != "glm_5a2e8f" || m.Intercept() != 0.125 || m.NumFeatures() != 3 {
		t.Fatalf("loaded %T %v", st, st)
	}
	if !strings.Contains(m.ExplainParams(), "family: ") || m.family.Get(m.Params()) != "poisson" || m.maxIter.Get(m.Params()) != 25 {
		t.Fatalf("params:\n%s", m.ExplainParams())
	}
	s, mem := newSession(t)
	df := glrFrame(t, s, mem, glrLabelOf["y_pois"], 1)
	got := collectCols(t, m, df, "prediction", "eta")
	_, rows := optimtest.ReadCSV(t, "glr_data.csv")
	for i, r := range rows {
		eta := 0.125 + r[8] + 0.25*r[0] - 0.5*r[1] + r[2]
		want := []float64{math.Exp(eta), eta}
		for c := range want {
			if !optimtest.RelClose(got[c][i], want[c], 1e-14, 1e-300) {
				t.Fatalf("row %d column %d = %v, want %v", i, c, got[c][i], want[c])
			}
		}
	}
}

// TestGLRTransformSchema: Transform adds exactly the columns
// TransformSchema announces, in its order (prediction, link prediction).
func TestGLRTransformSchema(t *testing.T) {
	s, mem := newSession(t)
	df := glrFrame(t, s, mem, glrLabelOf["y_pois"], 1)
	m := NewGeneralizedLinearRegressionModel([]float64{0.1, 0.2, 0.3}, 0.5).SetFamily("poisson").SetLinkPredictionCol("eta").SetOffsetCol("off")
	want, err := m.TransformSchema(df.Schema())
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Transform(df)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Schema().Equal(want) {
		t.Errorf("Transform schema\n%v\nTransformSchema\n%v", out.Schema(), want)
	}
}
