// Package fpm holds gspark's frequent pattern mining stages with Spark ML's
// names, params and outputs: FPGrowth (frequent itemsets and association
// rules; its model predicts the consequents of the rules a basket satisfies)
// and PrefixSpan (frequent sequential patterns). Register adds their
// loaders to an ml.Registry.
//
// Both read the input into memory and mine it on one goroutine: the
// results are exact and do not depend on the partitioning. Items may be of
// any comparable scalar type (strings, integers, floats, booleans, dates);
// integers and floats are compared by value whatever their width.
package fpm

import (
	"context"

	"github.com/gspark/gspark/ml"
)

const classPrefix = "gspark.ml.fpm."

// sparkPrefix is the package of Apache Spark's frequent pattern mining stages.
const sparkPrefix = "org.apache.spark.ml.fpm."

// Register adds the loaders of this package's stages to r and returns r
// (PrefixSpan is not a stage, as in Spark, and is not saved).
func Register(r *ml.Registry) *ml.Registry {
	r.Register(classPrefix+"FPGrowth", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		f := newFPGrowth(md.UID)
		return f, md.ApplyParams(f.Params())
	})
	r.Register(classPrefix+"FPGrowthModel", loadFPGrowthModel)
	r.Register(sparkPrefix+"FPGrowthModel", loadSparkFPGrowthModel)
	return r
}
