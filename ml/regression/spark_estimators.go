package regression

import (
	"github.com/gspark/gspark/ml"
)

// The unfitted estimators of this package in Apache Spark's layout: Spark
// saves an estimator as metadata alone (DefaultParamsWriter: class, uid,
// paramMap, defaultParamMap), with the params of its model (Spark's
// estimators and models share them; see ml.SparkEstimatorSpec).

// SparkClassName implements ml.SparkWriter.
func (r *DecisionTreeRegressor) SparkClassName() string { return sparkPrefix + "DecisionTreeRegressor" }

// SparkParams implements ml.SparkWriter: the params of Spark's DecisionTreeRegressor.
func (r *DecisionTreeRegressor) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(r.Params(), (&DecisionTreeRegressionModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (r *DecisionTreeRegressor) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (r *DecisionTreeRegressor) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.regression.DecisionTreeRegressor, metadata only).
func (r *DecisionTreeRegressor) SaveSpark(path string) error { return ml.SaveSpark(r, path) }

// SparkClassName implements ml.SparkWriter.
func (f *RandomForestRegressor) SparkClassName() string { return sparkPrefix + "RandomForestRegressor" }

// SparkParams implements ml.SparkWriter: the params of Spark's RandomForestRegressor.
func (f *RandomForestRegressor) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(f.Params(), (&RandomForestRegressionModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (f *RandomForestRegressor) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (f *RandomForestRegressor) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.regression.RandomForestRegressor, metadata only).
func (f *RandomForestRegressor) SaveSpark(path string) error { return ml.SaveSpark(f, path) }

// SparkClassName implements ml.SparkWriter.
func (g *GBTRegressor) SparkClassName() string { return sparkPrefix + "GBTRegressor" }

// SparkParams implements ml.SparkWriter: the params of Spark's GBTRegressor.
func (g *GBTRegressor) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(g.Params(), (&GBTRegressionModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (g *GBTRegressor) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (g *GBTRegressor) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.regression.GBTRegressor, metadata only).
func (g *GBTRegressor) SaveSpark(path string) error { return ml.SaveSpark(g, path) }

// SparkClassName implements ml.SparkWriter.
func (lr *LinearRegression) SparkClassName() string { return sparkPrefix + "LinearRegression" }

// SparkParams implements ml.SparkWriter: the params of Spark's LinearRegression.
func (lr *LinearRegression) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(lr.Params(), (&LinearRegressionModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (lr *LinearRegression) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (lr *LinearRegression) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.regression.LinearRegression, metadata only).
func (lr *LinearRegression) SaveSpark(path string) error { return ml.SaveSpark(lr, path) }

// SparkClassName implements ml.SparkWriter.
func (g *GeneralizedLinearRegression) SparkClassName() string {
	return sparkPrefix + "GeneralizedLinearRegression"
}

// SparkParams implements ml.SparkWriter: the params of Spark's GeneralizedLinearRegression.
func (g *GeneralizedLinearRegression) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(g.Params(), (&GeneralizedLinearRegressionModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (g *GeneralizedLinearRegression) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (g *GeneralizedLinearRegression) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.regression.GeneralizedLinearRegression, metadata only).
func (g *GeneralizedLinearRegression) SaveSpark(path string) error { return ml.SaveSpark(g, path) }

// SparkParams implements ml.SparkWriter: the params of Spark's IsotonicRegression.
func (e *IsotonicRegression) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(e.Params(), (&IsotonicRegressionModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (e *IsotonicRegression) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (e *IsotonicRegression) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.regression.IsotonicRegression, metadata only).
func (e *IsotonicRegression) SaveSpark(path string) error { return ml.SaveSpark(e, path) }

// SparkParams implements ml.SparkWriter: the params of Spark's AFTSurvivalRegression.
func (e *AFTSurvivalRegression) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(e.Params(), (&AFTSurvivalRegressionModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (e *AFTSurvivalRegression) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (e *AFTSurvivalRegression) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.regression.AFTSurvivalRegression, metadata only).
func (e *AFTSurvivalRegression) SaveSpark(path string) error { return ml.SaveSpark(e, path) }

// SparkVersion implements ml.SparkVersioner: the version of its model's
// layout.
func (e *FMRegressor) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's FMRegressor.
func (e *FMRegressor) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(e.Params(), (&FMRegressionModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (e *FMRegressor) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (e *FMRegressor) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.regression.FMRegressor, metadata only).
func (e *FMRegressor) SaveSpark(path string) error { return ml.SaveSpark(e, path) }

// registerSparkEstimators adds the loaders of the estimators above by
// Spark class name.
func registerSparkEstimators(r *ml.Registry) {
	r.Register(sparkPrefix+"DecisionTreeRegressor", ml.SparkParamsLoader(func(uid string) ml.Stage { return newDecisionTreeRegressor(uid) }))
	r.Register(sparkPrefix+"RandomForestRegressor", ml.SparkParamsLoader(func(uid string) ml.Stage { return newRandomForestRegressor(uid) }))
	r.Register(sparkPrefix+"GBTRegressor", ml.SparkParamsLoader(func(uid string) ml.Stage { return newGBTRegressor(uid) }))
	r.Register(sparkPrefix+"LinearRegression", ml.SparkParamsLoader(func(uid string) ml.Stage { return newLinearRegression(uid) }))
	r.Register(sparkPrefix+"IsotonicRegression", ml.SparkParamsLoader(func(uid string) ml.Stage { return newIsotonicRegression(uid) }))
	r.Register(sparkPrefix+"AFTSurvivalRegression", ml.SparkParamsLoader(func(uid string) ml.Stage { return newAFTSurvivalRegression(uid) }))
	r.Register(sparkPrefix+"FMRegressor", ml.SparkParamsLoader(func(uid string) ml.Stage { return newFMRegressor(uid) }))
}

var (
	_ ml.SparkWriter = (*DecisionTreeRegressor)(nil)
	_ ml.SparkWriter = (*RandomForestRegressor)(nil)
	_ ml.SparkWriter = (*GBTRegressor)(nil)
	_ ml.SparkWriter = (*LinearRegression)(nil)
	_ ml.SparkWriter = (*GeneralizedLinearRegression)(nil)
	_ ml.SparkWriter = (*IsotonicRegression)(nil)
	_ ml.SparkWriter = (*AFTSurvivalRegression)(nil)
	_ ml.SparkWriter = (*FMRegressor)(nil)
)
