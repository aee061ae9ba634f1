// Package planner holds no code: its subpackages take a query from a logical
// plan to exec operators, each owning one stage. Each imports only packages
// listed below it:
//
//   - physical: the physical planner (logical plan → exec operators with a
//     partitioning), the file sources (Parquet, CSV);
//   - optimizer: the rewrite rules, one per file, and the driver that runs
//     them to a fixpoint, including the subquery decorrelation rules;
//   - analyzer: name resolution, type checking and implicit casts, and the
//     analysis-time rewrites (grouping sets, distinct aggregates, windows,
//     generators, USING joins, set operations);
//   - compile: resolved logical expressions compiled into exec/expr physical
//     expressions, aggregate and window calls mapped to their exec kernels;
//   - functions: the scalar function registry, each entry typing and
//     compiling its function;
//   - logical: plan nodes, expressions, types and Spark's coercion rules,
//     structural comparison of expressions, EXPLAIN text of a plan.
//
// planner/sql parses Spark SQL into the same unresolved logical plans the
// DataFrame API (frame) builds.
package planner
