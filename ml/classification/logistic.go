// Package classification holds gspark's classifiers with Spark ML's names,
// params and semantics: LogisticRegression (binomial and multinomial, with
// elastic-net regularization), NaiveBayes (multinomial, bernoulli,
// gaussian), LinearSVC, DecisionTreeClassifier, RandomForestClassifier and
// GBTClassifier. Register adds their loaders to an
// ml.Registry.
package classification

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/internal/simd"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/param"
)

const classPrefix = "gspark.ml.classification."

// Register adds the loaders of this package's stages to r and returns r.
func Register(r *ml.Registry) *ml.Registry {
	r.Register(classPrefix+"LogisticRegression", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		lr := newLogisticRegression(md.UID)
		return lr, md.ApplyParams(lr.Params())
	})
	r.Register(classPrefix+"LogisticRegressionModel", loadLogisticRegressionModel)
	registerSparkLinear(r)
	r.Register(classPrefix+"NaiveBayes", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		nb := newNaiveBayes(md.UID)
		return nb, md.ApplyParams(nb.Params())
	})
	r.Register(classPrefix+"NaiveBayesModel", loadNaiveBayesModel)
	r.Register(classPrefix+"DecisionTreeClassifier", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		c := newDecisionTreeClassifier(md.UID)
		return c, md.ApplyParams(c.Params())
	})
	r.Register(classPrefix+"DecisionTreeClassificationModel", loadDecisionTreeClassificationModel)
	r.Register(classPrefix+"RandomForestClassifier", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		f := newRandomForestClassifier(md.UID)
		return f, md.ApplyParams(f.Params())
	})
	r.Register(classPrefix+"RandomForestClassificationModel", loadRandomForestClassificationModel)
	r.Register(classPrefix+"GBTClassifier", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		g := newGBTClassifier(md.UID)
		return g, md.ApplyParams(g.Params())
	})
	r.Register(classPrefix+"GBTClassificationModel", loadGBTClassificationModel)
	r.Register(classPrefix+"LinearSVC", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		s := newLinearSVC(md.UID)
		return s, md.ApplyParams(s.Params())
	})
	r.Register(classPrefix+"LinearSVCModel", loadLinearSVCModel)
	r.Register(classPrefix+"MultilayerPerceptronClassificationModel", loadMLP)
	registerSpark(r)
	registerOneVsRest(r)
	registerSparkOneVsRest(r)
	registerMLPTrain(r)
	registerFMC(r)
	return r
}

// logParams are the params LogisticRegression and its model share.
type logParams struct {
	featuresCol, labelCol, predictionCol, rawPredictionCol, probabilityCol, weightCol, family param.Param[string]
	maxIter                                                                                   param.Param[int]
	regParam, elasticNetParam, tol, threshold                                                 param.Param[float64]
	thresholds                                                                                param.Param[[]float64]
	fitIntercept, standardization                                                             param.Param[bool]
}

