// Command pipeline is a whole machine-learning job on gspark: it reads the
// breast cancer data set from CSV, cleans it, indexes and one-hot encodes a
// categorical column, assembles and scales the features, cross-validates a
// logistic regression, evaluates it on a held-out split, saves the fitted
// pipeline, loads it back and predicts with it.
//
//	go run ./examples/pipeline [-data testdata/ml/breast_cancer.csv] [-out DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/all"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/tuning"
)

func main() {
	data := flag.String("data", "testdata/ml/breast_cancer.csv", "the breast cancer CSV (header, numeric columns, label last)")
	out := flag.String("out", "", "where to save the fitted pipeline (default: a temporary directory)")
	flag.Parse()
	if err := run(context.Background(), *data, *out); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, data, out string) error {
	s := frame.NewSession(frame.WithPartitions(4))
	if out == "" {
		dir, err := os.MkdirTemp("", "gspark-pipeline-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		out = filepath.Join(dir, "model")
	}
	res, err := Pipeline(ctx, s, data, out)
	if err != nil {
		return err
	}
	fmt.Printf("cross-validated areaUnderROC by regParam: %.4f\n", res.CVMetrics)
	fmt.Printf("held-out areaUnderROC: %.4f, accuracy: %.4f (%d test rows)\n", res.TestAUC, res.TestAccuracy, res.TestRows)
	fmt.Printf("saved to %s; the reloaded pipeline predicts the same: %v\n", out, res.ReloadedAgrees)
	return nil
}

// Result is what the job measured.
type Result struct {
	CVMetrics      []float64
	TestAUC        float64
	TestAccuracy   float64
	TestRows       int
	ReloadedAgrees bool
}

// Pipeline runs the job over the CSV at data and saves the model to out.
func Pipeline(ctx context.Context, s *frame.Session, data, out string) (*Result, error) {
	// Ingest: the CSV with a header, types inferred.
	raw := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(data)
	if err := raw.Err(); err != nil {
		return nil, err
	}
	// Engineer: a categorical size class from the tumour's area, and some
	// texture readings made missing, as real data has them.
	df := raw.
		WithColumn("size_class", F.When(F.Col("mean_area").Lt(F.Lit(500.0)), "small").
			When(F.Col("mean_area").Lt(F.Lit(1000.0)), "medium").Otherwise("large")).
		WithColumn("mean_texture", F.When(F.Col("mean_radius").Mul(F.Lit(1000.0)).Cast("bigint").Mod(F.Lit(13)).Eq(F.Lit(0)), nil).
			Otherwise(F.Col("mean_texture"))).
		WithColumn("label", F.Col("label").Cast("double"))
	// Clean: drop rows without a label; missing textures get the mean.
	df = df.Na().Drop("any", "label")
	splits, err := df.RandomSplit([]float64{0.8, 0.2}, 7)
	if err != nil {
		return nil, err
	}
	train, test := splits[0], splits[1]

	imputer := feature.NewImputer().SetInputCols("mean_texture").SetOutputCols("texture_filled").SetStrategy("mean")
	indexer := feature.NewStringIndexer().SetInputCol("size_class").SetOutputCol("size_index")
	encoder := feature.NewOneHotEncoder().SetInputCol("size_index").SetOutputCol("size_vec")
	assembler := feature.NewVectorAssembler().
		SetInputCols("mean_radius", "texture_filled", "mean_smoothness", "mean_concavity", "worst_area", "worst_concave_points", "size_vec").
		SetOutputCol("raw_features")
	scaler := feature.NewStandardScaler().SetInputCol("raw_features").SetOutputCol("features")
	lr := classification.NewLogisticRegression().SetMaxIter(100)
	pipeline := ml.NewPipeline(imputer, indexer, encoder, assembler, scaler, lr)

	// Tune: 3-fold cross-validation over the regularization.
	grid := tuning.NewParamGridBuilder().AddGridFor(lr, "regParam", 0.0, 0.01, 0.1).Build()
	auc := evaluation.NewBinaryClassificationEvaluator().SetMetricName("areaUnderROC")
	cv := tuning.NewCrossValidator().SetEstimator(pipeline).SetEstimatorParamMaps(grid).
		SetEvaluator(auc).SetNumFolds(3).SetSeed(42)
	cvModel, err := cv.FitCV(ctx, train)
	if err != nil {
		return nil, err
	}
	best := cvModel.BestModel()

	// Evaluate on the held-out rows.
	scored, err := best.Transform(test)
	if err != nil {
		return nil, err
	}
	res := &Result{CVMetrics: cvModel.AvgMetrics()}
	if res.TestAUC, err = auc.Evaluate(ctx, scored); err != nil {
		return nil, err
	}
	acc := evaluation.NewMulticlassClassificationEvaluator().SetMetricName("accuracy")
	if res.TestAccuracy, err = acc.Evaluate(ctx, scored); err != nil {
		return nil, err
	}
	n, err := scored.Count(ctx)
	if err != nil {
		return nil, err
	}
	res.TestRows = int(n)

	// Deploy: save, load back, predict the same.
	if err := best.Save(out); err != nil {
		return nil, err
	}
	loaded, err := all.Load(ctx, out)
	if err != nil {
		return nil, err
	}
	again, err := loaded.(ml.Transformer).Transform(test)
	if err != nil {
		return nil, err
	}
	a, err := scored.Select(F.Col("prediction")).Collect(ctx)
	if err != nil {
		return nil, err
	}
	b, err := again.Select(F.Col("prediction")).Collect(ctx)
	if err != nil {
		return nil, err
	}
	res.ReloadedAgrees = len(a) == len(b) && len(a) > 0
	for i := range a {
		res.ReloadedAgrees = res.ReloadedAgrees && a[i][0] == b[i][0]
	}
	return res, nil
}
