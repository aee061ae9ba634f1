//go:build !amd64 || purego

package clustering

// haveFMA is false: there are no vector kernels for this architecture.
const haveFMA = false

func dots4x8(x *float64, d, ldx int, p, out *float64, ldg int) { panic("clustering: no vector kernel") }

func dots1x8(x *float64, d int, p, out *float64) { panic("clustering: no vector kernel") }
