package feature

import "github.com/gspark/gspark/ml"

// The unfitted TargetEncoder in Spark's layout: metadata alone
// (DefaultParamsWritable), with its model's params.

// SparkClassName implements ml.SparkWriter.
func (s *TargetEncoder) SparkClassName() string { return sparkPrefix + "TargetEncoder" }

// SparkVersion implements ml.SparkVersioner: the class came with Spark 4.0.
func (s *TargetEncoder) SparkVersion() string { return "4.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's
// TargetEncoder, which are its model's.
func (s *TargetEncoder) SparkParams() ml.SparkParamSpec {
	return ml.SparkEstimatorSpec(s.Params(), (&TargetEncoderModel{}).SparkParams())
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (s *TargetEncoder) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: an estimator is metadata
// alone.
func (s *TargetEncoder) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.feature.TargetEncoder, metadata only).
func (s *TargetEncoder) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

var _ ml.SparkWriter = (*TargetEncoder)(nil)
