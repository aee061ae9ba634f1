package feature

import (
	"github.com/gspark/gspark/ml"
)

// The estimators of this package, and the params-only transformers
// IndexToString and VectorSlicer, which Apache Spark saves as metadata
// alone (DefaultParamsWriter: class, uid, paramMap, defaultParamMap) under
// their own class names. Each param list is the Spark class's own (its
// Scala source in mllib/src/main/scala/org/apache/spark/ml/feature/);
// classes newer than Spark 2.4, or whose multi-column params came with
// Spark 3.0, record the Spark version that has them.

// SparkClassName implements ml.SparkWriter.
func (s *StandardScaler) SparkClassName() string { return sparkPrefix + "StandardScaler" }

// SparkParams implements ml.SparkWriter: the params of Spark's StandardScaler.
func (s *StandardScaler) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "withMean", "withStd"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *StandardScaler) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves StandardScaler as metadata
// only.
func (s *StandardScaler) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.StandardScaler, metadata only), which Spark's
// StandardScaler.load reads.
func (s *StandardScaler) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *MinMaxScaler) SparkClassName() string { return sparkPrefix + "MinMaxScaler" }

// SparkParams implements ml.SparkWriter: the params of Spark's MinMaxScaler.
func (s *MinMaxScaler) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "min", "max"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *MinMaxScaler) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves MinMaxScaler as metadata
// only.
func (s *MinMaxScaler) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.MinMaxScaler, metadata only), which Spark's
// MinMaxScaler.load reads.
func (s *MinMaxScaler) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *MaxAbsScaler) SparkClassName() string { return sparkPrefix + "MaxAbsScaler" }

// SparkParams implements ml.SparkWriter: the params of Spark's MaxAbsScaler.
func (s *MaxAbsScaler) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *MaxAbsScaler) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves MaxAbsScaler as metadata
// only.
func (s *MaxAbsScaler) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.MaxAbsScaler, metadata only), which Spark's
// MaxAbsScaler.load reads.
func (s *MaxAbsScaler) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *RobustScaler) SparkClassName() string { return sparkPrefix + "RobustScaler" }

// SparkVersion implements ml.SparkVersioner: the class or its params as
// saved came with Spark 3.0.0.
func (s *RobustScaler) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's RobustScaler.
func (s *RobustScaler) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "lower", "upper", "withCentering", "withScaling", "relativeError"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *RobustScaler) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves RobustScaler as metadata
// only.
func (s *RobustScaler) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.RobustScaler, metadata only), which Spark's
// RobustScaler.load reads.
func (s *RobustScaler) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *StringIndexer) SparkClassName() string { return sparkPrefix + "StringIndexer" }

// SparkVersion implements ml.SparkVersioner: the class or its params as
// saved came with Spark 3.0.0.
func (s *StringIndexer) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's StringIndexer.
func (s *StringIndexer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "inputCols", "outputCols", "handleInvalid", "stringOrderType"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *StringIndexer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves StringIndexer as metadata
// only.
func (s *StringIndexer) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.StringIndexer, metadata only), which Spark's
// StringIndexer.load reads.
func (s *StringIndexer) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *OneHotEncoder) SparkClassName() string { return sparkPrefix + "OneHotEncoder" }

// SparkVersion implements ml.SparkVersioner: the class or its params as
// saved came with Spark 3.0.0.
func (s *OneHotEncoder) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's OneHotEncoder.
func (s *OneHotEncoder) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "inputCols", "outputCols", "dropLast", "handleInvalid"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *OneHotEncoder) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves OneHotEncoder as metadata
// only.
func (s *OneHotEncoder) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.OneHotEncoder, metadata only), which Spark's
// OneHotEncoder.load reads.
func (s *OneHotEncoder) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *Imputer) SparkClassName() string { return sparkPrefix + "Imputer" }

// SparkVersion implements ml.SparkVersioner: the class or its params as
// saved came with Spark 3.0.0.
func (s *Imputer) SparkVersion() string { return "3.0.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's Imputer.
func (s *Imputer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "inputCols", "outputCols", "strategy", "missingValue", "relativeError"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *Imputer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves Imputer as metadata
// only.
func (s *Imputer) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.Imputer, metadata only), which Spark's
// Imputer.load reads.
func (s *Imputer) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *QuantileDiscretizer) SparkClassName() string { return sparkPrefix + "QuantileDiscretizer" }

