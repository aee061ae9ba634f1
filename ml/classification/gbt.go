package classification

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/param"
)

// GBTClassifier fits gradient-boosted trees for binary labels (0/1) as
// Spark's GBTClassifier with its logistic loss: labels become y' = 2y − 1,
// the first regression tree fits y' (weight 1) and each of the other
// maxIter−1 trees fits the negative gradient 4y'/(1 + exp(2y'F)) (weight
// stepSize). For the margin F, rawPrediction is [−F, F], probability
// [1 − p, p] with p = 1/(1 + exp(−2F)), and prediction is 1 when F > 0.
// subsamplingRate and feature subsets are not supported.
type GBTClassifier struct {
	ml.StageBase
	dtParams
	maxIter  param.Param[int]
	stepSize param.Param[float64]
}

// NewGBTClassifier returns an estimator with Spark's defaults (maxIter 20,
// stepSize 0.1, maxDepth 5).
func NewGBTClassifier() *GBTClassifier { return newGBTClassifier(param.UID("gbtc")) }

func newGBTClassifier(uid string) *GBTClassifier {
	g := &GBTClassifier{StageBase: ml.NewStageBase(uid)}
	ps := g.Params()
	g.dtParams = defineDT(ps)
	g.maxIter = param.Define(ps, "maxIter", "number of trees (>= 1)", param.WithDefault(20), param.WithValidator(param.GtEq(1)))
	g.stepSize = param.Define(ps, "stepSize", "learning rate, in (0, 1]", param.WithDefault(0.1), param.WithValidator(func(v float64) error {
		if !(v > 0 && v <= 1) {
			return fmt.Errorf("must be in (0, 1], got %v", v)
		}
		return nil
	}))
	return g
}

// SetMaxIter sets the number of trees.
func (g *GBTClassifier) SetMaxIter(n int) *GBTClassifier { g.maxIter.Set(g.Params(), n); return g }

// SetStepSize sets the learning rate.
func (g *GBTClassifier) SetStepSize(v float64) *GBTClassifier {
	g.stepSize.Set(g.Params(), v)
	return g
}

// SetMaxDepth sets the depth of each tree.
func (g *GBTClassifier) SetMaxDepth(n int) *GBTClassifier { g.maxDepth.Set(g.Params(), n); return g }

// SetMaxBins sets the maximum number of bins per feature.
func (g *GBTClassifier) SetMaxBins(n int) *GBTClassifier { g.maxBins.Set(g.Params(), n); return g }

// SetFeaturesCol sets the features column.
func (g *GBTClassifier) SetFeaturesCol(s string) *GBTClassifier {
	g.featuresCol.Set(g.Params(), s)
	return g
}

// SetLabelCol sets the label column.
func (g *GBTClassifier) SetLabelCol(s string) *GBTClassifier { g.labelCol.Set(g.Params(), s); return g }

// ClassName implements ml.Stage.
func (g *GBTClassifier) ClassName() string { return classPrefix + "GBTClassifier" }

// TransformSchema implements ml.Stage.
func (g *GBTClassifier) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return g.outSchema(g.Params(), in, true)
}

// Copy implements ml.Stage.
func (g *GBTClassifier) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := g.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *g
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (g *GBTClassifier) Save(path string) error { return ml.Save(g, path) }

// Fit implements ml.Estimator.
func (g *GBTClassifier) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := g.FitGBT(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitGBT is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (g *GBTClassifier) FitGBT(ctx context.Context, df *frame.DataFrame) (*GBTClassificationModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := g.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := g.Params()
	uid := g.UID()
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: uid, FeaturesCol: g.featuresCol.Get(ps), LabelCol: g.labelCol.Get(ps), WeightCol: g.weightCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	cat, err := optim.CategoricalFeatures(df.Schema(), g.featuresCol.Get(ps))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	cfg := optim.TreeConfig{MaxDepth: g.maxDepth.Get(ps), MaxBins: g.maxBins.Get(ps),
		MinInstancesPerNode: g.minInstancesPerNode.Get(ps), MinInfoGain: g.minInfoGain.Get(ps), Impurity: "variance", Categorical: cat}
	for _, b := range blocks {
		for _, v := range b.Y {
			if v != 0 && v != 1 {
				return nil, fmt.Errorf("%s: GBTClassifier supports binary labels 0 and 1 only, got %v in column %q", uid, v, g.labelCol.Get(ps))
			}
		}
	}
	// Spark's logistic loss on labels ±1: pseudo-residual 4y/(1+exp(2yF)).
	trees, weights, err := optim.Boost(ctx, blocks, cfg, g.maxIter.Get(ps), g.stepSize.Get(ps),
		func(v float64) float64 { return 2*v - 1 },
		func(v, f float64) float64 {
			y := 2*v - 1
			return 4 * y / (1 + math.Exp(2*y*f))
		})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m := newGBTClassificationModel(uid, trees, weights, blocks[0].D)
	return m, ps.CopyValuesTo(m.Params())
}

// GBTClassificationModel is a fitted boosted-trees binary classifier.
type GBTClassificationModel struct {
	ml.StageBase
	dtParams
	trees   [][]optim.TreeNode
	weights []float64
	d       int
}

func newGBTClassificationModel(uid string, trees [][]optim.TreeNode, weights []float64, d int) *GBTClassificationModel {
	m := &GBTClassificationModel{StageBase: ml.NewStageBase(uid), trees: trees, weights: weights, d: d}
	m.dtParams = defineDT(m.Params())
	return m
}

// NumTrees returns the number of trees.
func (m *GBTClassificationModel) NumTrees() int { return len(m.trees) }

// TreeWeights returns the weight of each tree.
func (m *GBTClassificationModel) TreeWeights() []float64 { return append([]float64(nil), m.weights...) }

// Margin returns F(x) = Σ weightᵢ·treeᵢ(x).
func (m *GBTClassificationModel) Margin(x linalg.Vector) (float64, error) {
	if x.Size() != m.d {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), m.d)
	}
	return m.margin(x.ToArray()), nil
}

