package monitor

import (
	"math"
	"slices"
)

// KSTest is the two-sample Kolmogorov–Smirnov test of samples a and b: D
// is the largest distance between their empirical distribution functions
// and p its asymptotic two-sided p-value, Q_KS((√n + 0.12 + 0.11/√n)·D)
// with n = n₁n₂/(n₁+n₂) and Q_KS the Kolmogorov distribution's survival
// function (Stephens' small-sample correction of the limit, as in
// Numerical Recipes and SciPy before 1.5). With an empty sample D is 0 and
// p is 1. The slices are not modified.
func KSTest(a, b []float64) (d, p float64) {
	if len(a) == 0 || len(b) == 0 {
		return 0, 1
	}
	d = ksStatistic(sortedCopy(a), sortedCopy(b))
	n := float64(len(a)) * float64(len(b)) / float64(len(a)+len(b))
	s := math.Sqrt(n)
	return d, kolmogorovSF((s + 0.12 + 0.11/s) * d)
}

func sortedCopy(x []float64) []float64 {
	if slices.IsSorted(x) {
		return x
	}
	return slices.Sorted(slices.Values(x))
}

// ksStatistic is D of ascending samples a and b: the largest gap between
// the fractions of each at or below a value, over the values of both.
func ksStatistic(a, b []float64) float64 {
	n1, n2 := float64(len(a)), float64(len(b))
	i, j := 0, 0
	d := 0.0
	for i < len(a) && j < len(b) {
		v := min(a[i], b[j])
		for i < len(a) && a[i] <= v {
			i++
		}
		for j < len(b) && b[j] <= v {
			j++
		}
		d = max(d, math.Abs(float64(i)/n1-float64(j)/n2))
	}
	return d
}

// kolmogorovSF is Q_KS(λ) = P(K > λ) of the Kolmogorov distribution:
// 2 Σ_{k≥1} (-1)^{k-1} exp(-2k²λ²), which converges fast for λ ≥ 1, and
// below that 1 - √(2π)/λ Σ_{k≥1} exp(-(2k-1)²π²/(8λ²)), its Jacobi
// theta-function form.
func kolmogorovSF(lambda float64) float64 {
	switch {
	case lambda <= 0 || math.IsNaN(lambda):
		return 1
	case lambda < 1:
		sum := 0.0
		for k := 1; k < 100; k++ {
			t := math.Exp(-float64((2*k-1)*(2*k-1)) * math.Pi * math.Pi / (8 * lambda * lambda))
			sum += t
			if t < 1e-17*sum {
				break
			}
		}
		return min(1, max(0, 1-math.Sqrt(2*math.Pi)/lambda*sum))
	}
	sum, sign := 0.0, 1.0
	for k := 1; k < 100; k++ {
		t := math.Exp(-2 * float64(k*k) * lambda * lambda)
		sum += sign * t
		sign = -sign
		if t < 1e-17*math.Abs(sum) || t == 0 {
			break
		}
	}
	return min(1, max(0, 2*sum))
}
