package classification

import (
	"context"
	"fmt"
	"math"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// ovrParams are the params OneVsRest and its model share, with Spark's
// names and defaults.
type ovrParams struct {
	featuresCol, labelCol, predictionCol, rawPredictionCol, weightCol param.Param[string]
	parallelism                                                       param.Param[int]
}

func defineOVR(ps *param.Params) ovrParams {
	return ovrParams{
		featuresCol:      param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		labelCol:         param.Define(ps, "labelCol", "label column name (classes 0, 1, …)", param.WithDefault("label")),
		predictionCol:    param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		rawPredictionCol: param.Define(ps, "rawPredictionCol", "raw prediction column name: each class's binary score", param.WithDefault("rawPrediction")),
		weightCol:        param.Define[string](ps, "weightCol", "weight column name, passed to the base classifier (all weights 1 if unset)"),
		parallelism:      param.Define(ps, "parallelism", "number of binary classifiers fitted at once (>= 1)", param.WithDefault(1), param.WithValidator(param.GtEq(1))),
	}
}

func (p ovrParams) outputs(ps *param.Params, in *arrow.Schema) (*arrow.Schema, error) {
	out, err := ml.AppendColumn(in, ps.UID(), arrow.Field{Name: p.rawPredictionCol.Get(ps), Type: linalg.VectorType(), Nullable: true})
	if err != nil {
		return nil, err
	}
	return ml.AppendColumn(out, ps.UID(), arrow.Field{Name: p.predictionCol.Get(ps), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
}

// OneVsRest reduces multiclass classification to one binary problem per
// class, as Spark's org.apache.spark.ml.classification.OneVsRest: for class
// k the base classifier is fitted on the label 1 where label = k and 0
// elsewhere (in a temporary label column), with the instance weights when
// weightCol is set and the classifier has that param. The model's
// rawPrediction holds, for each class, element 1 of its binary model's
// rawPrediction (the score of "is k"), and the prediction is the class of
// the largest (the first on ties), as Spark's OneVsRestModel.
//
// The base classifier is any estimator whose models have a
// rawPredictionCol param and a rawPrediction of size 2 (LogisticRegression,
// LinearSVC, the tree classifiers, NaiveBayes, GBTClassifier…). Labels must
// be the integers 0..k−1; the number of classes is the largest label + 1.
type OneVsRest struct {
	ml.StageBase
	ovrParams
	classifier ml.Estimator
}

// NewOneVsRest returns an estimator with Spark's defaults and base classifier c.
func NewOneVsRest(c ml.Estimator) *OneVsRest { return newOneVsRest(param.UID("oneVsRest"), c) }

func newOneVsRest(uid string, c ml.Estimator) *OneVsRest {
	e := &OneVsRest{StageBase: ml.NewStageBase(uid), classifier: c}
	e.ovrParams = defineOVR(e.Params())
	return e
}

// Classifier returns the base classifier.
func (e *OneVsRest) Classifier() ml.Estimator { return e.classifier }

// SetClassifier sets the base classifier.
func (e *OneVsRest) SetClassifier(c ml.Estimator) *OneVsRest {
	e.classifier = c
	return e
}

// SetFeaturesCol sets the features column.
func (e *OneVsRest) SetFeaturesCol(c string) *OneVsRest {
	e.featuresCol.Set(e.Params(), c)
	return e
}

// SetLabelCol sets the label column.
func (e *OneVsRest) SetLabelCol(c string) *OneVsRest {
	e.labelCol.Set(e.Params(), c)
	return e
}

// SetPredictionCol sets the prediction column.
func (e *OneVsRest) SetPredictionCol(c string) *OneVsRest {
	e.predictionCol.Set(e.Params(), c)
	return e
}

// SetRawPredictionCol sets the raw prediction column.
func (e *OneVsRest) SetRawPredictionCol(c string) *OneVsRest {
	e.rawPredictionCol.Set(e.Params(), c)
	return e
}

// SetWeightCol sets the instance weight column.
func (e *OneVsRest) SetWeightCol(c string) *OneVsRest {
	e.weightCol.Set(e.Params(), c)
	return e
}

// SetParallelism sets how many binary classifiers are fitted at once.
func (e *OneVsRest) SetParallelism(n int) *OneVsRest {
	e.parallelism.Set(e.Params(), n)
	return e
}

// ClassName implements ml.Stage.
func (e *OneVsRest) ClassName() string { return classPrefix + "OneVsRest" }

// SparkClassName returns Spark's class name of the estimator.
func (e *OneVsRest) SparkClassName() string { return sparkPrefix + "OneVsRest" }

// TransformSchema implements ml.Stage.
func (e *OneVsRest) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := e.CheckParams(); err != nil {
		return nil, err
	}
	ps := e.Params()
	uid := ps.UID()
	if e.classifier == nil {
		return nil, fmt.Errorf("%s: the base classifier is not set", uid)
	}
	if _, err := ml.CheckColumn(in, uid, e.featuresCol.Get(ps), ml.Vector); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, uid, e.labelCol.Get(ps), ml.Numeric); err != nil {
		return nil, err
	}
	if w := e.weightCol.Get(ps); w != "" {
		if _, err := ml.CheckColumn(in, uid, w, ml.Numeric); err != nil {
			return nil, err
		}
	}
	return e.outputs(ps, in)
}

// Copy implements ml.Stage (the base classifier is copied too).
func (e *OneVsRest) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := e.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *e
	c.StageBase = b
	if e.classifier != nil {
		cc, err := e.classifier.Copy(nil)
		if err != nil {
			return nil, err
		}
		est, ok := cc.(ml.Estimator)
		if !ok {
			return nil, fmt.Errorf("%s: copy of the base classifier is a %T, not an estimator", e.UID(), cc)
		}
		c.classifier = est
	}
	return &c, nil
}

