package regression

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gspark/gspark/frame"
)

// ErrNoTweedieAIC is returned by AIC for a Tweedie family other than the
// gaussian, poisson and gamma ones (variance power 0, 1, 2), as Spark has
// no AIC for it.
var ErrNoTweedieAIC = errors.New("no AIC available for the tweedie family")

// ErrGLRNoStdErrors is returned by the coefficient statistics of a
// GeneralizedLinearRegressionTrainingSummary when the last least squares
// solve gave none (a constant working label), as Spark throws then.
var ErrGLRNoStdErrors = errors.New("no Std. Error of coefficients available for this GeneralizedLinearRegressionModel")

// GeneralizedLinearRegressionSummary describes a generalized linear model
// on a dataset, as Spark's GeneralizedLinearRegressionSummary (returned by
// the model's Evaluate; the training summary embeds it).
type GeneralizedLinearRegressionSummary struct {
	// NumInstances is the number of rows.
	NumInstances int64
	// Rank is the number of coefficients, plus one with an intercept.
	Rank int64
	// DegreesOfFreedom and ResidualDegreeOfFreedom are NumInstances − Rank.
	DegreesOfFreedom, ResidualDegreeOfFreedom int64
	// ResidualDegreeOfFreedomNull is NumInstances − 1 with an intercept,
	// NumInstances without.
	ResidualDegreeOfFreedomNull int64
	// Deviance is Σ of the rows' weighted unit deviances.
	Deviance float64
	// NullDeviance is the deviance of the null model: the intercept only
	// (g(weighted mean of label − offset) when there is no offset or the
	// model is gaussian with the identity link, else an intercept-only fit
	// with the model's params), or η = offset without an intercept.
	NullDeviance float64
	// Dispersion is 1 for the binomial and poisson families, else the
	// Pearson χ² Σw(y−μ)²/V(μ) divided by DegreesOfFreedom.
	Dispersion float64

	predictions *frame.DataFrame
	family      string
	fam         glmFamily
	link        glmLink
	weightSum   float64
	y, mu, w    []float64 // per row, in row order
}

// GeneralizedLinearRegressionTrainingSummary is the summary of the
// training data, as Spark's GeneralizedLinearRegressionTrainingSummary:
// the model's summary on its training data plus the fit's iterations and
// the coefficient statistics (coefficients first, intercept last).
type GeneralizedLinearRegressionTrainingSummary struct {
	*GeneralizedLinearRegressionSummary
	// NumIterations is the number of IRLS iterations (1 for gaussian with
	// the identity link, solved directly).
	NumIterations int
	// Solver is the solver param ("irls").
	Solver       string
	coef         []float64 // coefficients then intercept (when fitted)
	diagInv      []float64
	fitIntercept bool
	featuresCol  string
}

// Predictions returns the model's output on the dataset (lazy).
func (s *GeneralizedLinearRegressionSummary) Predictions() *frame.DataFrame { return s.predictions }

// AIC returns Akaike's information criterion as Spark computes it: the
// family's formula (see glmFamily.aic) plus 2·Rank; ErrNoTweedieAIC for a
// Tweedie family without one.
func (s *GeneralizedLinearRegressionSummary) AIC() (float64, error) {
	rows := func(f func(glmAICRow)) {
		for i := range s.y {
			f(glmAICRow{s.y[i], s.mu[i], s.w[i]})
		}
	}
	a, err := s.fam.aic(rows, s.Deviance, float64(s.NumInstances), s.weightSum)
	if err != nil {
		return math.NaN(), err
	}
	return a + 2*float64(s.Rank), nil
}

// Residuals returns the residuals of the given type in row order:
// "deviance" (sign(y−μ)·√(weighted unit deviance), Spark's default),
// "pearson" ((y−μ)√w/√V(μ)), "working" ((y−μ)·g′(μ)) or "response" (y−μ).
func (s *GeneralizedLinearRegressionSummary) Residuals(kind string) ([]float64, error) {
	out := make([]float64, len(s.y))
	for i, y := range s.y {
		mu, w := s.mu[i], s.w[i]
		switch kind {
		case "deviance":
			r := math.Sqrt(math.Max(s.fam.deviance(y, mu, w), 0))
			if y <= mu {
				r = -r
			}
			out[i] = r
		case "pearson":
			out[i] = (y - mu) * math.Sqrt(w) / math.Sqrt(s.fam.variance(mu))
		case "working":
			out[i] = (y - mu) * s.link.deriv(mu)
		case "response":
			out[i] = y - mu
		default:
			return nil, fmt.Errorf("the residuals type %q is not supported by generalized linear regression (deviance, pearson, working or response)", kind)
		}
	}
	return out, nil
}

