package evaluation

import (
	"fmt"
	"strings"

	"github.com/gspark/gspark/ml"
)

// SparkPrefix is the package of Apache Spark's evaluators.
const SparkPrefix = "org.apache.spark.ml.evaluation."

// sparkEvaluators are Spark's evaluator classes (short names) with their
// params (each Scala class's own, Spark 3.x, in
// mllib/src/main/scala/org/apache/spark/ml/evaluation/) and makers of
// gspark's evaluator with a given uid. Spark saves an evaluator as
// metadata alone (DefaultParamsWritable).
func sparkEvaluators() map[string]sparkEvaluator {
	return map[string]sparkEvaluator{
		"RegressionEvaluator": {[]string{"metricName", "labelCol", "predictionCol", "weightCol", "throughOrigin"},
			func(uid string) Evaluator { return newRegressionEvaluator(uid) }},
		"BinaryClassificationEvaluator": {[]string{"metricName", "rawPredictionCol", "labelCol", "weightCol", "numBins"},
			func(uid string) Evaluator { return newBinaryEvaluator(uid) }},
		"MulticlassClassificationEvaluator": {[]string{"metricName", "labelCol", "predictionCol", "weightCol", "metricLabel", "beta", "probabilityCol", "eps"},
			func(uid string) Evaluator { return newMulticlassEvaluator(uid) }},
		"MultilabelClassificationEvaluator": {[]string{"metricName", "labelCol", "predictionCol", "metricLabel"},
			func(uid string) Evaluator { return newMultilabelEvaluator(uid) }},
		"RankingEvaluator": {[]string{"metricName", "labelCol", "predictionCol", "k"},
			func(uid string) Evaluator { return newRankingEvaluator(uid) }},
		"ClusteringEvaluator": {[]string{"metricName", "featuresCol", "predictionCol", "distanceMeasure", "weightCol"},
			func(uid string) Evaluator { return newClusteringEvaluator(uid) }},
	}
}

// sparkEvaluator is a Spark evaluator class: its params and a maker of
// gspark's evaluator with a given uid.
type sparkEvaluator struct {
	params []string
	make   func(uid string) Evaluator
}

// SparkClassName returns Spark's class name of the evaluator ev.
func SparkClassName(ev Evaluator) (string, error) {
	var short string
	switch ev.(type) {
	case *RegressionEvaluator:
		short = "RegressionEvaluator"
	case *BinaryClassificationEvaluator:
		short = "BinaryClassificationEvaluator"
	case *MulticlassClassificationEvaluator:
		short = "MulticlassClassificationEvaluator"
	case *MultilabelClassificationEvaluator:
		short = "MultilabelClassificationEvaluator"
	case *RankingEvaluator:
		short = "RankingEvaluator"
	case *ClusteringEvaluator:
		short = "ClusteringEvaluator"
	default:
		return "", fmt.Errorf("evaluator %s: a %T has no Spark class", ev.UID(), ev)
	}
	return SparkPrefix + short, nil
}

// sparkParamSpec is the spec of ev's params Spark's class has.
func sparkParamSpec(ev Evaluator, short string) ml.SparkParamSpec {
	var shared []string
	for _, n := range sparkEvaluators()[short].params {
		if ev.Params().IsDefined(n) {
			shared = append(shared, n)
		}
	}
	return ml.SparkParamSpec{Shared: shared}
}

// WriteSpark writes ev into dir in Spark's layout: metadata/part-00000
// with Spark's class name and the params Spark's class has (an evaluator
// has no data), as Spark's DefaultParamsWriter writes it.
func WriteSpark(ev Evaluator, dir string) error {
	class, err := SparkClassName(ev)
	if err != nil {
		return err
	}
	spec := sparkParamSpec(ev, strings.TrimPrefix(class, SparkPrefix))
	return ml.WriteSparkParamsStage(dir, class, ev.UID(), ev.Params(), spec, nil)
}

// LoadSpark reads an evaluator saved in Spark's layout at dir (its class
// one of Spark's six evaluators), with its uid and the params Spark saved.
func LoadSpark(dir string) (Evaluator, error) {
	md, err := ml.ReadMetadata(dir)
	if err != nil {
		return nil, err
	}
	return FromSparkMetadata(md)
}

// FromSparkMetadata makes the evaluator md describes (Spark's layout).
func FromSparkMetadata(md *ml.Metadata) (Evaluator, error) {
	short, ok := strings.CutPrefix(md.Class, SparkPrefix)
	e, known := sparkEvaluators()[short]
	if !ok || !known {
		return nil, fmt.Errorf("%s: class %q is not one of Spark's evaluators", md.UID, md.Class)
	}
	ev := e.make(md.UID)
	if err := md.ApplySparkParams(ev.Params()); err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	return ev, nil
}

// IsSparkEvaluator reports whether class names one of Spark's evaluators.
func IsSparkEvaluator(class string) bool {
	short, ok := strings.CutPrefix(class, SparkPrefix)
	_, known := sparkEvaluators()[short]
	return ok && known
}
