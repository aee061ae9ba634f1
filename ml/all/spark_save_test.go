package all

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/regression"
)

// parquetSchema reads the Arrow schema of the one Parquet file under dir/sub.
func parquetSchema(t *testing.T, dir, sub string) *arrow.Schema {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, sub, "*.parquet"))
	if err != nil || len(files) != 1 {
		t.Fatalf("%s/%s: parquet files %v %v", dir, sub, files, err)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mem := memory.NewGoAllocator()
	tbl, err := pqarrow.ReadTable(context.Background(), f, parquet.NewReaderProperties(mem), pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	return tbl.Schema()
}

// sameFields compares two schemas field by field: names, types (nested
// names included) and nullability, ignoring field metadata.
func sameFields(t *testing.T, what string, got, want *arrow.Schema) {
	t.Helper()
	if got.NumFields() != want.NumFields() {
		t.Fatalf("%s: %d fields, Spark's file has %d:\n%v\n%v", what, got.NumFields(), want.NumFields(), got, want)
	}
	for i := range want.NumFields() {
		g, w := got.Field(i), want.Field(i)
		if g.Name != w.Name || g.Nullable != w.Nullable || !arrow.TypeEqual(g.Type, w.Type) {
			t.Errorf("%s field %d: %s %s nullable=%v, Spark's file has %s %s nullable=%v", what, i, g.Name, g.Type, g.Nullable, w.Name, w.Type, w.Nullable)
		}
	}
}

// readJSON reads a metadata file as a map.
func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// keys returns the sorted keys of m's object at key (or of m when key is empty).
func keys(m map[string]any, key string) []string {
	if key != "" {
		m, _ = m[key].(map[string]any)
	}
	return slices.Sorted(maps.Keys(m))
}

// A tree gspark fits and saves with SaveSpark has the class name, metadata
// keys and Parquet fields of the same class saved by Spark 2.4, and loads
// back (through the Spark loaders) predicting as before.
func TestSaveTreesInSparkLayout(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	df := s.Read().Format("libsvm").Load(filepath.Join("..", "..", "testdata", "ml", "sample_libsvm_data.txt"))
	dtc, err := classification.NewDecisionTreeClassifier().SetMaxDepth(3).FitTree(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	dtr, err := regression.NewDecisionTreeRegressor().SetMaxDepth(3).FitTree(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	rfc, err := classification.NewRandomForestClassifier().SetNumTrees(3).SetMaxDepth(3).SetSeed(4).FitForest(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	rfr, err := regression.NewRandomForestRegressor().SetNumTrees(3).SetMaxDepth(3).SetSeed(4).FitForest(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	gbtc, err := classification.NewGBTClassifier().SetMaxIter(3).SetMaxDepth(2).FitGBT(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	gbtr, err := regression.NewGBTRegressor().SetMaxIter(3).SetMaxDepth(2).FitGBT(ctx, df)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		m     interface{ SaveSpark(string) error }
		spark string
	}{{dtc, "dtc-2.4.7"}, {dtr, "dtr-2.4.7"}, {rfc, "rfc-2.4.7"}, {rfr, "rfr-2.4.7"}, {gbtc, "gbtc-2.4.7"}, {gbtr, "gbtr-2.4.7"}} {
		st := c.m.(ml.SparkWriter)
		dir := filepath.Join(t.TempDir(), c.spark)
		if err := c.m.SaveSpark(dir); err != nil {
			t.Fatal(err)
		}
		ref := filepath.Join(sparkModels, c.spark)
		got, want := readJSON(t, filepath.Join(dir, "metadata", "part-00000")), readJSON(t, filepath.Join(ref, "metadata", "part-00000"))
		if got["class"] != want["class"] || got["uid"] != st.UID() {
			t.Fatalf("class %v uid %v, want %v and %s", got["class"], got["uid"], want["class"], st.UID())
		}
		if g, w := keys(got, ""), keys(want, ""); !slices.Equal(g, w) {
			t.Errorf("%s metadata keys %v, Spark's %v", c.spark, g, w)
		}
		if g, w := keys(got, "defaultParamMap"), keys(want, "defaultParamMap"); !slices.Equal(g, w) {
			t.Errorf("%s defaultParamMap keys %v, Spark's %v", c.spark, g, w)
		}
		if got["numFeatures"] != 692.0 || got["paramMap"].(map[string]any)["maxDepth"] == nil {
			t.Errorf("%s: numFeatures %v, paramMap %v", c.spark, got["numFeatures"], got["paramMap"])
		}
		sameFields(t, c.spark+" data", parquetSchema(t, dir, "data"), parquetSchema(t, ref, "data"))

		back, err := Load(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if back.UID() != st.UID() || back.Params().ExplainParams() != st.Params().ExplainParams() {
			t.Fatalf("loaded back:\n%s\nsaved:\n%s", back.Params().ExplainParams(), st.Params().ExplainParams())
		}
		if _, err := os.Stat(filepath.Join(ref, "treesMetadata")); err == nil {
			sameFields(t, c.spark+" treesMetadata", parquetSchema(t, dir, "treesMetadata"), parquetSchema(t, ref, "treesMetadata"))
			// Each tree's metadata has the keys of Spark's.
			g, w := firstTreeMetadata(t, dir), firstTreeMetadata(t, ref)
			if g["class"] != w["class"] || !slices.Equal(keys(g, ""), keys(w, "")) || !slices.Equal(keys(g, "defaultParamMap"), keys(w, "defaultParamMap")) {
				t.Errorf("%s tree metadata %v, Spark's %v", c.spark, g, w)
			}
		}
		type weighted interface{ TreeWeights() []float64 }
		if w, ok := st.(weighted); ok && !slices.Equal(back.(weighted).TreeWeights(), w.TreeWeights()) {
			t.Errorf("%s: tree weights %v loaded back, %v saved", c.spark, back.(weighted).TreeWeights(), w.TreeWeights())
		}
		// The node table walked directly gives the model's predictions.
		trees := readRefTrees(t, dir)
		var weights map[int]float64
		if _, err := os.Stat(filepath.Join(dir, "treesMetadata")); err == nil {
			weights = readTreeWeights(t, dir)
		}
		out, err := back.(ml.Transformer).Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		xs, preds := collect(t, out, "prediction")
		orig, err := st.(ml.Transformer).Transform(df)
		if err != nil {
			t.Fatal(err)
		}
		_, want0 := collect(t, orig, "prediction")
		for i, x := range xs {
			if w := treeRefs[c.spark](trees, weights, x); preds[i] != w || preds[i] != want0[i] {
				t.Fatalf("%s row %d: loaded model predicts %v, node table %v, saved model %v", c.spark, i, preds[i], w, want0[i])
			}
		}
	}
}

// firstTreeMetadata decodes the metadata JSON of tree 0 in dir/treesMetadata.
func firstTreeMetadata(t *testing.T, dir string) map[string]any {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "treesMetadata", "*.parquet"))
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mem := memory.NewGoAllocator()
	tbl, err := pqarrow.ReadTable(context.Background(), f, parquet.NewReaderProperties(mem), pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	var m map[string]any
	if err := json.Unmarshal([]byte(tbl.Column(1).Data().Chunk(0).(*array.String).Value(0)), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The perceptron Spark saved, saved again with SaveSpark, has the metadata
// keys and Parquet fields of Spark's file and loads back with the same
// layers, weights and params.
func TestSaveMLPInSparkLayout(t *testing.T) {
	ctx := context.Background()
	ref := filepath.Join(sparkModels, "mlp-2.4.4")
	st, err := Load(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	m := st.(*classification.MultilayerPerceptronClassificationModel)
	dir := filepath.Join(t.TempDir(), "mlp")
	if err := m.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	got, want := readJSON(t, filepath.Join(dir, "metadata", "part-00000")), readJSON(t, filepath.Join(ref, "metadata", "part-00000"))
	if got["class"] != want["class"] || got["uid"] != want["uid"] || !slices.Equal(keys(got, ""), keys(want, "")) ||
		!slices.Equal(keys(got, "defaultParamMap"), keys(want, "defaultParamMap")) || len(keys(got, "paramMap")) != 0 {
		t.Errorf("metadata %v, Spark's %v", got, want)
	}
	sameFields(t, "mlp data", parquetSchema(t, dir, "data"), parquetSchema(t, ref, "data"))
	back, err := Load(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	b := back.(*classification.MultilayerPerceptronClassificationModel)
	if !slices.Equal(b.Layers(), m.Layers()) || !slices.Equal(b.Weights().ToArray(), m.Weights().ToArray()) || b.Params().ExplainParams() != m.Params().ExplainParams() {
		t.Fatalf("loaded back %v %v", b.Layers(), b.Params().ExplainParams())
	}
}

// StringIndexerModel and HashingTF loaded from Spark's files and saved
// again with SaveSpark have Spark's metadata (the same paramMap and
// defaultParamMap values) and data fields, and load back.
func TestSaveFeatureStagesInSparkLayout(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"strIndexerModel-2.4.4", "hashingTF-2.4.4"} {
		ref := filepath.Join(sparkModels, name)
		st, err := Load(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), name)
		if err := st.(interface{ SaveSpark(string) error }).SaveSpark(dir); err != nil {
			t.Fatal(err)
		}
		got, want := readJSON(t, filepath.Join(dir, "metadata", "part-00000")), readJSON(t, filepath.Join(ref, "metadata", "part-00000"))
		for _, k := range []string{"class", "uid"} {
			if got[k] != want[k] {
				t.Errorf("%s: %s %v, Spark's %v", name, k, got[k], want[k])
			}
		}
		if !slices.Equal(keys(got, ""), keys(want, "")) || !reflect.DeepEqual(got["paramMap"], want["paramMap"]) || !reflect.DeepEqual(got["defaultParamMap"], want["defaultParamMap"]) {
			t.Errorf("%s: metadata\n%v\nSpark's\n%v", name, got, want)
		}
		if _, err := os.Stat(filepath.Join(ref, "data")); err == nil {
			sameFields(t, name+" data", parquetSchema(t, dir, "data"), parquetSchema(t, ref, "data"))
		}
		back, err := Load(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if back.Params().ExplainParams() != st.Params().ExplainParams() {
			t.Errorf("%s loaded back:\n%s\nsaved:\n%s", name, back.Params().ExplainParams(), st.Params().ExplainParams())
		}
		if si, ok := back.(*feature.StringIndexerModel); ok && !slices.Equal(si.Labels(), []string{"b", "c", "a"}) {
			t.Errorf("labels %v", si.Labels())
		}
	}
}
