// Package recommendation holds gspark's collaborative filtering with Spark
// ML's names, params and semantics: ALS (alternating least squares, explicit
// and implicit feedback) and its ALSModel (predictions, cold-start
// handling, top-k recommendations). Register adds their loaders to an
// ml.Registry.
package recommendation

import (
	"context"

	"github.com/gspark/gspark/ml"
)

const classPrefix = "gspark.ml.recommendation."

// sparkPrefix is the package of Apache Spark's recommendation stages.
const sparkPrefix = "org.apache.spark.ml.recommendation."

// Register adds the loaders of this package's stages to r and returns r.
func Register(r *ml.Registry) *ml.Registry {
	r.Register(classPrefix+"ALS", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		a := newALS(md.UID)
		return a, md.ApplyParams(a.Params())
	})
	r.Register(classPrefix+"ALSModel", loadALSModel)
	r.Register(sparkPrefix+"ALSModel", loadSparkALSModel)
	return r
}
