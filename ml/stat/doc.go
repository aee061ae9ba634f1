// Package stat holds Spark ML's statistics over a vector column
// (org.apache.spark.ml.stat): Correlation (Pearson and Spearman matrices),
// ChiSquareTest (Pearson's independence test of each categorical feature
// against a categorical label), ANOVATest and FValueTest (the F tests of
// continuous features against a categorical or continuous label) and
// Summarizer (weighted mean, sum, variance, std, count, numNonZeros, max,
// min, normL1, normL2). Each reads the DataFrame's partitions in parallel
// and merges the per-partition statistics, as Spark's treeAggregate.
package stat
