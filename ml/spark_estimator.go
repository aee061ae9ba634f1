package ml

import (
	"context"
	"slices"

	"github.com/gspark/gspark/ml/param"
)

// SparkEstimatorSpec is the params spec of an unfitted estimator whose
// fitted model has the spec model: Spark's estimators and their models
// share their params (the model's are copied from the estimator), and
// Spark saves an estimator as metadata alone (DefaultParamsWriter). The
// model's Spark-only params that ps defines (a forest's numTrees, say)
// become shared, so that their set values are written; model-derived
// values in model.Set are dropped. extra names params the estimator has
// beyond its model's.
func SparkEstimatorSpec(ps *param.Params, model SparkParamSpec, extra ...string) SparkParamSpec {
	spec := SparkParamSpec{Shared: slices.Clone(model.Shared), Defaults: map[string]any{}}
	add := func(k string) {
		if !slices.Contains(spec.Shared, k) {
			spec.Shared = append(spec.Shared, k)
		}
	}
	for k, v := range model.Defaults {
		if ps.IsDefined(k) {
			add(k)
		} else {
			spec.Defaults[k] = v
		}
	}
	for k := range model.Set {
		if ps.IsDefined(k) {
			add(k)
		}
	}
	for _, k := range extra {
		add(k)
	}
	return spec
}

// SparkParamsLoader is the loader of a params-only stage Spark saved
// (metadata alone): mk makes the stage with the saved uid, and the saved
// params and defaults are applied (ApplySparkParams).
func SparkParamsLoader(mk func(uid string) Stage) Loader {
	return func(_ context.Context, _ string, md *Metadata, _ *Registry) (Stage, error) {
		st := mk(md.UID)
		return st, md.ApplySparkParams(st.Params())
	}
}
