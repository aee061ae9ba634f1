//go:build amd64 && !purego

package clustering

import "golang.org/x/sys/cpu"

// haveFMA reports whether the AVX2 fused multiply-add kernels can run.
var haveFMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// dots4x8 writes the dot products of four rows of x (d values each, ldx
// apart) with the eight columns of panel p (d × 8, row-major) to out (four
// rows of eight, ldg apart). It needs haveFMA.
//
//go:noescape
func dots4x8(x *float64, d, ldx int, p, out *float64, ldg int)

// dots1x8 is dots4x8 for one row.
//
//go:noescape
func dots1x8(x *float64, d int, p, out *float64)