// WriteData implements ml.DataWriter: the base classifier under classifier/.
func (e *OneVsRest) WriteData(dir string) error {
	if e.classifier == nil {
		return fmt.Errorf("%s: the base classifier is not set", e.UID())
	}
	return ml.WriteStage(e.classifier, filepath.Join(dir, "classifier"))
}

// Save implements ml.Stage.
func (e *OneVsRest) Save(path string) error { return ml.Save(e, path) }

// Fit implements ml.Estimator.
func (e *OneVsRest) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := e.FitModel(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// numClassesOf returns the largest label + 1, checking that every label is
// a non-negative integer.
func numClassesOf(ctx context.Context, df *frame.DataFrame, uid, col string) (int, error) {
	li := ml.FieldIndex(df.Schema(), col)
	maxs, err := frame.AggregatePartitions(ctx, df, func(int) float64 { return -1 }, func(acc float64, b arrow.RecordBatch) (float64, error) {
		ys, err := ml.Float64Column(b.Column(li), nil)
		if err != nil {
			return 0, fmt.Errorf("%s: label column %q: %w", uid, col, err)
		}
		for _, y := range ys {
			if !(y >= 0) || y != math.Trunc(y) || y > 1<<20 {
				return 0, fmt.Errorf("%s: label column %q has value %v, want class indices 0, 1, …", uid, col, y)
			}
			acc = max(acc, y)
		}
		return acc, nil
	})
	if err != nil {
		return 0, err
	}
	m := -1.0
	for _, v := range maxs {
		m = max(m, v)
	}
	if m < 0 {
		return 0, fmt.Errorf("%s: the input has no rows", uid)
	}
	return int(m) + 1, nil
}

// FitModel fits one binary classifier per class and returns the model.
func (e *OneVsRest) FitModel(ctx context.Context, df *frame.DataFrame) (*OneVsRestModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := e.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := e.Params()
	uid := e.UID()
	if !e.classifier.Params().IsDefined("labelCol") || !e.classifier.Params().IsDefined("featuresCol") {
		return nil, fmt.Errorf("%s: base classifier %s has no labelCol or featuresCol param", uid, e.classifier.UID())
	}
	lc := e.labelCol.Get(ps)
	k, err := numClassesOf(ctx, df, uid, lc)
	if err != nil {
		return nil, err
	}
	tmpLabel := "mc2b$" + uid
	extra := param.ParamMap{"featuresCol": e.featuresCol.Get(ps), "labelCol": tmpLabel}
	if w := e.weightCol.Get(ps); w != "" {
		if !e.classifier.Params().IsDefined("weightCol") {
			return nil, fmt.Errorf("%s: weightCol is set but base classifier %s has no weightCol param", uid, e.classifier.UID())
		}
		extra["weightCol"] = w
	}
	models := make([]ml.Model, k)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.parallelism.Get(ps))
	for c := 0; c < k; c++ {
		g.Go(func() error {
			st, err := e.classifier.Copy(extra)
			if err != nil {
				return fmt.Errorf("%s: class %d: %w", uid, c, err)
			}
			est, ok := st.(ml.Estimator)
			if !ok {
				return fmt.Errorf("%s: copy of the base classifier is a %T, not an estimator", uid, st)
			}
			bin := df.WithColumn(tmpLabel, frame.When(frame.Col(lc).Eq(float64(c)), 1.0).Otherwise(0.0))
			m, err := est.Fit(gctx, bin)
			if err != nil {
				return fmt.Errorf("%s: class %d: %w", uid, c, err)
			}
			if !m.Params().IsDefined("rawPredictionCol") {
				return fmt.Errorf("%s: model %s of the base classifier has no rawPredictionCol param", uid, m.UID())
			}
			models[c] = m
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	m := newOneVsRestModel(uid, models)
	m.classifier = e.classifier
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

// OneVsRestModel holds one binary model per class; see OneVsRest.
type OneVsRestModel struct {
	ml.StageBase
	ovrParams
	models []ml.Model
	// classifier is the base classifier the models were fitted with (nil
	// when loaded from gspark's own layout, which does not keep it);
	// Spark's layout saves it under classifier/.
	classifier ml.Estimator
}

func newOneVsRestModel(uid string, models []ml.Model) *OneVsRestModel {
	m := &OneVsRestModel{StageBase: ml.NewStageBase(uid), models: models}
	m.ovrParams = defineOVR(m.Params())
	return m
}

// Models returns the binary models, class 0 first.
func (m *OneVsRestModel) Models() []ml.Model { return append([]ml.Model(nil), m.models...) }

// NumClasses returns the number of classes.
func (m *OneVsRestModel) NumClasses() int { return len(m.models) }

// SetFeaturesCol sets the features column.
func (m *OneVsRestModel) SetFeaturesCol(c string) *OneVsRestModel {
	m.featuresCol.Set(m.Params(), c)
	return m
}

// SetPredictionCol sets the prediction column.
func (m *OneVsRestModel) SetPredictionCol(c string) *OneVsRestModel {
	m.predictionCol.Set(m.Params(), c)
	return m
}

// SetRawPredictionCol sets the raw prediction column.
func (m *OneVsRestModel) SetRawPredictionCol(c string) *OneVsRestModel {
	m.rawPredictionCol.Set(m.Params(), c)
	return m
}

// ClassName implements ml.Stage.
func (m *OneVsRestModel) ClassName() string { return classPrefix + "OneVsRestModel" }

// SparkClassName returns Spark's class name of the model.
func (m *OneVsRestModel) SparkClassName() string { return sparkPrefix + "OneVsRestModel" }

// TransformSchema implements ml.Stage.
func (m *OneVsRestModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := m.CheckParams(); err != nil {
		return nil, err
	}
	ps := m.Params()
	if _, err := ml.CheckColumn(in, ps.UID(), m.featuresCol.Get(ps), ml.Vector); err != nil {
		return nil, err
	}
	return m.outputs(ps, in)
}

// Transform adds the rawPrediction and prediction columns: each binary
// model scores the rows into a temporary column, then the scores are
// gathered into one vector.
func (m *OneVsRestModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid := m.UID()
	out := df
	raws := make([]frame.Column, len(m.models))
	var tmp []string
	for k, bm := range m.models {
		raw, pred, prob := fmt.Sprintf("mbc$raw%d$%s", k, uid), fmt.Sprintf("mbc$pred%d$%s", k, uid), fmt.Sprintf("mbc$prob%d$%s", k, uid)
		st, err := bm.Copy(param.ParamMap{"featuresCol": m.featuresCol.Get(ps), "rawPredictionCol": raw, "predictionCol": pred, "probabilityCol": prob})
		if err != nil {
			return nil, fmt.Errorf("%s: class %d: %w", uid, k, err)
		}
		tr, ok := st.(ml.Transformer)
		if !ok {
			return nil, fmt.Errorf("%s: class %d: copy of the model is a %T, not a transformer", uid, k, st)
		}
		if out, err = tr.Transform(out); err != nil {
			return nil, fmt.Errorf("%s: class %d: %w", uid, k, err)
		}
		raws[k] = frame.Col(raw)
		tmp = append(tmp, raw)
		for _, c := range []string{pred, prob} {
			if ml.FieldIndex(out.Schema(), c) >= 0 {
				tmp = append(tmp, c)
			}
		}
	}
	n := len(m.models)
	gather := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		cols := make([]*linalg.VectorColumn, n)
		for k, a := range args {
			vc, err := linalg.Vectors(a)
			if err != nil {
				return nil, fmt.Errorf("%s: class %d raw prediction: %w", uid, k, err)
			}
			cols[k] = vc
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		row := make([]float64, n)
	rows:
		for i := 0; i < args[0].Len(); i++ {
			for k, vc := range cols {
				if vc.IsNull(i) {
					b.AppendNull()
					continue rows
				}
				if vc.Size(i) != 2 {
					return nil, fmt.Errorf("%s: class %d: binary raw prediction has size %d, want 2", uid, k, vc.Size(i))
				}
				v, _ := vc.At(i)
				row[k] = v.ToArray()[1]
			}
			b.AppendDense(row)
		}
		return b.NewArray(), nil
	}
	rc := m.rawPredictionCol.Get(ps)
	out = out.WithColumn(rc, frame.UDF("oneVsRestRaw", linalg.VectorType(), gather, raws...)).Drop(tmp...)
	argmaxFn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		vc, err := linalg.Vectors(args[0])
		if err != nil {
			return nil, err
		}
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		for i := 0; i < vc.Len(); i++ {
			if vc.IsNull(i) {
				b.AppendNull()
				continue
			}
			v, _ := vc.At(i)
			b.Append(float64(argmax(v.ToArray())))
		}
		return b.NewArray(), nil
	}
	out = out.WithColumn(m.predictionCol.Get(ps), frame.UDF("oneVsRestPredict", arrow.PrimitiveTypes.Float64, argmaxFn, frame.Col(rc)))
	return out, out.Err()
}

// Copy implements ml.Stage.
func (m *OneVsRestModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the number of classes, as
// Spark's numClasses key.
func (m *OneVsRestModel) ExtraMetadata() map[string]any {
	return map[string]any{"numClasses": len(m.models)}
}

// WriteData implements ml.DataWriter: model k under model_k/, Spark's layout.
func (m *OneVsRestModel) WriteData(dir string) error {
	for k, bm := range m.models {
		if err := ml.WriteStage(bm, filepath.Join(dir, fmt.Sprintf("model_%d", k))); err != nil {
			return err
		}
	}
	return nil
}

// Save implements ml.Stage.
func (m *OneVsRestModel) Save(path string) error { return ml.Save(m, path) }

func loadOneVsRest(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	c, err := loadBaseClassifier(ctx, dir, md, reg)
	if err != nil {
		return nil, err
	}
	e := newOneVsRest(md.UID, c)
	return e, md.ApplyParams(e.Params())
}

func loadOneVsRestModel(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	var k int
	if err := md.GetExtra("numClasses", &k); err != nil {
		return nil, err
	}
	if k < 1 {
		return nil, fmt.Errorf("%s: metadata numClasses is %d, want >= 1", md.UID, k)
	}
	models := make([]ml.Model, k)
	for i := range models {
		st, err := reg.Load(ctx, filepath.Join(dir, fmt.Sprintf("model_%d", i)))
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
	return m, md.ApplyParams(m.Params())
}

func registerOneVsRest(r *ml.Registry) {
	r.Register(classPrefix+"OneVsRest", loadOneVsRest)
	r.Register(classPrefix+"OneVsRestModel", loadOneVsRestModel)
}

var _ ml.TypedEstimator[*OneVsRestModel] = (*OneVsRest)(nil)