// SparkParams implements ml.SparkWriter: the params of Spark's QuantileDiscretizer.
func (s *QuantileDiscretizer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "numBuckets", "relativeError", "handleInvalid"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *QuantileDiscretizer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves QuantileDiscretizer as metadata
// only.
func (s *QuantileDiscretizer) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.QuantileDiscretizer, metadata only), which Spark's
// QuantileDiscretizer.load reads.
func (s *QuantileDiscretizer) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *IDF) SparkClassName() string { return sparkPrefix + "IDF" }

// SparkParams implements ml.SparkWriter: the params of Spark's IDF.
func (s *IDF) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "minDocFreq"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *IDF) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves IDF as metadata
// only.
func (s *IDF) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.IDF, metadata only), which Spark's
// IDF.load reads.
func (s *IDF) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *CountVectorizer) SparkClassName() string { return sparkPrefix + "CountVectorizer" }

// SparkParams implements ml.SparkWriter: the params of Spark's CountVectorizer.
func (s *CountVectorizer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "vocabSize", "minDF", "maxDF", "minTF", "binary"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *CountVectorizer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves CountVectorizer as metadata
// only.
func (s *CountVectorizer) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.CountVectorizer, metadata only), which Spark's
// CountVectorizer.load reads.
func (s *CountVectorizer) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *PCA) SparkClassName() string { return sparkPrefix + "PCA" }

// SparkParams implements ml.SparkWriter: the params of Spark's PCA.
func (s *PCA) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "k"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *PCA) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves PCA as metadata
// only.
func (s *PCA) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.PCA, metadata only), which Spark's
// PCA.load reads.
func (s *PCA) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *VectorIndexer) SparkClassName() string { return sparkPrefix + "VectorIndexer" }

// SparkParams implements ml.SparkWriter: the params of Spark's VectorIndexer.
func (s *VectorIndexer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "maxCategories", "handleInvalid"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *VectorIndexer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves VectorIndexer as metadata
// only.
func (s *VectorIndexer) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.VectorIndexer, metadata only), which Spark's
// VectorIndexer.load reads.
func (s *VectorIndexer) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *ChiSqSelector) SparkClassName() string { return sparkPrefix + "ChiSqSelector" }

// SparkParams implements ml.SparkWriter: the params of Spark's ChiSqSelector.
func (s *ChiSqSelector) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "outputCol", "labelCol", "selectorType", "numTopFeatures", "percentile", "fpr", "fdr", "fwe"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *ChiSqSelector) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves ChiSqSelector as metadata
// only.
func (s *ChiSqSelector) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.ChiSqSelector, metadata only), which Spark's
// ChiSqSelector.load reads.
func (s *ChiSqSelector) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *UnivariateFeatureSelector) SparkClassName() string {
	return sparkPrefix + "UnivariateFeatureSelector"
}

// SparkVersion implements ml.SparkVersioner: the class or its params as
// saved came with Spark 3.1.1.
func (s *UnivariateFeatureSelector) SparkVersion() string { return "3.1.1" }

// SparkParams implements ml.SparkWriter: the params of Spark's UnivariateFeatureSelector.
func (s *UnivariateFeatureSelector) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "outputCol", "labelCol", "featureType", "labelType", "selectionMode", "selectionThreshold"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *UnivariateFeatureSelector) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves UnivariateFeatureSelector as metadata
// only.
func (s *UnivariateFeatureSelector) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.UnivariateFeatureSelector, metadata only), which Spark's
// UnivariateFeatureSelector.load reads.
func (s *UnivariateFeatureSelector) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *VarianceThresholdSelector) SparkClassName() string {
	return sparkPrefix + "VarianceThresholdSelector"
}

// SparkVersion implements ml.SparkVersioner: the class or its params as
// saved came with Spark 3.1.0.
func (s *VarianceThresholdSelector) SparkVersion() string { return "3.1.0" }

