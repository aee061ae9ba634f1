// Package optimizer owns the rewrite rules over analyzed logical plans, one
// rule per file, and the driver (Optimizer) that runs them in passes to a
// fixpoint. Each rule reports whether it changed the plan; the driver checks
// that no rule changes the plan's schema. Decorrelate runs the subquery
// rules, which every query needs whether or not the optimizer is on.
package optimizer
