package regression

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/optim"
	"github.com/gspark/gspark/ml/param"
)

// GBTRegressor fits gradient-boosted regression trees as Spark's
// GBTRegressor: the first tree fits the labels (weight 1); each of the
// other maxIter−1 trees fits the negative gradient of the loss at the
// current prediction — 2(y − F) for lossType "squared" (Spark's
// SquaredError), sign(y − F) for "absolute" — and is added with weight
// stepSize. Trees are grown as DecisionTreeRegressor's. subsamplingRate and
// feature subsets are not supported (always all rows and features).
type GBTRegressor struct {
	ml.StageBase
	dtParams
	maxIter  param.Param[int]
	stepSize param.Param[float64]
	lossType param.Param[string]
}

// NewGBTRegressor returns an estimator with Spark's defaults (maxIter 20,
// stepSize 0.1, maxDepth 5, lossType squared).
func NewGBTRegressor() *GBTRegressor { return newGBTRegressor(param.UID("gbtr")) }

func newGBTRegressor(uid string) *GBTRegressor {
	g := &GBTRegressor{StageBase: ml.NewStageBase(uid)}
	ps := g.Params()
	g.dtParams = defineDT(ps)
	g.maxIter = param.Define(ps, "maxIter", "number of trees (>= 1)", param.WithDefault(20), param.WithValidator(param.GtEq(1)))
	g.stepSize = param.Define(ps, "stepSize", "learning rate, in (0, 1]", param.WithDefault(0.1), param.WithValidator(func(v float64) error {
		if !(v > 0 && v <= 1) {
			return fmt.Errorf("must be in (0, 1], got %v", v)
		}
		return nil
	}))
	g.lossType = param.Define(ps, "lossType", "squared or absolute", param.WithDefault("squared"), param.WithValidator(param.OneOf("squared", "absolute")))
	return g
}

// SetMaxIter sets the number of trees.
func (g *GBTRegressor) SetMaxIter(n int) *GBTRegressor { g.maxIter.Set(g.Params(), n); return g }

// SetStepSize sets the learning rate.
func (g *GBTRegressor) SetStepSize(v float64) *GBTRegressor { g.stepSize.Set(g.Params(), v); return g }

// SetLossType sets the loss: "squared" or "absolute".
func (g *GBTRegressor) SetLossType(s string) *GBTRegressor { g.lossType.Set(g.Params(), s); return g }

// SetMaxDepth sets the depth of each tree.
func (g *GBTRegressor) SetMaxDepth(n int) *GBTRegressor { g.maxDepth.Set(g.Params(), n); return g }

// SetMaxBins sets the maximum number of bins per feature.
func (g *GBTRegressor) SetMaxBins(n int) *GBTRegressor { g.maxBins.Set(g.Params(), n); return g }

// SetFeaturesCol sets the features column.
func (g *GBTRegressor) SetFeaturesCol(s string) *GBTRegressor {
	g.featuresCol.Set(g.Params(), s)
	return g
}

// SetLabelCol sets the label column.
func (g *GBTRegressor) SetLabelCol(s string) *GBTRegressor { g.labelCol.Set(g.Params(), s); return g }

// ClassName implements ml.Stage.
func (g *GBTRegressor) ClassName() string { return classPrefix + "GBTRegressor" }

// TransformSchema implements ml.Stage.
func (g *GBTRegressor) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return g.outSchema(g.Params(), in, true)
}

// Copy implements ml.Stage.
func (g *GBTRegressor) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := g.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *g
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (g *GBTRegressor) Save(path string) error { return ml.Save(g, path) }

