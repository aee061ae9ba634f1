// Package exec owns physical execution: operators that produce streams of
// Arrow record batches per partition, the exchanges that connect partitions,
// and the helpers that run an operator tree to completion.
//
// Operators are pull-based: Execute returns a Stream for one partition and the
// caller pulls batches with Next until io.EOF. Goroutines and channels appear
// only in exchanges (and in Collect, which drives all partitions at once).
package exec
