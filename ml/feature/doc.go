// Package feature holds gspark's feature transformers and estimators, with
// Spark ML's names, defaults and semantics: VectorAssembler, StandardScaler,
// MinMaxScaler, MaxAbsScaler, Normalizer, StringIndexer, IndexToString,
// OneHotEncoder, Imputer, Bucketizer, QuantileDiscretizer, Tokenizer,
// RegexTokenizer, StopWordsRemover, HashingTF, IDF, CountVectorizer, PCA,
// PolynomialExpansion and SQLTransformer, plus RobustScaler, Binarizer,
// NGram, ElementwiseProduct, VectorSlicer and VarianceThresholdSelector,
// and RFormula, FeatureHasher, Interaction, DCT, VectorIndexer, VectorSizeHint,
// Word2Vec, ChiSqSelector and UnivariateFeatureSelector (whose tests come from
// ml/stat).
// Register adds their loaders to an ml.Registry.
package feature