// CoefficientStandardErrors returns √(diag((XᵀWX)⁻¹)·Dispersion) from the
// last least squares solve, coefficients then intercept.
func (s *GeneralizedLinearRegressionTrainingSummary) CoefficientStandardErrors() ([]float64, error) {
	if s.diagInv == nil {
		return nil, ErrGLRNoStdErrors
	}
	out := make([]float64, len(s.diagInv))
	for i, v := range s.diagInv {
		out[i] = math.Sqrt(v * s.Dispersion)
	}
	return out, nil
}

// TValues returns coefficient / standard error, intercept last.
func (s *GeneralizedLinearRegressionTrainingSummary) TValues() ([]float64, error) {
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

// PValues returns the two-sided p-values of the t-values: under the
// standard normal for the binomial and poisson families, else under
// Student's t with DegreesOfFreedom degrees of freedom (as Spark).
func (s *GeneralizedLinearRegressionTrainingSummary) PValues() ([]float64, error) {
	t, err := s.TValues()
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(t))
	for i, v := range t {
		if s.family == "binomial" || s.family == "poisson" {
			out[i] = 2 * distuv.UnitNormal.Survival(math.Abs(v))
		} else {
			out[i] = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(s.DegreesOfFreedom)}.Survival(math.Abs(v))
		}
	}
	return out, nil
}

