// Package functions owns the scalar function registry: one file per family
// (string, date/time, math and conditional, array/map/struct, generators),
// each entry checking and typing a call for the analyzer and compiling it to
// an exec/expr kernel for the physical planner. The registry is built once
// and is read-only afterwards.
package functions
