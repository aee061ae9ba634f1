package classification

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// Spark's layout of OneVsRest and OneVsRestModel, as OneVsRest.scala's
// OneVsRestParams.saveImpl and OneVsRestModelWriter write it: every param
// but classifier in paramMap (extractParamMap: set values and defaults),
// the defaults in defaultParamMap, the base classifier (an estimator, in
// its own Spark layout) under classifier/, and for the model the extra
// keys labelMetadata (the label column's ML attribute as a JSON string)
// and numClasses, and binary model i under model_<i>/.

// registerSparkOneVsRest adds the loaders of Spark's OneVsRest,
// OneVsRestModel and LogisticRegression (the usual base classifier).
func registerSparkOneVsRest(r *ml.Registry) {
	r.Register(sparkPrefix+"OneVsRest", loadSparkOneVsRest)
	r.Register(sparkPrefix+"OneVsRestModel", loadSparkOneVsRestModel)
	r.Register(sparkPrefix+"LogisticRegression", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		lr := newLogisticRegression(md.UID)
		return lr, md.ApplySparkParams(lr.Params())
	})
}

// sparkAllParams is a spec writing every param of names that has a value
// (set or default) in paramMap and the defaults in defaultParamMap, as
// Spark's meta-algorithms (OneVsRest, the validators) save
// extractParamMap.
func sparkAllParams(ps *param.Params, names []string) ml.SparkParamSpec {
	spec := ml.SparkParamSpec{Shared: names, Set: map[string]any{}}
	for _, n := range names {
		if v, ok := ps.Get(n); ok {
			spec.Set[n] = v
		}
	}
	return spec
}

// sparkOVRParams are the params of Spark's OneVsRestParams (ClassifierParams
// and weightCol); the estimator adds parallelism.
func sparkOVRParams() []string {
	return []string{"featuresCol", "labelCol", "predictionCol", "rawPredictionCol", "weightCol"}
}

// sparkWriteClassifier writes the base classifier under dir/classifier.
func sparkWriteClassifier(uid string, c ml.Estimator, dir string) error {
	if c == nil {
		return fmt.Errorf("%s: the base classifier is not known (a model loaded from gspark's own layout): Spark's layout needs it", uid)
	}
	sw, ok := c.(ml.SparkWriter)
	if !ok {
		return fmt.Errorf("%s: base classifier %s (%s) has no Spark layout", uid, c.UID(), c.ClassName())
	}
	return ml.WriteSparkStage(sw, filepath.Join(dir, "classifier"))
}

// SparkParams implements ml.SparkWriter.
func (e *OneVsRest) SparkParams() ml.SparkParamSpec {
	return sparkAllParams(e.Params(), append(sparkOVRParams(), "parallelism"))
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (e *OneVsRest) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: the base classifier under
// classifier/.
func (e *OneVsRest) WriteSparkData(dir string) error {
	return sparkWriteClassifier(e.UID(), e.classifier, dir)
}

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.classification.OneVsRest); the base classifier
// must have a Spark layout too.
func (e *OneVsRest) SaveSpark(path string) error { return ml.SaveSpark(e, path) }

// SparkParams implements ml.SparkWriter.
func (m *OneVsRestModel) SparkParams() ml.SparkParamSpec {
	return sparkAllParams(m.Params(), sparkOVRParams())
}

// SparkExtra implements ml.SparkWriter: labelMetadata (a nominal label
// attribute with the number of classes, as OneVsRest.fit makes when the
// label column has no ML attribute) and numClasses.
func (m *OneVsRestModel) SparkExtra() map[string]any {
	return map[string]any{
		"labelMetadata": fmt.Sprintf(`{"ml_attr":{"name":"label","type":"nominal","num_vals":%d}}`, len(m.models)),
		"numClasses":    len(m.models),
	}
}