// SparkParams implements ml.SparkWriter: the params of Spark's VarianceThresholdSelector.
func (s *VarianceThresholdSelector) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "outputCol", "varianceThreshold"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *VarianceThresholdSelector) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves VarianceThresholdSelector as metadata
// only.
func (s *VarianceThresholdSelector) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.VarianceThresholdSelector, metadata only), which Spark's
// VarianceThresholdSelector.load reads.
func (s *VarianceThresholdSelector) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *RFormula) SparkClassName() string { return sparkPrefix + "RFormula" }

// SparkParams implements ml.SparkWriter: the params of Spark's RFormula.
func (s *RFormula) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"formula", "featuresCol", "labelCol", "forceIndexLabel", "handleInvalid", "stringIndexerOrderType"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *RFormula) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves RFormula as metadata
// only.
func (s *RFormula) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.RFormula, metadata only), which Spark's
// RFormula.load reads.
func (s *RFormula) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *Word2Vec) SparkClassName() string { return sparkPrefix + "Word2Vec" }

// SparkParams implements ml.SparkWriter: the params of Spark's Word2Vec.
func (s *Word2Vec) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "vectorSize", "windowSize", "numPartitions", "minCount", "maxSentenceLength", "stepSize", "maxIter", "seed"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *Word2Vec) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves Word2Vec as metadata
// only.
func (s *Word2Vec) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.Word2Vec, metadata only), which Spark's
// Word2Vec.load reads.
func (s *Word2Vec) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (m *MinHashLSH) SparkClassName() string { return sparkPrefix + "MinHashLSH" }

// SparkParams implements ml.SparkWriter: the params of Spark's MinHashLSH.
func (m *MinHashLSH) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "numHashTables", "seed"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *MinHashLSH) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves MinHashLSH as metadata
// only.
func (m *MinHashLSH) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.MinHashLSH, metadata only), which Spark's
// MinHashLSH.load reads.
func (m *MinHashLSH) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// SparkClassName implements ml.SparkWriter.
func (m *BucketedRandomProjectionLSH) SparkClassName() string {
	return sparkPrefix + "BucketedRandomProjectionLSH"
}

// SparkParams implements ml.SparkWriter: the params of Spark's BucketedRandomProjectionLSH.
func (m *BucketedRandomProjectionLSH) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "numHashTables", "bucketLength", "seed"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *BucketedRandomProjectionLSH) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves BucketedRandomProjectionLSH as metadata
// only.
func (m *BucketedRandomProjectionLSH) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.BucketedRandomProjectionLSH, metadata only), which Spark's
// BucketedRandomProjectionLSH.load reads.
func (m *BucketedRandomProjectionLSH) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// SparkClassName implements ml.SparkWriter.
func (s *IndexToString) SparkClassName() string { return sparkPrefix + "IndexToString" }

// SparkParams implements ml.SparkWriter: the params of Spark's IndexToString.
func (s *IndexToString) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "labels"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *IndexToString) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves IndexToString as metadata
// only.
func (s *IndexToString) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.IndexToString, metadata only), which Spark's
// IndexToString.load reads.
func (s *IndexToString) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// SparkClassName implements ml.SparkWriter.
func (s *VectorSlicer) SparkClassName() string { return sparkPrefix + "VectorSlicer" }

// SparkParams implements ml.SparkWriter: the params of Spark's VectorSlicer.
func (s *VectorSlicer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "indices"}, Defaults: map[string]any{"names": []string{}}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *VectorSlicer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves VectorSlicer as metadata
// only.
func (s *VectorSlicer) WriteSparkData(string) error { return nil }

// SaveSpark writes the stage to path in Apache Spark's layout
// (org.apache.spark.ml.feature.VectorSlicer, metadata only), which Spark's
// VectorSlicer.load reads.
func (s *VectorSlicer) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

