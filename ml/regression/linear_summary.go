package regression

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gspark/gspark/ml/optim"
)

// ErrNoStdErrors is returned by the coefficient statistics of a
// LinearRegressionSummary when the model was not solved directly on the
// normal equations (l-bfgs/OWL-QN, an L1 penalty, a singular system, a
// constant feature or label), as Spark's LinearRegressionTrainingSummary
// throws then.
var ErrNoStdErrors = errors.New("no Std. Error of coefficients available for this LinearRegressionModel (they need solver normal without an L1 penalty)")

// LinearRegressionSummary describes the fit on the training data, as
// Spark's LinearRegressionTrainingSummary. Coefficient statistics list the
// coefficients first and the intercept last, as Spark does.
type LinearRegressionSummary struct {
	// Solver is the solver that produced the model: "normal" or "l-bfgs".
	Solver string
	// ObjectiveHistory is Spark's objective (half the weighted mean squared
	// residual of the standardized label, plus the penalty) at the starting
	// point and after each iteration of L-BFGS/OWL-QN; {0}, as in Spark,
	// when the normal equations were solved directly or the label is
	// constant.
	ObjectiveHistory []float64
	// TotalIterations is the number of L-BFGS/OWL-QN iterations,
	// len(ObjectiveHistory)−1 (0 when solved directly).
	TotalIterations int
	// RootMeanSquaredError, MeanSquaredError, MeanAbsoluteError, R2 and
	// ExplainedVariance are weighted metrics on the training data; R2 is
	// measured through the origin when no intercept is fitted, as in Spark.
	RootMeanSquaredError, MeanSquaredError, MeanAbsoluteError, R2, ExplainedVariance float64
	// R2Adj is R2 adjusted for the number of parameters:
	// 1 − (1 − R2)(n − i)/(n − d − i), i = 1 with an intercept, else 0.
	R2Adj float64
	// NumInstances is the number of training rows.
	NumInstances int
	// DegreesOfFreedom is NumInstances minus the number of coefficients,
	// minus one more with an intercept.
	DegreesOfFreedom int
	// DevianceResiduals are the minimum and maximum of the weighted
	// residuals √w·(label − prediction).
	DevianceResiduals [2]float64

	residuals []float64 // label − prediction, in row order
	rss       float64   // Σ w·(label − prediction)²
	coef      []float64 // coefficients then intercept (with one)
	// diagInv is the diagonal of (XᵀWX + penalty)⁻¹ in the original units,
	// coefficients then intercept; nil when unavailable.
	diagInv []float64
}

// Residuals returns label − prediction for every training row, in row
// order (Spark's residuals column).
func (s *LinearRegressionSummary) Residuals() []float64 {
	return append([]float64(nil), s.residuals...)
}

// CoefficientStandardErrors returns the standard errors of the
// coefficients and then of the intercept (when fitted): √(diag((XᵀWX)⁻¹)·σ̂²)
// with σ̂² = Σw·e²/DegreesOfFreedom. Only the normal solver provides them.
func (s *LinearRegressionSummary) CoefficientStandardErrors() ([]float64, error) {
	if s.diagInv == nil {
		return nil, ErrNoStdErrors
	}
	if s.DegreesOfFreedom <= 0 {
		return nil, fmt.Errorf("%w: %d degrees of freedom", ErrNoStdErrors, s.DegreesOfFreedom)
	}
	sigma2 := s.rss / float64(s.DegreesOfFreedom)
	out := make([]float64, len(s.diagInv))
	for i, v := range s.diagInv {
		out[i] = math.Sqrt(v * sigma2)
	}
	return out, nil
}

// TValues returns the t-statistics coefficient/standard error, intercept
// last.
func (s *LinearRegressionSummary) TValues() ([]float64, error) {
	se, err := s.CoefficientStandardErrors()
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(se))
	for i, v := range se {
		out[i] = s.coef[i] / v
	}
	return out, nil
}

// PValues returns the two-sided p-values of the t-statistics under
// Student's t with DegreesOfFreedom degrees of freedom, intercept last.
func (s *LinearRegressionSummary) PValues() ([]float64, error) {
	t, err := s.TValues()
	if err != nil {
		return nil, err
	}
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(s.DegreesOfFreedom)}
	out := make([]float64, len(t))
	for i, v := range t {
		out[i] = 2 * dist.Survival(math.Abs(v))
	}
	return out, nil
}

