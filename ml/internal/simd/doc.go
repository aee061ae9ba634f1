// Package simd holds the dense float64 kernels that ml's training loops
// spend their time in, written with AVX2 fused multiply-adds for amd64
// processors that have them. Available reports whether they can run; the
// callers keep plain Go loops for everything else (other processors, and
// builds with -tags purego), and the kernels panic there.
package simd
