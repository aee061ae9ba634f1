// Package analyzer resolves an unresolved logical plan: tables through a
// Catalog, columns to Attributes with query-unique IDs, functions through the
// registry, and types, inserting Spark's implicit casts. It also performs the
// rewrites that are part of analysis: GROUPING SETS/ROLLUP/CUBE and DISTINCT
// aggregates into an Expand, window functions into Window nodes, generators
// into Generate, USING/NATURAL joins, set operations, and subquery
// expressions with their outer references.
package analyzer
