package classification

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/param"
)

// mlpTrainParams are the training params of MultilayerPerceptronClassifier,
// with Spark's names and defaults.
type mlpTrainParams struct {
	layers         param.Param[[]int]
	blockSize      param.Param[int]
	solver         param.Param[string]
	maxIter        param.Param[int]
	tol, stepSize  param.Param[float64]
	seed           param.Param[int64]
	initialWeights param.Param[[]float64]
}

// mlpDefaultSeed is Spark's default seed for the classifier: the Java hash
// code of its class name.
const mlpDefaultSeed = -763139545

func defineMLPTrain(ps *param.Params) mlpTrainParams {
	layers := func(v []int) error {
		if len(v) < 2 {
			return fmt.Errorf("layers must have at least 2 sizes (input and output), got %v", v)
		}
		for _, n := range v {
			if n <= 0 {
				return fmt.Errorf("layer sizes must be positive, got %v", v)
			}
		}
		return nil
	}
	return mlpTrainParams{
		layers:         param.Define(ps, "layers", "sizes of the layers from input to output, e.g. [780, 100, 10]", param.WithValidator(layers)),
		blockSize:      param.Define(ps, "blockSize", "number of rows stacked into a matrix (>= 1); does not change the result here", param.WithDefault(128), param.WithValidator(param.GtEq(1))),
		solver:         param.Define(ps, "solver", "optimization algorithm: l-bfgs or gd", param.WithDefault("l-bfgs"), param.WithValidator(param.OneOf("l-bfgs", "gd"))),
		maxIter:        param.Define(ps, "maxIter", "maximum number of iterations (>= 0)", param.WithDefault(100), param.WithValidator(param.GtEq(0))),
		tol:            param.Define(ps, "tol", "convergence tolerance (>= 0)", param.WithDefault(1e-6), param.WithValidator(param.GtEq(0.0))),
		stepSize:       param.Define(ps, "stepSize", "step size of gd (> 0)", param.WithDefault(0.03), param.WithValidator(param.Gt(0.0))),
		seed:           param.Define(ps, "seed", "random seed of the initial weights", param.WithDefault(int64(mlpDefaultSeed))),
		initialWeights: param.Define[[]float64](ps, "initialWeights", "initial weights in Spark's layout (random if unset)"),
	}
}

// MultilayerPerceptronClassifier trains a feed-forward network as Spark's
// org.apache.spark.ml.classification.MultilayerPerceptronClassifier:
// sigmoid hidden layers and a softmax output of layers[last] classes (the
// topology and weight layout of MultilayerPerceptronClassificationModel),
// minimizing the mean softmax cross-entropy of the one-hot labels
//
//	−1/n Σᵢ log p_{yᵢ}(xᵢ)
//
// with L-BFGS (solver "l-bfgs", Breeze's stopping rule with maxIter and tol,
// as Spark's) or full-batch gradient descent (solver "gd": step
// stepSize/√t at iteration t, stopping when ‖w_t − w_{t−1}‖ < tol·max(‖w_t‖,
// 1), as Spark's GradientDescent). No regularization, as in Spark.
//
// Differences from Spark, by design: Spark averages the loss per stacked
// block of blockSize rows and then over blocks, which weighs the rows of a
// partition's last, partial block more and so depends on the partitioning;
// gspark averages over rows (Spark's objective whenever every block is
// full, e.g. blockSize 1), so 1 and 4 partitions give the same model. The
// random initial weights are drawn as Spark's (uniform in ±2.4/√fan-in, for
// weights and biases) but from Go's PCG generator seeded with seed, not
// Spark's XORShiftRandom, so a seed gives other weights than in Spark; pass
// initialWeights to start from known weights. Labels must be the integers
// 0..layers[last]−1.
type MultilayerPerceptronClassifier struct {
	ml.StageBase
	mlpParams
	mlpTrainParams
}

// NewMultilayerPerceptronClassifier returns an estimator with Spark's
// defaults; layers must be set before fitting.
func NewMultilayerPerceptronClassifier() *MultilayerPerceptronClassifier {
	return newMultilayerPerceptronClassifier(param.UID("mlpc"))
}

