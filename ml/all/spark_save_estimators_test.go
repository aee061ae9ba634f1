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

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/clustering"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/regression"
)

// sparkEstimators are unfitted estimators with a Spark layout, a few
// params set.
func sparkEstimators(t *testing.T) []ml.SparkWriter {
	t.Helper()
	ests := []ml.SparkWriter{
		classification.NewDecisionTreeClassifier(), classification.NewRandomForestClassifier(), classification.NewGBTClassifier(),
		classification.NewLinearSVC(), classification.NewNaiveBayes(), classification.NewFMClassifier(),
		classification.NewMultilayerPerceptronClassifier(), classification.NewLogisticRegression(),
		regression.NewDecisionTreeRegressor(), regression.NewRandomForestRegressor(), regression.NewGBTRegressor(),
		regression.NewLinearRegression(), regression.NewGeneralizedLinearRegression(), regression.NewIsotonicRegression(),
		regression.NewAFTSurvivalRegression(), regression.NewFMRegressor(),
		clustering.NewKMeans(), clustering.NewBisectingKMeans(), clustering.NewGaussianMixture(), clustering.NewLDA(),
		feature.NewStandardScaler(), feature.NewStringIndexer(), feature.NewRFormula().SetFormula("y ~ a + b:c"),
		feature.NewTargetEncoder(),
	}
	set := map[string]any{"featuresCol": "feats", "maxIter": 7, "maxDepth": 3, "seed": int64(42), "numTrees": 4,
		"layers": []int{2, 3, 2}, "k": 3, "inputCol": "in", "regParam": 0.25}
	for _, e := range ests {
		ps := e.Params()
		for name, v := range set {
			if ps.IsDefined(name) {
				if err := ps.Set(name, v); err != nil {
					t.Fatalf("%s: %s: %v", e.UID(), name, err)
				}
			}
		}
	}
	return ests
}

// TestSparkEstimatorsRoundTrip saves every unfitted estimator in Spark's
// layout — metadata alone, as Spark's DefaultParamsWriter writes an
// estimator — and loads it back by its Spark class name with the same
// params.
func TestSparkEstimatorsRoundTrip(t *testing.T) {
	reg := Registry()
	for _, e := range sparkEstimators(t) {
		dir := filepath.Join(t.TempDir(), "e")
		if err := ml.SaveSpark(e, dir); err != nil {
			t.Fatalf("%s: %v", e.UID(), err)
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, en := range ents {
			names = append(names, en.Name())
		}
		if !slices.Equal(names, []string{"_SUCCESS", "metadata"}) {
			t.Errorf("%s: directory holds %v, want metadata alone (and the _SUCCESS marker)", e.UID(), names)
		}
		md, err := ml.ReadMetadata(dir)
		if err != nil {
			t.Fatal(err)
		}
		if md.Class != e.SparkClassName() || !strings.HasPrefix(md.Class, "org.apache.spark.ml.") || md.UID != e.UID() {
			t.Errorf("metadata class %s uid %s, want %s %s", md.Class, md.UID, e.SparkClassName(), e.UID())
		}
		if raw, ok := md.ParamMap["featuresCol"]; e.Params().IsDefined("featuresCol") && (!ok || string(raw) != `"feats"`) {
			t.Errorf("%s: paramMap featuresCol %s", md.Class, raw)
		}
		got, err := reg.Load(context.Background(), dir)
		if err != nil {
			t.Fatalf("%s: %v", md.Class, err)
		}
		if reflect.TypeOf(got) != reflect.TypeOf(e) || got.UID() != e.UID() || got.Params().ExplainParams() != e.Params().ExplainParams() {
			t.Errorf("%s loaded as %T %s:\n%s\nsaved:\n%s", md.Class, got, got.UID(), got.Params().ExplainParams(), e.Params().ExplainParams())
		}
	}
}

// TestSparkEstimatorsAgainstSparkModels checks the tree estimators against
// the metadata of the models Spark 2.4.7 saved (testdata/ml/spark-models):
// in Spark 2.4 a tree model has its estimator's params, so the estimator's
// defaultParamMap has the keys and values of the model's (the seed
// default, a hash of the class name, aside), and the model's metadata
// under the estimator's class name loads as the estimator with Spark's
// values.
func TestSparkEstimatorsAgainstSparkModels(t *testing.T) {
	reg := Registry()
	cases := []struct {
		dir string
		est ml.SparkWriter
		set map[string]int
	}{
		{"dtc-2.4.7", classification.NewDecisionTreeClassifier(), nil},
		{"dtr-2.4.7", regression.NewDecisionTreeRegressor(), nil},
		{"rfc-2.4.7", classification.NewRandomForestClassifier(), map[string]int{"numTrees": 2}},
		{"rfr-2.4.7", regression.NewRandomForestRegressor(), map[string]int{"numTrees": 2}},
		{"gbtc-2.4.7", classification.NewGBTClassifier(), map[string]int{"maxIter": 2}},
		{"gbtr-2.4.7", regression.NewGBTRegressor(), map[string]int{"maxIter": 2}},
	}
	for _, c := range cases {
		b, err := os.ReadFile(filepath.Join(sparkModels, c.dir, "metadata", "part-00000"))
		if err != nil {
			t.Fatal(err)
		}
		var spark map[string]json.RawMessage
		if err := json.Unmarshal(b, &spark); err != nil {
			t.Fatal(err)
		}
		var sparkDefaults map[string]json.RawMessage
		if err := json.Unmarshal(spark["defaultParamMap"], &sparkDefaults); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), c.dir)
		if err := ml.SaveSpark(c.est, dir); err != nil {
			t.Fatal(err)
		}
		md, err := ml.ReadMetadata(dir)
		if err != nil {
			t.Fatal(err)
		}
		gotKeys, wantKeys := slices.Sorted(mapsKeys(md.DefaultParamMap)), slices.Sorted(mapsKeys(sparkDefaults))
		if !slices.Equal(gotKeys, wantKeys) {
			t.Errorf("%s: defaultParamMap keys\n%v\nSpark's model has\n%v", c.dir, gotKeys, wantKeys)
		}
		for k, want := range sparkDefaults {
			if k == "seed" {
				continue
			}
			if got := md.DefaultParamMap[k]; !jsonEqual(got, want) {
				t.Errorf("%s: default %s is %s, Spark's %s", c.dir, k, got, want)
			}
		}

		// The model's metadata as the estimator's.
		var class string
		_ = json.Unmarshal(spark["class"], &class)
		estClass := c.est.SparkClassName()
		line := strings.Replace(string(b), `"class":"`+class+`"`, `"class":"`+estClass+`"`, 1)
		edir := filepath.Join(t.TempDir(), "est")
		if err := os.MkdirAll(filepath.Join(edir, "metadata"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(edir, "metadata", "part-00000"), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
		st, err := reg.Load(context.Background(), edir)
		if err != nil {
			t.Fatalf("%s: %v", c.dir, err)
		}
		if reflect.TypeOf(st) != reflect.TypeOf(c.est) {
			t.Fatalf("%s loaded as %T", estClass, st)
		}
		var seed int64
		_ = json.Unmarshal(sparkDefaults["seed"], &seed)
		if v, _ := st.Params().Get("seed"); v != seed {
			t.Errorf("%s: seed %v, Spark's %d", c.dir, v, seed)
		}
		for k, want := range c.set {
			if v, _ := st.Params().Get(k); v != want || !st.Params().IsSet(k) {
				t.Errorf("%s: %s %v, Spark's paramMap %d", c.dir, k, v, want)
			}
		}
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// jsonEqual compares two JSON values by their decoded form.
func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