func defineLog(ps *param.Params) logParams {
	return logParams{
		featuresCol:      param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:         param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		predictionCol:    param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		rawPredictionCol: param.Define(ps, "rawPredictionCol", "raw prediction (margins) column name; empty for none", param.WithDefault("rawPrediction")),
		probabilityCol:   param.Define(ps, "probabilityCol", "class probabilities column name; empty for none", param.WithDefault("probability")),
		weightCol:        param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)"),
		family:           param.Define(ps, "family", "auto, binomial or multinomial", param.WithDefault("auto"), param.WithValidator(param.OneOf("auto", "binomial", "multinomial"))),
		maxIter:          param.Define(ps, "maxIter", "maximum number of iterations (>= 0)", param.WithDefault(100), param.WithValidator(param.GtEq(0))),
		regParam:         param.Define(ps, "regParam", "regularization parameter (>= 0)", param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
		elasticNetParam:  param.Define(ps, "elasticNetParam", "ElasticNet mixing: 0 is L2, 1 is L1", param.WithDefault(0.0), param.WithValidator(param.InRange(0.0, 1.0))),
		tol:              param.Define(ps, "tol", "convergence tolerance (>= 0)", param.WithDefault(1e-6), param.WithValidator(param.GtEq(0.0))),
		threshold:        param.Define(ps, "threshold", "binomial threshold on the probability of class 1", param.WithDefault(0.5), param.WithValidator(param.InRange(0.0, 1.0))),
		thresholds: param.Define(ps, "thresholds", "per-class thresholds: the prediction maximizes p/t", param.WithValidator(func(t []float64) error {
			zeros := 0
			for _, v := range t {
				if !(v >= 0) {
					return fmt.Errorf("thresholds must be >= 0, got %v", t)
				}
				if v == 0 {
					zeros++
				}
			}
			if zeros > 1 {
				return fmt.Errorf("at most one threshold may be 0, got %v", t)
			}
			return nil
		})),
		fitIntercept:    param.Define(ps, "fitIntercept", "whether to fit an intercept", param.WithDefault(true)),
		standardization: param.Define(ps, "standardization", "whether the penalty applies to standardized coefficients", param.WithDefault(true)),
	}
}

func (p logParams) columns(ps *param.Params, label bool) optim.Columns {
	c := optim.Columns{UID: ps.UID(), FeaturesCol: p.featuresCol.Get(ps)}
	if label {
		c.LabelCol, c.WeightCol = p.labelCol.Get(ps), p.weightCol.Get(ps)
	}
	return c
}