func newMultilayerPerceptronClassifier(uid string) *MultilayerPerceptronClassifier {
	e := &MultilayerPerceptronClassifier{StageBase: ml.NewStageBase(uid)}
	e.mlpParams = defineMLP(e.Params())
	e.mlpTrainParams = defineMLPTrain(e.Params())
	return e
}

// SetLayers sets the layer sizes, input first.
func (e *MultilayerPerceptronClassifier) SetLayers(sizes ...int) *MultilayerPerceptronClassifier {
	e.layers.Set(e.Params(), slices.Clone(sizes))
	return e
}

// SetBlockSize sets the block size (kept for Spark compatibility).
func (e *MultilayerPerceptronClassifier) SetBlockSize(n int) *MultilayerPerceptronClassifier {
	e.blockSize.Set(e.Params(), n)
	return e
}

// SetSolver sets the solver: "l-bfgs" or "gd".
func (e *MultilayerPerceptronClassifier) SetSolver(s string) *MultilayerPerceptronClassifier {
	e.solver.Set(e.Params(), s)
	return e
}

// SetMaxIter sets the iteration limit.
func (e *MultilayerPerceptronClassifier) SetMaxIter(n int) *MultilayerPerceptronClassifier {
	e.maxIter.Set(e.Params(), n)
	return e
}

// SetTol sets the convergence tolerance.
func (e *MultilayerPerceptronClassifier) SetTol(v float64) *MultilayerPerceptronClassifier {
	e.tol.Set(e.Params(), v)
	return e
}

// SetStepSize sets the step size of gradient descent.
func (e *MultilayerPerceptronClassifier) SetStepSize(v float64) *MultilayerPerceptronClassifier {
	e.stepSize.Set(e.Params(), v)
	return e
}

// SetSeed sets the seed of the random initial weights.
func (e *MultilayerPerceptronClassifier) SetSeed(s int64) *MultilayerPerceptronClassifier {
	e.seed.Set(e.Params(), s)
	return e
}

// SetInitialWeights sets the starting weights (Spark's layout).
func (e *MultilayerPerceptronClassifier) SetInitialWeights(w []float64) *MultilayerPerceptronClassifier {
	e.initialWeights.Set(e.Params(), slices.Clone(w))
	return e
}

// SetFeaturesCol sets the features column.
func (e *MultilayerPerceptronClassifier) SetFeaturesCol(c string) *MultilayerPerceptronClassifier {
	e.featuresCol.Set(e.Params(), c)
	return e
}

// SetLabelCol sets the label column.
func (e *MultilayerPerceptronClassifier) SetLabelCol(c string) *MultilayerPerceptronClassifier {
	e.labelCol.Set(e.Params(), c)
	return e
}

// SetPredictionCol sets the prediction column.
func (e *MultilayerPerceptronClassifier) SetPredictionCol(c string) *MultilayerPerceptronClassifier {
	e.predictionCol.Set(e.Params(), c)
	return e
}

// SetRawPredictionCol sets the raw prediction column.
func (e *MultilayerPerceptronClassifier) SetRawPredictionCol(c string) *MultilayerPerceptronClassifier {
	e.rawPredictionCol.Set(e.Params(), c)
	return e
}

// SetProbabilityCol sets the probability column.
func (e *MultilayerPerceptronClassifier) SetProbabilityCol(c string) *MultilayerPerceptronClassifier {
	e.probabilityCol.Set(e.Params(), c)
	return e
}

// ClassName implements ml.Stage.
func (e *MultilayerPerceptronClassifier) ClassName() string {
	return classPrefix + "MultilayerPerceptronClassifier"
}

// SparkClassName returns Spark's class name of the estimator.
func (e *MultilayerPerceptronClassifier) SparkClassName() string {
	return sparkPrefix + "MultilayerPerceptronClassifier"
}

// TransformSchema implements ml.Stage.
func (e *MultilayerPerceptronClassifier) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	ps := e.Params()
	if err := ps.Err(); err != nil {
		return nil, err
	}
	if _, ok := e.layers.GetOK(ps); !ok {
		return nil, fmt.Errorf("%s: param layers is not set", ps.UID())
	}
	if _, err := ml.CheckColumn(in, ps.UID(), e.labelCol.Get(ps), ml.Numeric); err != nil {
		return nil, err
	}
	// The model's schema: same columns and checks.
	m := &MultilayerPerceptronClassificationModel{StageBase: ml.NewStageBase(ps.UID())}
	m.mlpParams = defineMLP(m.Params())
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m.TransformSchema(in)
}

