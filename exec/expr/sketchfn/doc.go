// Package sketchfn holds the binary sketches Spark SQL builds and reads:
// the fixed-size bitmaps of the bitmap_* functions (Spark's own layout,
// byte for byte) and gspark's HyperLogLog sketch behind the hll_*
// functions (gspark's own documented format, see hll.go), with the scalar
// kernels over them. The aggregates that build them live in exec/aggregate.
package sketchfn
