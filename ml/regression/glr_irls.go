package regression

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"gonum.org/v1/gonum/mat"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/progress"
)

// glmBlock holds one partition's rows for GeneralizedLinearRegression: the
// features, labels and weights (optim.Block) and the offsets.
type glmBlock struct {
	optim.Block
	off []float64
}

// glmColumns names the columns readGLMBlocks reads; WeightCol and
// OffsetCol may be empty.
type glmColumns struct {
	uid, features, label, weight, offset string
}

// readGLMBlocks runs df once and returns one block per partition. Feature
// vectors must be non-null, of one size and finite; labels non-null and
// finite; weights non-null, finite and non-negative; offsets non-null and
// finite. Errors name the column. d is the vector size (0 when every vector
// is empty).
func readGLMBlocks(ctx context.Context, df *frame.DataFrame, c glmColumns) ([]*glmBlock, int, error) {
	if err := df.Err(); err != nil {
		return nil, 0, err
	}
	s := df.Schema()
	fi, li := ml.FieldIndex(s, c.features), ml.FieldIndex(s, c.label)
	wi, oi := -1, -1
	if c.weight != "" {
		wi = ml.FieldIndex(s, c.weight)
	}
	if c.offset != "" {
		oi = ml.FieldIndex(s, c.offset)
	}
	if fi < 0 || li < 0 || (c.weight != "" && wi < 0) || (c.offset != "" && oi < 0) {
		return nil, 0, fmt.Errorf("%s: the input lacks a column of %q, %q, %q or %q", c.uid, c.features, c.label, c.weight, c.offset)
	}
	blocks, err := frame.AggregatePartitions(ctx, df, func(int) *glmBlock { return &glmBlock{Block: optim.Block{D: -1}} },
		func(acc *glmBlock, b arrow.RecordBatch) (*glmBlock, error) {
			return acc, acc.appendBatch(b, c, fi, li, wi, oi)
		})
	if err != nil {
		return nil, 0, err
	}
	d, n := -1, 0
	for _, b := range blocks {
		n += b.N
		if b.D >= 0 {
			if d >= 0 && b.D != d {
				return nil, 0, fmt.Errorf("%s: vectors in column %q have different sizes %d and %d", c.uid, c.features, d, b.D)
			}
			d = b.D
		}
	}
	if n == 0 {
		return nil, 0, fmt.Errorf("%s: the input has no rows", c.uid)
	}
	for _, b := range blocks {
		b.D = d
	}
	return blocks, d, nil
}

func (acc *glmBlock) appendBatch(b arrow.RecordBatch, c glmColumns, fi, li, wi, oi int) error {
	n := int(b.NumRows())
	if n == 0 {
		return nil
	}
	vc, err := linalg.Vectors(b.Column(fi))
	if err != nil {
		return fmt.Errorf("%s: column %q: %w", c.uid, c.features, err)
	}
	num := func(i int, name string) ([]float64, error) {
		col := b.Column(i)
		v, err := ml.Float64Column(col, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", c.uid, name, err)
		}
		for r, x := range v {
			if col.IsNull(r) || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s: column %q has a null or non-finite value", c.uid, name)
			}
		}
		return v, nil
	}
	labels, err := num(li, c.label)
	if err != nil {
		return err
	}
	var weights, offsets []float64
	if wi >= 0 {
		if weights, err = num(wi, c.weight); err != nil {
			return err
		}
	}
	if oi >= 0 {
		if offsets, err = num(oi, c.offset); err != nil {
			return err
		}
	}
	for i := 0; i < n; i++ {
		if vc.IsNull(i) {
			return fmt.Errorf("%s: features column %q has a null vector", c.uid, c.features)
		}
		size := vc.Size(i)
		if acc.D < 0 {
			acc.D = size
		} else if size != acc.D {
			return fmt.Errorf("%s: vectors in column %q have different sizes %d and %d", c.uid, c.features, acc.D, size)
		}
		start := len(acc.X)
		acc.X = append(acc.X, make([]float64, size)...)
		row := acc.X[start:]
		if vals := vc.DenseValues(i); vals != nil {
			copy(row, vals)
		} else {
			idx, vals := vc.Sparse(i)
			for k, j := range idx {
				row[j] = vals[k]
			}
		}
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: features column %q has a non-finite value %v", c.uid, c.features, v)
			}
		}
		w := 1.0
		if weights != nil {
			if w = weights[i]; w < 0 {
				return fmt.Errorf("%s: weight column %q has a negative weight %v", c.uid, c.weight, w)
			}
		}
		o := 0.0
		if offsets != nil {
			o = offsets[i]
		}
		acc.Y = append(acc.Y, labels[i])
		acc.W = append(acc.W, w)
		acc.off = append(acc.off, o)
		acc.N++
	}
	return nil
}

