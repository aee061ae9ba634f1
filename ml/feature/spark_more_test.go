package feature

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml"
)

// TestSparkLayoutParamsOnly saves FeatureHasher, DCT, Interaction and
// VectorSizeHint in Spark's layout, checks the metadata line's class and
// keys, and loads them back through the registry; it also loads a
// metadata line written as Spark's DefaultParamsWriter writes it.
func TestSparkLayoutParamsOnly(t *testing.T) {
	type sparkStage interface {
		ml.Stage
		SaveSpark(string) error
	}
	reg := Register(ml.NewRegistry())
	for _, st := range []sparkStage{
		NewFeatureHasher().SetInputCols("a", "b").SetCategoricalCols("b").SetNumFeatures(64).SetOutputCol("f"),
		NewDCT().SetInputCol("v").SetInverse(true),
		NewInteraction().SetInputCols("a", "v"),
		NewVectorSizeHint().SetInputCol("v").SetSize(3).SetHandleInvalid("skip"),
	} {
		dir := filepath.Join(t.TempDir(), "m")
		if err := st.SaveSpark(dir); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "metadata", "part-00000"))
		if err != nil {
			t.Fatal(err)
		}
		var md struct {
			Class           string
			UID             string
			ParamMap        map[string]any
			DefaultParamMap map[string]any
		}
		if err := json.Unmarshal(b, &md); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(st.ClassName(), classPrefix)
		if md.Class != "org.apache.spark.ml.feature."+name || md.UID != st.UID() || len(md.ParamMap) == 0 {
			t.Fatalf("metadata %s", b)
		}
		got, err := ml.Load(ctx, dir, reg)
		if err != nil {
			t.Fatal(err)
		}
		if got.ClassName() != st.ClassName() || got.Params().ExplainParams() != st.Params().ExplainParams() {
			t.Fatalf("loaded %s:\n%s\nsaved:\n%s", got.ClassName(), got.Params().ExplainParams(), st.Params().ExplainParams())
		}
	}

	dir := filepath.Join(t.TempDir(), "spark")
	if err := os.MkdirAll(filepath.Join(dir, "metadata"), 0o755); err != nil {
		t.Fatal(err)
	}
	line := `{"class":"org.apache.spark.ml.feature.FeatureHasher","timestamp":1600000000000,"sparkVersion":"3.0.1","uid":"featureHasher_0a1b2c3d4e5f","paramMap":{"inputCols":["real","bool","stringNum","string"],"outputCol":"features","categoricalCols":["real"]},"defaultParamMap":{"numFeatures":262144,"outputCol":"featureHasher_0a1b2c3d4e5f__output"}}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "metadata", "part-00000"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ml.LoadAs[*FeatureHasher](ctx, dir, reg)
	if err != nil {
		t.Fatal(err)
	}
	ps := got.Params()
	if got.UID() != "featureHasher_0a1b2c3d4e5f" || got.numFeatures.Get(ps) != 1<<18 || got.outputCol.Get(ps) != "features" ||
		!slices.Equal(got.inputCols.Get(ps), []string{"real", "bool", "stringNum", "string"}) || !slices.Equal(got.categoricalCols.Get(ps), []string{"real"}) {
		t.Fatalf("loaded %s", ps.ExplainParams())
	}
}
