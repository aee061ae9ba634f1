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

type dtParams struct {
	featuresCol, labelCol, predictionCol, rawPredictionCol, probabilityCol, weightCol, impurity param.Param[string]
	maxDepth, maxBins, minInstancesPerNode                                                      param.Param[int]
	minInfoGain                                                                                 param.Param[float64]
	seed                                                                                        param.Param[int64]
}

func defineDT(ps *param.Params) dtParams {
	return dtParams{
		featuresCol:         param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:            param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		predictionCol:       param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		rawPredictionCol:    param.Define(ps, "rawPredictionCol", "raw prediction (leaf class weights) column name; empty for none", param.WithDefault("rawPrediction")),
		probabilityCol:      param.Define(ps, "probabilityCol", "class probabilities column name; empty for none", param.WithDefault("probability")),
		weightCol:           param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)"),
		impurity:            param.Define(ps, "impurity", "gini or entropy", param.WithDefault("gini"), param.WithValidator(param.OneOf("gini", "entropy"))),
		maxDepth:            param.Define(ps, "maxDepth", "maximum depth (0 is a single leaf)", param.WithDefault(5), param.WithValidator(param.InRange(0, 30))),
		maxBins:             param.Define(ps, "maxBins", "maximum number of bins per feature (>= 2)", param.WithDefault(32), param.WithValidator(param.InRange(2, 65536))),
		minInstancesPerNode: param.Define(ps, "minInstancesPerNode", "minimum rows in each child of a split (>= 1)", param.WithDefault(1), param.WithValidator(param.GtEq(1))),
		minInfoGain:         param.Define(ps, "minInfoGain", "minimum information gain of a split (>= 0)", param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
		seed:                param.Define(ps, "seed", "random seed (unused by a single tree over all features)", param.WithDefault(int64(159147643))),
	}
}

// DecisionTreeClassifier grows a classification tree as Spark's: split
// candidates of continuous features from Spark's findSplits (midpoints
// between distinct values, or at weighted quantiles when there are more
// than maxBins−1); categorical features (nominal or binary slots in the
// features column's ML attributes) split into two sets of categories, every
// subset tried for few categories and more than 2 classes, else ordered
// prefixes (see optim.GrowTree); level by level with per-partition
// statistics, the split of highest gini or entropy gain per node (first
// feature and first candidate on ties), stopping at maxDepth, at pure
// nodes, or when no split gains more than 0 and at least minInfoGain with
// minInstancesPerNode rows per child. Labels must be class indices 0, 1, ….
type DecisionTreeClassifier struct {
	ml.StageBase
	dtParams
}

// NewDecisionTreeClassifier returns an estimator with Spark's defaults.
func NewDecisionTreeClassifier() *DecisionTreeClassifier {
	return newDecisionTreeClassifier(param.UID("dtc"))
}

func newDecisionTreeClassifier(uid string) *DecisionTreeClassifier {
	c := &DecisionTreeClassifier{StageBase: ml.NewStageBase(uid)}
	c.dtParams = defineDT(c.Params())
	return c
}

// SetMaxDepth sets the maximum depth.
func (c *DecisionTreeClassifier) SetMaxDepth(n int) *DecisionTreeClassifier {
	c.maxDepth.Set(c.Params(), n)
	return c
}

// SetMaxBins sets the maximum number of bins per feature.
func (c *DecisionTreeClassifier) SetMaxBins(n int) *DecisionTreeClassifier {
	c.maxBins.Set(c.Params(), n)
	return c
}

// SetMinInstancesPerNode sets the minimum rows per child.
func (c *DecisionTreeClassifier) SetMinInstancesPerNode(n int) *DecisionTreeClassifier {
	c.minInstancesPerNode.Set(c.Params(), n)
	return c
}

// SetMinInfoGain sets the minimum gain of a split.
func (c *DecisionTreeClassifier) SetMinInfoGain(v float64) *DecisionTreeClassifier {
	c.minInfoGain.Set(c.Params(), v)
	return c
}