// WriteSparkData implements ml.SparkWriter: the base classifier under
// classifier/ and binary model i under model_<i>/, each in its Spark
// layout.
func (m *OneVsRestModel) WriteSparkData(dir string) error {
	if err := sparkWriteClassifier(m.UID(), m.classifier, dir); err != nil {
		return err
	}
	for i, bm := range m.models {
		sw, ok := bm.(ml.SparkWriter)
		if !ok {
			return fmt.Errorf("%s: model %d (%s) has no Spark layout", m.UID(), i, bm.ClassName())
		}
		if err := ml.WriteSparkStage(sw, filepath.Join(dir, fmt.Sprintf("model_%d", i))); err != nil {
			return fmt.Errorf("%s: model %d: %w", m.UID(), i, err)
		}
	}
	return nil
}

// SaveSpark writes the model to path in Apache Spark's layout
// (org.apache.spark.ml.classification.OneVsRestModel), which Spark's
// OneVsRestModel.load reads; the base classifier and the binary models
// must have Spark layouts.
func (m *OneVsRestModel) SaveSpark(path string) error { return ml.SaveSpark(m, path) }

// loadBaseClassifier loads the base classifier saved under dir/classifier,
// in gspark's layout or Spark's.
func loadBaseClassifier(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Estimator, error) {
	st, err := reg.Load(ctx, filepath.Join(dir, "classifier"))
	if err != nil {
		return nil, fmt.Errorf("%s: classifier: %w", md.UID, err)
	}
	c, ok := st.(ml.Estimator)
	if !ok {
		return nil, fmt.Errorf("%s: classifier %s is a %T, not an estimator", md.UID, st.UID(), st)
	}
	return c, nil
}

func loadSparkOneVsRest(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	c, err := loadBaseClassifier(ctx, dir, md, reg)
	if err != nil {
		return nil, err
	}
	e := newOneVsRest(md.UID, c)
	return e, md.ApplySparkParams(e.Params())
}

func loadSparkOneVsRestModel(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	var k int
	if err := md.GetExtra("numClasses", &k); err != nil {
		return nil, err
	}
	if k < 1 {
		return nil, fmt.Errorf("%s: metadata numClasses is %d, want >= 1", md.UID, k)
	}
	c, err := loadBaseClassifier(ctx, dir, md, reg)
	if err != nil {
		return nil, err
	}
	models := make([]ml.Model, k)
	for i := range models {
		p := filepath.Join(dir, fmt.Sprintf("model_%d", i))
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%s: numClasses is %d but model %d is missing: %w", md.UID, k, i, err)
		}
		st, err := reg.Load(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("%s: model %d: %w", md.UID, i, err)
		}
		mm, ok := st.(ml.Model)
		if !ok {
			return nil, fmt.Errorf("%s: model %d is a %T, not a model", md.UID, i, st)
		}
		models[i] = mm
	}
	m := newOneVsRestModel(md.UID, models)
	m.classifier = c
	return m, md.ApplySparkParams(m.Params())
}

// SparkClassName implements ml.SparkWriter.
func (e *LogisticRegression) SparkClassName() string { return sparkPrefix + "LogisticRegression" }

// SparkParams implements ml.SparkWriter: the params of Spark's
// LogisticRegression, which are its model's.
func (e *LogisticRegression) SparkParams() ml.SparkParamSpec {
	return (&LogisticRegressionModel{}).SparkParams()
}

// SparkExtra implements ml.SparkWriter (no extra keys).
func (e *LogisticRegression) SparkExtra() map[string]any { return nil }

// WriteSparkData implements ml.SparkWriter: Spark saves an estimator as
// metadata only.
func (e *LogisticRegression) WriteSparkData(string) error { return nil }

// SaveSpark writes the estimator to path in Apache Spark's layout
// (org.apache.spark.ml.classification.LogisticRegression, metadata only).
func (e *LogisticRegression) SaveSpark(path string) error { return ml.SaveSpark(e, path) }

var (
	_ ml.SparkWriter = (*OneVsRest)(nil)
	_ ml.SparkWriter = (*OneVsRestModel)(nil)
	_ ml.SparkWriter = (*LogisticRegression)(nil)
)

// Classifier returns the base classifier the model was fitted with; nil
// when the model was loaded from gspark's own layout.
func (m *OneVsRestModel) Classifier() ml.Estimator { return m.classifier }
