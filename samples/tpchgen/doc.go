// Package tpchgen generates the eight TPC-H tables at any scale factor,
// following the data generation rules of the TPC-H specification (v3.0.1,
// clause 4.2): row counts per scale factor, key ranges, value distributions,
// dates, the price formulas and comment text drawn from the specification's
// word grammar.
//
// The output is deterministic: every table draws from math/rand/v2 PCG
// generators with fixed seeds, so the same scale factor always yields the same
// rows (and WriteParquet the same bytes). It is not bit-compatible with the
// reference dbgen program, but the distributions match the specification, so
// the benchmark queries see realistic selectivities.
//
// Monetary columns are DECIMAL(15,2) (Arrow decimal64), dates are date32 and
// all columns are non-nullable.
package tpchgen