// Copy implements ml.Stage.
func (e *MultilayerPerceptronClassifier) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := e.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *e
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (e *MultilayerPerceptronClassifier) Save(path string) error { return ml.Save(e, path) }

// Fit implements ml.Estimator.
func (e *MultilayerPerceptronClassifier) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := e.FitModel(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// mlpNumWeights returns the number of weights of the topology.
func mlpNumWeights(layers []int) int {
	n := 0
	for l := 0; l+1 < len(layers); l++ {
		n += layers[l]*layers[l+1] + layers[l+1]
	}
	return n
}

// mlpRandomWeights draws weights as Spark's AffineLayer does: every weight
// and bias of a layer with n inputs uniform in ±2.4/√n.
func mlpRandomWeights(layers []int, seed int64) []float64 {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6d6c7063))
	w := make([]float64, 0, mlpNumWeights(layers))
	for l := 0; l+1 < len(layers); l++ {
		a := 2.4 / math.Sqrt(float64(layers[l]))
		for i := 0; i < layers[l]*layers[l+1]+layers[l+1]; i++ {
			w = append(w, (r.Float64()*2-1)*a)
		}
	}
	return w
}

// mlpScratch holds the per-goroutine buffers of mlpLoss.
type mlpScratch struct {
	act, delta [][]float64
}

func newMLPScratch(layers []int) *mlpScratch {
	s := &mlpScratch{act: make([][]float64, len(layers)), delta: make([][]float64, len(layers))}
	for l, n := range layers {
		s.act[l] = make([]float64, n)
		s.delta[l] = make([]float64, n)
	}
	return s
}

// mlpLoss adds the cross-entropy of the rows of b and its gradient with
// respect to the weights w (Spark's layout) into acc = (loss, gradient...).
func mlpLoss(b *optim.Block, layers []int, w []float64, s *mlpScratch, acc []float64) {
	L := len(layers) - 1
	g := acc[1:]
	for i := 0; i < b.N; i++ {
		copy(s.act[0], b.Row(i))
		off := 0
		for l := 0; l < L; l++ {
			n, m := layers[l], layers[l+1]
			W, bias := w[off:off+n*m], w[off+n*m:off+n*m+m]
			in, out := s.act[l], s.act[l+1]
			copy(out, bias)
			for j := 0; j < n; j++ {
				if v := in[j]; v != 0 {
					col := W[j*m : j*m+m]
					for k := range out {
						out[k] += col[k] * v
					}
				}
			}
			if l+1 < L {
				for k, v := range out {
					out[k] = 1 / (1 + math.Exp(-v))
				}
			}
			off += n*m + m
		}
		// Softmax with the log-sum-exp shift; the delta of the output is p − y.
		out := s.act[L]
		mx := math.Inf(-1)
		for _, v := range out {
			mx = max(mx, v)
		}
		sum := 0.0
		for _, v := range out {
			sum += math.Exp(v - mx)
		}
		y := int(b.Y[i])
		acc[0] += mx + math.Log(sum) - out[y]
		d := s.delta[L]
		for k, v := range out {
			d[k] = math.Exp(v-mx) / sum
		}
		d[y]--
		// Backward pass.
		off = len(w)
		for l := L - 1; l >= 0; l-- {
			n, m := layers[l], layers[l+1]
			off -= n*m + m
			W := w[off : off+n*m]
			gW, gb := g[off:off+n*m], g[off+n*m:off+n*m+m]
			in, dOut := s.act[l], s.delta[l+1]
			for k, v := range dOut {
				gb[k] += v
			}
			for j := 0; j < n; j++ {
				if v := in[j]; v != 0 {
					col := gW[j*m : j*m+m]
					for k, dv := range dOut {
						col[k] += dv * v
					}
				}
			}
			if l > 0 {
				dIn := s.delta[l]
				for j := 0; j < n; j++ {
					col := W[j*m : j*m+m]
					t := 0.0
					for k, dv := range dOut {
						t += col[k] * dv
					}
					a := in[j]
					dIn[j] = t * a * (1 - a)
				}
			}
		}
	}
}

