package all

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/clustering"
)

// KMeansModel and GaussianMixtureModel saved in Spark's layout have
// Spark's class, metadata keys and data fields (KMeans.scala: a row per
// ClusterData(clusterIdx: Int, clusterCenter: Vector);
// GaussianMixture.scala: Data(weights: Array[Double], mus:
// Array[OldVector], sigmas: Array[OldMatrix]), with mllib's UDTs) and load
// back predicting the same, for fits on 1 and 4 partitions.
func TestSaveClusteringModelsInSparkLayout(t *testing.T) {
	ctx := context.Background()
	for _, parts := range []int{1, 4} {
		s := frame.NewSession(frame.WithPartitions(parts))
		df := libsvm(s, "sample_multiclass_classification_data.txt")
		km, err := clustering.NewKMeans().SetK(3).SetSeed(1).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		back := checkSparkSave(t, sparkSaveCase{name: "kmeans", model: km, class: "org.apache.spark.ml.clustering.KMeansModel", version: "2.4.7",
			defaults: []string{"featuresCol", "predictionCol", "k", "initMode", "initSteps", "maxIter", "tol", "seed", "distanceMeasure"},
			df:       df, cols: []string{"prediction"},
			data: arrow.NewSchema([]arrow.Field{fInt("clusterIdx"), fVec("clusterCenter")}, nil)})
		if g, w := back.(*clustering.KMeansModel).ClusterCenters(), km.ClusterCenters(); len(g) != 3 || g[2].String() != w[2].String() {
			t.Errorf("centers loaded back %v, saved %v", g, w)
		}

		gmm, err := clustering.NewGaussianMixture().SetK(2).SetSeed(3).FitModel(ctx, df)
		if err != nil {
			t.Fatal(err)
		}
		list := func(n string, el arrow.DataType, nullable bool) arrow.Field {
			return arrow.Field{Name: n, Type: arrow.ListOfField(arrow.Field{Name: "element", Type: el, Nullable: nullable}), Nullable: true}
		}
		checkSparkSave(t, sparkSaveCase{name: "gmm", model: gmm, class: "org.apache.spark.ml.clustering.GaussianMixtureModel", version: "2.4.7",
			defaults: []string{"featuresCol", "predictionCol", "probabilityCol", "k", "maxIter", "tol", "seed"},
			df:       df, cols: []string{"probability", "prediction"},
			data: arrow.NewSchema([]arrow.Field{list("weights", arrow.PrimitiveTypes.Float64, false), list("mus", wantVector, true), list("sigmas", wantMatrix, true)}, nil)})
	}
	// The means and covariances are mllib vectors and matrices, which
	// Spark's reader asks for.
	s := frame.NewSession()
	gmm, err := clustering.NewGaussianMixture().SetK(2).FitModel(ctx, libsvm(s, "sample_multiclass_classification_data.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir() + "/gmm"
	if err := gmm.SaveSpark(dir); err != nil {
		t.Fatal(err)
	}
	foot := footerSchema(t, dir, "data")
	for col, class := range map[string]string{"mus": "org.apache.spark.mllib.linalg.VectorUDT", "sigmas": "org.apache.spark.mllib.linalg.MatrixUDT"} {
		py := strings.Replace(class, "org.apache.spark", "pyspark", 1)
		if !strings.Contains(string(foot[col]), `"elementType":{"type":"udt","class":"`+class+`","pyClass":"`+py+`"`) {
			t.Errorf("footer type of %s: %s", col, foot[col])
		}
	}
}
