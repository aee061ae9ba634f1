package classification

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/optim/optimtest"
)

// clusteredLogistic makes n rows of d standard normal features in ten
// shifted clusters with labels drawn from a logistic model (the data of the
// project's logistic regression benchmark), deterministically.
func clusteredLogistic(n, d int) [][]float64 {
	r := rand.New(rand.NewPCG(11, 12))
	rows := make([][]float64, n)
	for i := range rows {
		row := make([]float64, d+1)
		m, center := 0.0, float64(i%10)*0.5
		for j := range d {
			v := r.NormFloat64() + center
			row[j] = v
			m += (v - 2.25) * float64(j%5-2) * 0.3
		}
		if r.Float64() < 1/(1+math.Exp(-m)) {
			row[d] = 1
		}
		rows[i] = row
	}
	return rows
}

// TestBinomialLossSummedAccurately checks both binomial kernels' loss over
// 300,000 rows against the sum of the same per-row terms in 200-bit
// arithmetic: within 1e-15 of it (summed naively row after row it is off by
// about 1e-13, enough to hide the last iterations' decrease from the line
// search; see TestLogisticFitSameAcrossPartitions).
func TestBinomialLossSummedAccurately(t *testing.T) {
	const n, d = 300_000, 2
	beta, b0 := []float64{0.9, -0.6}, 0.2
	bl := &optim.Block{N: n, D: d, X: make([]float64, n*d), Y: make([]float64, n), W: make([]float64, n)}
	r := rand.New(rand.NewPCG(9, 10))
	for i := range n {
		for j := range d {
			bl.X[i*d+j] = 3 * r.NormFloat64()
		}
		bl.Y[i] = float64(r.IntN(2))
		bl.W[i] = 1
	}
	ref := new(big.Float).SetPrec(200)
	term := new(big.Float).SetPrec(200)
	for i := range n {
		m := b0 + dot4(bl.Row(i), beta)
		e := math.Exp(-math.Abs(m))
		// Each term as the kernels round it (max(m, 0) − y·m) or within an
		// ulp (math.Log1p), the sum exact: the reference is within 2e-16
		// of the exact sum of the kernels' terms.
		ref.Add(ref, term.SetFloat64(max(m, 0)-bl.Y[i]*m))
		ref.Add(ref, term.SetFloat64(math.Log1p(e)))
	}
	want, _ := ref.Float64()
	for _, unit := range []bool{false, true} {
		bl.UnitWeights = unit
		acc := make([]float64, d+2)
		binomialGrad(bl, beta, b0, acc)
		if diff := math.Abs(acc[d+1]-want) / want; diff > 1e-15 {
			t.Errorf("unit weights %v: loss %.17g, want %.17g (relative difference %.2g)", unit, acc[d+1], want, diff)
		}
	}
}

// TestLogisticFitSameAcrossPartitions fits the benchmark's logistic
// regression (200,000 rows × 20, regParam 0.01, no tolerance stop) with one
// and with two partitions: the same number of iterations and the same final
// objective to 1e-15. With the loss summed naively the one-partition fit's
// line searches ran into their limits near the optimum (21 iterations and
// about 265 loss evaluations against 19 and 21, 6 s against 0.3 s).
func TestLogisticFitSameAcrossPartitions(t *testing.T) {
	if testing.Short() {
		t.Skip("200,000-row fits; the plain run covers them")
	}
	const n, d = 200_000, 20
	rows := clusteredLogistic(n, d)
	src := make([]int, d)
	for j := range src {
		src[j] = j
	}
	cols := []optimtest.Col{{Name: "features", Src: src, Vec: true}, {Name: "label", Src: []int{d}}}
	var iters [2]int
	var objs [2]float64
	for p, parts := range []int{1, 2} {
		s := frame.NewSession(frame.WithPartitions(parts))
		df := optimtest.Frame(t, s, memory.DefaultAllocator, rows, cols, parts)
		m, err := NewLogisticRegression().SetRegParam(0.01).SetMaxIter(30).SetTol(0).SetStandardization(false).FitLogistic(t.Context(), df)
		if err != nil {
			t.Fatal(err)
		}
		h := m.Summary().ObjectiveHistory
		iters[p], objs[p] = m.Summary().TotalIterations, h[len(h)-1]
	}
	if iters[0] != iters[1] || math.Abs(objs[0]-objs[1]) > 1e-15*objs[1] {
		t.Errorf("1 partition: %d iterations, objective %.17g; 2 partitions: %d iterations, %.17g", iters[0], objs[0], iters[1], objs[1])
	}
}

// TestMultinomialLossSummedAccurately is TestBinomialLossSummedAccurately
// for the softmax kernel: 300,000 rows, 3 classes, the loss within 1e-15 of
// the exact sum of its per-row terms (each computed here as the kernel
// computes it).
func TestMultinomialLossSummedAccurately(t *testing.T) {
	const n, d, K = 300_000, 2, 3
	beta, beta0 := []float64{0.9, -0.6, 0.3, 0.5, -0.8, 0.1}, []float64{0.2, -0.1, 0}
	bl := &optim.Block{N: n, D: d, X: make([]float64, n*d), Y: make([]float64, n), W: make([]float64, n)}
	r := rand.New(rand.NewPCG(13, 14))
	ref := new(big.Float).SetPrec(200)
	term := new(big.Float).SetPrec(200)
	for i := range n {
		x := bl.X[i*d : i*d+d]
		for j := range x {
			x[j] = 3 * r.NormFloat64()
		}
		bl.Y[i] = float64(r.IntN(K))
		bl.W[i] = 1
		m := make([]float64, K)
		mx := math.Inf(-1)
		for k := range K {
			s := beta0[k]
			for j, v := range x {
				s += v * beta[k*d+j]
			}
			m[k] = s
			mx = math.Max(mx, s)
		}
		z := 0.0
		for k := range m {
			z += math.Exp(m[k] - mx)
		}
		ref.Add(ref, term.SetFloat64(mx+math.Log(z)-m[int(bl.Y[i])]))
	}
	want, _ := ref.Float64()
	acc := make([]float64, K*d+K+1)
	multinomialGrad(bl, beta, beta0, K, acc)
	if diff := math.Abs(acc[K*d+K]-want) / want; diff > 1e-15 {
		t.Errorf("loss %.17g, want %.17g (relative difference %.2g)", acc[K*d+K], want, diff)
	}
}