// FitModel trains the network on df and returns the model.
func (e *MultilayerPerceptronClassifier) FitModel(ctx context.Context, df *frame.DataFrame) (*MultilayerPerceptronClassificationModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := e.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := e.Params()
	uid := e.UID()
	layers := e.layers.Get(ps)
	c := optim.Columns{UID: uid, FeaturesCol: e.featuresCol.Get(ps), LabelCol: e.labelCol.Get(ps)}
	blocks, err := optim.ReadBlocks(ctx, df, c)
	if err != nil {
		return nil, err
	}
	if d := blocks[0].D; d != layers[0] {
		return nil, fmt.Errorf("%s: feature vectors in column %q have size %d but layers[0] is %d", uid, c.FeaturesCol, d, layers[0])
	}
	k := layers[len(layers)-1]
	n := 0
	for _, b := range blocks {
		for _, y := range b.Y {
			if !(y >= 0) || y != math.Trunc(y) || int(y) >= k {
				return nil, fmt.Errorf("%s: label column %q has value %v, want a class index in [0, %d) (the output layer has %d units)", uid, c.LabelCol, y, k, k)
			}
		}
		n += b.N
	}
	nw := mlpNumWeights(layers)
	w0, ok := e.initialWeights.GetOK(ps)
	if ok {
		if len(w0) != nw {
			return nil, fmt.Errorf("%s: initialWeights has %d weights, layers %v need %d", uid, len(w0), layers, nw)
		}
		w0 = slices.Clone(w0)
	} else {
		w0 = mlpRandomWeights(layers, e.seed.Get(ps))
	}
	obj := func(w, grad []float64) (float64, error) {
		acc, err := optim.Reduce(ctx, blocks, nw+1, func(b *optim.Block, acc []float64) {
			mlpLoss(b, layers, w, newMLPScratch(layers), acc)
		})
		if err != nil {
			return 0, err
		}
		for i := range grad {
			grad[i] = acc[1+i] / float64(n)
		}
		return acc[0] / float64(n), nil
	}
	var w []float64
	maxIter, tol := e.maxIter.Get(ps), e.tol.Get(ps)
	if e.solver.Get(ps) == "gd" {
		w, err = mlpGradientDescent(ctx, obj, w0, e.stepSize.Get(ps), maxIter, tol)
	} else {
		var res *optim.Result
		res, err = optim.Minimize(ctx, obj, w0, nil, optim.Config{MaxIter: maxIter, Tol: optim.ParamTol(tol)})
		if res != nil {
			w = res.X
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m, err := NewMultilayerPerceptronClassificationModel(uid, layers, w)
	if err != nil {
		return nil, err
	}
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

// mlpGradientDescent runs Spark's full-batch GradientDescent with its
// SimpleUpdater: w ← w − stepSize/√t·∇f(w) at iteration t = 1, 2, …,
// stopping after maxIter iterations or, from the second on, when
// ‖w_t − w_{t−1}‖ < tol·max(‖w_t‖, 1).
func mlpGradientDescent(ctx context.Context, f optim.Func, w0 []float64, step float64, maxIter int, tol float64) ([]float64, error) {
	w := slices.Clone(w0)
	g := make([]float64, len(w))
	for t := 1; t <= maxIter; t++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if _, err := f(w, g); err != nil {
			return nil, err
		}
		a := step / math.Sqrt(float64(t))
		diff, norm := 0.0, 0.0
		for i := range w {
			dw := a * g[i]
			w[i] -= dw
			diff += dw * dw
			norm += w[i] * w[i]
		}
		if math.IsNaN(norm) || math.IsInf(norm, 0) {
			return nil, errors.New("gradient descent diverged (non-finite weights); lower stepSize")
		}
		if t > 1 && math.Sqrt(diff) < tol*math.Max(math.Sqrt(norm), 1) {
			break
		}
	}
	return w, nil
}

func registerMLPTrain(r *ml.Registry) {
	r.Register(classPrefix+"MultilayerPerceptronClassifier", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		e := newMultilayerPerceptronClassifier(md.UID)
		return e, md.ApplyParams(e.Params())
	})
}

var _ ml.TypedEstimator[*MultilayerPerceptronClassificationModel] = (*MultilayerPerceptronClassifier)(nil)
