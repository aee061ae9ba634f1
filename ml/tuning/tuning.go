// Package tuning selects models by cross-validation or a train/validation
// split over a grid of params, as Spark ML's tuning package:
// ParamGridBuilder, CrossValidator and TrainValidationSplit.
//
// A grid's param map is keyed by param name, or by "<stage uid>.<name>"
// (ParamGridBuilder.AddGridFor); before fitting, each key is resolved
// strictly against the estimator and, for a Pipeline, its stages: a name no
// stage defines, or a plain name several stages define, is an error.
package tuning

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"golang.org/x/sync/errgroup"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/evaluation"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/progress"
)

// ParamGridBuilder builds the cartesian product of param values.
type ParamGridBuilder struct {
	names  []string
	values map[string][]any
	base   param.ParamMap
}

// NewParamGridBuilder returns an empty builder.
func NewParamGridBuilder() *ParamGridBuilder {
	return &ParamGridBuilder{values: map[string][]any{}}
}

// AddGrid adds (or replaces) the values tried for the param called name.
func (b *ParamGridBuilder) AddGrid(name string, values ...any) *ParamGridBuilder {
	if _, ok := b.values[name]; !ok {
		b.names = append(b.names, name)
	}
	b.values[name] = values
	return b
}

// BaseOn sets fixed values every map of the grid carries.
func (b *ParamGridBuilder) BaseOn(pm param.ParamMap) *ParamGridBuilder {
	b.base = pm
	return b
}

// Build returns the param maps: one per combination, the first-added param
// varying slowest (an empty grid gives one map, the base).
func (b *ParamGridBuilder) Build() []param.ParamMap {
	out := []param.ParamMap{{}}
	for k, v := range b.base {
		out[0][k] = v
	}
	for _, name := range b.names {
		var next []param.ParamMap
		for _, pm := range out {
			for _, v := range b.values[name] {
				c := make(param.ParamMap, len(pm)+1)
				for k, x := range pm {
					c[k] = x
				}
				c[name] = v
				next = append(next, c)
			}
		}
		out = next
	}
	return out
}

// validatorParams are what CrossValidator and TrainValidationSplit share.
type validatorParams struct {
	ml.StageBase
	estimator   ml.Estimator
	maps        []param.ParamMap
	evaluator   evaluation.Evaluator
	seed        param.Param[int64]
	parallelism param.Param[int]
}

func newValidatorParams(uid string) validatorParams {
	v := validatorParams{StageBase: ml.NewStageBase(uid)}
	ps := v.Params()
	v.seed = param.Define(ps, "seed", "random seed of the split", param.WithDefault(int64(-1772833110)))
	v.parallelism = param.Define(ps, "parallelism", "number of models fitted in parallel (>= 1)", param.WithDefault(1), param.WithValidator(param.GtEq(1)))
	return v
}

func (v *validatorParams) check() error {
	if err := v.CheckParams(); err != nil {
		return err
	}
	switch {
	case v.estimator == nil:
		return fmt.Errorf("%s: no estimator set", v.UID())
	case v.evaluator == nil:
		return fmt.Errorf("%s: no evaluator set", v.UID())
	}
	return nil
}

func (v *validatorParams) paramMaps() []param.ParamMap {
	if len(v.maps) == 0 {
		return []param.ParamMap{{}}
	}
	return v.maps
}