// Fit implements ml.Estimator.
func (g *GBTRegressor) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := g.FitGBT(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitGBT is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (g *GBTRegressor) FitGBT(ctx context.Context, df *frame.DataFrame) (*GBTRegressionModel, error) {
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
	absolute := g.lossType.Get(ps) == "absolute"
	// Pseudo-residuals: 2(y − F) for squared loss, sign(y − F) for absolute.
	trees, weights, err := optim.Boost(ctx, blocks, cfg, g.maxIter.Get(ps), g.stepSize.Get(ps),
		func(y float64) float64 { return y },
		func(y, f float64) float64 {
			r := y - f
			switch {
			case !absolute:
				return 2 * r
			case r < 0:
				return -1
			}
			return 1
		})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m := newGBTRegressionModel(uid, trees, weights, blocks[0].D)
	return m, ps.CopyValuesTo(m.Params())
}

// GBTRegressionModel predicts Σ weightᵢ·treeᵢ(x).
type GBTRegressionModel struct {
	ml.StageBase
	dtParams
	trees   [][]optim.TreeNode
	weights []float64
	d       int
}

func newGBTRegressionModel(uid string, trees [][]optim.TreeNode, weights []float64, d int) *GBTRegressionModel {
	m := &GBTRegressionModel{StageBase: ml.NewStageBase(uid), trees: trees, weights: weights, d: d}
	m.dtParams = defineDT(m.Params())
	return m
}

// NumTrees returns the number of trees.
func (m *GBTRegressionModel) NumTrees() int { return len(m.trees) }

// TreeWeights returns the weight of each tree.
func (m *GBTRegressionModel) TreeWeights() []float64 { return append([]float64(nil), m.weights...) }

// NumFeatures returns the size of the feature vectors.
func (m *GBTRegressionModel) NumFeatures() int { return m.d }

func (m *GBTRegressionModel) predict(x []float64) float64 {
	s := 0.0
	for t, nodes := range m.trees {
		s += m.weights[t] * optim.PredictTree(nodes, x).Prediction
	}
	return s
}

// Predict returns the prediction for one feature vector.
func (m *GBTRegressionModel) Predict(x linalg.Vector) (float64, error) {
	if x.Size() != m.d {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), m.d)
	}
	return m.predict(x.ToArray()), nil
}

// ClassName implements ml.Stage.
func (m *GBTRegressionModel) ClassName() string { return classPrefix + "GBTRegressionModel" }

// TransformSchema implements ml.Stage.
func (m *GBTRegressionModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.outSchema(m.Params(), in, false)
}

// Transform adds the prediction column (null for a null vector).
func (m *GBTRegressionModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc := m.UID(), m.featuresCol.Get(ps)
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, fc, err)
		}
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		x := make([]float64, m.d)
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				b.AppendNull()
				continue
			}
			if vc.Size(i) != m.d {
				return nil, fmt.Errorf("%s: vector in column %q has size %d, expected %d", uid, fc, vc.Size(i), m.d)
			}
			clear(x)
			vc.AddTo(i, 1, x)
			b.Append(m.predict(x))
		}
		return b.NewArray(), nil
	}
	out := df.WithColumn(m.predictionCol.Get(ps), frame.UDF("gbtRegression", arrow.PrimitiveTypes.Float64, fn, frame.Col(fc)))
	return out, out.Err()
}

// Copy implements ml.Stage.
func (m *GBTRegressionModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the trees and their weights.
func (m *GBTRegressionModel) ExtraMetadata() map[string]any {
	return map[string]any{"numFeatures": m.d}
}

// WriteData implements ml.DataWriter: the trees as Parquet, one row per node.
func (m *GBTRegressionModel) WriteData(dir string) error {
	return optim.WriteTrees(dir, m.trees, m.weights)
}

// Save implements ml.Stage.
func (m *GBTRegressionModel) Save(path string) error { return ml.Save(m, path) }

func loadGBTRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
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
	m := newGBTRegressionModel(md.UID, trees, weights, d)
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (g *GBTRegressor) FitModel(ctx context.Context, df *frame.DataFrame) (*GBTRegressionModel, error) {
	return g.FitGBT(ctx, df)
}

var _ ml.TypedEstimator[*GBTRegressionModel] = (*GBTRegressor)(nil)
