package classification

import (
	"math"

	"github.com/gspark/gspark/ml/optim"
)

// binomialChunk is the number of rows binomialGrad takes through each of its
// three passes at a time. Every row of a unit-weight chunk multiplies a
// factor u ≤ 2 into one product, so the product stays below 2^binomialChunk,
// far from overflow.
const binomialChunk = 256

// log1pSeriesMax is the bound below which log(1+e) is summed from its
// series rather than multiplied into the product of 1+e (whose rounding
// would otherwise be large next to e).
const log1pSeriesMax = 1.0 / 128

// binomialGrad accumulates Σw(σ(m)−y)x into acc[:d], Σw(σ(m)−y) into
// acc[d] and the weighted log loss Σw(log(1+e^m) − y·m) into acc[d+1], with
// m = b0 + x·beta. unit says that every weight of bl is 1.
//
// The rows go through in chunks, in three passes that each keep no value
// from one row to the next, so that the processor overlaps rows: the
// margins (four rows at a time), then the loss and residuals, then the
// gradient (four rows at a time). In the second pass, with e = e^−|m| and u
// = 1 + e, log(1+e^m) is log(1+e) (+ m when m > 0) and σ(m) is 1/u (or e/u
// when m ≤ 0). With unit weights the log(u) of a chunk are summed as the
// log of their product, one math.Log per chunk, plus each row's rounding
// correction (e − (u−1))/u; log(1+e) for e below log1pSeriesMax is summed
// from its series instead.
func binomialGrad(bl *optim.Block, beta []float64, b0 float64, unit bool, acc []float64) {
	d := bl.D
	beta = beta[:d]
	grad := acc[:d]
	var m, r [binomialChunk]float64
	loss, rsum := 0.0, 0.0
	for lo := 0; lo < bl.N; lo += binomialChunk {
		n := min(binomialChunk, bl.N-lo)
		x := bl.X[lo*d : (lo+n)*d]
		margins(x, d, n, beta, b0, m[:n])
		ys, ws := bl.Y[lo:lo+n], bl.W[lo:lo+n]
		prod, sum := 1.0, 0.0
		for i, mi := range m[:n] {
			y := ys[i]
			e := expNeg(math.Abs(mi))
			u := 1 + e
			inv := 1 / u
			// neg is all ones when m is negative (sign bit set), else 0.
			neg := uint64(int64(math.Float64bits(mi)) >> 63)
			p := math.Float64frombits(math.Float64bits(inv)&^neg | math.Float64bits(e*inv)&neg)
			pos := math.Float64frombits(math.Float64bits(mi) &^ neg) // max(m, 0)
			// log(1+e) = log(u) + log(1 + (e−(u−1))/u), the second term to
			// first order; e − (u−1) is exact.
			fac, add := u, (e-(u-1))*inv
			if e < log1pSeriesMax {
				fac, add = 1, log1pSeries(e)
			}
			w := ws[i]
			if unit {
				prod *= fac
				sum += add + pos - y*mi
			} else {
				sum += w * (math.Log(fac) + add + pos - y*mi)
			}
			r[i] = w * (p - y)
		}
		loss += sum + math.Log(prod)
		for _, v := range r[:n] {
			rsum += v
		}
		accumulate(x, d, n, r[:n], grad)
	}
	acc[d] += rsum
	acc[d+1] += loss
}

// log1pSeries returns log(1+e) for 0 ≤ e ≤ log1pSeriesMax from the first
// eight terms of its series, Σ (−1)^(k+1) e^k/k; the first term left out is
// below 2^−56 of the sum.
func log1pSeries(e float64) float64 {
	return e * (1 - e*(1.0/2-e*(1.0/3-e*(1.0/4-e*(1.0/5-e*(1.0/6-e*(1.0/7-e*(1.0/8))))))))
}

// margins sets m[i] = b0 + x_i·beta for the n rows of x (row-major, d
// columns), four rows at a time so that the four sums proceed side by side
// and each beta[j] is loaded once for four rows.
func margins(x []float64, d, n int, beta []float64, b0 float64, m []float64) {
	beta = beta[:d]
	i := 0
	for ; i+4 <= n; i += 4 {
		x0 := x[i*d : i*d+d]
		x1 := x[(i+1)*d : (i+1)*d+d]
		x2 := x[(i+2)*d : (i+2)*d+d]
		x3 := x[(i+3)*d : (i+3)*d+d]
		var s0, s1, s2, s3 float64
		for j, b := range beta {
			s0 += x0[j] * b
			s1 += x1[j] * b
			s2 += x2[j] * b
			s3 += x3[j] * b
		}
		m[i], m[i+1], m[i+2], m[i+3] = b0+s0, b0+s1, b0+s2, b0+s3
	}
	for ; i < n; i++ {
		xi := x[i*d : i*d+d]
		s := 0.0
		for j, b := range beta {
			s += xi[j] * b
		}
		m[i] = b0 + s
	}
}

// accumulate adds Σ r_i·x_i to g for the n rows of x (row-major, d
// columns), four rows at a time so that g is loaded and stored once per four
// rows.
func accumulate(x []float64, d, n int, r, g []float64) {
	g = g[:d]
	i := 0
	for ; i+4 <= n; i += 4 {
		x0 := x[i*d : i*d+d]
		x1 := x[(i+1)*d : (i+1)*d+d]
		x2 := x[(i+2)*d : (i+2)*d+d]
		x3 := x[(i+3)*d : (i+3)*d+d]
		r0, r1, r2, r3 := r[i], r[i+1], r[i+2], r[i+3]
		for j := range g {
			g[j] += (r0*x0[j] + r1*x1[j]) + (r2*x2[j] + r3*x3[j])
		}
	}
	for ; i < n; i++ {
		xi := x[i*d : i*d+d]
		ri := r[i]
		for j := range g {
			g[j] += ri * xi[j]
		}
	}
}

// expNeg returns e^−a for a ≥ 0, within an ulp or so of math.Exp(−a), in
// straight-line code: −a = k·ln2 + r with |r| ≤ ln2/2 (k·ln2 subtracted in
// two parts, as fdlibm's exp does, with its constants), e^r from its Taylor
// polynomial of degree 13 (the first term left out is below 2^−57 of e^r)
// evaluated by Estrin's scheme, then scaled by 2^−k. Beyond 708, where
// e^−a is subnormal, and for NaN it calls math.Exp.
func expNeg(a float64) float64 {
	if !(a <= 708) {
		return math.Exp(-a)
	}
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
	)
	k := float64(int64(a*math.Log2E + 0.5))
	r := (k*ln2Hi - a) + k*ln2Lo
	r2 := r * r
	r4 := r2 * r2
	r8 := r4 * r4
	// Coefficients 1/n! for n = 0 … 13, paired as c_n + c_(n+1)·r.
	p01 := 1 + r
	p23 := 1.0/2 + r*(1.0/6)
	p45 := 1.0/24 + r*(1.0/120)
	p67 := 1.0/720 + r*(1.0/5040)
	p89 := 1.0/40320 + r*(1.0/362880)
	p1011 := 1.0/3628800 + r*(1.0/39916800)
	p1213 := 1.0/479001600 + r*(1.0/6227020800)
	q03 := p01 + r2*p23
	q47 := p45 + r2*p67
	q811 := p89 + r2*p1011
	q07 := q03 + r4*q47
	q813 := q811 + r4*p1213
	p := q07 + r8*q813
	return p * math.Float64frombits(uint64(1023-int64(k))<<52)
}