// SetImpurity sets the impurity: "gini" or "entropy".
func (c *DecisionTreeClassifier) SetImpurity(s string) *DecisionTreeClassifier {
	c.impurity.Set(c.Params(), s)
	return c
}

// SetWeightCol sets the instance weight column.
func (c *DecisionTreeClassifier) SetWeightCol(s string) *DecisionTreeClassifier {
	c.weightCol.Set(c.Params(), s)
	return c
}

// SetFeaturesCol sets the features column.
func (c *DecisionTreeClassifier) SetFeaturesCol(s string) *DecisionTreeClassifier {
	c.featuresCol.Set(c.Params(), s)
	return c
}

// SetLabelCol sets the label column.
func (c *DecisionTreeClassifier) SetLabelCol(s string) *DecisionTreeClassifier {
	c.labelCol.Set(c.Params(), s)
	return c
}

// ClassName implements ml.Stage.
func (c *DecisionTreeClassifier) ClassName() string { return classPrefix + "DecisionTreeClassifier" }

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
	out := in
	var err error
	for k, name := range []string{p.rawPredictionCol.Get(ps), p.probabilityCol.Get(ps), p.predictionCol.Get(ps)} {
		if name == "" {
			continue
		}
		typ := arrow.DataType(linalg.VectorType())
		if k == 2 {
			typ = arrow.PrimitiveTypes.Float64
		}
		if out, err = ml.AppendColumn(out, ps.UID(), arrow.Field{Name: name, Type: typ, Nullable: true}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TransformSchema implements ml.Stage.
func (c *DecisionTreeClassifier) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return c.outSchema(c.Params(), in, true)
}

// Copy implements ml.Stage.
func (c *DecisionTreeClassifier) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := c.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	cc := *c
	cc.StageBase = b
	return &cc, nil
}

// Save implements ml.Stage.
func (c *DecisionTreeClassifier) Save(path string) error { return ml.Save(c, path) }

