package classification

import (
	"github.com/gspark/gspark/ml"
)

// The unfitted estimators of this package in Apache Spark's layout: Spark
// saves an estimator as metadata alone (DefaultParamsWriter: class, uid,
// paramMap, defaultParamMap), with the params of its model (Spark's
// estimators and models share them; see ml.SparkEstimatorSpec).

// SparkClassName implements ml.SparkWriter.
func (c *DecisionTreeClassifier) SparkClassName() string {
	return sparkPrefix + "DecisionTreeClassifier"
}

// SparkParams implements ml.SparkWriter: the params of Spark's DecisionTreeClassifier.
func (c *DecisionTreeClassifier) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(c.Params(), (&DecisionTreeClassificationModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (c *DecisionTreeClassifier) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (c *DecisionTreeClassifier) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.classification.DecisionTreeClassifier, metadata only).
func (c *DecisionTreeClassifier) SaveSpark(path string) error { return ml.SaveSpark(c, path) }

// SparkClassName implements ml.SparkWriter.
func (f *RandomForestClassifier) SparkClassName() string {
	return sparkPrefix + "RandomForestClassifier"
}

// SparkParams implements ml.SparkWriter: the params of Spark's RandomForestClassifier.
func (f *RandomForestClassifier) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(f.Params(), (&RandomForestClassificationModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (f *RandomForestClassifier) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (f *RandomForestClassifier) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.classification.RandomForestClassifier, metadata only).
func (f *RandomForestClassifier) SaveSpark(path string) error { return ml.SaveSpark(f, path) }

// SparkClassName implements ml.SparkWriter.
func (g *GBTClassifier) SparkClassName() string { return sparkPrefix + "GBTClassifier" }

// SparkParams implements ml.SparkWriter: the params of Spark's GBTClassifier.
func (g *GBTClassifier) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(g.Params(), (&GBTClassificationModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (g *GBTClassifier) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (g *GBTClassifier) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.classification.GBTClassifier, metadata only).
func (g *GBTClassifier) SaveSpark(path string) error { return ml.SaveSpark(g, path) }

// SparkClassName implements ml.SparkWriter.
func (s *LinearSVC) SparkClassName() string { return sparkPrefix + "LinearSVC" }

// SparkParams implements ml.SparkWriter: the params of Spark's LinearSVC.
func (s *LinearSVC) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(s.Params(), (&LinearSVCModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (s *LinearSVC) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (s *LinearSVC) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.classification.LinearSVC, metadata only).
func (s *LinearSVC) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (nb *NaiveBayes) SparkClassName() string { return sparkPrefix + "NaiveBayes" }

// SparkVersion implements ml.SparkVersioner: the version of its model's
// layout.
func (nb *NaiveBayes) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's NaiveBayes.
func (nb *NaiveBayes) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(nb.Params(), (&NaiveBayesModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (nb *NaiveBayes) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (nb *NaiveBayes) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.classification.NaiveBayes, metadata only).
func (nb *NaiveBayes) SaveSpark(path string) error { return ml.SaveSpark(nb, path) }

// SparkVersion implements ml.SparkVersioner: the version of its model's
// layout.
func (e *FMClassifier) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's FMClassifier.
func (e *FMClassifier) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(e.Params(), (&FMClassificationModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (e *FMClassifier) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (e *FMClassifier) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.classification.FMClassifier, metadata only).
func (e *FMClassifier) SaveSpark(path string) error { return ml.SaveSpark(e, path) }

// SparkParams implements ml.SparkWriter: the params of Spark's MultilayerPerceptronClassifier.
func (e *MultilayerPerceptronClassifier) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(e.Params(), (&MultilayerPerceptronClassificationModel{}).SparkParams(), "layers", "maxIter", "tol", "blockSize", "seed", "stepSize", "solver")
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (e *MultilayerPerceptronClassifier) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (e *MultilayerPerceptronClassifier) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.classification.MultilayerPerceptronClassifier, metadata only).
func (e *MultilayerPerceptronClassifier) SaveSpark(path string) error { return ml.SaveSpark(e, path) }

// registerSparkEstimators adds the loaders of the estimators above by
// Spark class name.
func registerSparkEstimators(r *ml.Registry) {
	r.Register(sparkPrefix+"DecisionTreeClassifier", ml.SparkParamsLoader(func(uid string) ml.Stage { return newDecisionTreeClassifier(uid) }))
	r.Register(sparkPrefix+"RandomForestClassifier", ml.SparkParamsLoader(func(uid string) ml.Stage { return newRandomForestClassifier(uid) }))
	r.Register(sparkPrefix+"GBTClassifier", ml.SparkParamsLoader(func(uid string) ml.Stage { return newGBTClassifier(uid) }))
	r.Register(sparkPrefix+"LinearSVC", ml.SparkParamsLoader(func(uid string) ml.Stage { return newLinearSVC(uid) }))
	r.Register(sparkPrefix+"NaiveBayes", ml.SparkParamsLoader(func(uid string) ml.Stage { return newNaiveBayes(uid) }))
	r.Register(sparkPrefix+"FMClassifier", ml.SparkParamsLoader(func(uid string) ml.Stage { return newFMClassifier(uid) }))
	r.Register(sparkPrefix+"MultilayerPerceptronClassifier", ml.SparkParamsLoader(func(uid string) ml.Stage { return newMultilayerPerceptronClassifier(uid) }))
}

var (
	_ ml.SparkWriter = (*DecisionTreeClassifier)(nil)
	_ ml.SparkWriter = (*RandomForestClassifier)(nil)
	_ ml.SparkWriter = (*GBTClassifier)(nil)
	_ ml.SparkWriter = (*LinearSVC)(nil)
	_ ml.SparkWriter = (*NaiveBayes)(nil)
	_ ml.SparkWriter = (*FMClassifier)(nil)
	_ ml.SparkWriter = (*MultilayerPerceptronClassifier)(nil)
)
