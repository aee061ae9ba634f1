package all

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/regression"
)

// TestLoadNewEstimators: IsotonicRegression, AFTSurvivalRegression,
// OneVsRest, MultilayerPerceptronClassifier, FMRegressor and FMClassifier
// saved by gspark come back through Load with their class and params.
func TestLoadNewEstimators(t *testing.T) {
	for _, st := range []ml.Stage{
		regression.NewIsotonicRegression().SetIsotonic(false),
		regression.NewAFTSurvivalRegression().SetCensorCol("c"),
		classification.NewOneVsRest(classification.NewLinearSVC()).SetParallelism(3),
		classification.NewMultilayerPerceptronClassifier().SetLayers(4, 3, 2),
		regression.NewFMRegressor().SetFactorSize(3),
		classification.NewFMClassifier().SetSolver("gd"),
	} {
		dir := filepath.Join(t.TempDir(), "s")
		if err := st.Save(dir); err != nil {
			t.Fatal(err)
		}
		back, err := Load(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		if back.ClassName() != st.ClassName() || back.UID() != st.UID() {
			t.Fatalf("loaded %s %s, saved %s %s", back.ClassName(), back.UID(), st.ClassName(), st.UID())
		}
		for _, name := range st.Params().Names() {
			a, _ := st.Params().Get(name)
			b, _ := back.Params().Get(name)
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("%s: param %s loaded as %v, saved %v", st.ClassName(), name, b, a)
			}
		}
	}
}
