package predict

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/regression"
)

// TestPredictorGLR: a GeneralizedLinearRegression model (gamma family, log
// link, with its link prediction column) scores record by record exactly
// as batch Transform does, in sessions of one and four partitions, and
// again after a save and a Load.
func TestPredictorGLR(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		t.Run(fmt.Sprintf("partitions=%d", parts), func(t *testing.T) {
			s := frame.NewSession(frame.WithPartitions(parts))
			df := diabetes(t, s)
			m := withAssembler(t, df, diabetesFeatures, regression.NewGeneralizedLinearRegression().SetFamily("gamma").SetLink("log").SetLinkPredictionCol("eta"))
			p, err := New(m)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(p.Outputs(), ","); got != "features,prediction,eta" {
				t.Fatalf("outputs %s", got)
			}
			recs, want := batchScores(t, m, df, names(p.Signature().Inputs), p.Outputs())
			checkPredictor(t, p, recs, want)
			dir := filepath.Join(t.TempDir(), "model")
			if err := ml.Save(m.(ml.Stage), dir); err != nil {
				t.Fatal(err)
			}
			lp, err := Load(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			checkPredictor(t, lp, recs, want)
		})
	}
}