// sparkEstimatorLoaders read the stages above by Spark class name.
func sparkEstimatorLoaders() map[string]ml.Loader {
	return map[string]ml.Loader{
		"StandardScaler":              sparkParamsOnly(func(uid string) ml.Stage { return newStandardScaler(uid) }),
		"MinMaxScaler":                sparkParamsOnly(func(uid string) ml.Stage { return newMinMaxScaler(uid) }),
		"MaxAbsScaler":                sparkParamsOnly(func(uid string) ml.Stage { return newMaxAbsScaler(uid) }),
		"RobustScaler":                sparkParamsOnly(func(uid string) ml.Stage { return newRobustScaler(uid) }),
		"StringIndexer":               sparkParamsOnly(func(uid string) ml.Stage { return newStringIndexer(uid) }),
		"OneHotEncoder":               sparkParamsOnly(func(uid string) ml.Stage { return newOneHotEncoder(uid) }),
		"Imputer":                     sparkParamsOnly(func(uid string) ml.Stage { return newImputer(uid) }),
		"IDF":                         sparkParamsOnly(func(uid string) ml.Stage { return newIDF(uid) }),
		"CountVectorizer":             sparkParamsOnly(func(uid string) ml.Stage { return newCountVectorizer(uid) }),
		"PCA":                         sparkParamsOnly(func(uid string) ml.Stage { return newPCA(uid) }),
		"VectorIndexer":               sparkParamsOnly(func(uid string) ml.Stage { return newVectorIndexer(uid) }),
		"ChiSqSelector":               sparkParamsOnly(func(uid string) ml.Stage { return newChiSqSelector(uid) }),
		"UnivariateFeatureSelector":   sparkParamsOnly(func(uid string) ml.Stage { return newUnivariateFeatureSelector(uid) }),
		"VarianceThresholdSelector":   sparkParamsOnly(func(uid string) ml.Stage { return newVarianceThresholdSelector(uid) }),
		"RFormula":                    sparkParamsOnly(func(uid string) ml.Stage { return newRFormula(uid) }),
		"Word2Vec":                    sparkParamsOnly(func(uid string) ml.Stage { return newWord2Vec(uid) }),
		"MinHashLSH":                  sparkParamsOnly(func(uid string) ml.Stage { return newMinHashLSH(uid) }),
		"BucketedRandomProjectionLSH": sparkParamsOnly(func(uid string) ml.Stage { return newBRPLSH(uid) }),
		"IndexToString":               sparkParamsOnly(func(uid string) ml.Stage { return newIndexToString(uid) }),
		"QuantileDiscretizer":         sparkParamsOnlyRejecting(func(uid string) ml.Stage { return newQuantileDiscretizer(uid) }, "inputCols", "outputCols", "numBucketsArray"),
		"VectorSlicer":                sparkParamsOnlyRejecting(func(uid string) ml.Stage { return newVectorSlicer(uid) }, "names"),
	}
}

var (
	_ ml.SparkWriter = (*StandardScaler)(nil)
	_ ml.SparkWriter = (*MinMaxScaler)(nil)
	_ ml.SparkWriter = (*MaxAbsScaler)(nil)
	_ ml.SparkWriter = (*RobustScaler)(nil)
	_ ml.SparkWriter = (*StringIndexer)(nil)
	_ ml.SparkWriter = (*OneHotEncoder)(nil)
	_ ml.SparkWriter = (*Imputer)(nil)
	_ ml.SparkWriter = (*QuantileDiscretizer)(nil)
	_ ml.SparkWriter = (*IDF)(nil)
	_ ml.SparkWriter = (*CountVectorizer)(nil)
	_ ml.SparkWriter = (*PCA)(nil)
	_ ml.SparkWriter = (*VectorIndexer)(nil)
	_ ml.SparkWriter = (*ChiSqSelector)(nil)
	_ ml.SparkWriter = (*UnivariateFeatureSelector)(nil)
	_ ml.SparkWriter = (*VarianceThresholdSelector)(nil)
	_ ml.SparkWriter = (*RFormula)(nil)
	_ ml.SparkWriter = (*Word2Vec)(nil)
	_ ml.SparkWriter = (*MinHashLSH)(nil)
	_ ml.SparkWriter = (*BucketedRandomProjectionLSH)(nil)
	_ ml.SparkWriter = (*IndexToString)(nil)
	_ ml.SparkWriter = (*VectorSlicer)(nil)
)