// Evaluate returns the model's summary on df, which needs the model's
// features, label and (when set) weight and offset columns, as Spark's
// evaluate.
func (m *GeneralizedLinearRegressionModel) Evaluate(ctx context.Context, df *frame.DataFrame) (*GeneralizedLinearRegressionSummary, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	ps := m.Params()
	if _, err := m.checkSchema(ps, df.Schema(), true); err != nil {
		return nil, err
	}
	blocks, d, err := readGLMBlocks(ctx, df, glmColumns{uid: m.UID(), features: m.featuresCol.Get(ps), label: m.labelCol.Get(ps), weight: m.weightCol.Get(ps), offset: m.offsetCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	if d != len(m.coef) {
		return nil, fmt.Errorf("%s: vectors in column %q have size %d, expected %d", m.UID(), m.featuresCol.Get(ps), d, len(m.coef))
	}
	return m.summarize(ctx, df, blocks)
}

// summarize computes the summary of the model on the rows of blocks (read
// from df).
func (m *GeneralizedLinearRegressionModel) summarize(ctx context.Context, df *frame.DataFrame, blocks []*glmBlock) (*GeneralizedLinearRegressionSummary, error) {
	ps := m.Params()
	fam, link, err := m.resolve(ps)
	if err != nil {
		return nil, err
	}
	pm := m
	if m.predictionCol.Get(ps) == "" {
		st, err := m.Copy(nil)
		if err != nil {
			return nil, err
		}
		pm = st.(*GeneralizedLinearRegressionModel).SetPredictionCol("prediction")
	}
	pred, err := pm.Transform(df)
	if err != nil {
		return nil, err
	}
	s := &GeneralizedLinearRegressionSummary{predictions: pred, family: strings.ToLower(m.family.Get(ps)), fam: fam, link: link}
	fitIntercept := m.fitIntercept.Get(ps)
	var rss, wy float64
	for _, b := range blocks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := 0; i < b.N; i++ {
			eta := m.intercept + b.off[i]
			for j, v := range b.Row(i) {
				eta += v * m.coef[j]
			}
			mu := fam.project(link.unlink(eta))
			y, w := b.Y[i], b.W[i]
			s.y, s.mu, s.w = append(s.y, y), append(s.mu, mu), append(s.w, w)
			s.Deviance += fam.deviance(y, mu, w)
			rss += (y - mu) * (y - mu) * w / fam.variance(mu)
			s.weightSum += w
			wy += (y - b.off[i]) * w
		}
	}
	s.NumInstances = int64(len(s.y))
	s.Rank = int64(len(m.coef))
	if fitIntercept {
		s.Rank++
	}
	s.DegreesOfFreedom = s.NumInstances - s.Rank
	s.ResidualDegreeOfFreedom = s.DegreesOfFreedom
	s.ResidualDegreeOfFreedomNull = s.NumInstances
	if fitIntercept {
		s.ResidualDegreeOfFreedomNull--
	}
	if s.family == "binomial" || s.family == "poisson" {
		s.Dispersion = 1
	} else {
		s.Dispersion = rss / float64(s.DegreesOfFreedom)
	}
	hasOffset := m.offsetCol.Get(ps) != ""
	gaussIdentity := fam.kind == famGaussian && link.kind == linkPower && link.p == 1
	b0 := 0.0
	if fitIntercept {
		if !hasOffset || gaussIdentity {
			b0 = link.link(wy / s.weightSum)
		} else {
			res, err := fitGLM(ctx, interceptOnly(blocks), 0, fam, link, true, m.regParam.Get(ps), m.maxIter.Get(ps), m.tol.Get(ps))
			if err != nil {
				return nil, fmt.Errorf("%s: the null model: %w", m.UID(), err)
			}
			b0 = res.intercept
		}
	}
	for _, b := range blocks {
		for i := 0; i < b.N; i++ {
			s.NullDeviance += fam.deviance(b.Y[i], link.unlink(b0+b.off[i]), b.W[i])
		}
	}
	return s, nil
}

// Table returns the summary as Spark's
// GeneralizedLinearRegressionTrainingSummary.toString prints it (R's
// summary.glm layout): the coefficient table with the intercept first
// (features named featuresCol_0, featuresCol_1, …; numbers rounded to 4
// decimals, cells longer than 20 characters cut to 17 and "..."), the
// dispersion, the null and residual deviances (Spark prints the null
// deviance with DegreesOfFreedom too) and, except for the Tweedie family,
// the AIC. It fails when there are no standard errors, as Spark's throws.
func (s *GeneralizedLinearRegressionTrainingSummary) Table() (string, error) {
	se, err := s.CoefficientStandardErrors()
	if err != nil {
		return "", err
	}
	tv, err := s.TValues()
	if err != nil {
		return "", err
	}
	pv, err := s.PValues()
	if err != nil {
		return "", err
	}
	round := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	cell := func(v string) string {
		if len(v) > 20 {
			return v[:17] + "..."
		}
		return v
	}
	d := len(s.coef)
	if s.fitIntercept {
		d--
	}
	row := func(name string, i int) []string {
		return []string{cell(name), cell(round(s.coef[i])), cell(round(se[i])), cell(round(tv[i])), cell(round(pv[i]))}
	}
	rows := [][]string{{"Feature", "Estimate", "Std Error", "T Value", "P Value"}}
	if s.fitIntercept {
		rows = append(rows, row("(Intercept)", d))
	}
	for j := 0; j < d; j++ {
		rows = append(rows, row(fmt.Sprintf("%s_%d", s.featuresCol, j), j))
	}
	widths := make([]int, 5)
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len(c))
		}
	}
	pad := func(v string, n int) string { return strings.Repeat(" ", max(n-len(v), 0)) + v }
	var b strings.Builder
	b.WriteString("Coefficients:\n")
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(pad(c, widths[i]))
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\n(Dispersion parameter for %s family taken to be %s)\n", s.fam.name(), round(s.Dispersion))
	nd := fmt.Sprintf("Null deviance: %s on %d degrees of freedom", round(s.NullDeviance), s.DegreesOfFreedom)
	rd := fmt.Sprintf("Residual deviance: %s on %d degrees of freedom", round(s.Deviance), s.ResidualDegreeOfFreedom)
	l := max(len(nd), len(rd))
	b.WriteString(pad(nd, l) + "\n" + pad(rd, l))
	if s.fam.kind != famTweedie {
		aic, err := s.AIC()
		if err != nil {
			return "", err
		}
		b.WriteString("\nAIC: " + round(aic))
	}
	return b.String(), nil
}

// String returns Table's text, or its error's when there is none.
func (s *GeneralizedLinearRegressionTrainingSummary) String() string {
	t, err := s.Table()
	if err != nil {
		return err.Error()
	}
	return t
}
