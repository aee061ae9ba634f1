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

// RandomForestClassifier fits a random forest as Spark's: numTrees trees
// (default 20), each grown as DecisionTreeClassifier's on a bootstrap
// (Poisson) sample of the rows, choosing each split among a random subset
// of the features (featureSubsetStrategy, "auto" = sqrt). rawPrediction is
// the sum over trees of each leaf's class distribution, probability its
// normalization, prediction the most probable class. Samples and subsets
// are drawn from the seed in row order, so the forest does not depend on
// the partitioning.
type RandomForestClassifier struct {
	ml.StageBase
	dtParams
	numTrees              param.Param[int]
	featureSubsetStrategy param.Param[string]
	subsamplingRate       param.Param[float64]
	bootstrap             param.Param[bool]
}

// NewRandomForestClassifier returns an estimator with Spark's defaults.
func NewRandomForestClassifier() *RandomForestClassifier {
	return newRandomForestClassifier(param.UID("rfc"))
}

func newRandomForestClassifier(uid string) *RandomForestClassifier {
	f := &RandomForestClassifier{StageBase: ml.NewStageBase(uid)}
	ps := f.Params()
	f.dtParams = defineDT(ps)
	f.numTrees = param.Define(ps, "numTrees", "number of trees (>= 1)", param.WithDefault(20), param.WithValidator(param.GtEq(1)))
	f.featureSubsetStrategy = param.Define(ps, "featureSubsetStrategy", "features tried per node: auto, all, sqrt, log2, onethird, n or a fraction", param.WithDefault("auto"))
	f.subsamplingRate = param.Define(ps, "subsamplingRate", "share of rows sampled per tree, in (0, 1]", param.WithDefault(1.0), param.WithValidator(func(v float64) error {
		if !(v > 0 && v <= 1) {
			return fmt.Errorf("must be in (0, 1], got %v", v)
		}
		return nil
	}))
	f.bootstrap = param.Define(ps, "bootstrap", "whether rows are sampled with replacement", param.WithDefault(true))
	return f
}

// SetNumTrees sets the number of trees.
func (f *RandomForestClassifier) SetNumTrees(n int) *RandomForestClassifier {
	f.numTrees.Set(f.Params(), n)
	return f
}

// SetFeatureSubsetStrategy sets how many features each node tries.
func (f *RandomForestClassifier) SetFeatureSubsetStrategy(s string) *RandomForestClassifier {
	f.featureSubsetStrategy.Set(f.Params(), s)
	return f
}

// SetSubsamplingRate sets the share of rows sampled per tree.
func (f *RandomForestClassifier) SetSubsamplingRate(v float64) *RandomForestClassifier {
	f.subsamplingRate.Set(f.Params(), v)
	return f
}

// SetBootstrap sets whether rows are sampled with replacement.
func (f *RandomForestClassifier) SetBootstrap(b bool) *RandomForestClassifier {
	f.bootstrap.Set(f.Params(), b)
	return f
}

// SetSeed sets the random seed.
func (f *RandomForestClassifier) SetSeed(s int64) *RandomForestClassifier {
	f.seed.Set(f.Params(), s)
	return f
}

// SetMaxDepth sets the depth of each tree.
func (f *RandomForestClassifier) SetMaxDepth(n int) *RandomForestClassifier {
	f.maxDepth.Set(f.Params(), n)
	return f
}

// SetMaxBins sets the maximum number of bins per feature.
func (f *RandomForestClassifier) SetMaxBins(n int) *RandomForestClassifier {
	f.maxBins.Set(f.Params(), n)
	return f
}

// SetImpurity sets the impurity: "gini" or "entropy".
func (f *RandomForestClassifier) SetImpurity(s string) *RandomForestClassifier {
	f.impurity.Set(f.Params(), s)
	return f
}

// ClassName implements ml.Stage.
func (f *RandomForestClassifier) ClassName() string { return classPrefix + "RandomForestClassifier" }

// TransformSchema implements ml.Stage.
func (f *RandomForestClassifier) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return f.outSchema(f.Params(), in, true)
}

// Copy implements ml.Stage.
func (f *RandomForestClassifier) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := f.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *f
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (f *RandomForestClassifier) Save(path string) error { return ml.Save(f, path) }

