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

// RandomForestRegressor fits a random forest as Spark's: numTrees trees
// (default 20), each grown as DecisionTreeRegressor's on a bootstrap
// (Poisson) sample of the rows, choosing each split among a random subset
// of the features (featureSubsetStrategy, "auto" = one third); the model
// predicts the trees' mean. The samples and subsets are drawn from the seed
// in row order, so the forest does not depend on the partitioning.
type RandomForestRegressor struct {
	ml.StageBase
	dtParams
	numTrees              param.Param[int]
	featureSubsetStrategy param.Param[string]
	subsamplingRate       param.Param[float64]
	bootstrap             param.Param[bool]
}

// NewRandomForestRegressor returns an estimator with Spark's defaults.
func NewRandomForestRegressor() *RandomForestRegressor {
	return newRandomForestRegressor(param.UID("rfr"))
}

func newRandomForestRegressor(uid string) *RandomForestRegressor {
	f := &RandomForestRegressor{StageBase: ml.NewStageBase(uid)}
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
func (f *RandomForestRegressor) SetNumTrees(n int) *RandomForestRegressor {
	f.numTrees.Set(f.Params(), n)
	return f
}

// SetFeatureSubsetStrategy sets how many features each node tries.
func (f *RandomForestRegressor) SetFeatureSubsetStrategy(s string) *RandomForestRegressor {
	f.featureSubsetStrategy.Set(f.Params(), s)
	return f
}

// SetSubsamplingRate sets the share of rows sampled per tree.
func (f *RandomForestRegressor) SetSubsamplingRate(v float64) *RandomForestRegressor {
	f.subsamplingRate.Set(f.Params(), v)
	return f
}

// SetBootstrap sets whether rows are sampled with replacement.
func (f *RandomForestRegressor) SetBootstrap(b bool) *RandomForestRegressor {
	f.bootstrap.Set(f.Params(), b)
	return f
}

// SetSeed sets the random seed.
func (f *RandomForestRegressor) SetSeed(s int64) *RandomForestRegressor {
	f.seed.Set(f.Params(), s)
	return f
}

// SetMaxDepth sets the depth of each tree.
func (f *RandomForestRegressor) SetMaxDepth(n int) *RandomForestRegressor {
	f.maxDepth.Set(f.Params(), n)
	return f
}

// SetMaxBins sets the maximum number of bins per feature.
func (f *RandomForestRegressor) SetMaxBins(n int) *RandomForestRegressor {
	f.maxBins.Set(f.Params(), n)
	return f
}

// ClassName implements ml.Stage.
func (f *RandomForestRegressor) ClassName() string { return classPrefix + "RandomForestRegressor" }

// TransformSchema implements ml.Stage.
func (f *RandomForestRegressor) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return f.outSchema(f.Params(), in, true)
}

// Copy implements ml.Stage.
func (f *RandomForestRegressor) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := f.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *f
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (f *RandomForestRegressor) Save(path string) error { return ml.Save(f, path) }

// Fit implements ml.Estimator.
func (f *RandomForestRegressor) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := f.FitForest(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitForest is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (f *RandomForestRegressor) FitForest(ctx context.Context, df *frame.DataFrame) (*RandomForestRegressionModel, error) {
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
	d, n := blocks[0].D, f.numTrees.Get(ps)
	k, err := optim.FeaturesPerNode(f.featureSubsetStrategy.Get(ps), d, n, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	trees, err := optim.GrowForest(ctx, blocks, optim.ForestConfig{
		Tree: optim.TreeConfig{MaxDepth: f.maxDepth.Get(ps), MaxBins: f.maxBins.Get(ps), MinInstancesPerNode: f.minInstancesPerNode.Get(ps),
			MinInfoGain: f.minInfoGain.Get(ps), Impurity: "variance", FeaturesPerNode: k, Categorical: cat},
		NumTrees: n, Bootstrap: f.bootstrap.Get(ps), SubsamplingRate: f.subsamplingRate.Get(ps), Seed: uint64(f.seed.Get(ps))})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", uid, err)
	}
	m := newRandomForestRegressionModel(uid, trees, d)
	return m, ps.CopyValuesTo(m.Params())
}

// RandomForestRegressionModel predicts the mean of its trees.
type RandomForestRegressionModel struct {
	ml.StageBase
	dtParams
	trees [][]optim.TreeNode
	d     int
}

func newRandomForestRegressionModel(uid string, trees [][]optim.TreeNode, d int) *RandomForestRegressionModel {
	m := &RandomForestRegressionModel{StageBase: ml.NewStageBase(uid), trees: trees, d: d}
	m.dtParams = defineDT(m.Params())
	return m
}

// NumTrees returns the number of trees.
func (m *RandomForestRegressionModel) NumTrees() int { return len(m.trees) }

// Trees returns the nodes of each tree.
func (m *RandomForestRegressionModel) Trees() [][]optim.TreeNode {
	out := make([][]optim.TreeNode, len(m.trees))
	for i, t := range m.trees {
		out[i] = append([]optim.TreeNode(nil), t...)
	}
	return out
}

// FeatureImportances averages the trees' normalized importances and
// normalizes the result, as Spark.
func (m *RandomForestRegressionModel) FeatureImportances() linalg.Vector {
	return linalg.Dense(forestImportances(m.trees, m.d, false)...)
}

func forestImportances(trees [][]optim.TreeNode, d int, classif bool) []float64 {
	imp := make([]float64, d)
	for _, t := range trees {
		for j, v := range optim.FeatureImportances(t, d, classif) {
			imp[j] += v
		}
	}
	tot := 0.0
	for _, v := range imp {
		tot += v
	}
	if tot > 0 {
		for j := range imp {
			imp[j] /= tot
		}
	}
	return imp
}

func (m *RandomForestRegressionModel) predict(x []float64) float64 {
	s := 0.0
	for _, t := range m.trees {
		s += optim.PredictTree(t, x).Prediction
	}
	return s / float64(len(m.trees))
}

// ClassName implements ml.Stage.
func (m *RandomForestRegressionModel) ClassName() string {
	return classPrefix + "RandomForestRegressionModel"
}

// TransformSchema implements ml.Stage.
func (m *RandomForestRegressionModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.outSchema(m.Params(), in, false)
}

// Transform adds the prediction column (null for a null vector).
func (m *RandomForestRegressionModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
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
	out := df.WithColumn(m.predictionCol.Get(ps), frame.UDF("randomForestRegression", arrow.PrimitiveTypes.Float64, fn, frame.Col(fc)))
	return out, out.Err()
}

// Copy implements ml.Stage.
func (m *RandomForestRegressionModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the trees.
func (m *RandomForestRegressionModel) ExtraMetadata() map[string]any {
	return map[string]any{"numFeatures": m.d}
}

// WriteData implements ml.DataWriter: the trees as Parquet, one row per node.
func (m *RandomForestRegressionModel) WriteData(dir string) error {
	return optim.WriteTrees(dir, m.trees, nil)
}

// Save implements ml.Stage.
func (m *RandomForestRegressionModel) Save(path string) error { return ml.Save(m, path) }

func loadRandomForestRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	trees, _, err := optim.ReadTrees(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	var d int
	if err := md.GetExtra("numFeatures", &d); err != nil {
		return nil, err
	}
	if len(trees) == 0 {
		return nil, fmt.Errorf("%s: model has no trees", md.UID)
	}
	for _, t := range trees {
		if err := optim.CheckTree(t, d, 3); err != nil {
			return nil, fmt.Errorf("%s: %w", md.UID, err)
		}
	}
	m := newRandomForestRegressionModel(md.UID, trees, d)
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (f *RandomForestRegressor) FitModel(ctx context.Context, df *frame.DataFrame) (*RandomForestRegressionModel, error) {
	return f.FitForest(ctx, df)
}

var _ ml.TypedEstimator[*RandomForestRegressionModel] = (*RandomForestRegressor)(nil)
