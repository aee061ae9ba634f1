// Package logical owns the logical side of a query's shape: the immutable
// plan nodes (Plan) and expressions (Expr), the Arrow types and Spark's
// implicit coercion rules between them, structural comparison of
// expressions, attribute IDs, the Source interface a Scan reads, and the
// EXPLAIN text of a plan (Format). It knows nothing of analysis, rules or
// execution.
package logical
