package optim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// FMConfig configures FMTrain, the factorization machine trainer shared by
// FMRegressor and FMClassifier. Its fields are Spark's params of the same
// names; Logistic selects the logistic loss (classification) instead of
// the squared error; Init, when set, replaces the random starting point.
type FMConfig struct {
	FactorSize        int
	FitIntercept      bool
	FitLinear         bool
	RegParam          float64
	MiniBatchFraction float64
	InitStd           float64
	MaxIter           int
	StepSize          float64
	Tol               float64
	// Solver is "adamW" or "gd".
	Solver   string
	Seed     int64
	Logistic bool
	Init     []float64
}

// FMSize returns the number of coefficients of a factorization machine
// over d features: d·k factors, then d linear weights when fitLinear, then
// the intercept when fitIntercept (Spark's layout; feature i's factors are
// at i·k … i·k+k−1).
func FMSize(d, k int, fitLinear, fitIntercept bool) int {
	n := d * k
	if fitLinear {
		n += d
	}
	if fitIntercept {
		n++
	}
	return n
}

// FMRaw returns the raw prediction of a factorization machine with
// coefficients w (Spark's layout) at the dense row x:
//
//	b + Σᵢ wᵢxᵢ + ½ Σ_f [(Σᵢ v_{i,f} xᵢ)² − Σᵢ v_{i,f}² xᵢ²]
//
// and writes Σᵢ v_{i,f} xᵢ into sumVX (length k) when it is not nil.
func FMRaw(x, w []float64, k int, fitLinear, fitIntercept bool, sumVX []float64) float64 {
	d := len(x)
	raw := 0.0
	if fitIntercept {
		raw += w[len(w)-1]
	}
	if fitLinear {
		lin := w[d*k : d*k+d]
		for i, v := range x {
			raw += lin[i] * v
		}
	}
	for f := 0; f < k; f++ {
		sum, sq := 0.0, 0.0
		for i, v := range x {
			if v == 0 {
				continue
			}
			vx := w[i*k+f] * v
			sum += vx
			sq += vx * vx
		}
		if sumVX != nil {
			sumVX[f] = sum
		}
		raw += 0.5 * (sum*sum - sq)
	}
	return raw
}

