package feature

import (
	"context"

	"github.com/gspark/gspark/ml"
)

// sparkParamsOnlyLoaders read transformers whose state is their params,
// which Spark saves as metadata alone (DefaultParamsWritable), by Spark
// class name.
func sparkParamsOnlyLoaders() map[string]ml.Loader {
	paramsOnly := func(mk func(uid string) ml.Stage) ml.Loader {
		return func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
			st := mk(md.UID)
			return st, md.ApplySparkParams(st.Params())
		}
	}
	return map[string]ml.Loader{
		"Bucketizer":          paramsOnly(func(uid string) ml.Stage { return newBucketizer(uid) }),
		"VectorAssembler":     paramsOnly(func(uid string) ml.Stage { return newVectorAssembler(uid) }),
		"Tokenizer":           paramsOnly(func(uid string) ml.Stage { return newTokenizer(uid) }),
		"RegexTokenizer":      paramsOnly(func(uid string) ml.Stage { return newRegexTokenizer(uid) }),
		"NGram":               paramsOnly(func(uid string) ml.Stage { return newNGram(uid) }),
		"Binarizer":           paramsOnly(func(uid string) ml.Stage { return newBinarizer(uid) }),
		"Normalizer":          paramsOnly(func(uid string) ml.Stage { return newNormalizer(uid) }),
		"SQLTransformer":      paramsOnly(func(uid string) ml.Stage { return newSQLTransformer(uid) }),
		"ElementwiseProduct":  paramsOnly(func(uid string) ml.Stage { return newElementwiseProduct(uid) }),
		"PolynomialExpansion": paramsOnly(func(uid string) ml.Stage { return newPolynomialExpansion(uid) }),
		"StopWordsRemover":    paramsOnly(func(uid string) ml.Stage { return newStopWordsRemover(uid) }),
	}
}

// SparkClassName implements ml.SparkWriter.
func (b *Bucketizer) SparkClassName() string { return sparkPrefix + "Bucketizer" }

// SparkParams implements ml.SparkWriter: the params of Spark's Bucketizer.
func (b *Bucketizer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "inputCols", "outputCols", "splits", "splitsArray", "handleInvalid"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (b *Bucketizer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Bucketizer saves metadata only.
func (b *Bucketizer) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.Bucketizer, metadata only).
func (b *Bucketizer) SaveSpark(path string) error { return ml.SaveSpark(b, path) }

var _ ml.SparkWriter = (*Bucketizer)(nil)

// SparkClassName implements ml.SparkWriter.
func (v *VectorAssembler) SparkClassName() string { return sparkPrefix + "VectorAssembler" }

// SparkParams implements ml.SparkWriter: the params of Spark's VectorAssembler.
func (v *VectorAssembler) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCols", "outputCol", "handleInvalid"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (v *VectorAssembler) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: VectorAssembler saves metadata only.
func (v *VectorAssembler) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.VectorAssembler, metadata only).
func (v *VectorAssembler) SaveSpark(path string) error { return ml.SaveSpark(v, path) }

var _ ml.SparkWriter = (*VectorAssembler)(nil)

// SparkClassName implements ml.SparkWriter.
func (t *Tokenizer) SparkClassName() string { return sparkPrefix + "Tokenizer" }

