package classification

import (
	"context"
	"fmt"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/optim"
)

// sparkPrefix is the package of Apache Spark's classification stages.
const sparkPrefix = "org.apache.spark.ml.classification."

// registerSpark adds loaders for models saved by Apache Spark (its class
// names, metadata and Parquet layouts) to r.
func registerSpark(r *ml.Registry) {
	registerSparkEstimators(r)
	r.Register(sparkPrefix+"DecisionTreeClassificationModel", loadSparkDecisionTree)
	r.Register(sparkPrefix+"RandomForestClassificationModel", loadSparkRandomForest)
	r.Register(sparkPrefix+"GBTClassificationModel", loadSparkGBT)
	r.Register(sparkPrefix+"MultilayerPerceptronClassificationModel", loadSparkMLP)
}

// sparkSizes reads numFeatures and (k != nil) numClasses from Spark's metadata.
func sparkSizes(md *ml.Metadata, d, k *int) error {
	if err := md.GetExtra("numFeatures", d); err != nil {
		return err
	}
	if k != nil {
		return md.GetExtra("numClasses", k)
	}
	return nil
}

func loadSparkDecisionTree(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var d, k int
	if err := sparkSizes(md, &d, &k); err != nil {
		return nil, err
	}
	nodes, err := optim.ReadSparkTree(ctx, dir, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if err := optim.CheckTree(nodes, d, k); err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	m := newDecisionTreeClassificationModel(md.UID, nodes, d, k)
	return m, md.ApplySparkParams(m.Params())
}

func loadSparkRandomForest(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var d, k int
	if err := sparkSizes(md, &d, &k); err != nil {
		return nil, err
	}
	trees, _, err := optim.ReadSparkEnsemble(ctx, dir, true)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	for t, nodes := range trees {
		if err := optim.CheckTree(nodes, d, k); err != nil {
			return nil, fmt.Errorf("%s: tree %d: %w", md.UID, t, err)
		}
	}
	m := newRandomForestClassificationModel(md.UID, trees, d, k)
	return m, md.ApplySparkParams(m.Params())
}

func loadSparkGBT(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	var d int
	if err := sparkSizes(md, &d, nil); err != nil {
		return nil, err
	}
	trees, weights, err := optim.ReadSparkEnsemble(ctx, dir, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	for t, nodes := range trees {
		if err := optim.CheckTree(nodes, d, 3); err != nil {
			return nil, fmt.Errorf("%s: tree %d: %w", md.UID, t, err)
		}
	}
	m := newGBTClassificationModel(md.UID, trees, weights, d)
	return m, md.ApplySparkParams(m.Params())
}

// sparkTreeParams are the params Spark's tree classifiers share with
// gspark's, and sparkOnlyTreeParams Spark's own with their defaults.
var sparkTreeParams = []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol", "probabilityCol",
	"impurity", "maxDepth", "maxBins", "minInstancesPerNode", "minInfoGain", "seed"}

func sparkOnlyTreeParams() map[string]any {
	return map[string]any{"maxMemoryInMB": 256, "cacheNodeIds": false, "checkpointInterval": 10}
}

// SparkClassName implements ml.SparkWriter.
func (m *DecisionTreeClassificationModel) SparkClassName() string {
	return sparkPrefix + "DecisionTreeClassificationModel"
}

// SparkParams implements ml.SparkWriter.
func (m *DecisionTreeClassificationModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: sparkTreeParams, Defaults: sparkOnlyTreeParams()}
}

// SparkExtra implements ml.SparkWriter.
func (m *DecisionTreeClassificationModel) SparkExtra() map[string]any {
	return map[string]any{"numFeatures": m.d, "numClasses": m.classes}
}

// WriteSparkData implements ml.SparkWriter: Spark's node table.
func (m *DecisionTreeClassificationModel) WriteSparkData(dir string) error {
	return optim.WriteSparkTree(dir, m.nodes)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.classification.DecisionTreeClassificationModel),
// which Spark and gspark load.
func (m *DecisionTreeClassificationModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// sparkRegressionTreeSpec is the spec of the regression trees inside a
// Spark GBT classifier.
func sparkRegressionTreeSpec() ml.SparkParamSpec {
	d := sparkOnlyTreeParams()
	d["impurity"] = "variance"
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "labelCol", "predictionCol", "maxDepth", "maxBins", "minInstancesPerNode", "minInfoGain", "seed"}, Defaults: d}
}

// SparkClassName implements ml.SparkWriter.
func (m *RandomForestClassificationModel) SparkClassName() string {
	return sparkPrefix + "RandomForestClassificationModel"
}

// SparkParams implements ml.SparkWriter.
func (m *RandomForestClassificationModel) SparkParams() ml.SparkParamSpec {
	d := sparkOnlyTreeParams()
	d["numTrees"], d["featureSubsetStrategy"], d["subsamplingRate"] = 20, "auto", 1.0
	return ml.SparkParamSpec{Shared: sparkTreeParams, Defaults: d, Set: map[string]any{"numTrees": len(m.trees)}}
}

// SparkExtra implements ml.SparkWriter.
func (m *RandomForestClassificationModel) SparkExtra() map[string]any {
	return map[string]any{"numFeatures": m.d, "numClasses": m.classes, "numTrees": len(m.trees)}
}

// WriteSparkData implements ml.SparkWriter: Spark's ensemble tables.
func (m *RandomForestClassificationModel) WriteSparkData(dir string) error {
	md, err := ml.SparkTreesMetadata(sparkPrefix+"DecisionTreeClassificationModel", "dtc", len(m.trees), m.Params(),
		ml.SparkParamSpec{Shared: sparkTreeParams, Defaults: sparkOnlyTreeParams()})
	if err != nil {
		return err
	}
	return optim.WriteSparkEnsemble(dir, m.trees, nil, md)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.classification.RandomForestClassificationModel).
func (m *RandomForestClassificationModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// SparkClassName implements ml.SparkWriter.
func (m *GBTClassificationModel) SparkClassName() string {
	return sparkPrefix + "GBTClassificationModel"
}

// SparkParams implements ml.SparkWriter.
func (m *GBTClassificationModel) SparkParams() ml.SparkParamSpec {
	d := sparkOnlyTreeParams()
	d["maxIter"], d["stepSize"], d["validationTol"], d["lossType"] = 20, 0.1, 0.01, "logistic"
	d["featureSubsetStrategy"], d["subsamplingRate"] = "all", 1.0
	return ml.SparkParamSpec{Shared: sparkTreeParams, Defaults: d, Set: map[string]any{"maxIter": len(m.trees)}}
}

// SparkExtra implements ml.SparkWriter.
func (m *GBTClassificationModel) SparkExtra() map[string]any {
	return map[string]any{"numFeatures": m.d, "numTrees": len(m.trees)}
}

// WriteSparkData implements ml.SparkWriter: Spark's ensemble tables, the
// trees being regression trees.
func (m *GBTClassificationModel) WriteSparkData(dir string) error {
	md, err := ml.SparkTreesMetadata("org.apache.spark.ml.regression.DecisionTreeRegressionModel", "dtr", len(m.trees), m.Params(), sparkRegressionTreeSpec())
	if err != nil {
		return err
	}
	return optim.WriteSparkEnsemble(dir, m.trees, m.weights, md)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.classification.GBTClassificationModel).
func (m *GBTClassificationModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }
