package regression

import (
	"context"
	"fmt"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/optim"
)

// sparkPrefix is the package of Apache Spark's regression stages.
const sparkPrefix = "org.apache.spark.ml.regression."

// registerSpark adds loaders for tree models saved by Apache Spark (its
// class names, metadata and Parquet layouts) to r.
func registerSpark(r *ml.Registry) {
	registerSparkEstimators(r)
	r.Register(sparkPrefix+"DecisionTreeRegressionModel", loadSparkDecisionTree)
	r.Register(sparkPrefix+"RandomForestRegressionModel", loadSparkRandomForest)
	r.Register(sparkPrefix+"GBTRegressionModel", loadSparkGBT)
}

func loadSparkDecisionTree(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var d int
	if err := md.GetExtra("numFeatures", &d); err != nil {
		return nil, err
	}
	nodes, err := optim.ReadSparkTree(ctx, dir, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if err := optim.CheckTree(nodes, d, 3); err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newDecisionTreeRegressionModel(md.UID, nodes, d)
	return m, md.ApplySparkParams(m.Params())
}

// readSparkEnsemble reads and checks the trees of a Spark ensemble.
func readSparkEnsemble(ctx context.Context, dir string, md *ml.Metadata) (int, [][]optim.TreeNode, []float64, error) {
	var d int
	if err := md.GetExtra("numFeatures", &d); err != nil {
		return 0, nil, nil, err
	}
	trees, weights, err := optim.ReadSparkEnsemble(ctx, dir, false)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	for t, nodes := range trees {
		if err := optim.CheckTree(nodes, d, 3); err != nil {
			return 0, nil, nil, fmt.Errorf("%s: tree %d: %w", md.UID, t, err)
		}
	}
	return d, trees, weights, nil
}

func loadSparkRandomForest(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, trees, _, err := readSparkEnsemble(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	m := newRandomForestRegressionModel(md.UID, trees, d)
	return m, md.ApplySparkParams(m.Params())
}

func loadSparkGBT(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	d, trees, weights, err := readSparkEnsemble(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	m := newGBTRegressionModel(md.UID, trees, weights, d)
	return m, md.ApplySparkParams(m.Params())
}

// sparkTreeParams are the params Spark's tree regressors share with
// gspark's, and sparkOnlyTreeParams Spark's own with their defaults.
var sparkTreeParams = []string{"featuresCol", "labelCol", "predictionCol",
	"impurity", "maxDepth", "maxBins", "minInstancesPerNode", "minInfoGain", "seed"}

func sparkOnlyTreeParams() map[string]any {
	return map[string]any{"maxMemoryInMB": 256, "cacheNodeIds": false, "checkpointInterval": 10}
}

// SparkClassName implements ml.SparkWriter.
func (m *DecisionTreeRegressionModel) SparkClassName() string {
	return sparkPrefix + "DecisionTreeRegressionModel"
}

// SparkParams implements ml.SparkWriter.
func (m *DecisionTreeRegressionModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: sparkTreeParams, Defaults: sparkOnlyTreeParams()}
}

// SparkExtra implements ml.SparkWriter.
func (m *DecisionTreeRegressionModel) SparkExtra() map[string]any {
	return map[string]any{"numFeatures": m.d}
}

// WriteSparkData implements ml.SparkWriter: Spark's node table.
func (m *DecisionTreeRegressionModel) WriteSparkData(dir string) error {
	return optim.WriteSparkTree(dir, m.nodes)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.regression.DecisionTreeRegressionModel), which Spark
// and gspark load.
func (m *DecisionTreeRegressionModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// sparkTreeSpec is the spec of Spark's DecisionTreeRegressionModel.
func sparkTreeSpec() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: sparkTreeParams, Defaults: sparkOnlyTreeParams()}
}

// SparkClassName implements ml.SparkWriter.
func (m *RandomForestRegressionModel) SparkClassName() string {
	return sparkPrefix + "RandomForestRegressionModel"
}

// SparkParams implements ml.SparkWriter.
func (m *RandomForestRegressionModel) SparkParams() ml.SparkParamSpec {
	d := sparkOnlyTreeParams()
	d["numTrees"], d["featureSubsetStrategy"], d["subsamplingRate"] = 20, "auto", 1.0
	return ml.SparkParamSpec{Shared: sparkTreeParams, Defaults: d, Set: map[string]any{"numTrees": len(m.trees)}}
}

// SparkExtra implements ml.SparkWriter.
func (m *RandomForestRegressionModel) SparkExtra() map[string]any {
	return map[string]any{"numFeatures": m.d, "numTrees": len(m.trees)}
}

// WriteSparkData implements ml.SparkWriter: Spark's ensemble tables.
func (m *RandomForestRegressionModel) WriteSparkData(dir string) error {
	md, err := ml.SparkTreesMetadata(sparkPrefix+"DecisionTreeRegressionModel", "dtr", len(m.trees), m.Params(), sparkTreeSpec())
	if err != nil {
		return err
	}
	return optim.WriteSparkEnsemble(dir, m.trees, nil, md)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.regression.RandomForestRegressionModel).
func (m *RandomForestRegressionModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// SparkClassName implements ml.SparkWriter.
func (m *GBTRegressionModel) SparkClassName() string { return sparkPrefix + "GBTRegressionModel" }

// SparkParams implements ml.SparkWriter.
func (m *GBTRegressionModel) SparkParams() ml.SparkParamSpec {
	d := sparkOnlyTreeParams()
	d["maxIter"], d["stepSize"], d["validationTol"], d["lossType"] = 20, 0.1, 0.01, "squared"
	d["featureSubsetStrategy"], d["subsamplingRate"] = "all", 1.0
	return ml.SparkParamSpec{Shared: sparkTreeParams, Defaults: d, Set: map[string]any{"maxIter": len(m.trees)}}
}

// SparkExtra implements ml.SparkWriter.
func (m *GBTRegressionModel) SparkExtra() map[string]any {
	return map[string]any{"numFeatures": m.d, "numTrees": len(m.trees)}
}

// WriteSparkData implements ml.SparkWriter: Spark's ensemble tables.
func (m *GBTRegressionModel) WriteSparkData(dir string) error {
	md, err := ml.SparkTreesMetadata(sparkPrefix+"DecisionTreeRegressionModel", "dtr", len(m.trees), m.Params(), sparkTreeSpec())
	if err != nil {
		return err
	}
	return optim.WriteSparkEnsemble(dir, m.trees, m.weights, md)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.regression.GBTRegressionModel).
func (m *GBTRegressionModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }
