package serve

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/registry"
	"github.com/gspark/gspark/ml/regression"
)

const cancerCSV = "../../testdata/ml/breast_cancer.csv"

// cancerFeatures are the ten mean_* columns of the breast cancer data.
var cancerFeatures = []string{"mean_radius", "mean_texture", "mean_perimeter", "mean_area", "mean_smoothness",
	"mean_compactness", "mean_concavity", "mean_concave_points", "mean_symmetry", "mean_fractal_dimension"}

// cancerModel fits VectorAssembler → StandardScaler → LogisticRegression on
// the breast cancer data.
func cancerModel(t testing.TB, regParam float64) ml.Model {
	t.Helper()
	s := frame.NewSession()
	df := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(cancerCSV)
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	lr := classification.NewLogisticRegression().SetRegParam(regParam).SetMaxIter(50)
	m, err := ml.NewPipeline(
		feature.NewVectorAssembler().SetInputCols(cancerFeatures...).SetOutputCol("raw"),
		feature.NewStandardScaler().SetInputCol("raw").SetOutputCol("features"),
		lr,
	).Fit(context.Background(), df)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// cancerRows reads the breast cancer CSV: its header, rows and labels.
func cancerRows(t testing.TB) (header []string, rows [][]string, labels []float64) {
	t.Helper()
	f, err := os.Open(cancerCSV)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header, rows = all[0], all[1:]
	for _, r := range rows {
		l, err := strconv.ParseFloat(r[len(r)-1], 64)
		if err != nil {
			t.Fatal(err)
		}
		labels = append(labels, l)
	}
	return header, rows, labels
}

// splitBody is a dataframe_split body of the ten features of rows.
func splitBody(t testing.TB, header []string, rows [][]string) string {
	t.Helper()
	idx := map[string]int{}
	for i, h := range header {
		idx[h] = i
	}
	data := make([][]json.Number, len(rows))
	for i, r := range rows {
		for _, c := range cancerFeatures {
			data[i] = append(data[i], json.Number(r[idx[c]]))
		}
	}
	b, err := json.Marshal(map[string]any{"dataframe_split": map[string]any{"columns": cancerFeatures, "data": data}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A real model, registered with ml/registry and loaded with ml/predict.
// The labels are the outside truth: a logistic regression on the ten
// standardized mean features classifies the training data better than 90%
// (scikit-learn's reaches about 95%).
func TestServeRegisteredModel(t *testing.T) {
	root := t.TempDir()
	if _, err := registry.Register(root, "cancer", cancerModel(t, 0), nil); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Options{ModelPath: filepath.Join(root, "cancer"), Resolve: ResolveRegistry, Load: LoadPredictor})
	header, rows, labels := cancerRows(t)
	code, body := ts.invoke(t, splitBody(t, header, rows))
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	preds := predictions(t, body)
	if len(preds) != len(labels) {
		t.Fatalf("%d predictions for %d rows", len(preds), len(labels))
	}
	right := 0
	for i, p := range preds {
		if p.(float64) == labels[i] {
			right++
		}
	}
	if acc := float64(right) / float64(len(labels)); acc < 0.9 {
		t.Errorf("accuracy %.3f, want over 0.9", acc)
	}
	// The same rows as CSV, all 31 columns (those that are not inputs are
	// ignored), answer the same.
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(rows)
	code, csvBody := ts.do(t, "POST", "/invocations", "text/csv", b.String())
	if code != 200 || csvBody != body {
		t.Errorf("CSV answered %d, differently from JSON: %.200s", code, csvBody)
	}
	// Probabilities of two classes summing to 1, the prediction their argmax.
	code, body = ts.do(t, "POST", "/invocations?outputs=probability,prediction", "application/json", splitBody(t, header, rows[:20]))
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	for i, p := range predictions(t, body) {
		rec := p.(map[string]any)
		prob := rec["probability"].([]any)
		p0, p1 := prob[0].(float64), prob[1].(float64)
		want := 0.0
		if p1 > p0 {
			want = 1
		}
		if len(prob) != 2 || math.Abs(p0+p1-1) > 1e-12 || rec["prediction"].(float64) != want {
			t.Errorf("record %d: %v", i, rec)
		}
	}
	var v VersionInfo
	if code, body := ts.do(t, "GET", "/version", "", ""); code != 200 || json.Unmarshal([]byte(body), &v) != nil ||
		v.Name != "cancer" || v.Version != 1 || v.Dir != filepath.Join(root, "cancer", "v1") || len(v.Signature.Inputs) != 10 {
		t.Errorf("/version: %d %s", code, body)
	}
	// The model's own checks answer 400 too.
	code, body = ts.invoke(t, `{"dataframe_records": [{"mean_radius": 1}]}`)
	if c, msg := errorBody(t, body); code != 400 || c != "BAD_REQUEST" || !strings.Contains(msg, `record 0, field "mean_texture": missing`) {
		t.Errorf("missing field: %d %s", code, body)
	}
}

// An unknown category under StringIndexer's handleInvalid=error is the
// client's error: 400 naming the record.
func TestServeUnknownCategory(t *testing.T) {
	s := frame.NewSession()
	iris := s.Table("samples.iris")
	m, err := ml.NewPipeline(
		feature.NewStringIndexer().SetInputCol("species").SetOutputCol("speciesIdx").SetHandleInvalid("error"),
		feature.NewVectorAssembler().SetInputCols("sepal_length", "speciesIdx").SetOutputCol("features"),
		regression.NewLinearRegression().SetLabelCol("petal_length"),
	).Fit(context.Background(), iris)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "iris")
	if err := ml.Save(m, dir); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Options{ModelPath: dir, Resolve: ResolveRegistry, Load: LoadPredictor})
	// Spark's StringIndexer orders labels by frequency, ties alphabetically:
	// the three species have 50 rows each, so setosa 0, versicolor 1, virginica 2.
	ok := `{"dataframe_records": [{"species": "virginica", "sepal_length": 6.5}, {"species": "setosa", "sepal_length": 5.0}, {"species": "versicolor", "sepal_length": 6.0}]}`
	if code, body := ts.do(t, "POST", "/invocations?outputs=speciesIdx", "application/json", ok); code != 200 ||
		body != `{"predictions":[{"speciesIdx":2},{"speciesIdx":0},{"speciesIdx":1}]}`+"\n" {
		t.Errorf("known species: %d %s", code, body)
	}
	bad := `{"dataframe_records": [{"species": "virginica", "sepal_length": 6.5}, {"species": "setosa", "sepal_length": 5.0}, {"species": "unicorn", "sepal_length": 6.0}]}`
	code, body := ts.invoke(t, bad)
	if c, msg := errorBody(t, body); code != 400 || c != "BAD_REQUEST" || !strings.Contains(msg, "record 2") || !strings.Contains(msg, "unicorn") {
		t.Errorf("unknown species: %d %s", code, body)
	}
}

// New versions registered while clients score are picked up by the poller
// without a failed request.
func TestServeRegistryHotReload(t *testing.T) {
	root := t.TempDir()
	models := []ml.Model{cancerModel(t, 0), cancerModel(t, 0.5), cancerModel(t, 5)}
	if _, err := registry.Register(root, "cancer", models[0], nil); err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, Options{ModelPath: filepath.Join(root, "cancer"), Resolve: ResolveRegistry, Load: LoadPredictor,
		ReloadInterval: 10 * time.Millisecond})
	header, rows, _ := cancerRows(t)
	body := splitBody(t, header, rows[:5])
	var stop atomic.Bool
	var total, failed atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				code, b := ts.invoke(t, body)
				total.Add(1)
				if code != 200 || len(predictions(t, b)) != 5 {
					failed.Add(1)
				}
			}
		})
	}
	for v := 2; v <= len(models); v++ {
		time.Sleep(30 * time.Millisecond)
		if _, err := registry.Register(root, "cancer", models[v-1], nil); err != nil {
			t.Fatal(err)
		}
		waitVersion(t, ts.s, v)
	}
	time.Sleep(30 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if failed.Load() != 0 || total.Load() == 0 {
		t.Errorf("%d of %d requests failed", failed.Load(), total.Load())
	}
	if got := metricValue(t, ts, "gspark_serve_model_info", map[string]string{"model_dir": filepath.Join(root, "cancer", "v3"),
		"model_name": "cancer", "model_version": "3"}); got != 1 {
		t.Errorf("model info gauge for v3: %v", got)
	}
}