// log1pExp returns log(1 + eˣ) without overflow.
func log1pExp(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// FMLoss adds the loss of the rows of b selected by keep (all when nil)
// and its gradient with respect to w into acc = (loss, count, gradient...):
// the squared error (raw − y)² with multiplier 2(raw − y), or for Logistic
// log(1 + e^{∓raw}) with multiplier σ(raw) − y, as Spark's
// MSE/LogisticFactorizationMachinesGradient.
func FMLoss(b *Block, w []float64, cfg *FMConfig, keep func(i int) bool, acc []float64) {
	k := cfg.FactorSize
	d := b.D
	sumVX := make([]float64, k)
	g := acc[2:]
	for i := 0; i < b.N; i++ {
		if keep != nil && !keep(i) {
			continue
		}
		x := b.Row(i)
		y := b.Y[i]
		raw := FMRaw(x, w, k, cfg.FitLinear, cfg.FitIntercept, sumVX)
		var mult float64
		if cfg.Logistic {
			p := 1 / (1 + math.Exp(-raw))
			mult = p - y
			if y > 0 {
				acc[0] += log1pExp(-raw)
			} else {
				acc[0] += log1pExp(raw)
			}
		} else {
			mult = 2 * (raw - y)
			acc[0] += (raw - y) * (raw - y)
		}
		acc[1]++
		if cfg.FitIntercept {
			g[len(g)-1] += mult
		}
		for j, v := range x {
			if v == 0 {
				continue
			}
			if cfg.FitLinear {
				g[d*k+j] += mult * v
			}
			for f := 0; f < k; f++ {
				g[j*k+f] += mult * (v*sumVX[f] - w[j*k+f]*v*v)
			}
		}
	}
}

// FMTrain fits a factorization machine on blocks as Spark's
// FactorizationMachines.trainImpl: from factors drawn N(0, initStd²) (with
// Go's PCG generator seeded by Seed, not Scala's Random, so a seed gives
// other factors than in Spark), zero linear weights and intercept, it runs
// Spark's mini-batch GradientDescent: at iteration t = 1…MaxIter the mean
// loss gradient over the rows sampled with probability MiniBatchFraction
// (all rows when 1) feeds the updater — "gd" is Spark's SquaredL2Updater
// (w ← w(1 − ηₜλ) − ηₜ·g, ηₜ = StepSize/√t), "adamW" its AdamWUpdater
// (Adam with β₁ 0.9, β₂ 0.999, ε 1e-8 and decoupled decay w ← w − η·m̂/(√v̂
// + ε) − λw) — and from the second update on it stops when ‖wₜ − wₜ₋₁‖ <
// Tol·max(‖wₜ‖, 1). It returns the coefficients (FMSize layout) and the
// loss history (mean batch loss plus ½λ‖w‖² of the previous weights, as
// Spark's).
func FMTrain(ctx context.Context, blocks []*Block, cfg FMConfig) ([]float64, []float64, error) {
	if len(blocks) == 0 {
		return nil, nil, errors.New("optim: no data")
	}
	d, k := blocks[0].D, cfg.FactorSize
	n := FMSize(d, k, cfg.FitLinear, cfg.FitIntercept)
	w := make([]float64, n)
	if cfg.Init != nil {
		if len(cfg.Init) != n {
			return nil, nil, fmt.Errorf("optim: initial coefficients have length %d, want %d", len(cfg.Init), n)
		}
		copy(w, cfg.Init)
	} else {
		r := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x666d))
		for i := 0; i < d*k; i++ {
			w[i] = r.NormFloat64() * cfg.InitStd
		}
	}
	var m, v []float64
	beta1T, beta2T := 1.0, 1.0
	if cfg.Solver == "adamW" {
		m, v = make([]float64, n), make([]float64, n)
	}
	var history []float64
	// Spark's first regVal comes from a zero-step update: ½λ‖w₀‖².
	regVal := 0.5 * cfg.RegParam * dot(w, w)
	prev := make([]float64, n)
	updates := 0
	for t := 1; t <= cfg.MaxIter; t++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		acc, err := Reduce(ctx, blocks, n+2, func(b *Block, acc []float64) {
			var keep func(int) bool
			if cfg.MiniBatchFraction < 1 {
				// One generator per iteration and block, so the sample does
				// not depend on scheduling.
				r := rand.New(rand.NewPCG(uint64(42+t), uint64(b.N)<<32|uint64(len(b.X))))
				sel := make([]bool, b.N)
				for i := range sel {
					sel[i] = r.Float64() < cfg.MiniBatchFraction
				}
				keep = func(i int) bool { return sel[i] }
			}
			FMLoss(b, w, &cfg, keep, acc)
		})
		if err != nil {
			return nil, nil, err
		}
		count := acc[1]
		if count == 0 {
			continue // Spark skips an iteration whose sample is empty
		}
		history = append(history, acc[0]/count+regVal)
		g := acc[2:]
		for i := range g {
			g[i] /= count
		}
		copy(prev, w)
		if cfg.Solver == "adamW" {
			const b1, b2, eps = 0.9, 0.999, 1e-8
			beta1T *= b1
			beta2T *= b2
			for i := range w {
				m[i] = b1*m[i] + (1-b1)*g[i]
				v[i] = b2*v[i] + (1-b2)*g[i]*g[i]
				mh, vh := m[i]/(1-beta1T), v[i]/(1-beta2T)
				w[i] -= cfg.StepSize*mh/(math.Sqrt(vh)+eps) + cfg.RegParam*w[i]
			}
		} else {
			eta := cfg.StepSize / math.Sqrt(float64(t))
			for i := range w {
				w[i] = w[i]*(1-eta*cfg.RegParam) - eta*g[i]
			}
		}
		regVal = 0.5 * cfg.RegParam * dot(w, w)
		updates++
		diff := 0.0
		for i := range w {
			diff += (w[i] - prev[i]) * (w[i] - prev[i])
		}
		if math.IsNaN(diff) || math.IsInf(diff, 0) {
			return nil, nil, errors.New("optim: factorization machine training diverged (non-finite coefficients); lower stepSize")
		}
		if updates > 1 && math.Sqrt(diff) < cfg.Tol*math.Max(norm2(w), 1) {
			break
		}
	}
	return w, history, nil
}

