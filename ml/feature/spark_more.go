package feature

import (
	"context"

	"github.com/gspark/gspark/ml"
)

// moreSparkLoaders read the params-only transformers of this package that
// Apache Spark saves as metadata alone (DefaultParamsWritable), by Spark
// class name.
func moreSparkLoaders() map[string]ml.Loader {
	paramsOnly := func(mk func(uid string) ml.Stage) ml.Loader {
		return func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
			st := mk(md.UID)
			return st, md.ApplySparkParams(st.Params())
		}
	}
	return map[string]ml.Loader{
		"FeatureHasher":  paramsOnly(func(uid string) ml.Stage { return newFeatureHasher(uid) }),
		"DCT":            paramsOnly(func(uid string) ml.Stage { return newDCT(uid) }),
		"Interaction":    paramsOnly(func(uid string) ml.Stage { return newInteraction(uid) }),
		"VectorSizeHint": paramsOnly(func(uid string) ml.Stage { return newVectorSizeHint(uid) }),
	}
}

// SparkClassName implements ml.SparkWriter.
func (h *FeatureHasher) SparkClassName() string { return sparkPrefix + "FeatureHasher" }

// SparkParams implements ml.SparkWriter.
func (h *FeatureHasher) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCols", "outputCol", "numFeatures", "categoricalCols"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (h *FeatureHasher) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: FeatureHasher saves metadata only.
func (h *FeatureHasher) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.FeatureHasher, metadata only).
func (h *FeatureHasher) SaveSpark(path string) error { return ml.SaveSpark(h, path) }

// SparkClassName implements ml.SparkWriter.
func (s *DCT) SparkClassName() string { return sparkPrefix + "DCT" }

// SparkParams implements ml.SparkWriter.
func (s *DCT) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "inverse"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *DCT) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: DCT saves metadata only.
func (s *DCT) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.DCT, metadata only).
func (s *DCT) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *Interaction) SparkClassName() string { return sparkPrefix + "Interaction" }

// SparkParams implements ml.SparkWriter.
func (s *Interaction) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCols", "outputCol"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *Interaction) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Interaction saves metadata only.
func (s *Interaction) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.Interaction, metadata only).
func (s *Interaction) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *VectorSizeHint) SparkClassName() string { return sparkPrefix + "VectorSizeHint" }

// SparkParams implements ml.SparkWriter.
func (s *VectorSizeHint) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "size", "handleInvalid"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *VectorSizeHint) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: VectorSizeHint saves metadata only.
func (s *VectorSizeHint) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.VectorSizeHint, metadata only).
func (s *VectorSizeHint) SaveSpark(path string) error { return ml.SaveSpark(s, path) }
