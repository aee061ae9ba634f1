package feature

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// VarianceThresholdSelector keeps the features whose sample variance
// exceeds varianceThreshold (default 0, which drops constant features).
type VarianceThresholdSelector struct {
	ml.StageBase
	selectorParams
}

type selectorParams struct {
	featuresCol, outputCol param.Param[string]
	varianceThreshold      param.Param[float64]
}

func defineSelector(ps *param.Params, uid string) selectorParams {
	return selectorParams{
		featuresCol:       param.Define(ps, "featuresCol", "features column name", param.WithDefault("features")),
		outputCol:         param.Define(ps, "outputCol", "output column name", param.WithDefault(uid+"__output")),
		varianceThreshold: param.Define(ps, "varianceThreshold", "Param for variance threshold. Features with a variance not greater than this threshold will be removed. The default value is 0.0.", param.WithDefault(0.0), param.WithValidator(param.GtEq(0.0))),
	}
}

// NewVarianceThresholdSelector makes a VarianceThresholdSelector with a new UID.
func NewVarianceThresholdSelector() *VarianceThresholdSelector {
	return newVarianceThresholdSelector(param.UID("VarianceThresholdSelector"))
}

func newVarianceThresholdSelector(uid string) *VarianceThresholdSelector {
	s := &VarianceThresholdSelector{StageBase: ml.NewStageBase(uid)}
	s.selectorParams = defineSelector(s.Params(), uid)
	return s
}

// SetFeaturesCol sets the input vector column.
func (s *VarianceThresholdSelector) SetFeaturesCol(c string) *VarianceThresholdSelector {
	s.featuresCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output vector column.
func (s *VarianceThresholdSelector) SetOutputCol(c string) *VarianceThresholdSelector {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetVarianceThreshold sets the threshold.
func (s *VarianceThresholdSelector) SetVarianceThreshold(v float64) *VarianceThresholdSelector {
	s.varianceThreshold.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *VarianceThresholdSelector) ClassName() string {
	return classPrefix + "VarianceThresholdSelector"
}

func selectorSchema(b ml.StageBase, p selectorParams, in *arrow.Schema) (*arrow.Schema, error) {
	if err := b.CheckParams(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, b.UID(), p.featuresCol.Get(b.Params()), ml.Vector); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, b.UID(), vectorField(p.outputCol.Get(b.Params())))
}

// TransformSchema implements ml.Stage.
func (s *VarianceThresholdSelector) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return selectorSchema(s.StageBase, s.selectorParams, in)
}

// Fit implements ml.Estimator.
func (s *VarianceThresholdSelector) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	sum, err := summarize(ctx, df, s.UID(), s.featuresCol.Get(ps))
	if err != nil {
		return nil, err
	}
	th := s.varianceThreshold.Get(ps)
	var sel []int
	for j, v := range sum.Variance() {
		if v > th {
			sel = append(sel, j)
		}
	}
	m := newVarianceThresholdSelectorModel(s.UID(), sel)
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *VarianceThresholdSelector) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *VarianceThresholdSelector, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *VarianceThresholdSelector) Save(path string) error { return ml.Save(s, path) }

// VarianceThresholdSelectorModel keeps the selected features.
type VarianceThresholdSelectorModel struct {
	ml.StageBase
	selectorParams
	selected []int
}

func newVarianceThresholdSelectorModel(uid string, sel []int) *VarianceThresholdSelectorModel {
	m := &VarianceThresholdSelectorModel{StageBase: ml.NewStageBase(uid), selected: sel}
	m.selectorParams = defineSelector(m.Params(), uid)
	return m
}

// SelectedFeatures returns the indices of the kept features.
func (m *VarianceThresholdSelectorModel) SelectedFeatures() []int {
	return append([]int(nil), m.selected...)
}

// ClassName implements ml.Stage.
func (m *VarianceThresholdSelectorModel) ClassName() string {
	return classPrefix + "VarianceThresholdSelectorModel"
}

// TransformSchema implements ml.Stage.
func (m *VarianceThresholdSelectorModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return selectorSchema(m.StageBase, m.selectorParams, in)
}

// Transform implements ml.Transformer (dense rows stay dense, sparse sparse).
func (m *VarianceThresholdSelectorModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in, uid, sel := m.featuresCol.Get(ps), m.UID(), m.selected
	res := vectorUDF(df, "varianceThresholdSelector", uid, in, m.outputCol.Get(ps), func() rowFn {
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

// Copy implements ml.Stage.
func (m *VarianceThresholdSelectorModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *VarianceThresholdSelectorModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *VarianceThresholdSelectorModel) WriteData(dir string) error {
	f := make([]float64, len(m.selected))
	for i, j := range m.selected {
		f[i] = float64(j)
	}
	return ml.WriteVectors(dir, []string{"selectedFeatures"}, f)
}

// Save implements ml.Stage.
func (m *VarianceThresholdSelectorModel) Save(path string) error { return ml.Save(m, path) }

func loadVarianceThresholdSelectorModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "selectedFeatures")
	if err != nil {
		return nil, err
	}
	sel := make([]int, len(v[0]))
	for i, f := range v[0] {
		sel[i] = int(f)
	}
	m := newVarianceThresholdSelectorModel(md.UID, sel)
	return m, md.ApplyParams(m.Params())
}