// evaluateMaps fits the estimator with each param map on train and
// evaluates the models on valid, parallelism at a time. A panic in the
// estimator, its model or the evaluator becomes an *exec.InternalError
// naming the param map.
func (v *validatorParams) evaluateMaps(ctx context.Context, train, valid *frame.DataFrame, keep bool) ([]float64, []ml.Model, error) {
	maps := v.paramMaps()
	metrics := make([]float64, len(maps))
	var models []ml.Model
	if keep {
		models = make([]ml.Model, len(maps))
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(v.parallelism.Get(v.Params()))
	for i, pm := range maps {
		g.Go(func() (err error) {
			defer exec.Recover(&err, fmt.Sprintf("%s: fitting and evaluating with %v", v.UID(), pm))
			st, err := v.estimator.Copy(pm)
			if err != nil {
				return err
			}
			est, ok := st.(ml.Estimator)
			if !ok {
				return fmt.Errorf("%s: copy of the estimator is a %T, not an estimator", v.UID(), st)
			}
			m, err := est.Fit(gctx, train)
			if err != nil {
				return fmt.Errorf("%s: fitting with %v: %w", v.UID(), pm, err)
			}
			if keep {
				models[i] = m
			}
			out, err := m.Transform(valid)
			if err != nil {
				return err
			}
			ev, err := v.evaluator.CopyEvaluator(nil)
			if err != nil {
				return err
			}
			metrics[i], err = ev.Evaluate(gctx, out)
			if err != nil {
				return fmt.Errorf("%s: evaluating with %v: %w", v.UID(), pm, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	return metrics, models, nil
}

// best returns the index of the best metric.
func (v *validatorParams) best(metrics []float64) int {
	larger := v.evaluator.IsLargerBetter()
	b := 0
	for i, m := range metrics {
		if (larger && m > metrics[b]) || (!larger && m < metrics[b]) {
			b = i
		}
	}
	return b
}

func (v *validatorParams) fitBest(ctx context.Context, df *frame.DataFrame, metrics []float64) (ml.Model, int, error) {
	b := v.best(metrics)
	st, err := v.estimator.Copy(v.paramMaps()[b])
	if err != nil {
		return nil, 0, err
	}
	m, err := st.(ml.Estimator).Fit(ctx, df)
	return m, b, err
}

// TransformSchema checks the input against the estimator.
func (v *validatorParams) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	if _, err := v.resolved(); err != nil {
		return nil, err
	}
	return v.estimator.TransformSchema(in)
}

// CrossValidator is k-fold cross-validation: the rows are split at random
// (seeded) into numFolds folds; for each fold and param map the estimator is
// fitted on the other folds and evaluated on it; the param map with the best
// average metric is refitted on all the data. Like Spark's, the folds come
// from a seeded per-partition random split, so they depend on the
// partitioning; an input whose row order could change between runs should
// be cached first. With foldCol set, the folds are the user's instead: an
// integer column whose value, in [0, numFolds), names the fold in which a
// row is validated. parallelism bounds how many models are fitted at once
// (in goroutines); collectSubModels keeps every fold's models.
type CrossValidator struct {
	validatorParams
	numFolds         param.Param[int]
	foldCol          param.Param[string]
	collectSubModels param.Param[bool]
}

// NewCrossValidator returns a cross-validator with Spark's defaults
// (numFolds 3, parallelism 1).
func NewCrossValidator() *CrossValidator { return newCrossValidator(param.UID("cv")) }

func newCrossValidator(uid string) *CrossValidator {
	cv := &CrossValidator{validatorParams: newValidatorParams(uid)}
	cv.numFolds = param.Define(cv.Params(), "numFolds", "number of folds (>= 2)", param.WithDefault(3), param.WithValidator(param.GtEq(2)))
	cv.foldCol = param.Define(cv.Params(), "foldCol", "integer column of user-assigned folds in [0, numFolds); empty for a random split", param.WithDefault(""))
	cv.collectSubModels = param.Define(cv.Params(), "collectSubModels", "keep every model fitted during cross-validation (SubModels)", param.WithDefault(false))
	return cv
}

// SetEstimator sets the estimator tuned.
func (cv *CrossValidator) SetEstimator(e ml.Estimator) *CrossValidator { cv.estimator = e; return cv }

// SetEstimatorParamMaps sets the param maps tried.
func (cv *CrossValidator) SetEstimatorParamMaps(m []param.ParamMap) *CrossValidator {
	cv.maps = m
	return cv
}

// SetEvaluator sets the evaluator that scores the models.
func (cv *CrossValidator) SetEvaluator(e evaluation.Evaluator) *CrossValidator {
	cv.evaluator = e
	return cv
}

// SetNumFolds sets the number of folds.
func (cv *CrossValidator) SetNumFolds(n int) *CrossValidator {
	cv.numFolds.Set(cv.Params(), n)
	return cv
}

// SetSeed sets the seed of the fold split.
func (cv *CrossValidator) SetSeed(s int64) *CrossValidator { cv.seed.Set(cv.Params(), s); return cv }

// SetParallelism sets how many models are fitted at once.
func (cv *CrossValidator) SetParallelism(n int) *CrossValidator {
	cv.parallelism.Set(cv.Params(), n)
	return cv
}

// ClassName implements ml.Stage.
func (cv *CrossValidator) ClassName() string { return "gspark.ml.tuning.CrossValidator" }

// Copy implements ml.Stage (the estimator and evaluator are shared).
func (cv *CrossValidator) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := cv.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *cv
	c.StageBase = b
	return &c, nil
}

// Fit implements ml.Estimator.
func (cv *CrossValidator) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := cv.FitCV(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitCV is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (cv *CrossValidator) FitCV(ctx context.Context, df *frame.DataFrame) (*CrossValidatorModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := cv.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	r, err := cv.resolved()
	if err != nil {
		return nil, err
	}
	ps := cv.Params()
	k := cv.numFolds.Get(ps)
	folds, err := cv.folds(ctx, df, k)
	if err != nil {
		return nil, err
	}
	keep := cv.collectSubModels.Get(ps)
	var subModels [][]ml.Model
	if keep {
		subModels = make([][]ml.Model, k)
	}
	maps := r.paramMaps()
	avg := make([]float64, len(maps))
	foldMetrics := make([][]float64, k)
	for i, f := range folds {
		m, models, err := r.evaluateMaps(ctx, f[0], f[1], keep)
		if err != nil {
			return nil, err
		}
		if keep {
			subModels[i] = models
		}
		foldMetrics[i] = m
		progress.Report(ctx, "fold", i+1, k)
		for j, v := range m {
			avg[j] += v / float64(k)
		}
	}
	best, bi, err := r.fitBest(ctx, df, avg)
	if err != nil {
		return nil, err
	}
	parent, err := cv.Copy(nil)
	if err != nil {
		return nil, err
	}
	return &CrossValidatorModel{StageBase: ml.NewStageBase(cv.UID()), best: best, bestIndex: bi, avgMetrics: avg, foldMetrics: foldMetrics, subModels: subModels,
		parent: parent.(*CrossValidator)}, nil
}

// CrossValidatorModel is the best model found by a CrossValidator, with the
// average metric of every param map.
type CrossValidatorModel struct {
	ml.StageBase
	best        ml.Model
	bestIndex   int
	avgMetrics  []float64
	foldMetrics [][]float64
	subModels   [][]ml.Model
	// parent is the cross-validator that fitted the model (its estimator,
	// evaluator, param maps and params, which Spark's layout saves); nil
	// when loaded from gspark's own layout.
	parent *CrossValidator
}

// BestModel returns the model refitted on all the data with the best params.
func (m *CrossValidatorModel) BestModel() ml.Model { return m.best }

// BestIndex returns the index of the best param map.
func (m *CrossValidatorModel) BestIndex() int { return m.bestIndex }

// AvgMetrics returns the metric of each param map averaged over the folds.
func (m *CrossValidatorModel) AvgMetrics() []float64 { return slices.Clone(m.avgMetrics) }

// FoldMetrics returns the metrics per fold (rows) and param map (columns).
func (m *CrossValidatorModel) FoldMetrics() [][]float64 {
	out := make([][]float64, len(m.foldMetrics))
	for i, r := range m.foldMetrics {
		out[i] = slices.Clone(r)
	}
	return out
}

// ClassName implements ml.Stage.
func (m *CrossValidatorModel) ClassName() string { return "gspark.ml.tuning.CrossValidatorModel" }

// TransformSchema implements ml.Stage.
func (m *CrossValidatorModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.best.TransformSchema(in)
}

// Transform applies the best model.
func (m *CrossValidatorModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	return m.best.Transform(df)
}

// Copy implements ml.Stage.
func (m *CrossValidatorModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the metrics and the index of
// the best param map.
func (m *CrossValidatorModel) ExtraMetadata() map[string]any {
	return map[string]any{"avgMetrics": m.avgMetrics, "foldMetrics": m.foldMetrics, "bestIndex": m.bestIndex}
}

// WriteData implements ml.DataWriter: the best model, saved under bestModel.
func (m *CrossValidatorModel) WriteData(dir string) error {
	return ml.WriteStage(m.best, filepath.Join(dir, "bestModel"))
}

// Save writes the model at path: its metrics, and the best model under
// bestModel, as Spark lays it out; ml/all.Load reads it back.
func (m *CrossValidatorModel) Save(path string) error { return ml.Save(m, path) }

func loadCrossValidatorModel(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	best, err := loadBest(ctx, dir, md, reg)
	if err != nil {
		return nil, err
	}
	m := &CrossValidatorModel{StageBase: ml.NewStageBase(md.UID), best: best}
	for k, dst := range map[string]any{"avgMetrics": &m.avgMetrics, "foldMetrics": &m.foldMetrics, "bestIndex": &m.bestIndex} {
		if err := md.GetExtra(k, dst); err != nil {
			return nil, err
		}
	}
	return m, md.ApplyParams(m.Params())
}

// loadBest loads the best model a tuning model saved under bestModel.
func loadBest(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Model, error) {
	st, err := reg.Load(ctx, filepath.Join(dir, "bestModel"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	best, ok := st.(ml.Model)
	if !ok {
		return nil, fmt.Errorf("%s: the saved best model is a %s, not a model", md.UID, st.ClassName())
	}
	return best, nil
}

// Register adds the loaders of the tuning models to r.
func Register(r *ml.Registry) *ml.Registry {
	r.Register((&CrossValidatorModel{}).ClassName(), loadCrossValidatorModel)
	r.Register((&TrainValidationSplitModel{}).ClassName(), loadTrainValidationSplitModel)
	r.Register((&CrossValidator{}).ClassName(), loadCrossValidator)
	r.Register((&TrainValidationSplit{}).ClassName(), loadTrainValidationSplit)
	registerSpark(r)
	return r
}

// TrainValidationSplit evaluates each param map once: the rows are split at
// random (seeded) into trainRatio for fitting and the rest for evaluation;
// the best param map is refitted on all the data.
type TrainValidationSplit struct {
	validatorParams
	trainRatio       param.Param[float64]
	collectSubModels param.Param[bool]
}

// NewTrainValidationSplit returns a splitter with Spark's defaults
// (trainRatio 0.75, parallelism 1).
func NewTrainValidationSplit() *TrainValidationSplit {
	return newTrainValidationSplit(param.UID("tvs"))
}

func newTrainValidationSplit(uid string) *TrainValidationSplit {
	t := &TrainValidationSplit{validatorParams: newValidatorParams(uid)}
	t.trainRatio = param.Define(t.Params(), "trainRatio", "share of rows used for fitting, in (0, 1)", param.WithDefault(0.75),
		param.WithValidator(func(v float64) error {
			if !(v > 0 && v < 1) {
				return fmt.Errorf("must be in (0, 1), got %v", v)
			}
			return nil
		}))
	t.collectSubModels = param.Define(t.Params(), "collectSubModels", "keep every model fitted during validation (SubModels)", param.WithDefault(false))
	return t
}

// SetEstimator sets the estimator tuned.
func (t *TrainValidationSplit) SetEstimator(e ml.Estimator) *TrainValidationSplit {
	t.estimator = e
	return t
}

// SetEstimatorParamMaps sets the param maps tried.
func (t *TrainValidationSplit) SetEstimatorParamMaps(m []param.ParamMap) *TrainValidationSplit {
	t.maps = m
	return t
}

// SetEvaluator sets the evaluator that scores the models.
func (t *TrainValidationSplit) SetEvaluator(e evaluation.Evaluator) *TrainValidationSplit {
	t.evaluator = e
	return t
}

// SetTrainRatio sets the share of rows used for fitting.
func (t *TrainValidationSplit) SetTrainRatio(r float64) *TrainValidationSplit {
	t.trainRatio.Set(t.Params(), r)
	return t
}

// SetSeed sets the seed of the split.
func (t *TrainValidationSplit) SetSeed(s int64) *TrainValidationSplit {
	t.seed.Set(t.Params(), s)
	return t
}

// SetParallelism sets how many models are fitted at once.
func (t *TrainValidationSplit) SetParallelism(n int) *TrainValidationSplit {
	t.parallelism.Set(t.Params(), n)
	return t
}

// ClassName implements ml.Stage.
func (t *TrainValidationSplit) ClassName() string { return "gspark.ml.tuning.TrainValidationSplit" }

// Copy implements ml.Stage (the estimator and evaluator are shared).
func (t *TrainValidationSplit) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := t.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *t
	c.StageBase = b
	return &c, nil
}

// Fit implements ml.Estimator.
func (t *TrainValidationSplit) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := t.FitTVS(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// FitTVS is Fit returning the concrete model type.
//
// Deprecated: use FitModel, the same method on every estimator.
func (t *TrainValidationSplit) FitTVS(ctx context.Context, df *frame.DataFrame) (*TrainValidationSplitModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := t.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	rv, err := t.resolved()
	if err != nil {
		return nil, err
	}
	ps := t.Params()
	r := t.trainRatio.Get(ps)
	split, err := df.RandomSplit([]float64{r, 1 - r}, t.seed.Get(ps))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.UID(), err)
	}
	metrics, subModels, err := rv.evaluateMaps(ctx, split[0], split[1], t.collectSubModels.Get(t.Params()))
	if err != nil {
		return nil, err
	}
	best, bi, err := rv.fitBest(ctx, df, metrics)
	if err != nil {
		return nil, err
	}
	parent, err := t.Copy(nil)
	if err != nil {
		return nil, err
	}
	return &TrainValidationSplitModel{StageBase: ml.NewStageBase(t.UID()), best: best, bestIndex: bi, metrics: metrics, subModels: subModels,
		parent: parent.(*TrainValidationSplit)}, nil
}

// TrainValidationSplitModel is the best model found by a
// TrainValidationSplit, with the validation metric of every param map.
type TrainValidationSplitModel struct {
	ml.StageBase
	best      ml.Model
	bestIndex int
	metrics   []float64
	subModels []ml.Model
	// parent is the splitter that fitted the model (see
	// CrossValidatorModel); nil when loaded from gspark's own layout.
	parent *TrainValidationSplit
}

// BestModel returns the model refitted on all the data with the best params.
func (m *TrainValidationSplitModel) BestModel() ml.Model { return m.best }

// BestIndex returns the index of the best param map.
func (m *TrainValidationSplitModel) BestIndex() int { return m.bestIndex }

// ValidationMetrics returns the metric of each param map.
func (m *TrainValidationSplitModel) ValidationMetrics() []float64 { return slices.Clone(m.metrics) }

// ClassName implements ml.Stage.
func (m *TrainValidationSplitModel) ClassName() string {
	return "gspark.ml.tuning.TrainValidationSplitModel"
}

// TransformSchema implements ml.Stage.
func (m *TrainValidationSplitModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return m.best.TransformSchema(in)
}

// Transform applies the best model.
func (m *TrainValidationSplitModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	return m.best.Transform(df)
}

// Copy implements ml.Stage.
func (m *TrainValidationSplitModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// ExtraMetadata implements ml.ExtraMetadata: the metrics and the index of
// the best param map.
func (m *TrainValidationSplitModel) ExtraMetadata() map[string]any {
	return map[string]any{"validationMetrics": m.metrics, "bestIndex": m.bestIndex}
}

// WriteData implements ml.DataWriter: the best model, saved under bestModel.
func (m *TrainValidationSplitModel) WriteData(dir string) error {
	return ml.WriteStage(m.best, filepath.Join(dir, "bestModel"))
}

// Save writes the model at path: its metrics, and the best model under
// bestModel; ml/all.Load reads it back.
func (m *TrainValidationSplitModel) Save(path string) error { return ml.Save(m, path) }

func loadTrainValidationSplitModel(ctx context.Context, dir string, md *ml.Metadata, reg *ml.Registry) (ml.Stage, error) {
	best, err := loadBest(ctx, dir, md, reg)
	if err != nil {
		return nil, err
	}
	m := &TrainValidationSplitModel{StageBase: ml.NewStageBase(md.UID), best: best}
	for k, dst := range map[string]any{"validationMetrics": &m.metrics, "bestIndex": &m.bestIndex} {
		if err := md.GetExtra(k, dst); err != nil {
			return nil, err
		}
	}
	return m, md.ApplyParams(m.Params())
}

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (cv *CrossValidator) FitModel(ctx context.Context, df *frame.DataFrame) (*CrossValidatorModel, error) {
	return cv.FitCV(ctx, df)
}

var _ ml.TypedEstimator[*CrossValidatorModel] = (*CrossValidator)(nil)

// FitModel fits the estimator to df and returns the concrete model; every
// estimator has it, so that generic code can use ml.TypedEstimator.
func (t *TrainValidationSplit) FitModel(ctx context.Context, df *frame.DataFrame) (*TrainValidationSplitModel, error) {
	return t.FitTVS(ctx, df)
}

var _ ml.TypedEstimator[*TrainValidationSplitModel] = (*TrainValidationSplit)(nil)
