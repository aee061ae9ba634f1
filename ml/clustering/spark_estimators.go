package clustering

import (
	"github.com/gspark/gspark/ml"
)

// The unfitted estimators of this package in Apache Spark's layout: Spark
// saves an estimator as metadata alone (DefaultParamsWriter: class, uid,
// paramMap, defaultParamMap), with the params of its model (Spark's
// estimators and models share them; see ml.SparkEstimatorSpec).

// SparkClassName implements ml.SparkWriter.
func (km *KMeans) SparkClassName() string { return sparkClusteringPrefix + "KMeans" }

// SparkParams implements ml.SparkWriter: the params of Spark's KMeans.
func (km *KMeans) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(km.Params(), (&KMeansModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (km *KMeans) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (km *KMeans) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.clustering.KMeans, metadata only).
func (km *KMeans) SaveSpark(path string) error { return ml.SaveSpark(km, path) }

// SparkClassName implements ml.SparkWriter.
func (b *BisectingKMeans) SparkClassName() string { return sparkClusteringPrefix + "BisectingKMeans" }

// SparkVersion implements ml.SparkVersioner: the version of its model's
// layout.
func (b *BisectingKMeans) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's BisectingKMeans.
func (b *BisectingKMeans) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(b.Params(), (&BisectingKMeansModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (b *BisectingKMeans) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (b *BisectingKMeans) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.clustering.BisectingKMeans, metadata only).
func (b *BisectingKMeans) SaveSpark(path string) error { return ml.SaveSpark(b, path) }

// SparkClassName implements ml.SparkWriter.
func (g *GaussianMixture) SparkClassName() string { return sparkClusteringPrefix + "GaussianMixture" }

// SparkParams implements ml.SparkWriter: the params of Spark's GaussianMixture.
func (g *GaussianMixture) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(g.Params(), (&GaussianMixtureModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (g *GaussianMixture) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (g *GaussianMixture) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.clustering.GaussianMixture, metadata only).
func (g *GaussianMixture) SaveSpark(path string) error { return ml.SaveSpark(g, path) }

// SparkParams implements ml.SparkWriter: the params of Spark's LDA.
func (l *LDA) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(l.Params(), (&LDAModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (l *LDA) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (l *LDA) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.clustering.LDA, metadata only).
func (l *LDA) SaveSpark(path string) error { return ml.SaveSpark(l, path) }

// registerSparkEstimators adds the loaders of the estimators above by
// Spark class name.
func registerSparkEstimators(r *ml.Registry) {
	r.Register(sparkClusteringPrefix+"KMeans", ml.SparkParamsLoader(func(uid string) ml.Stage { return newKMeans(uid) }))
	r.Register(sparkClusteringPrefix+"BisectingKMeans", ml.SparkParamsLoader(func(uid string) ml.Stage { return newBisectingKMeans(uid) }))
	r.Register(sparkClusteringPrefix+"GaussianMixture", ml.SparkParamsLoader(func(uid string) ml.Stage { return newGaussianMixture(uid) }))
	r.Register(sparkClusteringPrefix+"LDA", ml.SparkParamsLoader(func(uid string) ml.Stage { return newLDA(uid) }))
}

var (
	_ ml.SparkWriter = (*KMeans)(nil)
	_ ml.SparkWriter = (*BisectingKMeans)(nil)
	_ ml.SparkWriter = (*GaussianMixture)(nil)
	_ ml.SparkWriter = (*LDA)(nil)
)
