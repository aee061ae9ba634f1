package feature

import (
	"github.com/gspark/gspark/ml"
)

// moreLoaders are the loaders of the hashing, interaction, transform,
// indexing and selection stages (FeatureHasher, Interaction, DCT,
// VectorSizeHint, VectorIndexer, the selectors), by gspark class name.
func moreLoaders() map[string]ml.Loader {
	return map[string]ml.Loader{
		"FeatureHasher":                  loadParamsOnly(func(uid string) ml.Stage { return newFeatureHasher(uid) }),
		"DCT":                            loadParamsOnly(func(uid string) ml.Stage { return newDCT(uid) }),
		"Interaction":                    loadParamsOnly(func(uid string) ml.Stage { return newInteraction(uid) }),
		"VectorSizeHint":                 loadParamsOnly(func(uid string) ml.Stage { return newVectorSizeHint(uid) }),
		"ChiSqSelector":                  loadParamsOnly(func(uid string) ml.Stage { return newChiSqSelector(uid) }),
		"ChiSqSelectorModel":             loadChiSqSelectorModel,
		"UnivariateFeatureSelector":      loadParamsOnly(func(uid string) ml.Stage { return newUnivariateFeatureSelector(uid) }),
		"UnivariateFeatureSelectorModel": loadUnivariateFeatureSelectorModel,
		"VectorIndexer":                  loadParamsOnly(func(uid string) ml.Stage { return newVectorIndexer(uid) }),
		"VectorIndexerModel":             loadVectorIndexerModel,
		"RFormula":                       loadParamsOnly(func(uid string) ml.Stage { return newRFormula(uid) }),
		"RFormulaModel":                  loadRFormulaModel,
		"Word2Vec":                       loadParamsOnly(func(uid string) ml.Stage { return newWord2Vec(uid) }),
		"Word2VecModel":                  loadWord2VecModel,
	}
}