// Fit implements ml.Estimator.
func (f *RandomForestClassifier) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := f.FitForest(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitForest is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (f *RandomForestClassifier) FitForest(ctx context.Context, df *frame.DataFrame) (*RandomForestClassificationModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := f.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := f.Params()
	uid := f.UID()
	blocks, err := optim.ReadBlocks(ctx, df, optim.Columns{UID: uid, FeaturesCol: f.featuresCol.Get(ps), LabelCol: f.labelCol.Get(ps), WeightCol: f.weightCol.Get(ps)})
	if err != nil {
		return nil, err
	}
	cat, err := optim.CategoricalFeatures(df.Schema(), f.featuresCol.Get(ps))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	K := 0
	for _, b := range blocks {
		for _, y := range b.Y {
			if y < 0 || y != math.Trunc(y) || y > 1e5 {
				return nil, fmt.Errorf("%s: labels in column %q must be class indices 0, 1, 2, …; got %v", uid, f.labelCol.Get(ps), y)
			}
			K = max(K, int(y)+1)
		}
	}
	K = max(K, 2)
	d, n := blocks[0].D, f.numTrees.Get(ps)
	k, err := optim.FeaturesPerNode(f.featureSubsetStrategy.Get(ps), d, n, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	trees, err := optim.GrowForest(ctx, blocks, optim.ForestConfig{
		Tree: optim.TreeConfig{MaxDepth: f.maxDepth.Get(ps), MaxBins: f.maxBins.Get(ps), MinInstancesPerNode: f.minInstancesPerNode.Get(ps),
			MinInfoGain: f.minInfoGain.Get(ps), Impurity: f.impurity.Get(ps), NumClasses: K, FeaturesPerNode: k, Categorical: cat},
		NumTrees: n, Bootstrap: f.bootstrap.Get(ps), SubsamplingRate: f.subsamplingRate.Get(ps), Seed: uint64(f.seed.Get(ps))})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m := newRandomForestClassificationModel(uid, trees, d, K)
	return m, ps.CopyValuesTo(m.Params())
}

// RandomForestClassificationModel is a fitted random forest classifier.
type RandomForestClassificationModel struct {
	ml.StageBase
	dtParams
	trees      [][]optim.TreeNode
	d, classes int
}

func newRandomForestClassificationModel(uid string, trees [][]optim.TreeNode, d, k int) *RandomForestClassificationModel {
	m := &RandomForestClassificationModel{StageBase: ml.NewStageBase(uid), trees: trees, d: d, classes: k}
	m.dtParams = defineDT(m.Params())
	return m
}

// NumTrees returns the number of trees.
func (m *RandomForestClassificationModel) NumTrees() int { return len(m.trees) }

// NumClasses returns the number of classes.
func (m *RandomForestClassificationModel) NumClasses() int { return m.classes }

// Trees returns the nodes of each tree.
func (m *RandomForestClassificationModel) Trees() [][]optim.TreeNode {
	out := make([][]optim.TreeNode, len(m.trees))
	for i, t := range m.trees {
		out[i] = append([]optim.TreeNode(nil), t...)
	}
	return out
}

// FeatureImportances averages the trees' normalized importances and
// normalizes the result, as Spark.
func (m *RandomForestClassificationModel) FeatureImportances() linalg.Vector {
	imp := make([]float64, m.d)
	for _, t := range m.trees {
		for j, v := range optim.FeatureImportances(t, m.d, true) {
			imp[j] += v
		}
	}
	tot := 0.0
	for _, v := range imp {
		tot += v
	}
	for j := range imp {
		if tot > 0 {
			imp[j] /= tot
		}
	}
	return linalg.Dense(imp...)
}

// raw sums the trees' leaf class distributions.
func (m *RandomForestClassificationModel) raw(x, out []float64) {
	clear(out)
	for _, t := range m.trees {
		leaf := optim.PredictTree(t, x)
		tot := 0.0
		for _, v := range leaf.Stats {
			tot += v
		}
		for k, v := range leaf.Stats {
			out[k] += v / tot
		}
	}
}

// ClassName implements ml.Stage.
func (m *RandomForestClassificationModel) ClassName() string {
	return classPrefix + "RandomForestClassificationModel"
}

// TransformSchema implements ml.Stage.
func (m *RandomForestClassificationModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.outSchema(m.Params(), in, false)
}

// Transform adds the rawPrediction, probability and prediction columns
// (each skipped when its name is empty; null for a null vector).
func (m *RandomForestClassificationModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
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
			x, raw, probs := make([]float64, m.d), make([]float64, m.classes), make([]float64, m.classes)
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
				m.raw(x, raw)
				switch kind {
				case 0:
					vb.AppendDense(raw)
				case 1:
					tot := 0.0
					for _, v := range raw {
						tot += v
					}
					for k, v := range raw {
						probs[k] = v / tot
					}
					vb.AppendDense(probs)
				default:
					best := 0
					for k, v := range raw {
						if v > raw[best] {
							best = k
						}
					}
					fb.Append(float64(best))
				}
			}
			if fb != nil {
				return fb.NewArray(), nil
			}
			return vb.NewArray(), nil
		}
	}
	return withPredictionColumns(df, "randomForest", fc, [3]string{m.rawPredictionCol.Get(ps), m.probabilityCol.Get(ps), m.predictionCol.Get(ps)}, udf)
}

// Copy implements ml.Stage.
func (m *RandomForestClassificationModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the trees.
func (m *RandomForestClassificationModel) ExtraMetadata() map[string]any {
	return map[string]any{"numFeatures": m.d, "numClasses": m.classes}
}

// WriteData implements ml.DataWriter: the trees as Parquet, one row per node.
func (m *RandomForestClassificationModel) WriteData(dir string) error {
	return optim.WriteTrees(dir, m.trees, nil)
}

// Save implements ml.Stage.
func (m *RandomForestClassificationModel) Save(path string) error { return ml.Save(m, path) }

func loadRandomForestClassificationModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	trees, _, err := optim.ReadTrees(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	var d, k int
	if err := md.GetExtra("numFeatures", &d); err != nil {
		return nil, err
	}
	if err := md.GetExtra("numClasses", &k); err != nil {
		return nil, err
	}
	if len(trees) == 0 {
		return nil, fmt.Errorf("%s: model has no trees", md.UID)
	}
	for _, t := range trees {
		if err := optim.CheckTree(t, d, k); err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
	}
	m := newRandomForestClassificationModel(md.UID, trees, d, k)
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (f *RandomForestClassifier) FitModel(ctx context.Context, df *frame.DataFrame) (*RandomForestClassificationModel, error) {
	return f.FitForest(ctx, df)
}

var _ ml.TypedEstimator[*RandomForestClassificationModel] = (*RandomForestClassifier)(nil)
