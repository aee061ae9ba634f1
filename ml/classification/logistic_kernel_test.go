package classification

import (
	"math"
	"math/big"
	"testing"
)

// log1pRef is log(1+e) to 100 bits, from math/big: ln(1+e) by the series
// 2·atanh(t) with t = e/(2+e) (converges for 0 ≤ e ≤ 1).
func log1pRef(e float64) float64 {
	const prec = 200
	x := new(big.Float).SetPrec(prec).SetFloat64(e)
	den := new(big.Float).SetPrec(prec).Add(big.NewFloat(2).SetPrec(prec), x)
	t := new(big.Float).SetPrec(prec).Quo(x, den)
	t2 := new(big.Float).SetPrec(prec).Mul(t, t)
	sum := new(big.Float).SetPrec(prec)
	term := new(big.Float).SetPrec(prec).Set(t)
	for k := 1; k < 400; k += 2 {
		q := new(big.Float).SetPrec(prec).Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(k)))
		sum.Add(sum, q)
		term.Mul(term, t2)
	}
	sum.Mul(sum, big.NewFloat(2))
	v, _ := sum.Float64()
	return v
}

// TestLog1pU checks log1pU against log(1+e) computed in extended precision,
// to 4 ulps, including e below the rounding of 1 + e (where log(1+e)
// computed naively is 0 or off by far more).
func TestLog1pU(t *testing.T) {
	es := []float64{0, 1e-300, 1e-20, 1.1e-16, 2.3e-16, 1e-15, 3e-12, 1e-8, 1e-4, 0.01, 0.1, 0.3333333333333333, 0.5, 0.75, 0.999, 1}
	for i := 1; i < 200; i++ {
		es = append(es, math.Exp(-float64(i)*0.19))
	}
	for _, e := range es {
		got, want := log1pU(e, 1+e), log1pRef(e)
		if want == 0 {
			if got != 0 {
				t.Errorf("log1pU(%g) = %g, want 0", e, got)
			}
			continue
		}
		if ulps := math.Abs(got-want) / (math.Nextafter(want, math.Inf(1)) - want); ulps > 4 {
			t.Errorf("log1pU(%g) = %.17g, want %.17g (%.1f ulps)", e, got, want, ulps)
		}
	}
}

func BenchmarkLog1p(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		e := float64(i%1000) / 1000
		s += math.Log1p(e)
	}
	_ = s
}

func BenchmarkLog1pU(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		e := float64(i%1000) / 1000
		s += log1pU(e, 1+e)
	}
	_ = s
}

// TestDot4 checks dot4 against sums written out by hand for lengths 0 to
// 6 (the unrolled loop and its tail).
func TestDot4(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6}
	b := []float64{0.5, -1, 2, 0.25, -3, 10}
	want := []float64{0, 0.5, -1.5, 4.5, 5.5, -9.5, 50.5}
	for n := 0; n <= 6; n++ {
		if got := dot4(x[:n], b); got != want[n] {
			t.Errorf("dot4 of length %d = %v, want %v", n, got, want[n])
		}
	}
}