// interceptOnly returns the blocks without their features, for the
// intercept-only (null) model.
func interceptOnly(blocks []*glmBlock) []*glmBlock {
	out := make([]*glmBlock, len(blocks))
	for i, b := range blocks {
		out[i] = &glmBlock{Block: optim.Block{N: b.N, D: 0, Y: b.Y, W: b.W}, off: b.off}
	}
	return out
}

// wlsModel is the solution of one weighted least squares problem:
// coefficients, intercept and the diagonal of (AᵀWA + penalty)⁻¹ in the
// original units (coefficients then intercept), nil when Spark reports
// none (a constant working label).
type wlsModel struct {
	coef      []float64
	intercept float64
	diagInv   []float64
}

// errSingular reports a singular weighted least squares system.
var errSingular = errors.New("the weighted least squares system is singular (collinear or constant features?)")

// wls solves Spark's WeightedLeastSquares problem on the rows' features,
// working labels z and working weights ww (both computed per row by
// work): minimize
//
//	1/(2Σw) Σ w(x·β + β₀ − z)² + λ/δ · ½ Σⱼ (σⱼβⱼ)²
//
// with δ the population standard deviation of z and σⱼ the features'
// when standardize is true (δ = σⱼ = 1 otherwise), elastic net 0. A
// constant z gives zero coefficients and intercept mean(z) (with an
// intercept, or when the mean is 0) and no standard errors, as Spark.
func wls(ctx context.Context, blocks []*glmBlock, d int, fitIntercept bool, regParam float64, standardize bool, work func(b *glmBlock, i int) (z, w float64)) (*wlsModel, error) {
	// Accumulator: W, Σwz, Σwz², Σwx (d), Σwxz (d), Σwxxᵀ (d×d).
	dim := 3 + 2*d + d*d
	index := make(map[*optim.Block]*glmBlock, len(blocks))
	plain := make([]*optim.Block, len(blocks))
	for i, b := range blocks {
		plain[i] = &b.Block
		index[&b.Block] = b
	}
	acc, err := optim.Reduce(ctx, plain, dim, func(ob *optim.Block, a []float64) {
		b := index[ob]
		sx, sxz, sxx := a[3:3+d], a[3+d:3+2*d], a[3+2*d:]
		for i := 0; i < b.N; i++ {
			z, w := work(b, i)
			a[0] += w
			a[1] += w * z
			a[2] += w * z * z
			x := b.Row(i)
			for j, v := range x {
				if v == 0 {
					continue
				}
				wv := w * v
				sx[j] += wv
				sxz[j] += wv * z
				row := sxx[j*d : j*d+d]
				for k := j; k < d; k++ {
					row[k] += wv * x[k]
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	W := acc[0]
	if !(W > 0) {
		return nil, errors.New("the sum of the weights is zero")
	}
	zm := acc[1] / W
	zvar := math.Max(acc[2]/W-zm*zm, 0)
	zstd := math.Sqrt(zvar)
	if zstd == 0 || (d == 0 && fitIntercept) {
		if fitIntercept || zm == 0 {
			m := &wlsModel{coef: make([]float64, d), intercept: zm}
			if d == 0 && zstd > 0 {
				m.diagInv = []float64{1 / W}
			}
			return m, nil
		}
		if regParam > 0 && standardize {
			return nil, errors.New("the working label is constant and nonzero without an intercept: the model cannot be regularized with a standardized label")
		}
		zstd = math.Abs(zm)
	}
	xm := make([]float64, d)
	for j := range xm {
		xm[j] = acc[3+j] / W
	}
	sxx := acc[3+2*d:]
	A := mat.NewSymDense(max(d, 1), nil)
	c := make([]float64, d)
	for j := 0; j < d; j++ {
		for k := j; k < d; k++ {
			v := sxx[j*d+k] / W
			if fitIntercept {
				v -= xm[j] * xm[k]
			}
			A.SetSym(j, k, v)
		}
		c[j] = acc[3+d+j] / W
		if fitIntercept {
			c[j] -= xm[j] * zm
		}
	}
	if regParam > 0 {
		for j := 0; j < d; j++ {
			pen := regParam
			if standardize {
				varj := math.Max(sxx[j*d+j]/W-xm[j]*xm[j], 0)
				pen = regParam / zstd * varj
			}
			A.SetSym(j, j, A.At(j, j)+pen)
		}
	}
	m := &wlsModel{coef: make([]float64, d)}
	if err := m.solve(ctx, A, c, xm, W, fitIntercept); err != nil {
		return nil, err
	}
	if fitIntercept {
		m.intercept = zm
		for j, v := range m.coef {
			m.intercept -= v * xm[j]
		}
	}
	return m, nil
}

// irlsResult is what fitting a generalized linear model returns.
type irlsResult struct {
	*wlsModel
	iterations int
}

// fitGLM fits the model as Spark's GeneralizedLinearRegression.train:
// gaussian with the identity link by one weighted least squares solve on
// label − offset (standardized penalty), every other family and link by
// IRLS from a start fitted (standardized) to g(μ₀) − offset, each step a
// weighted least squares solve with the plain L2 penalty regParam/2·‖β‖²,
// until the largest change of a coefficient or the intercept is below tol
// or after maxIter steps.
func fitGLM(ctx context.Context, blocks []*glmBlock, d int, fam glmFamily, link glmLink, fitIntercept bool, regParam float64, maxIter int, tol float64) (*irlsResult, error) {
	if d == 0 && !fitIntercept {
		return nil, errors.New("the features are empty and fitIntercept is false: a model with no features needs an intercept")
	}
	if d > maxNormalFeatures {
		return nil, fmt.Errorf("generalized linear regression supports up to %d features, found %d", maxNormalFeatures, d)
	}
	if fam.kind == famGaussian && link.kind == linkPower && link.p == 1 {
		m, err := wls(ctx, blocks, d, fitIntercept, regParam, true, func(b *glmBlock, i int) (float64, float64) {
			return b.Y[i] - b.off[i], b.W[i]
		})
		if err != nil {
			return nil, err
		}
		return &irlsResult{wlsModel: m, iterations: 1}, nil
	}
	// Check the labels' range and set the starting linear predictors.
	for _, b := range blocks {
		for i := 0; i < b.N; i++ {
			if _, err := fam.initialize(b.Y[i], b.W[i]); err != nil {
				return nil, err
			}
		}
	}
	model, err := wls(ctx, blocks, d, fitIntercept, regParam, true, func(b *glmBlock, i int) (float64, float64) {
		mu, _ := fam.initialize(b.Y[i], b.W[i])
		return link.link(fam.project(mu)) - b.off[i], b.W[i]
	})
	if err != nil {
		return nil, fmt.Errorf("the initial fit: %w", err)
	}
	iter := 0
	for converged := false; iter < maxIter && !converged; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		old := model
		model, err = wls(ctx, blocks, d, fitIntercept, regParam, false, func(b *glmBlock, i int) (float64, float64) {
			eta := b.off[i] + old.intercept
			for j, v := range b.Row(i) {
				eta += v * old.coef[j]
			}
			mu := fam.project(link.unlink(eta))
			g := link.deriv(mu)
			return eta - b.off[i] + (b.Y[i]-mu)*g, b.W[i] / (g * g * fam.variance(mu))
		})
		if err != nil {
			return nil, fmt.Errorf("IRLS iteration %d: %w", iter+1, err)
		}
		// Spark takes the largest |change| of the coefficients with a
		// reduce of max(|a|, |b|), so a single coefficient's change counts
		// with its sign; then the intercept's |change|.
		maxTol := 0.0
		switch d {
		case 0:
		case 1:
			maxTol = old.coef[0] - model.coef[0]
		default:
			for j := range model.coef {
				maxTol = math.Max(maxTol, math.Abs(old.coef[j]-model.coef[j]))
			}
		}
		if d == 0 {
			maxTol = math.Abs(old.intercept - model.intercept)
		} else {
			maxTol = math.Max(maxTol, math.Abs(old.intercept-model.intercept))
		}
		converged = maxTol < tol
		iter++
		progress.Report(ctx, "iteration", iter, maxIter)
	}
	for _, v := range append(append([]float64(nil), model.coef...), model.intercept) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errors.New("IRLS diverged: a coefficient is not finite (try another link or starting data)")
		}
	}
	return &irlsResult{wlsModel: model, iterations: iter}, nil
}

// solve sets m's coefficients to the solution of A·β = c (A the
// regularized weighted covariance, c the covariance with the working
// label) and the diagonal of the inverse in original units. Features with
// A_jj = 0 (constant, unpenalized) get coefficient 0. As Spark's
// WeightedLeastSquares, a system Cholesky cannot factor (a constant or
// collinear feature) is solved instead by the quasi-Newton method from
// zero in standardized coordinates (L-BFGS, 100 iterations, tol 1e-6),
// and then has no standard errors.
func (m *wlsModel) solve(ctx context.Context, A *mat.SymDense, c, xm []float64, W float64, fitIntercept bool) error {
	d := len(c)
	// Jacobi scaling on the active features: u = S⁻¹β with S =
	// diag(A)^(-1/2), which with no penalty are standardized coordinates.
	var active []int
	for j := 0; j < d; j++ {
		if A.At(j, j) > 0 {
			active = append(active, j)
		}
	}
	k := len(active)
	if k == 0 {
		return nil
	}
	s := make([]float64, k)
	B := mat.NewSymDense(k, nil)
	rhs := make([]float64, k)
	for a, j := range active {
		s[a] = 1 / math.Sqrt(A.At(j, j))
	}
	for a, j := range active {
		for b := a; b < k; b++ {
			B.SetSym(a, b, A.At(j, active[b])*s[a]*s[b])
		}
		rhs[a] = c[j] * s[a]
	}
	quasiNewton := func() error {
		// Spark's fallback: minimize ½uᵀBu − rhsᵀu from 0.
		obj := func(u, g []float64) (float64, error) {
			f := 0.0
			for a := 0; a < k; a++ {
				v := 0.0
				for b := 0; b < k; b++ {
					v += B.At(a, b) * u[b]
				}
				g[a] = v - rhs[a]
				f += 0.5*u[a]*v - rhs[a]*u[a]
			}
			return f, nil
		}
		res, err := optim.Minimize(ctx, obj, make([]float64, k), nil, optim.Config{MaxIter: 100, Tol: 1e-6})
		if err != nil {
			return err
		}
		for a, j := range active {
			m.coef[j] = res.X[a] * s[a]
		}
		return nil
	}
	var ch mat.Cholesky
	if k < d || !ch.Factorize(B) {
		return quasiNewton()
	}
	var u mat.VecDense
	if err := ch.SolveVecTo(&u, mat.NewVecDense(k, rhs)); err != nil {
		// Ill-conditioned (a mat.Condition error): numerically singular.
		return quasiNewton()
	}
	for a, j := range active {
		m.coef[j] = u.AtVec(a) * s[a]
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return fmt.Errorf("%w: %w", errSingular, err)
	}
	n := d
	if fitIntercept {
		n++
	}
	m.diagInv = make([]float64, n)
	for j := 0; j < d; j++ {
		m.diagInv[j] = inv.At(j, j) * s[j] * s[j] / W
	}
	if fitIntercept {
		q := 1.0
		for j := 0; j < d; j++ {
			for l := 0; l < d; l++ {
				q += xm[j] * s[j] * inv.At(j, l) * s[l] * xm[l]
			}
		}
		m.diagInv[d] = q / W
	}
	return nil
}
