// Package interop checks files gspark writes with a second reader, DuckDB:
// tests only, in the benchmarks module so that DuckDB's cgo bindings never
// enter the engine's module.
package interop
