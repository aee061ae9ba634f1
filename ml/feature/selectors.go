package feature

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/ml/stat"
)

// Selection modes of ChiSqSelector (selectorType) and
// UnivariateFeatureSelector (selectionMode).
const (
	selNumTop     = "numTopFeatures"
	selPercentile = "percentile"
	selFPR        = "fpr"
	selFDR        = "fdr"
	selFWE        = "fwe"
)

// Feature and label types of UnivariateFeatureSelector.
const (
	typeCategorical = "categorical"
	typeContinuous  = "continuous"
)

// selectByPValues returns the sorted indices of the features Spark keeps
// from their p-values: numTopFeatures takes the n smallest p-values (ties by
// index), percentile the int(size·t) smallest, fpr those below t, fdr the
// Benjamini-Hochberg set at level t, fwe those below t/size. NaN p-values
// sort last and are never below a threshold.
func selectByPValues(p []float64, mode string, t float64) []int {
	order := make([]int, len(p))
	for i := range order {
		order[i] = i
	}
	key := func(i int) float64 {
		if math.IsNaN(p[i]) {
			return math.Inf(1)
		}
		return p[i]
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch ka, kb := key(a), key(b); {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return a - b
	})
	var sel []int
	switch mode {
	case selNumTop:
		sel = order[:min(len(order), int(t))]
	case selPercentile:
		sel = order[:min(len(order), int(float64(len(p))*t))]
	case selFPR:
		for _, i := range order {
			if p[i] < t {
				sel = append(sel, i)
			}
		}
	case selFDR:
		f := t / float64(len(p))
		last := -1
		for k, i := range order {
			if p[i] <= f*float64(k+1) {
				last = k
			}
		}
		sel = order[:last+1]
	case selFWE:
		for _, i := range order {
			if p[i] < t/float64(len(p)) {
				sel = append(sel, i)
			}
		}
	}
	sel = slices.Clone(sel)
	slices.Sort(sel)
	return sel
}

// selectFeatures keeps the features sel of vector column in as column out
// (dense rows stay dense, sparse sparse).
func selectFeatures(df *frame.DataFrame, name, uid, in, out string, sel []int) (*frame.DataFrame, error) {
	res := vectorUDF(df, name, uid, in, out, func() rowFn {
		var row, vals []float64
		var idx []int32
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			if len(sel) > 0 && vc.Size(i) <= sel[len(sel)-1] {
				return fmt.Errorf("%s: vector in column %q has size %d, too small for feature %d", uid, in, vc.Size(i), sel[len(sel)-1])
			}
			row = denseRow(vc, i, row)
			if vc.IsDense(i) {
				vals = vals[:0]
				for _, j := range sel {
					vals = append(vals, row[j])
				}
				b.AppendDense(vals)
				return nil
			}
			idx, vals = idx[:0], vals[:0]
			for k, j := range sel {
				if row[j] != 0 {
					idx = append(idx, int32(k))
					vals = append(vals, row[j])
				}
			}
			b.AppendSparse(len(sel), idx, vals)
			return nil
		}
	})
	return res, res.Err()
}

// labelSelectorSchema checks featuresCol (vector) and labelCol (numeric) and
// appends outputCol.
func labelSelectorSchema(b ml.StageBase, features, label, out string, in *arrow.Schema, needLabel bool) (*arrow.Schema, error) {
	if err := b.CheckParams(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, b.UID(), features, ml.Vector); err != nil {
		return nil, err
	}
	if needLabel {
		if _, err := ml.CheckColumn(in, b.UID(), label, ml.Numeric); err != nil {
			return nil, err
		}
	}
	return ml.AppendColumn(in, b.UID(), vectorField(out))
}

// ---- ChiSqSelector ----

type chiSqParams struct {
	featuresCol, outputCol, labelCol, selectorType param.Param[string]
	numTopFeatures                                 param.Param[int]
	percentile, fpr, fdr, fwe                      param.Param[float64]
}

