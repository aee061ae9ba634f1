// Package unparse turns a logical plan back into Spark SQL text: one SELECT
// statement that computes the plan, for a remote Spark (or gspark) endpoint
// to run. It accepts analyzed plans, as DataFrames hold them: every
// resolved column becomes a name qualified by a generated table alias
// (t1, t2, …), each child that cannot share its parent's SELECT becomes a
// derived table with unique column names, and the outermost SELECT names
// the columns as the plan does. Parts of a plan without a SQL form (Go
// UDFs, in-memory Go data) are reported as errors naming the operation.
package unparse
