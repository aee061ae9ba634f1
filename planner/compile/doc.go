// Package compile turns resolved logical expressions into exec/expr physical
// expressions over a known input, maps aggregate and window calls to their
// exec kernels, and evaluates constant expressions. The analyzer (result
// types of aggregates), the optimizer (constant folding) and the physical
// planner share it.
package compile
