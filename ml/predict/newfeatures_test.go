package predict

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/feature"
)

// TestPredictorNewFeatureStages scores a pipeline of FeatureHasher,
// Interaction, DCT, VectorIndexer, RFormula, Word2Vec and the selectors
// through the one-batch predictor, fresh and saved/loaded, and checks it
// against batch Transform, with 1 and 4 partitions.
func TestPredictorNewFeatureStages(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		s := frame.NewSession(frame.WithPartitions(parts))
		df := featureData(t, s)
		pm, err := ml.NewPipeline(
			feature.NewTokenizer().SetInputCol("text").SetOutputCol("words"),
			feature.NewVectorAssembler().SetInputCols("x1", "x2").SetOutputCol("nums"),
			feature.NewFeatureHasher().SetInputCols("color", "x1", "x2").SetOutputCol("hashed").SetNumFeatures(16),
			feature.NewInteraction().SetInputCols("x1", "nums").SetOutputCol("inter"),
			feature.NewDCT().SetInputCol("nums").SetOutputCol("dct"),
			feature.NewVectorIndexer().SetInputCol("nums").SetOutputCol("vidx").SetMaxCategories(3).SetHandleInvalid("keep"),
			feature.NewRFormula().SetFormula("x2 ~ color + x1:color").SetFeaturesCol("rf").SetLabelCol("rfLabel"),
			feature.NewWord2Vec().SetInputCol("words").SetOutputCol("w2v").SetVectorSize(4).SetMinCount(1),
			feature.NewUnivariateFeatureSelector().SetFeaturesCol("inter").SetLabelCol("x2").SetFeatureType("continuous").
				SetLabelType("continuous").SetSelectionThreshold(1).SetOutputCol("best"),
		).Fit(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		p, err := New(pm)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(p.Outputs(), ","), "words,nums,hashed,inter,dct,vidx,rf,rfLabel,w2v,best"; got != want {
			t.Fatalf("outputs %s, want %s", got, want)
		}
		recs, want := batchScores(t, pm, df, names(p.Signature().Inputs), p.Outputs())
		checkPredictor(t, p, recs, want)
		dir := filepath.Join(t.TempDir(), "model")
		if err := ml.Save(pm, dir); err != nil {
			t.Fatal(err)
		}
		lp, err := Load(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		checkPredictor(t, lp, recs, want)
	}
}