func defineChiSq(ps *param.Params, uid string) chiSqParams {
	unit := param.WithValidator(param.InRange(0.0, 1.0))
	return chiSqParams{
		featuresCol:  param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		outputCol:    param.Define(ps, "outputCol", "output column name", param.WithDefault(uid+"__output")),
		labelCol:     param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		selectorType: param.Define(ps, "selectorType", "The selector type. Supported options: numTopFeatures, percentile, fpr, fdr, fwe", param.WithDefault(selNumTop), param.WithValidator(param.OneOf(selNumTop, selPercentile, selFPR, selFDR, selFWE))),
		numTopFeatures: param.Define(ps, "numTopFeatures", "Number of features that selector will select, ordered by ascending p-value. If the number of features is < numTopFeatures, then this will select all features.",
			param.WithDefault(50), param.WithValidator(param.GtEq(1))),
		percentile: param.Define(ps, "percentile", "Percentile of features that selector will select, ordered by ascending p-value.", param.WithDefault(0.1), unit),
		fpr:        param.Define(ps, "fpr", "The highest p-value for features to be kept.", param.WithDefault(0.05), unit),
		fdr:        param.Define(ps, "fdr", "The upper bound of the expected false discovery rate.", param.WithDefault(0.05), unit),
		fwe:        param.Define(ps, "fwe", "The upper bound of the expected family-wise error rate.", param.WithDefault(0.05), unit),
	}
}

func (p chiSqParams) threshold(ps *param.Params) float64 {
	switch p.selectorType.Get(ps) {
	case selPercentile:
		return p.percentile.Get(ps)
	case selFPR:
		return p.fpr.Get(ps)
	case selFDR:
		return p.fdr.Get(ps)
	case selFWE:
		return p.fwe.Get(ps)
	}
	return float64(p.numTopFeatures.Get(ps))
}

// ChiSqSelector keeps the categorical features most dependent on a
// categorical label by Pearson's chi-square test (Spark's ChiSqSelector),
// chosen by selectorType: numTopFeatures (default 50), percentile (0.1),
// fpr, fdr or fwe (0.05 each).
type ChiSqSelector struct {
	ml.StageBase
	chiSqParams
}

// NewChiSqSelector makes a ChiSqSelector with a new UID.
func NewChiSqSelector() *ChiSqSelector { return newChiSqSelector(param.UID("ChiSqSelector")) }

func newChiSqSelector(uid string) *ChiSqSelector {
	s := &ChiSqSelector{StageBase: ml.NewStageBase(uid)}
	s.chiSqParams = defineChiSq(s.Params(), uid)
	return s
}

// SetFeaturesCol sets the input vector column.
func (s *ChiSqSelector) SetFeaturesCol(c string) *ChiSqSelector {
	s.featuresCol.Set(s.Params(), c)
	return s
}

// SetLabelCol sets the label column.
func (s *ChiSqSelector) SetLabelCol(c string) *ChiSqSelector { s.labelCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *ChiSqSelector) SetOutputCol(c string) *ChiSqSelector {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetSelectorType sets numTopFeatures, percentile, fpr, fdr or fwe.
func (s *ChiSqSelector) SetSelectorType(v string) *ChiSqSelector {
	s.selectorType.Set(s.Params(), v)
	return s
}

// SetNumTopFeatures sets how many features numTopFeatures keeps.
func (s *ChiSqSelector) SetNumTopFeatures(n int) *ChiSqSelector {
	s.numTopFeatures.Set(s.Params(), n)
	return s
}

// SetPercentile sets the fraction of features percentile keeps.
func (s *ChiSqSelector) SetPercentile(v float64) *ChiSqSelector {
	s.percentile.Set(s.Params(), v)
	return s
}

// SetFpr sets fpr's p-value bound.
func (s *ChiSqSelector) SetFpr(v float64) *ChiSqSelector { s.fpr.Set(s.Params(), v); return s }

// SetFdr sets fdr's false discovery rate.
func (s *ChiSqSelector) SetFdr(v float64) *ChiSqSelector { s.fdr.Set(s.Params(), v); return s }

// SetFwe sets fwe's family-wise error rate.
func (s *ChiSqSelector) SetFwe(v float64) *ChiSqSelector { s.fwe.Set(s.Params(), v); return s }

// ClassName implements ml.Stage.
func (s *ChiSqSelector) ClassName() string { return classPrefix + "ChiSqSelector" }

// TransformSchema implements ml.Stage.
func (s *ChiSqSelector) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	ps := s.Params()
	return labelSelectorSchema(s.StageBase, s.featuresCol.Get(ps), s.labelCol.Get(ps), s.outputCol.Get(ps), in, true)
}

