// Package exec owns physical execution: operators that produce streams of
// Arrow record batches per partition, the exchanges that connect partitions,
// and the helpers that run an operator tree to completion.
//
// Operators are pull-based: Execute returns a Stream for one partition and the
// caller pulls batches with Next until io.EOF. Goroutines and channels appear
// only in exchanges (and in Collect, which drives all partitions at once).
//
// A panic never crosses an operator or a goroutine: operators open their
// children with Open, whose streams turn a panic into an *InternalError
// naming the operator, and every goroutine the engine starts defers Recover.
// The error then travels like any other: the query is cancelled and its
// memory and spill files are released.
package exec
