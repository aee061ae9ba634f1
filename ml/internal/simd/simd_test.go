package simd

import (
	"math/rand/v2"
	"testing"
)

// The inputs are small integers, so every product and sum is exact in
// float64 whatever the order of the additions: the kernels must match the
// plain loops exactly, and must leave every value outside their output
// untouched (the guard value).

const guard = -12345.0

func ints(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(rng.IntN(17) - 8)
	}
	return v
}

func filled(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = guard
	}
	return v
}

func TestDots4x8AndDots1x8(t *testing.T) {
	if !Available {
		t.Skip("no AVX2/FMA kernels on this processor or build")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for d := 1; d <= 17; d++ {
		ldx, ldg := d+3, 11
		x := ints(rng, 4*ldx)
		p := ints(rng, d*8)
		want := func(r, j int) float64 {
			s := 0.0
			for f := 0; f < d; f++ {
				s += x[r*ldx+f] * p[f*8+j]
			}
			return s
		}
		out := filled(4 * ldg)
		Dots4x8(&x[0], d, ldx, &p[0], &out[0], ldg)
		for r := 0; r < 4; r++ {
			for j := 0; j < ldg; j++ {
				w := guard
				if j < 8 {
					w = want(r, j)
				}
				if got := out[r*ldg+j]; got != w {
					t.Fatalf("Dots4x8 d=%d: out[%d][%d] = %v, want %v", d, r, j, got, w)
				}
			}
		}
		one := filled(9)
		Dots1x8(&x[ldx], d, &p[0], &one[0])
		for j := 0; j < 9; j++ {
			w := guard
			if j < 8 {
				w = want(1, j)
			}
			if one[j] != w {
				t.Fatalf("Dots1x8 d=%d: out[%d] = %v, want %v", d, j, one[j], w)
			}
		}
	}
}

func TestDot4AndAddScaled4(t *testing.T) {
	if !Available {
		t.Skip("no AVX2/FMA kernels on this processor or build")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for d := 4; d <= 32; d += 4 {
		ldx := d + 5
		x := ints(rng, 4*ldx)
		beta := ints(rng, d)
		out := filled(5)
		Dot4(&x[0], ldx, &beta[0], d, &out[0])
		for r := 0; r < 5; r++ {
			w := guard
			if r < 4 {
				w = 0
				for f := 0; f < d; f++ {
					w += x[r*ldx+f] * beta[f]
				}
			}
			if out[r] != w {
				t.Fatalf("Dot4 d=%d: out[%d] = %v, want %v", d, r, out[r], w)
			}
		}

		acc := append(ints(rng, d), guard)
		r := ints(rng, 4)
		want := append([]float64(nil), acc...)
		for f := 0; f < d; f++ {
			for q := 0; q < 4; q++ {
				want[f] += r[q] * x[q*ldx+f]
			}
		}
		AddScaled4(&acc[0], d, &x[0], ldx, &r[0])
		for f := range acc {
			if acc[f] != want[f] {
				t.Fatalf("AddScaled4 d=%d: acc[%d] = %v, want %v", d, f, acc[f], want[f])
			}
		}
	}
}
