package ml_test

import (
	"context"
	"fmt"
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

// A pipeline from CSV to a saved, reloaded model: index and one-hot encode
// a categorical column, impute, assemble, scale, cross-validate a logistic
// regression, evaluate on held-out rows. examples/pipeline is the same job
// as a program.
func ExamplePipeline() {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(2))
	df := s.Read().Option("header", "true").Option("inferSchema", "true").CSV("../testdata/ml/breast_cancer.csv").
		WithColumn("size_class", F.When(F.Col("mean_area").Lt(F.Lit(500.0)), "small").Otherwise("large")).
		WithColumn("label", F.Col("label").Cast("double")).
		Na().Drop("any", "label")
	splits, err := df.RandomSplit([]float64{0.8, 0.2}, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	train, test := splits[0], splits[1]

	pipeline := ml.NewPipeline(
		feature.NewImputer().SetInputCols("mean_texture").SetOutputCols("texture").SetStrategy("median"),
		feature.NewStringIndexer().SetInputCol("size_class").SetOutputCol("size_index"),
		feature.NewOneHotEncoder().SetInputCol("size_index").SetOutputCol("size_vec"),
		feature.NewVectorAssembler().SetInputCols("mean_radius", "texture", "worst_area", "worst_concave_points", "size_vec").SetOutputCol("raw"),
		feature.NewStandardScaler().SetInputCol("raw").SetOutputCol("features"),
		classification.NewLogisticRegression(),
	)
	auc := evaluation.NewBinaryClassificationEvaluator()
	cv := tuning.NewCrossValidator().SetEstimator(pipeline).SetEvaluator(auc).SetNumFolds(3).SetSeed(1).
		SetEstimatorParamMaps(tuning.NewParamGridBuilder().AddGrid("regParam", 0.01, 0.1).Build())
	model, err := cv.FitCV(ctx, train)
	if err != nil {
		fmt.Println(err)
		return
	}
	scored, err := model.BestModel().Transform(test)
	if err != nil {
		fmt.Println(err)
		return
	}
	area, err := auc.Evaluate(ctx, scored)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("held-out areaUnderROC above 0.95:", area > 0.95)

	dir, _ := os.MkdirTemp("", "example-")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model")
	if err := model.BestModel().Save(path); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := all.Load(ctx, path)
	if err != nil {
		fmt.Println(err)
		return
	}
	again, _ := loaded.(ml.Transformer).Transform(test)
	same, _ := auc.Evaluate(ctx, again)
	fmt.Println("the reloaded model scores the same:", same == area)
	// Output:
	// held-out areaUnderROC above 0.95: true
	// the reloaded model scores the same: true
}
