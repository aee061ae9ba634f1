package all

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/feature"
)

func TestLoadAnyStage(t *testing.T) {
	classes := Registry().Classes()
	for _, c := range []string{"gspark.ml.Pipeline", "gspark.ml.PipelineModel", "gspark.ml.feature.StandardScalerModel", "gspark.ml.feature.VectorAssembler"} {
		if !slices.Contains(classes, c) {
			t.Errorf("registry lacks %s", c)
		}
	}
	for _, pkg := range []string{"gspark.ml.regression.", "gspark.ml.classification.", "gspark.ml.clustering."} {
		if !slices.ContainsFunc(classes, func(c string) bool { return strings.HasPrefix(c, pkg) }) {
			t.Errorf("registry has no %s* class: %v", pkg, classes)
		}
	}
	p := ml.NewPipeline(feature.NewTokenizer().SetInputCol("t"), feature.NewHashingTF().SetInputCol("w").SetNumFeatures(8))
	dir := filepath.Join(t.TempDir(), "p")
	if err := p.Save(dir); err != nil {
		t.Fatal(err)
	}
	st, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	lp, ok := st.(*ml.Pipeline)
	if !ok || len(lp.Stages()) != 2 || lp.Stages()[1].Params().ExplainParams() != p.Stages()[1].Params().ExplainParams() {
		t.Fatalf("loaded %T %v", st, st)
	}
}