// normalDiagInverse returns the diagonal of the inverse of the system the
// normal equations solved, mapped back to the original feature units as
// Spark's WeightedLeastSquares reports it (diagInvAtWA): with the
// standardized system A = C + l2·diag(pen²) (C the weighted covariance, or
// the uncentered second moments without an intercept, of x/σ), the
// coefficients' entries are (A⁻¹)ⱼⱼ/(W·σⱼ²) and the intercept's
// (1 + mᵀA⁻¹m)/W with mⱼ = x̄ⱼ/σⱼ (the Schur complement of the augmented
// matrix).
func normalDiagInverse(C, pen []float64, l2 float64, mo *optim.Moments, sx []float64, fitIntercept bool) ([]float64, error) {
	k := len(sx)
	A := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			v := C[a*k+b]
			if a == b {
				v += l2 * pen[a] * pen[a]
			}
			A.SetSym(a, b, v)
		}
	}
	var ch mat.Cholesky
	if ok := ch.Factorize(A); !ok {
		return nil, errors.New("singular normal equations")
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return nil, fmt.Errorf("inverting the normal equations: %w", err)
	}
	n := k
	if fitIntercept {
		n++
	}
	out := make([]float64, n)
	for j := 0; j < k; j++ {
		out[j] = inv.At(j, j) / (mo.W * sx[j] * sx[j])
	}
	if fitIntercept {
		q := 1.0
		for a := 0; a < k; a++ {
			ma := mo.MeanX[a] / sx[a]
			for b := 0; b < k; b++ {
				q += ma * inv.At(a, b) * mo.MeanX[b] / sx[b]
			}
		}
		out[k] = q / mo.W
	}
	return out, nil
}

func (s *LinearRegressionSummary) compute(ctx context.Context, blocks []*optim.Block, coef []float64, b float64, fitIntercept bool) error {
	// Per block: W, Σw·y, Σw·e², Σw·|e|, Σw·y², Σw·p, Σw·p², count.
	acc, err := optim.Reduce(ctx, blocks, 8, func(bl *optim.Block, a []float64) {
		for i := 0; i < bl.N; i++ {
			p := b
			for j, v := range bl.Row(i) {
				p += v * coef[j]
			}
			w, y := bl.W[i], bl.Y[i]
			e := y - p
			a[0] += w
			a[1] += w * y
			a[2] += w * e * e
			a[3] += w * math.Abs(e)
			a[4] += w * y * y
			a[5] += w * p
			a[6] += w * p * p
			a[7]++
		}
	})
	if err != nil {
		return err
	}
	W := acc[0]
	ym := acc[1] / W
	s.rss = acc[2]
	s.MeanSquaredError = acc[2] / W
	s.RootMeanSquaredError = math.Sqrt(s.MeanSquaredError)
	s.MeanAbsoluteError = acc[3] / W
	sstot := acc[4] - W*ym*ym
	if !fitIntercept {
		sstot = acc[4]
	}
	s.R2 = 1 - acc[2]/sstot
	s.ExplainedVariance = (acc[6] - 2*ym*acc[5] + W*ym*ym) / W
	s.NumInstances = int(acc[7])
	icpt := 0
	s.coef = append([]float64(nil), coef...)
	if fitIntercept {
		icpt = 1
		s.coef = append(s.coef, b)
	}
	s.DegreesOfFreedom = s.NumInstances - len(coef) - icpt
	s.R2Adj = 1 - (1-s.R2)*float64(s.NumInstances-icpt)/float64(s.DegreesOfFreedom)
	// Residuals in row order (blocks are in partition order) and the
	// extremes of the weighted ones.
	s.residuals = make([]float64, 0, s.NumInstances)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, bl := range blocks {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i := 0; i < bl.N; i++ {
			p := b
			for j, v := range bl.Row(i) {
				p += v * coef[j]
			}
			e := bl.Y[i] - p
			s.residuals = append(s.residuals, e)
			de := e * math.Sqrt(bl.W[i])
			lo, hi = math.Min(lo, de), math.Max(hi, de)
		}
	}
	s.DevianceResiduals = [2]float64{lo, hi}
	return nil
}
