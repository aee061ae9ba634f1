package clustering

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// sparkClusteringPrefix is the package of Apache Spark's clustering
// stages.
const sparkClusteringPrefix = "org.apache.spark.ml.clustering."

// registerSparkModels adds the loaders of KMeansModel and
// GaussianMixtureModel directories in Spark's layout.
func registerSparkModels(r *ml.Registry) {
	registerSparkEstimators(r)
	r.Register(sparkClusteringPrefix+"KMeansModel", loadSparkKMeansModel)
	r.Register(sparkClusteringPrefix+"GaussianMixtureModel", loadSparkGaussianMixtureModel)
}

// SparkClassName implements ml.SparkWriter.
func (m *KMeansModel) SparkClassName() string { return sparkClusteringPrefix + "KMeansModel" }

// SparkParams implements ml.SparkWriter: the params of Spark's
// KMeansModel (weightCol, from Spark 3.0, is written only when set).
func (m *KMeansModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "predictionCol", "weightCol", "k", "initMode", "initSteps",
		"maxIter", "tol", "seed", "distanceMeasure"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *KMeansModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: a row per cluster of
// ClusterData(clusterIdx: Int, clusterCenter: Vector), the layout of
// Spark 2.x and later (KMeans.scala's writer).
func (m *KMeansModel) WriteSparkData(dir string) error {
	schema := arrow.NewSchema([]arrow.Field{{Name: "clusterIdx", Type: arrow.PrimitiveTypes.Int32},
		{Name: "clusterCenter", Type: ml.SparkVectorType(), Nullable: true}}, nil)
	rows := make([][]any, len(m.centers))
	for i, c := range m.centers {
		rows[i] = []any{i, c}
	}
	return ml.WriteSparkRows(dir, "data", schema, rows...)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.clustering.KMeansModel).
func (m *KMeansModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// loadSparkKMeansModel reads Spark's layout: rows of clusterIdx and
// clusterCenter in any order, across any part files.
func loadSparkKMeansModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := ml.ReadSparkData(ctx, dir, "data")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	n := d.NumRows()
	centers := make([][]float64, n)
	for r := 0; r < n; r++ {
		idx, err := d.Int("clusterIdx", r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		if idx < 0 || idx >= int64(n) || centers[idx] != nil {
			return nil, fmt.Errorf("%s: model data: clusterIdx %d in row %d is out of range or repeated (%d clusters)", md.UID, idx, r, n)
		}
		v, err := d.Vector("clusterCenter", r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
		centers[idx] = v.ToArray()
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: model data has no clusters", md.UID)
	}
	for i, c := range centers {
		if len(c) != len(centers[0]) {
			return nil, fmt.Errorf("%s: model data: center %d has %d values, center 0 %d", md.UID, i, len(c), len(centers[0]))
		}
	}
	m := newKMeansModel(md.UID, centers)
	return m, md.ApplySparkParams(m.Params())
}

// SparkClassName implements ml.SparkWriter.
func (m *GaussianMixtureModel) SparkClassName() string {
	return sparkClusteringPrefix + "GaussianMixtureModel"
}

// SparkParams implements ml.SparkWriter: the params of Spark's
// GaussianMixtureModel (weightCol, from Spark 3.0, is written only when
// set).
func (m *GaussianMixtureModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "predictionCol", "probabilityCol", "weightCol", "k", "maxIter", "tol", "seed"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *GaussianMixtureModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row of
// Data(weights: Array[Double], mus: Array[OldVector], sigmas:
// Array[OldMatrix]) (GaussianMixture.scala's writer), the means and
// covariances as Spark's older mllib vectors and matrices.
func (m *GaussianMixtureModel) WriteSparkData(dir string) error {
	old := func(class string) arrow.Metadata { return arrow.NewMetadata([]string{ml.SparkUDTKey}, []string{class}) }
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "weights", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Float64}), Nullable: true},
		{Name: "mus", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: ml.SparkVectorType(), Nullable: true,
			Metadata: old(ml.SparkOldVectorUDT)}), Nullable: true},
		{Name: "sigmas", Type: arrow.ListOfField(arrow.Field{Name: "element", Type: ml.SparkMatrixType(), Nullable: true,
			Metadata: old(ml.SparkOldMatrixUDT)}), Nullable: true},
	}, nil)
	mus := make([][]float64, len(m.comps))
	sigmas := make([]ml.SparkMatrix, len(m.comps))
	for i, g := range m.comps {
		d := len(g.mean)
		mus[i] = g.mean
		sigmas[i] = ml.SparkMatrix{NumRows: d, NumCols: d, Values: g.cov, Transposed: true}
	}
	return ml.WriteSparkRows(dir, "data", schema, []any{m.weights, mus, sigmas})
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.clustering.GaussianMixtureModel).
func (m *GaussianMixtureModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkGaussianMixtureModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, err := ml.ReadSparkRow(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	defer d.Release()
	w, err := d.Float64s("weights", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	mus, err := d.Vectors("mus", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	sigmas, err := d.Matrices("sigmas", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(w) == 0 || len(mus) != len(w) || len(sigmas) != len(w) {
		return nil, fmt.Errorf("%s: model data: %d weights, %d means and %d covariances", md.UID, len(w), len(mus), len(sigmas))
	}
	comps := make([]*gaussian, len(w))
	for i := range comps {
		mean := mus[i].ToArray()
		dim := len(mean)
		if sigmas[i].NumRows != dim || sigmas[i].NumCols != dim {
			return nil, fmt.Errorf("%s: model data: component %d has a mean of size %d and a %d×%d covariance", md.UID, i, dim, sigmas[i].NumRows, sigmas[i].NumCols)
		}
		cov := make([]float64, 0, dim*dim)
		for _, r := range sigmas[i].Rows() {
			cov = append(cov, r...)
		}
		if comps[i], err = newGaussian(mean, cov); err != nil {
			return nil, fmt.Errorf("%s: model data: component %d: %w", md.UID, i, err)
		}
	}
	m := newGaussianMixtureModel(md.UID, w, comps)
	return m, md.ApplySparkParams(m.Params())
}

var (
	_ ml.SparkWriter = (*KMeansModel)(nil)
	_ ml.SparkWriter = (*GaussianMixtureModel)(nil)
)
