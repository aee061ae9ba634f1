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

type dtParams struct {
	featuresCol, labelCol, predictionCol, weightCol, impurity param.Param[string]
	maxDepth, maxBins, minInstancesPerNode                    param.Param[int]
	minInfoGain                                               param.Param[float64]
	seed                                                      param.Param[int64]
}

func defineDT(ps *param.Params) dtParams {
	return dtParams{
		featuresCol:         param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:            param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		predictionCol:       param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		weightCol:           param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)"),
		impurity:            param.Define(ps, "impurity", "variance", param.WithDefault("variance"), param.WithValidator(param.OneOf("variance"))),
		maxDepth:            param.Define(ps, "maxDepth", "maximum depth (0 is a single leaf)", param.WithDefault(5), param.WithValidator(param.InRange(0, 30))),
		maxBins:             param.Define(ps, "maxBins", "maximum number of bins per feature (>= 2)", param.WithDefault(32), param.WithValidator(param.InRange(2, 65536))),
		minInstancesPerNode: param.Define(ps, "minInstancesPerNode", "minimum rows in each child of a split (>= 1)", param.WithDefault(1), param.WithValidator(param.GtEq(1))),
		minInfoGain:         param.Define(ps, "minInfoGain", "minimum information gain of a split (>= 0)", param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
		seed:                param.Define(ps, "seed", "random seed (unused by a single tree over all features)", param.WithDefault(int64(926680331))),
	}
}

// DecisionTreeRegressor grows a regression tree (variance impurity) as
// Spark's: split candidates of continuous features from Spark's findSplits
// (midpoints between distinct values, or at weighted quantiles when there
// are more than maxBins−1), categorical features (nominal or binary slots
// in the features column's ML attributes) split into two sets of
// categories after ordering them by mean label (see optim.GrowTree), level
// by level with per-partition statistics, the split of highest variance
// reduction per node (first feature and first candidate on ties). Leaves
// predict the weighted mean.
type DecisionTreeRegressor struct {
	ml.StageBase
	dtParams
}

// NewDecisionTreeRegressor returns an estimator with Spark's defaults.
func NewDecisionTreeRegressor() *DecisionTreeRegressor {
	return newDecisionTreeRegressor(param.UID("dtr"))
}

func newDecisionTreeRegressor(uid string) *DecisionTreeRegressor {
	r := &DecisionTreeRegressor{StageBase: ml.NewStageBase(uid)}
	r.dtParams = defineDT(r.Params())
	return r
}

// SetMaxDepth sets the maximum depth.
func (r *DecisionTreeRegressor) SetMaxDepth(n int) *DecisionTreeRegressor {
	r.maxDepth.Set(r.Params(), n)
	return r
}

// SetMaxBins sets the maximum number of bins per feature.
func (r *DecisionTreeRegressor) SetMaxBins(n int) *DecisionTreeRegressor {
	r.maxBins.Set(r.Params(), n)
	return r
}

// SetMinInstancesPerNode sets the minimum rows per child.
func (r *DecisionTreeRegressor) SetMinInstancesPerNode(n int) *DecisionTreeRegressor {
	r.minInstancesPerNode.Set(r.Params(), n)
	return r
}

// SetMinInfoGain sets the minimum gain of a split.
func (r *DecisionTreeRegressor) SetMinInfoGain(v float64) *DecisionTreeRegressor {
	r.minInfoGain.Set(r.Params(), v)
	return r
}

// SetWeightCol sets the instance weight column.
func (r *DecisionTreeRegressor) SetWeightCol(s string) *DecisionTreeRegressor {
	r.weightCol.Set(r.Params(), s)
	return r
}

// SetFeaturesCol sets the features column.
func (r *DecisionTreeRegressor) SetFeaturesCol(s string) *DecisionTreeRegressor {
	r.featuresCol.Set(r.Params(), s)
	return r
}

// SetLabelCol sets the label column.
func (r *DecisionTreeRegressor) SetLabelCol(s string) *DecisionTreeRegressor {
	r.labelCol.Set(r.Params(), s)
	return r
}

// ClassName implements ml.Stage.
func (r *DecisionTreeRegressor) ClassName() string { return classPrefix + "DecisionTreeRegressor" }

func (p dtParams) outSchema(ps *param.Params, in *arrow.Schema, label bool) (*arrow.Schema, error) {
	if err := ps.Err(); err != nil {
		return nil, err
	}
	c := optim.Columns{UID: ps.UID(), FeaturesCol: p.featuresCol.Get(ps)}
	if label {
		c.LabelCol, c.WeightCol = p.labelCol.Get(ps), p.weightCol.Get(ps)
	}
	if err := c.Check(in); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, ps.UID(), arrow.Field{Name: p.predictionCol.Get(ps), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
}

// TransformSchema implements ml.Stage.
func (r *DecisionTreeRegressor) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return r.outSchema(r.Params(), in, true)
}