// Fit implements ml.Estimator.
func (s *ChiSqSelector) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	return s.FitModel(ctx, df)
}

// FitModel fits and returns the concrete model.
func (s *ChiSqSelector) FitModel(ctx context.Context, df *frame.DataFrame) (*ChiSqSelectorModel, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	res, err := stat.ChiSquareTest(ctx, df, s.featuresCol.Get(ps), s.labelCol.Get(ps))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.UID(), err)
	}
	m := newChiSqSelectorModel(s.UID(), selectByPValues(res.PValues, s.selectorType.Get(ps), s.threshold(ps)))
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *ChiSqSelector) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *ChiSqSelector, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *ChiSqSelector) Save(path string) error { return ml.Save(s, path) }

// ChiSqSelectorModel keeps the features a ChiSqSelector selected.
type ChiSqSelectorModel struct {
	ml.StageBase
	chiSqParams
	selected []int
}

func newChiSqSelectorModel(uid string, sel []int) *ChiSqSelectorModel {
	m := &ChiSqSelectorModel{StageBase: ml.NewStageBase(uid), selected: sel}
	m.chiSqParams = defineChiSq(m.Params(), uid)
	return m
}

// SelectedFeatures returns the indices of the kept features, ascending.
func (m *ChiSqSelectorModel) SelectedFeatures() []int { return slices.Clone(m.selected) }

// ClassName implements ml.Stage.
func (m *ChiSqSelectorModel) ClassName() string { return classPrefix + "ChiSqSelectorModel" }

// TransformSchema implements ml.Stage.
func (m *ChiSqSelectorModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	ps := m.Params()
	return labelSelectorSchema(m.StageBase, m.featuresCol.Get(ps), "", m.outputCol.Get(ps), in, false)
}

// Transform implements ml.Transformer.
func (m *ChiSqSelectorModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	return selectFeatures(df, "chiSqSelector", m.UID(), m.featuresCol.Get(ps), m.outputCol.Get(ps), m.selected)
}

// Copy implements ml.Stage.
func (m *ChiSqSelectorModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *ChiSqSelectorModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *ChiSqSelectorModel) WriteData(dir string) error { return writeSelected(dir, m.selected) }

// Save implements ml.Stage.
func (m *ChiSqSelectorModel) Save(path string) error { return ml.Save(m, path) }

func loadChiSqSelectorModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	sel, err := readSelected(ctx, dir)
	if err != nil {
		return nil, err
	}
	m := newChiSqSelectorModel(md.UID, sel)
	return m, md.ApplyParams(m.Params())
}

func writeSelected(dir string, sel []int) error {
	f := make([]float64, len(sel))
	for i, j := range sel {
		f[i] = float64(j)
	}
	return ml.WriteVectors(dir, []string{"selectedFeatures"}, f)
}

func readSelected(ctx context.Context, dir string) ([]int, error) {
	v, err := ml.ReadVectors(ctx, dir, "selectedFeatures")
	if err != nil {
		return nil, err
	}
	sel := make([]int, len(v[0]))
	for i, f := range v[0] {
		sel[i] = int(f)
	}
	return sel, nil
}

// ---- UnivariateFeatureSelector ----

type univariateParams struct {
	featuresCol, outputCol, labelCol param.Param[string]
	featureType, labelType, mode     param.Param[string]
	selectionThreshold               param.Param[float64]
}

