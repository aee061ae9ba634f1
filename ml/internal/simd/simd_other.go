//go:build !amd64 || purego

package simd

// Available is false: there are no kernels for this processor or build.
const Available = false

// Dots4x8 is not available (Available is false).
func Dots4x8(x *float64, d, ldx int, p, out *float64, ldg int) { panic("simd: not available") }

// Dots1x8 is not available (Available is false).
func Dots1x8(x *float64, d int, p, out *float64) { panic("simd: not available") }

// Dot4 is not available (Available is false).
func Dot4(x *float64, ldx int, beta *float64, d int, out *float64) { panic("simd: not available") }

// AddScaled4 is not available (Available is false).
func AddScaled4(acc *float64, d int, x *float64, ldx int, r *float64) { panic("simd: not available") }