// FMParams are the training params FMRegressor and FMClassifier share, with
// Spark's names and defaults.
type FMParams struct {
	FactorSize, MaxIter                                 param.Param[int]
	FitIntercept, FitLinear                             param.Param[bool]
	RegParam, MiniBatchFraction, InitStd, StepSize, Tol param.Param[float64]
	Solver                                              param.Param[string]
	Seed                                                param.Param[int64]
}

// DefineFMParams declares the factorization machine params on ps; seed
// defaults to seed (Spark's is the hash of the estimator's class name).
func DefineFMParams(ps *param.Params, seed int64) FMParams {
	frac := func(v float64) error {
		if !(v > 0 && v <= 1) {
			return fmt.Errorf("must be in (0, 1], got %v", v)
		}
		return nil
	}
	return FMParams{
		FactorSize:        param.Define(ps, "factorSize", "dimensionality of the factor vectors (> 0)", param.WithDefault(8), param.WithValidator(param.Gt(0))),
		FitIntercept:      param.Define(ps, "fitIntercept", "whether to fit an intercept", param.WithDefault(true)),
		FitLinear:         param.Define(ps, "fitLinear", "whether to fit the linear term (aka 1-way term)", param.WithDefault(true)),
		RegParam:          param.Define(ps, "regParam", "L2 regularization parameter (>= 0)", param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
		MiniBatchFraction: param.Define(ps, "miniBatchFraction", "fraction of the rows sampled for each iteration, in (0, 1]", param.WithDefault(1.0), param.WithValidator(frac)),
		InitStd:           param.Define(ps, "initStd", "standard deviation of the initial factors (> 0)", param.WithDefault(0.01), param.WithValidator(param.Gt(0.0))),
		MaxIter:           param.Define(ps, "maxIter", "maximum number of iterations (>= 0)", param.WithDefault(100), param.WithValidator(param.GtEq(0))),
		StepSize:          param.Define(ps, "stepSize", "step size (learning rate) (> 0)", param.WithDefault(1.0), param.WithValidator(param.Gt(0.0))),
		Tol:               param.Define(ps, "tol", "convergence tolerance (>= 0)", param.WithDefault(1e-6), param.WithValidator(param.GtEq(0.0))),
		Solver:            param.Define(ps, "solver", "optimization algorithm: gd or adamW", param.WithDefault("adamW"), param.WithValidator(param.OneOf("gd", "adamW"))),
		Seed:              param.Define(ps, "seed", "random seed of the initial factors", param.WithDefault(seed)),
	}
}

// Config returns the FMConfig of the param values in ps.
func (p FMParams) Config(ps *param.Params, logistic bool) FMConfig {
	return FMConfig{
		FactorSize: p.FactorSize.Get(ps), FitIntercept: p.FitIntercept.Get(ps), FitLinear: p.FitLinear.Get(ps),
		RegParam: p.RegParam.Get(ps), MiniBatchFraction: p.MiniBatchFraction.Get(ps), InitStd: p.InitStd.Get(ps),
		MaxIter: p.MaxIter.Get(ps), StepSize: p.StepSize.Get(ps), Tol: p.Tol.Get(ps), Solver: p.Solver.Get(ps),
		Seed: p.Seed.Get(ps), Logistic: logistic,
	}
}

// FMWeights are the fitted coefficients of a factorization machine as
// FMTrain lays them out: the factors (D×K, row-major), the linear weights
// (D), then the intercept. FMRegressionModel and FMClassificationModel embed
// them.
type FMWeights struct {
	Coef []float64
	D, K int
}

// Intercept returns the intercept.
func (w FMWeights) Intercept() float64 { return w.Coef[len(w.Coef)-1] }

// Linear returns the linear weights.
func (w FMWeights) Linear() linalg.Vector {
	return linalg.Dense(slices.Clone(w.Coef[w.D*w.K : w.D*w.K+w.D])...)
}

// Factors returns the factor matrix, one row of factorSize values per feature.
func (w FMWeights) Factors() [][]float64 {
	out := make([][]float64, w.D)
	for i := range out {
		out[i] = slices.Clone(w.Coef[i*w.K : (i+1)*w.K])
	}
	return out
}

// NumFeatures returns the size of the feature vectors.
func (w FMWeights) NumFeatures() int { return w.D }
