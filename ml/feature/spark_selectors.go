package feature

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/ml"
)

// The selector models save one row Data(selectedFeatures: Seq[Int]) in
// data/ (array<int> of the kept feature indices, ascending).

// selectedFeaturesSchema is the schema of the selector models' data/.
func selectedFeaturesSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{{Name: "selectedFeatures",
		Type: arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.PrimitiveTypes.Int32}), Nullable: true}}, nil)
}

// writeSparkSelected writes the row {selectedFeatures}.
func writeSparkSelected(dir string, sel []int) error {
	return ml.WriteSparkRows(dir, "data", selectedFeaturesSchema(), []any{sel})
}

// readSparkSelected reads the row {selectedFeatures}: distinct
// non-negative indices, returned ascending.
func readSparkSelected(ctx context.Context, dir string, md *ml.Metadata) ([]int, error) {
	d, _, err := readSparkFeatureData(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	defer d.Release()
	raw, err := d.Ints("selectedFeatures", 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	sel := make([]int, len(raw))
	for i, f := range raw {
		if f < 0 || f > math.MaxInt32 {
			return nil, fmt.Errorf("%s: model data field selectedFeatures: index %d", md.UID, f)
		}
		sel[i] = int(f)
	}
	slices.Sort(sel)
	if len(slices.Compact(slices.Clone(sel))) != len(sel) {
		return nil, fmt.Errorf("%s: model data field selectedFeatures repeats an index: %v", md.UID, raw)
	}
	return sel, nil
}

// ChiSqSelectorModel: Data(selectedFeatures) (ChiSqSelector.scala).

// SparkClassName implements ml.SparkWriter.
func (m *ChiSqSelectorModel) SparkClassName() string { return sparkPrefix + "ChiSqSelectorModel" }

// SparkParams implements ml.SparkWriter.
func (m *ChiSqSelectorModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "outputCol", "labelCol", "selectorType", "numTopFeatures", "percentile", "fpr", "fdr", "fwe"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *ChiSqSelectorModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {selectedFeatures}.
func (m *ChiSqSelectorModel) WriteSparkData(dir string) error {
	return writeSparkSelected(dir, m.selected)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.ChiSqSelectorModel).
func (m *ChiSqSelectorModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkChiSqSelectorModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	sel, err := readSparkSelected(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	m := newChiSqSelectorModel(md.UID, sel)
	return m, md.ApplySparkParams(m.Params())
}

// UnivariateFeatureSelectorModel: Data(selectedFeatures) (UnivariateFeatureSelector.scala).

// SparkClassName implements ml.SparkWriter.
func (m *UnivariateFeatureSelectorModel) SparkClassName() string {
	return sparkPrefix + "UnivariateFeatureSelectorModel"
}

// SparkVersion implements ml.SparkVersioner: the class came with Spark
// 3.1.1.
func (m *UnivariateFeatureSelectorModel) SparkVersion() string { return "3.1.1" }

// SparkParams implements ml.SparkWriter.
func (m *UnivariateFeatureSelectorModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "outputCol", "labelCol", "featureType", "labelType", "selectionMode", "selectionThreshold"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *UnivariateFeatureSelectorModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {selectedFeatures}.
func (m *UnivariateFeatureSelectorModel) WriteSparkData(dir string) error {
	return writeSparkSelected(dir, m.selected)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.UnivariateFeatureSelectorModel).
func (m *UnivariateFeatureSelectorModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkUnivariateFeatureSelectorModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	sel, err := readSparkSelected(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	m := newUnivariateFeatureSelectorModel(md.UID, sel)
	return m, md.ApplySparkParams(m.Params())
}

// VarianceThresholdSelectorModel: Data(selectedFeatures) (VarianceThresholdSelector.scala).

// SparkClassName implements ml.SparkWriter.
func (m *VarianceThresholdSelectorModel) SparkClassName() string {
	return sparkPrefix + "VarianceThresholdSelectorModel"
}

// SparkVersion implements ml.SparkVersioner: the class came with Spark
// 3.1.0.
func (m *VarianceThresholdSelectorModel) SparkVersion() string { return "3.1.0" }

// SparkParams implements ml.SparkWriter.
func (m *VarianceThresholdSelectorModel) SparkParams() ml.SparkParamSpec {
	return ml.SparkParamSpec{Shared: []string{"featuresCol", "outputCol", "varianceThreshold"}}
}

// SparkExtra implements ml.SparkWriter (Spark writes no extra keys).
func (m *VarianceThresholdSelectorModel) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: one row {selectedFeatures}.
func (m *VarianceThresholdSelectorModel) WriteSparkData(dir string) error {
	return writeSparkSelected(dir, m.selected)
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.feature.VarianceThresholdSelectorModel).
func (m *VarianceThresholdSelectorModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

func loadSparkVarianceThresholdSelectorModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	sel, err := readSparkSelected(ctx, dir, md)
	if err != nil {
		return nil, err
	}
	m := newVarianceThresholdSelectorModel(md.UID, sel)
	return m, md.ApplySparkParams(m.Params())
}

var (
	_ ml.SparkWriter = (*ChiSqSelectorModel)(nil)
	_ ml.SparkWriter = (*UnivariateFeatureSelectorModel)(nil)
	_ ml.SparkWriter = (*VarianceThresholdSelectorModel)(nil)
	_ ml.SparkWriter = (*Word2VecModel)(nil)
	_ ml.SparkWriter = (*MinHashLSHModel)(nil)
	_ ml.SparkWriter = (*BucketedRandomProjectionLSHModel)(nil)
	_ ml.SparkWriter = (*VectorIndexerModel)(nil)
)
