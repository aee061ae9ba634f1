// Package all knows every stage of gspark's ML library, for loading saved
// stages (pipeline models included) without listing their packages.
package all

import (
	"context"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/clustering"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/fpm"
	"github.com/gspark/gspark/ml/recommendation"
	"github.com/gspark/gspark/ml/regression"
	"github.com/gspark/gspark/ml/tuning"
)

// Registry returns a new registry with the loaders of every stage.
func Registry() *ml.Registry {
	r := ml.NewRegistry()
	feature.Register(r)
	recommendation.Register(r)
	fpm.Register(r)
	regression.Register(r)
	classification.Register(r)
	clustering.Register(r)
	tuning.Register(r)
	return r
}

// Load reads any stage saved at path.
func Load(ctx context.Context, path string) (ml.Stage, error) {
	return Registry().Load(ctx, path)
}