func defineUnivariate(ps *param.Params, uid string) univariateParams {
	types := param.WithValidator(param.OneOf(typeCategorical, typeContinuous))
	return univariateParams{
		featuresCol: param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		outputCol:   param.Define(ps, "outputCol", "output column name", param.WithDefault(uid+"__output")),
		labelCol:    param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		featureType: param.Define(ps, "featureType", "The feature type. Supported options: categorical, continuous.", types),
		labelType:   param.Define(ps, "labelType", "The label type. Supported options: categorical, continuous.", types),
		mode: param.Define(ps, "selectionMode", "The selection mode. Supported options: numTopFeatures (default), percentile, fpr, fdr, fwe.",
			param.WithDefault(selNumTop), param.WithValidator(param.OneOf(selNumTop, selPercentile, selFPR, selFDR, selFWE))),
		selectionThreshold: param.Define[float64](ps, "selectionThreshold", "The upper bound of the features that selector will select."),
	}
}

// threshold is selectionThreshold, or its default for the mode: 50 for
// numTopFeatures, 0.1 for percentile, 0.05 for fpr, fdr and fwe.
func (p univariateParams) threshold(ps *param.Params) (float64, error) {
	mode := p.mode.Get(ps)
	t, ok := p.selectionThreshold.GetOK(ps)
	if !ok {
		switch mode {
		case selNumTop:
			return 50, nil
		case selPercentile:
			return 0.1, nil
		}
		return 0.05, nil
	}
	if mode == selNumTop {
		if t < 1 || t != math.Trunc(t) {
			return 0, fmt.Errorf("%s: selectionThreshold %v must be a positive whole number for numTopFeatures", ps.UID(), t)
		}
	} else if t < 0 || t > 1 {
		return 0, fmt.Errorf("%s: selectionThreshold %v must be in [0, 1] for %s", ps.UID(), t, mode)
	}
	return t, nil
}

// UnivariateFeatureSelector keeps the features most related to the label by
// a univariate test chosen from featureType and labelType, as Spark's:
// categorical/categorical: chi-square; continuous/categorical: ANOVA F
// (f_classif); continuous/continuous: F regression (f_regression). The
// selectionMode (numTopFeatures, percentile, fpr, fdr, fwe) reads
// selectionThreshold.
type UnivariateFeatureSelector struct {
	ml.StageBase
	univariateParams
}

// NewUnivariateFeatureSelector makes a UnivariateFeatureSelector with a new UID.
func NewUnivariateFeatureSelector() *UnivariateFeatureSelector {
	return newUnivariateFeatureSelector(param.UID("UnivariateFeatureSelector"))
}

func newUnivariateFeatureSelector(uid string) *UnivariateFeatureSelector {
	s := &UnivariateFeatureSelector{StageBase: ml.NewStageBase(uid)}
	s.univariateParams = defineUnivariate(s.Params(), uid)
	return s
}

// SetFeaturesCol sets the input vector column.
func (s *UnivariateFeatureSelector) SetFeaturesCol(c string) *UnivariateFeatureSelector {
	s.featuresCol.Set(s.Params(), c)
	return s
}

// SetLabelCol sets the label column.
func (s *UnivariateFeatureSelector) SetLabelCol(c string) *UnivariateFeatureSelector {
	s.labelCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output vector column.
func (s *UnivariateFeatureSelector) SetOutputCol(c string) *UnivariateFeatureSelector {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetFeatureType sets "categorical" or "continuous".
func (s *UnivariateFeatureSelector) SetFeatureType(v string) *UnivariateFeatureSelector {
	s.featureType.Set(s.Params(), v)
	return s
}

// SetLabelType sets "categorical" or "continuous".
func (s *UnivariateFeatureSelector) SetLabelType(v string) *UnivariateFeatureSelector {
	s.labelType.Set(s.Params(), v)
	return s
}

// SetSelectionMode sets numTopFeatures, percentile, fpr, fdr or fwe.
func (s *UnivariateFeatureSelector) SetSelectionMode(v string) *UnivariateFeatureSelector {
	s.mode.Set(s.Params(), v)
	return s
}

// SetSelectionThreshold sets the mode's threshold.
func (s *UnivariateFeatureSelector) SetSelectionThreshold(v float64) *UnivariateFeatureSelector {
	s.selectionThreshold.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *UnivariateFeatureSelector) ClassName() string {
	return classPrefix + "UnivariateFeatureSelector"
}

// TransformSchema implements ml.Stage.
func (s *UnivariateFeatureSelector) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	ps := s.Params()
	if _, err := s.test(); err != nil {
		return nil, err
	}
	if _, err := s.threshold(ps); err != nil {
		return nil, err
	}
	return labelSelectorSchema(s.StageBase, s.featuresCol.Get(ps), s.labelCol.Get(ps), s.outputCol.Get(ps), in, true)
}

// test returns the statistical test for featureType and labelType.
func (s *UnivariateFeatureSelector) test() (func(context.Context, *frame.DataFrame, string, string) (*stat.TestResult, error), error) {
	ps := s.Params()
	ft, ok1 := s.featureType.GetOK(ps)
	lt, ok2 := s.labelType.GetOK(ps)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%s: featureType and labelType must be set", s.UID())
	}
	switch {
	case ft == typeCategorical && lt == typeCategorical:
		return stat.ChiSquareTest, nil
	case ft == typeContinuous && lt == typeCategorical:
		return stat.ANOVATest, nil
	case ft == typeContinuous && lt == typeContinuous:
		return stat.FValueTest, nil
	}
	return nil, fmt.Errorf("%s: featureType %q with labelType %q is not supported", s.UID(), ft, lt)
}

