package feature

import (
	"context"

	"github.com/gspark/gspark/ml"
)

const classPrefix = "gspark.ml.feature."

// Register adds the loaders of every stage of this package to r and returns r.
func Register(r *ml.Registry) *ml.Registry {
	for class, l := range loaders() {
		r.Register(classPrefix+class, l)
	}
	for class, l := range moreLoaders() {
		r.Register(classPrefix+class, l)
	}
	for class, l := range moreSparkLoaders() {
		r.Register(sparkPrefix+class, l)
	}
	for class, l := range sparkLoaders() {
		r.Register(sparkPrefix+class, l)
	}
	for class, l := range sparkRFormulaLoaders() {
		r.Register(sparkPrefix+class, l)
	}
	registerLSH(r)
	registerSparkModels(r)
	// Word2Vec and LSH models, VectorIndexerModel, the selector models and
	// every estimator, by Spark class name.
	registerSparkFeature2(r)
	// TargetEncoder (Spark 4.0).
	own, spark := targetEncoderLoaders()
	for class, l := range own {
		r.Register(classPrefix+class, l)
	}
	for class, l := range spark {
		r.Register(sparkPrefix+class, l)
	}
	return r
}

func loaders() map[string]ml.Loader {
	return map[string]ml.Loader{
		"VectorAssembler":                loadParamsOnly(func(uid string) ml.Stage { return newVectorAssembler(uid) }),
		"StandardScaler":                 loadParamsOnly(func(uid string) ml.Stage { return newStandardScaler(uid) }),
		"StandardScalerModel":            loadStandardScalerModel,
		"MinMaxScaler":                   loadParamsOnly(func(uid string) ml.Stage { return newMinMaxScaler(uid) }),
		"MinMaxScalerModel":              loadMinMaxScalerModel,
		"MaxAbsScaler":                   loadParamsOnly(func(uid string) ml.Stage { return newMaxAbsScaler(uid) }),
		"MaxAbsScalerModel":              loadMaxAbsScalerModel,
		"Normalizer":                     loadParamsOnly(func(uid string) ml.Stage { return newNormalizer(uid) }),
		"StringIndexer":                  loadParamsOnly(func(uid string) ml.Stage { return newStringIndexer(uid) }),
		"StringIndexerModel":             loadStringIndexerModel,
		"IndexToString":                  loadParamsOnly(func(uid string) ml.Stage { return newIndexToString(uid) }),
		"OneHotEncoder":                  loadParamsOnly(func(uid string) ml.Stage { return newOneHotEncoder(uid) }),
		"OneHotEncoderModel":             loadOneHotEncoderModel,
		"Imputer":                        loadParamsOnly(func(uid string) ml.Stage { return newImputer(uid) }),
		"ImputerModel":                   loadImputerModel,
		"Bucketizer":                     loadParamsOnly(func(uid string) ml.Stage { return newBucketizer(uid) }),
		"QuantileDiscretizer":            loadParamsOnly(func(uid string) ml.Stage { return newQuantileDiscretizer(uid) }),
		"Tokenizer":                      loadParamsOnly(func(uid string) ml.Stage { return newTokenizer(uid) }),
		"RegexTokenizer":                 loadParamsOnly(func(uid string) ml.Stage { return newRegexTokenizer(uid) }),
		"StopWordsRemover":               loadParamsOnly(func(uid string) ml.Stage { return newStopWordsRemover(uid) }),
		"HashingTF":                      loadParamsOnly(func(uid string) ml.Stage { return newHashingTF(uid) }),
		"IDF":                            loadParamsOnly(func(uid string) ml.Stage { return newIDF(uid) }),
		"IDFModel":                       loadIDFModel,
		"CountVectorizer":                loadParamsOnly(func(uid string) ml.Stage { return newCountVectorizer(uid) }),
		"CountVectorizerModel":           loadCountVectorizerModel,
		"PCA":                            loadParamsOnly(func(uid string) ml.Stage { return newPCA(uid) }),
		"PCAModel":                       loadPCAModel,
		"PolynomialExpansion":            loadParamsOnly(func(uid string) ml.Stage { return newPolynomialExpansion(uid) }),
		"SQLTransformer":                 loadParamsOnly(func(uid string) ml.Stage { return newSQLTransformer(uid) }),
		"Binarizer":                      loadParamsOnly(func(uid string) ml.Stage { return newBinarizer(uid) }),
		"NGram":                          loadParamsOnly(func(uid string) ml.Stage { return newNGram(uid) }),
		"ElementwiseProduct":             loadParamsOnly(func(uid string) ml.Stage { return newElementwiseProduct(uid) }),
		"VectorSlicer":                   loadParamsOnly(func(uid string) ml.Stage { return newVectorSlicer(uid) }),
		"RobustScaler":                   loadParamsOnly(func(uid string) ml.Stage { return newRobustScaler(uid) }),
		"RobustScalerModel":              loadRobustScalerModel,
		"VarianceThresholdSelector":      loadParamsOnly(func(uid string) ml.Stage { return newVarianceThresholdSelector(uid) }),
		"VarianceThresholdSelectorModel": loadVarianceThresholdSelectorModel,
	}
}

// loadParamsOnly loads a stage whose state is only its params.
func loadParamsOnly(mk func(uid string) ml.Stage) ml.Loader {
	return func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		st := mk(md.UID)
		if err := md.ApplyParams(st.Params()); err != nil {
			return nil, err
		}
		return st, nil
	}
}