// Copy implements ml.Stage.
func (r *DecisionTreeRegressor) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := r.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *r
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (r *DecisionTreeRegressor) Save(path string) error { return ml.Save(r, path) }

// Fit implements ml.Estimator.
func (r *DecisionTreeRegressor) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := r.FitTree(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitTree is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (r *DecisionTreeRegressor) FitTree(ctx context.Context, df *frame.DataFrame) (*DecisionTreeRegressionModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := r.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := r.Params()
	uid := r.UID()
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: uid, FeaturesCol: r.featuresCol.Get(ps), LabelCol: r.labelCol.Get(ps), WeightCol: r.weightCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	cat, err := optim.CategoricalFeatures(df.Schema(), r.featuresCol.Get(ps))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	nodes, err := optim.GrowTree(ctx, blocks, optim.TreeConfig{MaxDepth: r.maxDepth.Get(ps), MaxBins: r.maxBins.Get(ps),
		MinInstancesPerNode: r.minInstancesPerNode.Get(ps), MinInfoGain: r.minInfoGain.Get(ps), Impurity: "variance", Categorical: cat})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m := newDecisionTreeRegressionModel(uid, nodes, blocks[0].D)
	return m, ps.CopyValuesTo(m.Params())
}

// DecisionTreeRegressionModel is a fitted regression tree.
type DecisionTreeRegressionModel struct {
	ml.StageBase
	dtParams
	nodes []optim.TreeNode
	d     int
}

func newDecisionTreeRegressionModel(uid string, nodes []optim.TreeNode, d int) *DecisionTreeRegressionModel {
	m := &DecisionTreeRegressionModel{StageBase: ml.NewStageBase(uid), nodes: nodes, d: d}
	m.dtParams = defineDT(m.Params())
	return m
}

// Nodes returns the tree's nodes; node 0 is the root.
func (m *DecisionTreeRegressionModel) Nodes() []optim.TreeNode {
	return append([]optim.TreeNode(nil), m.nodes...)
}

// NumFeatures returns the size of the feature vectors.
func (m *DecisionTreeRegressionModel) NumFeatures() int { return m.d }

// NumNodes returns the number of nodes.
func (m *DecisionTreeRegressionModel) NumNodes() int { return len(m.nodes) }

// FeatureImportances returns the normalized gain-based importance of each feature.
func (m *DecisionTreeRegressionModel) FeatureImportances() linalg.Vector {
	return linalg.Dense(optim.FeatureImportances(m.nodes, m.d, false)...)
}

// Predict returns the prediction for one feature vector.
func (m *DecisionTreeRegressionModel) Predict(x linalg.Vector) (float64, error) {
	if x.Size() != m.d {
		return 0, fmt.Errorf("%s: vector has size %d, expected %d", m.UID(), x.Size(), m.d)
	}
	return optim.PredictTree(m.nodes, x.ToArray()).Prediction, nil
}

// ClassName implements ml.Stage.
func (m *DecisionTreeRegressionModel) ClassName() string {
	return classPrefix + "DecisionTreeRegressionModel"
}

// TransformSchema implements ml.Stage.
func (m *DecisionTreeRegressionModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.outSchema(m.Params(), in, false)
}

// Transform adds the prediction column (null for a null vector).
func (m *DecisionTreeRegressionModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
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
			b.Append(optim.PredictTree(m.nodes, x).Prediction)
		}
		return b.NewArray(), nil
	}
	out := df.WithColumn(m.predictionCol.Get(ps), frame.UDF("decisionTreeRegression", arrow.PrimitiveTypes.Float64, fn, frame.Col(fc)))
	return out, out.Err()
}

// Copy implements ml.Stage.
func (m *DecisionTreeRegressionModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the nodes.
func (m *DecisionTreeRegressionModel) ExtraMetadata() map[string]any {
	return map[string]any{"numFeatures": m.d}
}

// WriteData implements ml.DataWriter: the trees as Parquet, one row per node.
func (m *DecisionTreeRegressionModel) WriteData(dir string) error {
	return optim.WriteTrees(dir, [][]optim.TreeNode{m.nodes}, nil)
}

// Save implements ml.Stage.
func (m *DecisionTreeRegressionModel) Save(path string) error { return ml.Save(m, path) }

func loadDecisionTreeRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	trees, _, err := optim.ReadTrees(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(trees) != 1 {
		return nil, fmt.Errorf("%s: model data has %d trees, want 1", md.UID, len(trees))
	}
	nodes := trees[0]
	var d int
	if err := md.GetExtra("numFeatures", &d); err != nil {
		return nil, err
	}
	if err := optim.CheckTree(nodes, d, 3); err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newDecisionTreeRegressionModel(md.UID, nodes, d)
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (r *DecisionTreeRegressor) FitModel(ctx context.Context, df *frame.DataFrame) (*DecisionTreeRegressionModel, error) {
	return r.FitTree(ctx, df)
}

var _ ml.TypedEstimator[*DecisionTreeRegressionModel] = (*DecisionTreeRegressor)(nil)