// Fit implements ml.Estimator.
func (c *DecisionTreeClassifier) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := c.FitTree(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitTree is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (c *DecisionTreeClassifier) FitTree(ctx context.Context, df *frame.DataFrame) (*DecisionTreeClassificationModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := c.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := c.Params()
	uid := c.UID()
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: uid, FeaturesCol: c.featuresCol.Get(ps), LabelCol: c.labelCol.Get(ps), WeightCol: c.weightCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	cat, err := optim.CategoricalFeatures(df.Schema(), c.featuresCol.Get(ps))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	K := 0
	for _, b := range blocks {
		for _, y := range b.Y {
			if y < 0 || y != math.Trunc(y) || y > 1e5 {
				return nil, fmt.Errorf("%s: labels in column %q must be class indices 0, 1, 2, …; got %v", uid, c.labelCol.Get(ps), y)
			}
			K = max(K, int(y)+1)
		}
	}
	K = max(K, 2)
	nodes, err := optim.GrowTree(ctx, blocks, optim.TreeConfig{MaxDepth: c.maxDepth.Get(ps), MaxBins: c.maxBins.Get(ps),
		MinInstancesPerNode: c.minInstancesPerNode.Get(ps), MinInfoGain: c.minInfoGain.Get(ps), Impurity: c.impurity.Get(ps), NumClasses: K, Categorical: cat})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m := newDecisionTreeClassificationModel(uid, nodes, blocks[0].D, K)
	return m, ps.CopyValuesTo(m.Params())
}

// DecisionTreeClassificationModel is a fitted classification tree:
// rawPrediction holds the class weights of the leaf reached, probability
// their shares, prediction the heaviest class.
type DecisionTreeClassificationModel struct {
	ml.StageBase
	dtParams
	nodes      []optim.TreeNode
	d, classes int
}

func newDecisionTreeClassificationModel(uid string, nodes []optim.TreeNode, d, k int) *DecisionTreeClassificationModel {
	m := &DecisionTreeClassificationModel{StageBase: ml.NewStageBase(uid), nodes: nodes, d: d, classes: k}
	m.dtParams = defineDT(m.Params())
	return m
}

// Nodes returns the tree's nodes; node 0 is the root.
func (m *DecisionTreeClassificationModel) Nodes() []optim.TreeNode {
	return append([]optim.TreeNode(nil), m.nodes...)
}

// NumClasses returns the number of classes.
func (m *DecisionTreeClassificationModel) NumClasses() int { return m.classes }

// NumFeatures returns the size of the feature vectors.
func (m *DecisionTreeClassificationModel) NumFeatures() int { return m.d }

// Depth returns the depth of the tree (0 for a single leaf).
func (m *DecisionTreeClassificationModel) Depth() int { return treeDepth(m.nodes, 0) }

// NumNodes returns the number of nodes.
func (m *DecisionTreeClassificationModel) NumNodes() int { return len(m.nodes) }

// FeatureImportances returns the normalized gain-based importance of each feature.
func (m *DecisionTreeClassificationModel) FeatureImportances() linalg.Vector {
	return linalg.Dense(optim.FeatureImportances(m.nodes, m.d, true)...)
}

func treeDepth(nodes []optim.TreeNode, i int) int {
	if nodes[i].Leaf {
		return 0
	}
	return 1 + max(treeDepth(nodes, nodes[i].Left), treeDepth(nodes, nodes[i].Right))
}

// ClassName implements ml.Stage.
func (m *DecisionTreeClassificationModel) ClassName() string {
	return classPrefix + "DecisionTreeClassificationModel"
}

// TransformSchema implements ml.Stage.
func (m *DecisionTreeClassificationModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.outSchema(m.Params(), in, false)
}

// Transform adds the rawPrediction, probability and prediction columns
// (each skipped when its name is empty; null for a null vector).
func (m *DecisionTreeClassificationModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
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
			x, probs := make([]float64, m.d), make([]float64, m.classes)
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
				leaf := optim.PredictTree(m.nodes, x)
				switch kind {
				case 0:
					vb.AppendDense(leaf.Stats)
				case 1:
					tot := 0.0
					for _, v := range leaf.Stats {
						tot += v
					}
					for k, v := range leaf.Stats {
						probs[k] = v / tot
					}
					vb.AppendDense(probs)
				default:
					fb.Append(leaf.Prediction)
				}
			}
			if fb != nil {
				return fb.NewArray(), nil
			}
			return vb.NewArray(), nil
		}
	}
	return withPredictionColumns(df, "decisionTree", fc, [3]string{m.rawPredictionCol.Get(ps), m.probabilityCol.Get(ps), m.predictionCol.Get(ps)}, udf)
}

// Copy implements ml.Stage.
func (m *DecisionTreeClassificationModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the nodes.
func (m *DecisionTreeClassificationModel) ExtraMetadata() map[string]any {
	return map[string]any{"numFeatures": m.d, "numClasses": m.classes}
}

// WriteData implements ml.DataWriter: the trees as Parquet, one row per node.
func (m *DecisionTreeClassificationModel) WriteData(dir string) error {
	return optim.WriteTrees(dir, [][]optim.TreeNode{m.nodes}, nil)
}

// Save implements ml.Stage.
func (m *DecisionTreeClassificationModel) Save(path string) error { return ml.Save(m, path) }

func loadDecisionTreeClassificationModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	trees, _, err := optim.ReadTrees(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if len(trees) != 1 {
		return nil, fmt.Errorf("%s: model data has %d trees, want 1", md.UID, len(trees))
	}
	nodes := trees[0]
	var d, k int
	if err := md.GetExtra("numFeatures", &d); err != nil {
		return nil, err
	}
	if err := md.GetExtra("numClasses", &k); err != nil {
		return nil, err
	}
	if err := optim.CheckTree(nodes, d, k); err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newDecisionTreeClassificationModel(md.UID, nodes, d, k)
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (c *DecisionTreeClassifier) FitModel(ctx context.Context, df *frame.DataFrame) (*DecisionTreeClassificationModel, error) {
	return c.FitTree(ctx, df)
}

var _ ml.TypedEstimator[*DecisionTreeClassificationModel] = (*DecisionTreeClassifier)(nil)
