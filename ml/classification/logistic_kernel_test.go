package classification

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/gspark/gspark/ml/optim"
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

// ulpsApart returns |got − want| in units in the last place of want.
func ulpsApart(got, want float64) float64 {
	return math.Abs(got-want) / (math.Nextafter(math.Abs(want), math.Inf(1)) - math.Abs(want))
}

// TestLog1pSeries checks log1pSeries against log(1+e) computed in extended
// precision, to 2 ulps, over [0, log1pSeriesMax].
func TestLog1pSeries(t *testing.T) {
	es := []float64{0, 1e-300, 1e-20, 1.1e-16, 2.3e-16, 1e-15, 3e-12, 1e-8, 1e-4, 1e-3, 0.005, log1pSeriesMax}
	for i := 1; i < 300; i++ {
		es = append(es, log1pSeriesMax*math.Exp(-float64(i)*0.1))
	}
	for _, e := range es {
		got, want := log1pSeries(e), log1pRef(e)
		if want == 0 {
			if got != 0 {
				t.Errorf("log1pSeries(%g) = %g, want 0", e, got)
			}
			continue
		}
		if u := ulpsApart(got, want); u > 2 {
			t.Errorf("log1pSeries(%g) = %.17g, want %.17g (%.1f ulps)", e, got, want, u)
		}
	}
}

// TestExpNeg checks expNeg against math.Exp to 2 ulps on [0, 745], at the
// ends of the reduction intervals and past the subnormal bound.
func TestExpNeg(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	as := []float64{0, 1e-300, 1e-17, 1e-9, 0.5 * math.Ln2, 0.5*math.Ln2 + 1e-12, math.Ln2, 1, 10, 100, 707.9, 708, 708.1, 720, 745, 746, math.Inf(1)}
	for i := 0; i < 200000; i++ {
		as = append(as, r.Float64()*40, r.Float64()*708, (float64(i%2000)+0.5)*math.Ln2*0.5)
	}
	for _, a := range as {
		got, want := expNeg(a), math.Exp(-a)
		if want == 0 || got == want {
			if got != want {
				t.Errorf("expNeg(%g) = %g, want %g", a, got, want)
			}
			continue
		}
		if u := ulpsApart(got, want); u > 2 {
			t.Errorf("expNeg(%.17g) = %.17g, want %.17g (%.1f ulps)", a, got, want, u)
		}
	}
	if v := expNeg(math.NaN()); !math.IsNaN(v) {
		t.Errorf("expNeg(NaN) = %v, want NaN", v)
	}
}

// binomialRef is binomialGrad row by row with the standard library's
// math.Exp and math.Log1p.
func binomialRef(bl *optim.Block, beta []float64, b0 float64, acc []float64) {
	d := bl.D
	for i := 0; i < bl.N; i++ {
		x := bl.Row(i)
		m := b0
		for j, v := range x {
			m += v * beta[j]
		}
		w, y := bl.W[i], bl.Y[i]
		l := math.Log1p(math.Exp(-math.Abs(m))) + math.Max(m, 0) - y*m
		p := 1 / (1 + math.Exp(-m))
		acc[d+1] += w * l
		for j, v := range x {
			acc[j] += w * (p - y) * v
		}
		acc[d] += w * (p - y)
	}
}

// TestBinomialGrad compares binomialGrad with binomialRef on random blocks
// of several sizes (none, below and above one chunk, not a multiple of 4),
// with unit and with random weights, and margins from near 0 to beyond 40
// (where e^−|m| is below the rounding of 1 + e^−|m|).
func TestBinomialGrad(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 3, 7, 255, 256, 257, 1000, 3001} {
		for _, scale := range []float64{0.01, 1, 5, 60} {
			for _, unit := range []bool{true, false} {
				const d = 7
				bl := &optim.Block{N: n, D: d, X: make([]float64, n*d), Y: make([]float64, n), W: make([]float64, n)}
				for i := range bl.X {
					bl.X[i] = r.NormFloat64()
				}
				for i := 0; i < n; i++ {
					bl.Y[i] = float64(r.IntN(2))
					bl.W[i] = 1
					if !unit {
						bl.W[i] = r.Float64() * 3
					}
				}
				beta := make([]float64, d)
				for j := range beta {
					beta[j] = r.NormFloat64() * scale
				}
				b0 := r.NormFloat64() * scale
				got, want := make([]float64, d+2), make([]float64, d+2)
				binomialGrad(bl, beta, b0, unit, got)
				binomialRef(bl, beta, b0, want)
				// Sums of n terms in different orders: relative to the sum of
				// the magnitudes of the terms.
				mag := make([]float64, d+2)
				binomialAbsRef(bl, beta, b0, mag)
				for k := range got {
					if diff := math.Abs(got[k] - want[k]); diff > 1e-14*mag[k] && diff != 0 {
						t.Errorf("n=%d scale=%g unit=%v: acc[%d] = %.17g, want %.17g (sum of |terms| %g)", n, scale, unit, k, got[k], want[k], mag[k])
					}
				}
			}
		}
	}
}

// TestBinomialLossOneRow checks the loss of single rows with label 0 and
// margin m ≤ 0, log(1+e^m), against log1pRef to 4 ulps, across the range
// where it is summed from the product of 1 + e^m (with the correction for
// its rounding) and where from the series.
func TestBinomialLossOneRow(t *testing.T) {
	bl := &optim.Block{N: 1, D: 1, X: []float64{1}, Y: []float64{0}, W: []float64{1}}
	for i := 0; i <= 1000; i++ {
		m := -float64(i) * 0.04
		acc := make([]float64, 3)
		binomialGrad(bl, []float64{m}, 0, true, acc)
		want := log1pRef(math.Exp(m))
		if u := ulpsApart(acc[2], want); u > 4 {
			t.Errorf("m=%g: loss %.17g, want %.17g (%.1f ulps)", m, acc[2], want, u)
		}
	}
}

// binomialAbsRef sums the absolute values of the terms binomialRef adds.
func binomialAbsRef(bl *optim.Block, beta []float64, b0 float64, acc []float64) {
	d := bl.D
	for i := 0; i < bl.N; i++ {
		x := bl.Row(i)
		m := b0
		for j, v := range x {
			m += v * beta[j]
		}
		w, y := bl.W[i], bl.Y[i]
		l := math.Log1p(math.Exp(-math.Abs(m))) + math.Max(m, 0) - y*m
		p := 1 / (1 + math.Exp(-m))
		acc[d+1] += math.Abs(w * l)
		for j, v := range x {
			acc[j] += math.Abs(w * (p - y) * v)
		}
		acc[d] += math.Abs(w * (p - y))
	}
}

// BenchmarkBinomialGrad times one loss and gradient pass over 100 000 rows
// of 20 features.
func BenchmarkBinomialGrad(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	const n, d = 100_000, 20
	bl := &optim.Block{N: n, D: d, X: make([]float64, n*d), Y: make([]float64, n), W: make([]float64, n)}
	for i := range bl.X {
		bl.X[i] = r.NormFloat64()
	}
	for i := 0; i < n; i++ {
		bl.Y[i], bl.W[i] = float64(r.IntN(2)), 1
	}
	beta := make([]float64, d)
	for j := range beta {
		beta[j] = r.NormFloat64() * 0.3
	}
	acc := make([]float64, d+2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		binomialGrad(bl, beta, 0.1, true, acc)
	}
}
