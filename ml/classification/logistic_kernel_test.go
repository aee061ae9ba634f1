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
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-prec {
			break // the terms left are below the sum's precision
		}
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

// TestBinomialUnitLossMatchesRowByRow checks the unit-weight kernel (one
// logarithm per block) and the row-by-row kernel against the loss summed in
// extended precision on 2,000 rows: margins from 0.01 to ±1000 with random
// labels, and confident rows only (margins 30 to 40 on the side of their
// label, e^−|m| at or below the rounding of 1 + e, the loss a sum of such
// tiny terms, which the row-by-row kernel lost beside m until it took m − y·m
// first: 1.4% short). Both within 1e-13 of the total (the rounding of a
// 2,000-term sum); the gradients of the two kernels agree to 1e-13.
func TestBinomialUnitLossMatchesRowByRow(t *testing.T) {
	const n, d = 2000, 3
	beta, b0 := []float64{0.7, -0.4, 0.25}, 0.1
	for _, confident := range []bool{false, true} {
		bl := &optim.Block{N: n, D: d, X: make([]float64, n*d), Y: make([]float64, n), W: make([]float64, n)}
		r := rand.New(rand.NewPCG(3, 4))
		for i := range n {
			x := bl.Row(i)
			if confident {
				// Along beta, to a margin of ±(30 to 40).
				m := (30 + 10*r.Float64()) * float64(1-2*r.IntN(2))
				norm2 := dot4(beta, beta)
				for j := range d {
					x[j] = (m - b0) * beta[j] / norm2
				}
				if m > 0 {
					bl.Y[i] = 1
				}
			} else {
				scale := math.Pow(10, float64(r.IntN(6))-2)
				for j := range d {
					x[j] = r.NormFloat64() * scale
				}
				bl.Y[i] = float64(r.IntN(2))
			}
			bl.W[i] = 1
		}
		ref := new(big.Float).SetPrec(200)
		for i := range n {
			m := b0 + dot4(bl.Row(i), beta)
			e := math.Exp(-math.Abs(m))
			term := new(big.Float).SetPrec(200).SetFloat64(log1pRef(e))
			term.Add(term, new(big.Float).SetPrec(200).SetFloat64(math.Max(m, 0)))
			term.Sub(term, new(big.Float).SetPrec(200).SetFloat64(bl.Y[i]*m))
			ref.Add(ref, term)
		}
		want, _ := ref.Float64()
		rowAcc := make([]float64, d+2)
		binomialGrad(bl, beta, b0, rowAcc)
		bl.UnitWeights = true
		unitAcc := make([]float64, d+2)
		binomialGrad(bl, beta, b0, unitAcc)
		for name, acc := range map[string][]float64{"row by row": rowAcc, "unit weights": unitAcc} {
			if diff := math.Abs(acc[d+1]-want) / want; diff > 1e-13 {
				t.Errorf("confident=%v, %s: loss %.17g, want %.17g (relative difference %.2g)", confident, name, acc[d+1], want, diff)
			}
		}
		for j := 0; j <= d; j++ {
			if diff := math.Abs(unitAcc[j] - rowAcc[j]); diff > 1e-13*math.Max(1, math.Abs(rowAcc[j])) {
				t.Errorf("confident=%v, gradient %d: unit weights %.17g, row by row %.17g", confident, j, unitAcc[j], rowAcc[j])
			}
		}
	}
}

// TestMarginsAndGradientFourRowsAtATime checks margins4 and addGradient4
// against the plain row loops on 1 to 11 rows (every remainder after the
// groups of four): margins within the rounding bound of a sum of d + 1 terms
// (twice d·ε times the sum of the terms' sizes: the kernels group the
// partial sums differently), gradients within 1e-14; with 3, 7 and 20 features (with the vector
// kernels: none of them, and four or twenty through them).
func TestMarginsAndGradientFourRowsAtATime(t *testing.T) {
	for _, d := range []int{3, 7, 20} {
		testMarginsAndGradient(t, d)
	}
}

func testMarginsAndGradient(t *testing.T, d int) {
	r := rand.New(rand.NewPCG(7, 8))
	beta := make([]float64, d)
	for j := range beta {
		beta[j] = r.NormFloat64()
	}
	for n := 1; n <= 11; n++ {
		xs, res := make([]float64, n*d), make([]float64, n)
		for i := range xs {
			xs[i] = r.NormFloat64()
		}
		for i := range res {
			res[i] = r.Float64() - 0.5
		}
		m := make([]float64, n)
		margins4(m, xs, beta, 0.25)
		g := make([]float64, d)
		addGradient4(g, xs, res)
		want := make([]float64, d)
		for i := range n {
			s, abs := 0.25, 0.25
			for j := range d {
				s += xs[i*d+j] * beta[j]
				abs += math.Abs(xs[i*d+j] * beta[j])
				want[j] += res[i] * xs[i*d+j]
			}
			// Both sums are within d·ε of the sum of the terms' sizes.
			if math.Abs(m[i]-s) > 2*float64(d+1)*0x1p-53*abs {
				t.Errorf("%d features, %d rows: margin %d = %.17g, want %.17g", d, n, i, m[i], s)
			}
		}
		for j := range d {
			if math.Abs(g[j]-want[j]) > 1e-14 {
				t.Errorf("%d features, %d rows: gradient %d = %.17g, want %.17g", d, n, j, g[j], want[j])
			}
		}
	}
}