// Fit implements ml.Estimator.
func (s *UnivariateFeatureSelector) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	return s.FitModel(ctx, df)
}

// FitModel fits and returns the concrete model.
func (s *UnivariateFeatureSelector) FitModel(ctx context.Context, df *frame.DataFrame) (*UnivariateFeatureSelectorModel, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	test, err := s.test()
	if err != nil {
		return nil, err
	}
	t, err := s.threshold(ps)
	if err != nil {
		return nil, err
	}
	res, err := test(ctx, df, s.featuresCol.Get(ps), s.labelCol.Get(ps))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.UID(), err)
	}
	m := newUnivariateFeatureSelectorModel(s.UID(), selectByPValues(res.PValues, s.mode.Get(ps), t))
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *UnivariateFeatureSelector) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *UnivariateFeatureSelector, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *UnivariateFeatureSelector) Save(path string) error { return ml.Save(s, path) }

// UnivariateFeatureSelectorModel keeps the features a
// UnivariateFeatureSelector selected.
type UnivariateFeatureSelectorModel struct {
	ml.StageBase
	univariateParams
	selected []int
}

func newUnivariateFeatureSelectorModel(uid string, sel []int) *UnivariateFeatureSelectorModel {
	m := &UnivariateFeatureSelectorModel{StageBase: ml.NewStageBase(uid), selected: sel}
	m.univariateParams = defineUnivariate(m.Params(), uid)
	return m
}

// SelectedFeatures returns the indices of the kept features, ascending.
func (m *UnivariateFeatureSelectorModel) SelectedFeatures() []int { return slices.Clone(m.selected) }

// ClassName implements ml.Stage.
func (m *UnivariateFeatureSelectorModel) ClassName() string {
	return classPrefix + "UnivariateFeatureSelectorModel"
}

// TransformSchema implements ml.Stage.
func (m *UnivariateFeatureSelectorModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	ps := m.Params()
	return labelSelectorSchema(m.StageBase, m.featuresCol.Get(ps), "", m.outputCol.Get(ps), in, false)
}

// Transform implements ml.Transformer.
func (m *UnivariateFeatureSelectorModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	return selectFeatures(df, "univariateFeatureSelector", m.UID(), m.featuresCol.Get(ps), m.outputCol.Get(ps), m.selected)
}

// Copy implements ml.Stage.
func (m *UnivariateFeatureSelectorModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *UnivariateFeatureSelectorModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *UnivariateFeatureSelectorModel) WriteData(dir string) error {
	return writeSelected(dir, m.selected)
}

// Save implements ml.Stage.
func (m *UnivariateFeatureSelectorModel) Save(path string) error { return ml.Save(m, path) }

func loadUnivariateFeatureSelectorModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	sel, err := readSelected(ctx, dir)
	if err != nil {
		return nil, err
	}
	m := newUnivariateFeatureSelectorModel(md.UID, sel)
	return m, md.ApplyParams(m.Params())
}
