//go:build amd64 && !purego

package simd

import "golang.org/x/sys/cpu"

// Available reports whether the kernels can run: AVX2 and FMA.
var Available = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// Dots4x8 writes the dot products of four rows of x (d values each, ldx
// apart) with the eight columns of panel p (d × 8, row-major) to out (four
// rows of eight, ldg apart).
//
//go:noescape
func Dots4x8(x *float64, d, ldx int, p, out *float64, ldg int)

// Dots1x8 is Dots4x8 for one row.
//
//go:noescape
func Dots1x8(x *float64, d int, p, out *float64)

// Dot4 writes to out the dot products of four rows of x (ldx apart) with
// beta, over the first d values, d a multiple of four.
//
//go:noescape
func Dot4(x *float64, ldx int, beta *float64, d int, out *float64)

// AddScaled4 adds r[0]·x0 + r[1]·x1 + r[2]·x2 + r[3]·x3 to acc over the
// first d values, d a multiple of four, the four rows of x ldx apart.
//
//go:noescape
func AddScaled4(acc *float64, d int, x *float64, ldx int, r *float64)