func (p logParams) outSchema(ps *param.Params, in *arrow.Schema, label bool) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if err := p.columns(ps, label).Check(in); err != nil {
		return nil, err
	}
	out := in
	var err error
	for _, c := range []struct {
		name string
		typ  arrow.DataType
	}{{p.rawPredictionCol.Get(ps), linalg.VectorType()}, {p.probabilityCol.Get(ps), linalg.VectorType()}, {p.predictionCol.Get(ps), arrow.PrimitiveTypes.Float64}} {
		if c.name == "" {
			continue
		}
		if out, err = ml.AppendColumn(out, ps.UID(), arrow.Field{Name: c.name, Type: c.typ, Nullable: true}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LogisticRegression fits a binomial (logistic) or multinomial (softmax)
// model minimizing, as Spark does,
//
//	1/W Σ wᵢ·logloss(yᵢ, xᵢ) + λ[(1−α)/2·Σ(σⱼβⱼ)² + α·Σσⱼ|βⱼ|]
//
// over every coefficient β (intercepts are not penalized), with λ =
// regParam, α = elasticNetParam and σⱼ the sample standard deviation of
// feature j when standardization is on (1 otherwise). It optimizes over
// standardized, centered features with L-BFGS (OWL-QN when α·λ > 0); the
// gradient is aggregated over partitions in parallel each iteration.
// Family "auto" picks binomial for at most two classes. Labels must be the
// class indices 0, 1, …. Multinomial intercepts are centered to sum to zero,
// and so are the coefficients of each feature when λ = 0.
type LogisticRegression struct {
	ml.StageBase
	logParams
}

// NewLogisticRegression returns an estimator with Spark's defaults.
func NewLogisticRegression() *LogisticRegression { return newLogisticRegression(param.UID("logreg")) }

func newLogisticRegression(uid string) *LogisticRegression {
	lr := &LogisticRegression{StageBase: ml.NewStageBase(uid)}
	lr.logParams = defineLog(lr.Params())
	return lr
}

// SetFeaturesCol sets the features column.
func (lr *LogisticRegression) SetFeaturesCol(c string) *LogisticRegression {
	lr.featuresCol.Set(lr.Params(), c)
	return lr
}

// SetLabelCol sets the label column.
func (lr *LogisticRegression) SetLabelCol(c string) *LogisticRegression {
	lr.labelCol.Set(lr.Params(), c)
	return lr
}

// SetPredictionCol sets the prediction column.
func (lr *LogisticRegression) SetPredictionCol(c string) *LogisticRegression {
	lr.predictionCol.Set(lr.Params(), c)
	return lr
}

// SetRawPredictionCol sets the raw prediction column ("" for none).
func (lr *LogisticRegression) SetRawPredictionCol(c string) *LogisticRegression {
	lr.rawPredictionCol.Set(lr.Params(), c)
	return lr
}

// SetProbabilityCol sets the probability column ("" for none).
func (lr *LogisticRegression) SetProbabilityCol(c string) *LogisticRegression {
	lr.probabilityCol.Set(lr.Params(), c)
	return lr
}

// SetWeightCol sets the instance weight column.
func (lr *LogisticRegression) SetWeightCol(c string) *LogisticRegression {
	lr.weightCol.Set(lr.Params(), c)
	return lr
}

// SetFamily sets the family: "auto", "binomial" or "multinomial".
func (lr *LogisticRegression) SetFamily(f string) *LogisticRegression {
	lr.family.Set(lr.Params(), f)
	return lr
}

// SetMaxIter sets the iteration limit.
func (lr *LogisticRegression) SetMaxIter(n int) *LogisticRegression {
	lr.maxIter.Set(lr.Params(), n)
	return lr
}

// SetRegParam sets the regularization strength λ.
func (lr *LogisticRegression) SetRegParam(v float64) *LogisticRegression {
	lr.regParam.Set(lr.Params(), v)
	return lr
}

// SetElasticNetParam sets the L1 share α of the penalty.
func (lr *LogisticRegression) SetElasticNetParam(v float64) *LogisticRegression {
	lr.elasticNetParam.Set(lr.Params(), v)
	return lr
}

// SetTol sets the convergence tolerance of L-BFGS/OWL-QN, used as Spark
// (through Breeze) does: see optim.Config for the stopping rule.
func (lr *LogisticRegression) SetTol(v float64) *LogisticRegression {
	lr.tol.Set(lr.Params(), v)
	return lr
}

// SetThreshold sets the binomial threshold on the probability of class 1.
func (lr *LogisticRegression) SetThreshold(v float64) *LogisticRegression {
	lr.threshold.Set(lr.Params(), v)
	return lr
}

// SetThresholds sets per-class thresholds.
func (lr *LogisticRegression) SetThresholds(t []float64) *LogisticRegression {
	lr.thresholds.Set(lr.Params(), t)
	return lr
}

// SetFitIntercept sets whether intercepts are fitted.
func (lr *LogisticRegression) SetFitIntercept(v bool) *LogisticRegression {
	lr.fitIntercept.Set(lr.Params(), v)
	return lr
}

// SetStandardization sets whether the penalty applies to standardized coefficients.
func (lr *LogisticRegression) SetStandardization(v bool) *LogisticRegression {
	lr.standardization.Set(lr.Params(), v)
	return lr
}

// ClassName implements ml.Stage.
func (lr *LogisticRegression) ClassName() string { return classPrefix + "LogisticRegression" }

// TransformSchema implements ml.Stage.
func (lr *LogisticRegression) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return lr.outSchema(lr.Params(), in, true)
}

// Copy implements ml.Stage.
func (lr *LogisticRegression) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := lr.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *lr // param handles are names, valid for the copied holder too
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (lr *LogisticRegression) Save(path string) error { return ml.Save(lr, path) }

// Fit implements ml.Estimator.
func (lr *LogisticRegression) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := lr.FitLogistic(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitLogistic is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (lr *LogisticRegression) FitLogistic(ctx context.Context, df *frame.DataFrame) (*LogisticRegressionModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := lr.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := lr.Params()
	uid := lr.UID()
	blocks, err := optim.ReadBlocks(ctx, df, lr.columns(ps, true))
	if err != nil {
		return nil, err
	}
	// Label check and class weights.
	maxLabel := 0
	for _, b := range blocks {
		for _, y := range b.Y {
			if y < 0 || y != math.Trunc(y) || y > 1e7 {
				return nil, fmt.Errorf("%s: labels in column %q must be class indices 0, 1, 2, …; got %v", uid, lr.labelCol.Get(ps), y)
			}
			maxLabel = max(maxLabel, int(y))
		}
	}
	numClasses := maxLabel + 1
	family := lr.family.Get(ps)
	multinomial := family == "multinomial" || (family == "auto" && numClasses > 2)
	if !multinomial && numClasses > 2 {
		return nil, fmt.Errorf("%s: the binomial family supports 1 or 2 classes, found %d in column %q", uid, numClasses, lr.labelCol.Get(ps))
	}
	if !multinomial {
		numClasses = 2
	}
	if t, ok := lr.thresholds.GetOK(ps); ok && len(t) != numClasses {
		return nil, fmt.Errorf("%s: thresholds has %d values but the data has %d classes", uid, len(t), numClasses)
	}
	mo, err := optim.ComputeMoments(ctx, blocks, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	counts := make([]float64, numClasses)
	for _, b := range blocks {
		for i, y := range b.Y {
			counts[int(y)] += b.W[i]
		}
	}
	fitter := &logFitter{
		blocks: blocks, d: mo.D, W: mo.W, fitIntercept: lr.fitIntercept.Get(ps),
		lambda: lr.regParam.Get(ps), alpha: lr.elasticNetParam.Get(ps), standardize: lr.standardization.Get(ps),
		multinomial: multinomial, numClasses: numClasses, counts: counts,
	}
	scale := mo.SampleScale()
	fitter.mean, fitter.std = mo.MeanX, make([]float64, mo.D)
	for j := range fitter.std {
		fitter.std[j] = math.Sqrt(mo.VarX[j] * scale)
	}
	coef, icpt, sum, err := fitter.fit(ctx, optim.Config{MaxIter: lr.maxIter.Get(ps), Tol: optim.ParamTol(lr.tol.Get(ps))})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m := newLogisticRegressionModel(uid, coef, icpt, multinomial)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	if err := sum.setPredictions(m, df, lr.labelCol.Get(ps), lr.weightCol.Get(ps), !multinomial); err != nil {
		return nil, fmt.Errorf("%s: training predictions: %w", uid, err)
	}
	m.summary = sum
	return m, nil
}

type logFitter struct {
	blocks                    []*optim.Block
	d                         int
	W                         float64
	mean, std                 []float64
	fitIntercept, standardize bool
	lambda, alpha             float64
	multinomial               bool
	numClasses                int
	counts                    []float64
}

// fit returns the coefficient matrix (K×d; 1×d for binomial) and intercepts
// in the original feature space.
func (f *logFitter) fit(ctx context.Context, cfg optim.Config) ([][]float64, []float64, *LogisticRegressionSummary, error) {
	d := f.d
	K := 1
	if f.multinomial {
		K = f.numClasses
	}
	sum := &LogisticRegressionSummary{}
	coef := make([][]float64, K)
	for k := range coef {
		coef[k] = make([]float64, d)
	}
	icpt := make([]float64, K)
	if !f.multinomial && (f.counts[0] == 0 || f.counts[1] == 0) {
		// One class only: the optimum is at an infinite intercept, as Spark returns.
		if f.fitIntercept {
			if f.counts[1] == 0 {
				icpt[0] = math.Inf(-1)
			} else {
				icpt[0] = math.Inf(1)
			}
		}
		return coef, icpt, sum, nil
	}
	var active []int
	for j := 0; j < d; j++ {
		if f.std[j] > 0 {
			active = append(active, j)
		}
	}
	na := len(active)
	stride := na
	if f.fitIntercept {
		stride++
	}
	nParams := K * stride
	x0 := make([]float64, nParams)
	if f.fitIntercept {
		if f.multinomial {
			var mean float64
			logs := make([]float64, K)
			for k, c := range f.counts {
				if c > 0 {
					logs[k] = math.Log(c / f.W)
				}
				mean += logs[k]
			}
			for k := range logs {
				x0[k*stride+na] = logs[k] - mean/float64(K)
			}
		} else {
			x0[na] = math.Log(f.counts[1] / f.counts[0])
		}
	}
	pen := make([]float64, na)
	for a, j := range active {
		pen[a] = 1
		if !f.standardize {
			pen[a] = 1 / f.std[j]
		}
	}
	l2 := f.lambda * (1 - f.alpha)
	l1 := f.lambda * f.alpha
	// beta and beta0 are the model in the original space for the current x.
	beta := make([]float64, K*d)
	beta0 := make([]float64, K)
	accDim := K*d + K + 1
	obj := func(x, g []float64) (float64, error) {
		for k := 0; k < K; k++ {
			b := 0.0
			if f.fitIntercept {
				b = x[k*stride+na]
			}
			for a, j := range active {
				v := x[k*stride+a] / f.std[j]
				beta[k*d+j] = v
				if f.fitIntercept {
					b -= v * f.mean[j]
				}
			}
			beta0[k] = b
		}
		acc, err := optim.Reduce(ctx, f.blocks, accDim, func(bl *optim.Block, acc []float64) {
			if f.multinomial {
				multinomialGrad(bl, beta, beta0, K, acc)
			} else {
				binomialGrad(bl, beta, beta0[0], acc)
			}
		})
		if err != nil {
			return 0, err
		}
		loss := acc[K*d+K] / f.W
		for k := 0; k < K; k++ {
			g0 := acc[K*d+k]
			for a, j := range active {
				gv := (acc[k*d+j] - f.mean[j]*g0) / (f.std[j] * f.W)
				if !f.fitIntercept {
					gv = acc[k*d+j] / (f.std[j] * f.W)
				}
				xv := x[k*stride+a]
				pa := pen[a] * pen[a] * l2
				g[k*stride+a] = gv + pa*xv
				loss += 0.5 * pa * xv * xv
			}
			if f.fitIntercept {
				g[k*stride+na] = g0 / f.W
			}
		}
		return loss, nil
	}
	var l1w []float64
	if l1 > 0 {
		l1w = make([]float64, nParams)
		for k := 0; k < K; k++ {
			for a := range active {
				l1w[k*stride+a] = l1 * pen[a]
			}
		}
	}
	// Diagonal inverse-Hessian guess: data curvature ≤ 1/4 per standardized
	// coordinate, plus the L2 penalty's (which varies with 1/σ² without
	// standardization).
	cfg.Precond = make([]float64, nParams)
	for k := 0; k < K; k++ {
		for a := range active {
			cfg.Precond[k*stride+a] = 1 / (0.25 + l2*pen[a]*pen[a])
		}
		if f.fitIntercept {
			cfg.Precond[k*stride+na] = 4
		}
	}
	res, err := optim.Minimize(ctx, obj, x0, l1w, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	sum.ObjectiveHistory, sum.TotalIterations = res.History, res.Iterations
	x := res.X
	for k := 0; k < K; k++ {
		b := 0.0
		if f.fitIntercept {
			b = x[k*stride+na]
		}
		for a, j := range active {
			v := x[k*stride+a] / f.std[j]
			coef[k][j] = v
			if f.fitIntercept {
				b -= v * f.mean[j]
			}
		}
		icpt[k] = b
	}
	if f.multinomial {
		if f.fitIntercept {
			centre(icpt)
		}
		if f.lambda == 0 {
			col := make([]float64, K)
			for j := 0; j < d; j++ {
				for k := range col {
					col[k] = coef[k][j]
				}
				centre(col)
				for k := range col {
					coef[k][j] = col[k]
				}
			}
		}
	}
	return coef, icpt, sum, nil
}

func centre(v []float64) {
	m := 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for i := range v {
		v[i] -= m
	}
}

// binomialGrad accumulates Σw(σ(m)−y)x into acc[:d], Σw(σ(m)−y) into
// acc[d] and the weighted log loss into acc[d+1].
func binomialGrad(bl *optim.Block, beta []float64, b0 float64, acc []float64) {
	if bl.UnitWeights {
		binomialGradUnit(bl, beta, b0, acc)
		return
	}
	d := bl.D
	// The loss is summed lossRenorm rows at a time and the chunks into a
	// compensated sum, so that its rounding stays near that of a short sum:
	// the line search compares losses of nearby points, and a loss summed
	// naively over a million rows (errors near 1e-13 of it) hides the
	// decrease of the last iterations and sends the search into its limits.
	var loss compSum
	chunk := 0.0
	for i := 0; i < bl.N; i++ {
		if i%lossRenorm == 0 {
			loss.add(chunk)
			chunk = 0
		}
		x := bl.Row(i)
		m := b0 + dot4(x, beta)
		w, y := bl.W[i], bl.Y[i]
		// log(1+e^m) − y·m, computed stably: with e = e^−|m| ≤ 1 and
		// u = 1 + e, log(1+e^m) is log1p(e) (+ m when m > 0) and σ(m) is
		// 1/u (or e/u when m ≤ 0). m − y·m is taken first, so that a
		// confident row's tiny log1p(e) is not lost beside m.
		var lin, l1p, p float64
		if m > 0 {
			e := math.Exp(-m)
			u := 1 + e
			lin, l1p, p = m-y*m, log1pU(e, u), 1/u
		} else {
			e := math.Exp(m)
			u := 1 + e
			lin, l1p, p = -y*m, log1pU(e, u), e/u
		}
		chunk += w * (lin + l1p)
		r := w * (p - y)
		if r == 0 {
			continue
		}
		for j, v := range x {
			acc[j] += r * v
		}
		acc[d] += r
	}
	loss.add(chunk)
	acc[d+1] += loss.sum()
}

// compSum is a compensated running sum (Neumaier's variant of Kahan
// summation): s plus the rounding errors of its additions, c.
type compSum struct{ s, c float64 }

// add adds v to the sum.
func (k *compSum) add(v float64) {
	t := k.s + v
	if math.Abs(k.s) >= math.Abs(v) {
		k.c += (k.s - t) + v
	} else {
		k.c += (v - t) + k.s
	}
	k.s = t
}

// sum returns the sum.
func (k *compSum) sum() float64 { return k.s + k.c }

// lossRenorm is how many rows binomialGradUnit takes at a time: it
// multiplies their loss factors into its running product between two
// renormalizations (256 factors of at most 2 stay far below the largest
// float64), and keeps their margins and residuals on the stack.
const lossRenorm = 256

// binomialGradUnit is binomialGrad for a block whose weights are all 1. The
// loss Σ log(1+e^−|m|) is taken as the logarithm of the product of the
// factors u = 1 + e^−|m|, each between 1 and 2 (so the product never
// underflows), renormalized every lossRenorm rows by moving its binary
// exponent into an integer: one math.Log per block instead of one per row.
// The rounding of each u (whose low bits are lost when e is tiny) is put
// back to first order, Σ (e − (u − 1))/u, so the loss keeps the per-row
// kernel's accuracy (TestBinomialUnitLossMatchesRowByRow).
//
// Rows are taken lossRenorm at a time in passes: the margins, then their
// exponentials (independent of each other, so that they overlap in the
// processor instead of each waiting behind a row's gradient update), then
// loss and residuals, then the gradient Xᵀr four rows at a time (one load and
// store of each gradient entry per four rows).
func binomialGradUnit(bl *optim.Block, beta []float64, b0 float64, acc []float64) {
	d := bl.D
	g := acc[:d]
	beta = beta[:d]
	var lin compSum      // Σ max(m, 0) − y·m, a chunk at a time (see binomialGrad)
	var corr, g0 float64 // the rounding corrections; Σ (σ(m) − y)
	prod, exp2 := 1.0, 0
	var ms, rs [lossRenorm]float64
	for lo := 0; lo < bl.N; lo += lossRenorm {
		n := min(lossRenorm, bl.N-lo)
		xs, ys := bl.X[lo*d:(lo+n)*d], bl.Y[lo:lo+n]
		m, r := ms[:n], rs[:n]
		margins4(m, xs, beta, b0)
		for i, mi := range m {
			r[i] = math.Exp(-math.Abs(mi))
		}
		chunk := 0.0
		for i, mi := range m {
			e, y := r[i], ys[i]
			u := 1 + e
			inv := 1 / u
			// max(m, 0) − y·m as one term, so that m and y·m cancel within
			// the row; σ(m) is 1/u, or e/u when m ≤ 0.
			chunk += max(mi, 0) - y*mi
			p := e * inv
			if mi > 0 {
				p = inv
			}
			prod *= u
			corr += (e - (u - 1)) * inv
			r[i] = p - y
			g0 += p - y
		}
		lin.add(chunk)
		frac, ex := math.Frexp(prod)
		prod, exp2 = frac, exp2+ex
		addGradient4(g, xs, r)
	}
	acc[d] += g0
	acc[d+1] += lin.sum() + (math.Log(prod) + float64(exp2)*math.Ln2) + corr
}

// margins4 sets m[i] to b0 + x_i·beta for the len(m) rows of xs, four rows
// at a time (each loaded coefficient used four times, four independent sums;
// with simd.Available, four features at a time per row in fused
// multiply-adds).
func margins4(m, xs, beta []float64, b0 float64) {
	d := len(beta)
	i := 0
	if d4 := d &^ 3; simd.Available && d4 > 0 && len(m) >= 4 {
		// The first d4 features through the vector kernel, the rest here.
		_ = xs[len(m)*d-1]
		var s [4]float64
		for ; i+4 <= len(m); i += 4 {
			simd.Dot4(&xs[i*d], d, &beta[0], d4, &s[0])
			for r := range 4 {
				v := b0 + s[r]
				for j := d4; j < d; j++ {
					v += xs[(i+r)*d+j] * beta[j]
				}
				m[i+r] = v
			}
		}
	}
	for ; i+4 <= len(m); i += 4 {
		x0 := xs[i*d : i*d+d]
		x1 := xs[(i+1)*d : (i+1)*d+d]
		x2 := xs[(i+2)*d : (i+2)*d+d]
		x3 := xs[(i+3)*d : (i+3)*d+d]
		var s0, s1, s2, s3 float64
		for j, b := range beta {
			s0 += x0[j] * b
			s1 += x1[j] * b
			s2 += x2[j] * b
			s3 += x3[j] * b
		}
		m[i], m[i+1], m[i+2], m[i+3] = b0+s0, b0+s1, b0+s2, b0+s3
	}
	for ; i < len(m); i++ {
		m[i] = b0 + dot4(xs[i*d:i*d+d], beta)
	}
}

// addGradient4 adds Xᵀr to g, X being len(r) rows of len(g) values, four rows
// at a time (with simd.Available, four features at a time in fused
// multiply-adds).
func addGradient4(g, xs, r []float64) {
	d := len(g)
	i := 0
	if d4 := d &^ 3; simd.Available && d4 > 0 && len(r) >= 4 {
		// The first d4 features through the vector kernel, the rest here.
		_ = xs[len(r)*d-1]
		for ; i+4 <= len(r); i += 4 {
			simd.AddScaled4(&g[0], d4, &xs[i*d], d, &r[i])
			r0, r1, r2, r3 := r[i], r[i+1], r[i+2], r[i+3]
			for j := d4; j < d; j++ {
				g[j] += (r0*xs[i*d+j] + r1*xs[(i+1)*d+j]) + (r2*xs[(i+2)*d+j] + r3*xs[(i+3)*d+j])
			}
		}
	}
	for ; i+4 <= len(r); i += 4 {
		r0, r1, r2, r3 := r[i], r[i+1], r[i+2], r[i+3]
		x0 := xs[i*d : i*d+d]
		x1 := xs[(i+1)*d : (i+1)*d+d]
		x2 := xs[(i+2)*d : (i+2)*d+d]
		x3 := xs[(i+3)*d : (i+3)*d+d]
		for j := range g {
			g[j] += (r0*x0[j] + r1*x1[j]) + (r2*x2[j] + r3*x3[j])
		}
	}
	for ; i < len(r); i++ {
		ri, x := r[i], xs[i*d:i*d+d]
		for j := range g {
			g[j] += ri * x[j]
		}
	}
}

// dot4 returns x·b (len(b) ≥ len(x)) with four independent partial sums,
// so that the additions do not wait on each other.
func dot4(x, b []float64) float64 {
	b = b[:len(x)]
	var s0, s1, s2, s3 float64
	j := 0
	for ; j+4 <= len(x); j += 4 {
		s0 += x[j] * b[j]
		s1 += x[j+1] * b[j+1]
		s2 += x[j+2] * b[j+2]
		s3 += x[j+3] * b[j+3]
	}
	for ; j < len(x); j++ {
		s0 += x[j] * b[j]
	}
	return (s0 + s1) + (s2 + s3)
}

// log1pU returns log(1+e) given u = 1 + e (rounded), for 0 ≤ e ≤ 1, to
// within a few ulps: log(u)·e/(u−1) corrects the rounding of u (Goldberg,
// "What every computer scientist should know about floating-point
// arithmetic", theorem 4). It costs one math.Log, which has an assembly
// implementation on amd64, where math.Log1p is several times slower.
func log1pU(e, u float64) float64 {
	if u == 1 {
		return e
	}
	return math.Log(u) * e / (u - 1)
}

// multinomialGrad accumulates the softmax gradient: acc[k*d+j] += w(p_k −
// 1[y=k])x_j, acc[K*d+k] += w(p_k − 1[y=k]), acc[K*d+K] += w·loss.
func multinomialGrad(bl *optim.Block, beta, beta0 []float64, K int, acc []float64) {
	d := bl.D
	m := make([]float64, K)
	var loss compSum // a chunk at a time, as in binomialGrad
	chunk := 0.0
	for i := 0; i < bl.N; i++ {
		if i%lossRenorm == 0 {
			loss.add(chunk)
			chunk = 0
		}
		x := bl.Row(i)
		mx := math.Inf(-1)
		for k := 0; k < K; k++ {
			s := beta0[k]
			row := beta[k*d : k*d+d]
			for j, v := range x {
				s += v * row[j]
			}
			m[k] = s
			mx = math.Max(mx, s)
		}
		z := 0.0
		for k := range m {
			z += math.Exp(m[k] - mx)
		}
		lse := mx + math.Log(z)
		w, y := bl.W[i], int(bl.Y[i])
		chunk += w * (lse - m[y])
		for k := 0; k < K; k++ {
			r := math.Exp(m[k] - lse)
			if k == y {
				r--
			}
			r *= w
			if r == 0 {
				continue
			}
			row := acc[k*d : k*d+d]
			for j, v := range x {
				row[j] += r * v
			}
			acc[K*d+k] += r
		}
	}
	loss.add(chunk)
	acc[K*d+K] += loss.sum()
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (lr *LogisticRegression) FitModel(ctx context.Context, df *frame.DataFrame) (*LogisticRegressionModel, error) {
	return lr.FitLogistic(ctx, df)
}

var _ ml.TypedEstimator[*LogisticRegressionModel] = (*LogisticRegression)(nil)