func (m *GBTClassificationModel) margin(x []float64) float64 {
	s := 0.0
	for t, nodes := range m.trees {
		s += m.weights[t] * optim.PredictTree(nodes, x).Prediction
	}
	return s
}

// ClassName implements ml.Stage.
func (m *GBTClassificationModel) ClassName() string { return classPrefix + "GBTClassificationModel" }

// TransformSchema implements ml.Stage.
func (m *GBTClassificationModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.outSchema(m.Params(), in, false)
}

// Transform adds the rawPrediction, probability and prediction columns
// (each skipped when its name is empty; null for a null vector).
func (m *GBTClassificationModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := m.UID(), m.featuresCol.Get(ps)
	udf := func(kind int) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			vc, err := linalg.Vectors(args[0])
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
			}
			x, pair := make([]float64, m.d), make([]float64, 2)
			var vb *linalg.VectorBuilder
			var fb *array.Float64Builder
			if kind == 2 {
				fb = array.NewFloat64Builder(mem)
				defer fb.Release()
			} else {
				vb = linalg.NewVectorBuilder(mem)
				defer vb.Release()
			}
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					if fb != nil {
						fb.AppendNull()
					} else {
						vb.AppendNull()
					}
					continue
				}
				if vc.Size(i) != m.d {
					return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), m.d)
				}
				clear(x)
				vc.AddTo(i, 1, x)
				f := m.margin(x)
				switch kind {
				case 0:
					pair[0], pair[1] = -f, f
					vb.AppendDense(pair)
				case 1:
					p := 1 / (1 + math.Exp(-2*f))
					pair[0], pair[1] = 1-p, p
					vb.AppendDense(pair)
				default:
					if f > 0 {
						fb.Append(1)
					} else {
						fb.Append(0)
					}
				}
			}
			if fb != nil {
				return fb.NewArray(), nil
			}
			return vb.NewArray(), nil
		}
	}
	return withPredictionColumns(df, "gbtClassification", fc, [3]string{m.rawPredictionCol.Get(ps), m.probabilityCol.Get(ps), m.predictionCol.Get(ps)}, udf)
}

// Copy implements ml.Stage.
func (m *GBTClassificationModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the trees and their weights.
func (m *GBTClassificationModel) ExtraMetadata() map[string]any {
	return map[string]any{"numFeatures": m.d}
}

// WriteData implements ml.DataWriter: the trees as Parquet, one row per node.
func (m *GBTClassificationModel) WriteData(dir string) error {
	return optim.WriteTrees(dir, m.trees, m.weights)
}

// Save implements ml.Stage.
func (m *GBTClassificationModel) Save(path string) error { return ml.Save(m, path) }

func loadGBTClassificationModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	trees, weights, err := optim.ReadTrees(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	var d int
	if err := md.GetExtra("numFeatures", &d); err != nil {
		return nil, err
	}
	if len(trees) == 0 || len(trees) != len(weights) {
		return nil, fmt.Errorf("%s: %d trees and %d weights", md.UID, len(trees), len(weights))
	}
	for _, t := range trees {
		if err := optim.CheckTree(t, d, 3); err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
	}
	m := newGBTClassificationModel(md.UID, trees, weights, d)
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (g *GBTClassifier) FitModel(ctx context.Context, df *frame.DataFrame) (*GBTClassificationModel, error) {
	return g.FitGBT(ctx, df)
}

var _ ml.TypedEstimator[*GBTClassificationModel] = (*GBTClassifier)(nil)