// SparkParams implements ml.SparkWriter: the params of Spark's Tokenizer.
func (t *Tokenizer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (t *Tokenizer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Tokenizer saves metadata only.
func (t *Tokenizer) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.Tokenizer, metadata only).
func (t *Tokenizer) SaveSpark(path string) error { return ml.SaveSpark(t, path) }

var _ ml.SparkWriter = (*Tokenizer)(nil)

// SparkClassName implements ml.SparkWriter.
func (r *RegexTokenizer) SparkClassName() string { return sparkPrefix + "RegexTokenizer" }

// SparkParams implements ml.SparkWriter: the params of Spark's RegexTokenizer.
func (r *RegexTokenizer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "pattern", "gaps", "minTokenLength", "toLowercase"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (r *RegexTokenizer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: RegexTokenizer saves metadata only.
func (r *RegexTokenizer) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.RegexTokenizer, metadata only).
func (r *RegexTokenizer) SaveSpark(path string) error { return ml.SaveSpark(r, path) }

var _ ml.SparkWriter = (*RegexTokenizer)(nil)

// SparkClassName implements ml.SparkWriter.
func (n *NGram) SparkClassName() string { return sparkPrefix + "NGram" }

// SparkParams implements ml.SparkWriter: the params of Spark's NGram.
func (n *NGram) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "n"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (n *NGram) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: NGram saves metadata only.
func (n *NGram) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.NGram, metadata only).
func (n *NGram) SaveSpark(path string) error { return ml.SaveSpark(n, path) }

var _ ml.SparkWriter = (*NGram)(nil)

// SparkClassName implements ml.SparkWriter.
func (b *Binarizer) SparkClassName() string { return sparkPrefix + "Binarizer" }

// SparkParams implements ml.SparkWriter: the params of Spark's Binarizer.
func (b *Binarizer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "threshold"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (b *Binarizer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Binarizer saves metadata only.
func (b *Binarizer) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.Binarizer, metadata only).
func (b *Binarizer) SaveSpark(path string) error { return ml.SaveSpark(b, path) }

var _ ml.SparkWriter = (*Binarizer)(nil)

// SparkClassName implements ml.SparkWriter.
func (n *Normalizer) SparkClassName() string { return sparkPrefix + "Normalizer" }

// SparkParams implements ml.SparkWriter: the params of Spark's Normalizer.
func (n *Normalizer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "p"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (n *Normalizer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Normalizer saves metadata only.
func (n *Normalizer) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.Normalizer, metadata only).
func (n *Normalizer) SaveSpark(path string) error { return ml.SaveSpark(n, path) }

var _ ml.SparkWriter = (*Normalizer)(nil)

// SparkClassName implements ml.SparkWriter.
func (s *SQLTransformer) SparkClassName() string { return sparkPrefix + "SQLTransformer" }

// SparkParams implements ml.SparkWriter: the params of Spark's SQLTransformer.
func (s *SQLTransformer) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"statement"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *SQLTransformer) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: SQLTransformer saves metadata only.
func (s *SQLTransformer) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.SQLTransformer, metadata only).
func (s *SQLTransformer) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

var _ ml.SparkWriter = (*SQLTransformer)(nil)

// SparkClassName implements ml.SparkWriter.
func (e *ElementwiseProduct) SparkClassName() string { return sparkPrefix + "ElementwiseProduct" }

// SparkParams implements ml.SparkWriter: the params of Spark's ElementwiseProduct.
func (e *ElementwiseProduct) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "scalingVec"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (e *ElementwiseProduct) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: ElementwiseProduct saves metadata only.
func (e *ElementwiseProduct) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.ElementwiseProduct, metadata only).
func (e *ElementwiseProduct) SaveSpark(path string) error { return ml.SaveSpark(e, path) }

var _ ml.SparkWriter = (*ElementwiseProduct)(nil)

// SparkClassName implements ml.SparkWriter.
func (p *PolynomialExpansion) SparkClassName() string { return sparkPrefix + "PolynomialExpansion" }

// SparkParams implements ml.SparkWriter: the params of Spark's PolynomialExpansion.
func (p *PolynomialExpansion) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "degree"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (p *PolynomialExpansion) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: PolynomialExpansion saves metadata only.
func (p *PolynomialExpansion) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.PolynomialExpansion, metadata only).
func (p *PolynomialExpansion) SaveSpark(path string) error { return ml.SaveSpark(p, path) }

var _ ml.SparkWriter = (*PolynomialExpansion)(nil)

// SparkClassName implements ml.SparkWriter.
func (s *StopWordsRemover) SparkClassName() string { return sparkPrefix + "StopWordsRemover" }

// SparkParams implements ml.SparkWriter: the params of Spark's
// StopWordsRemover; Spark's locale (for case-insensitive matching),
// whose default is the JVM's, is written as en_US, the comparison gspark
// makes.
func (s *StopWordsRemover) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"inputCol", "outputCol", "stopWords", "caseSensitive"},
		Defaults: map[string]any{"locale": "en_US"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (s *StopWordsRemover) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: StopWordsRemover saves
// metadata only.
func (s *StopWordsRemover) WriteSparkData(string) error { return nil }

// SaveSpark writes the transformer to path in Apache Spark's layout
// (org.apache.spark.ml.feature.StopWordsRemover, metadata only).
func (s *StopWordsRemover) SaveSpark(path string) error { return ml.SaveSpark(s, path) }

var _ ml.SparkWriter = (*StopWordsRemover)(nil)
