// Package planner owns the logical side of a query: immutable logical plan
// nodes and expressions, the analyzer that resolves names and types, the
// optimizer rules that rewrite plans to a fixpoint, the physical planner that
// turns a plan into exec operators, and the EXPLAIN text of each stage.
package planner
