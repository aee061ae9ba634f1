package feature

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// ---- StandardScaler ----

// StandardScaler learns per-feature means and sample standard deviations
// (Spark's StandardScaler: withMean=false, withStd=true by default; a
// feature with zero variance scales to 0.0).
type StandardScaler struct {
	ml.StageBase
	colParams
	withMean, withStd param.Param[bool]
}

// NewStandardScaler makes a StandardScaler with a new UID.
func NewStandardScaler() *StandardScaler { return newStandardScaler(param.UID("StandardScaler")) }

func defineStandardScaler(ps *param.Params, uid string) (colParams, param.Param[bool], param.Param[bool]) {
	return defineCols(ps, uid),
		param.Define(ps, "withMean", "Whether to center data with mean", param.WithDefault(false)),
		param.Define(ps, "withStd", "Whether to scale the data to unit standard deviation", param.WithDefault(true))
}

func newStandardScaler(uid string) *StandardScaler {
	s := &StandardScaler{StageBase: ml.NewStageBase(uid)}
	s.colParams, s.withMean, s.withStd = defineStandardScaler(s.Params(), uid)
	return s
}

// SetInputCol sets the input vector column.
func (s *StandardScaler) SetInputCol(c string) *StandardScaler {
	s.inputCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output vector column.
func (s *StandardScaler) SetOutputCol(c string) *StandardScaler {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetWithMean sets whether to center the data.
func (s *StandardScaler) SetWithMean(v bool) *StandardScaler { s.withMean.Set(s.Params(), v); return s }

// SetWithStd sets whether to scale to unit standard deviation.
func (s *StandardScaler) SetWithStd(v bool) *StandardScaler { s.withStd.Set(s.Params(), v); return s }

// ClassName implements ml.Stage.
func (s *StandardScaler) ClassName() string { return classPrefix + "StandardScaler" }

// TransformSchema implements ml.Stage.
func (s *StandardScaler) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

func vectorInOutSchema(b ml.StageBase, c colParams, in *arrow.Schema) (*arrow.Schema, error) {
	if err := b.CheckParams(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, b.UID(), c.inputCol.Get(b.Params()), ml.Vector); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, b.UID(), vectorField(c.outputCol.Get(b.Params())))
}

// Fit implements ml.Estimator.
func (s *StandardScaler) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	sum, err := summarize(ctx, df, s.UID(), s.inputCol.Get(s.Params()))
	if err != nil {
		return nil, err
	}
	std := sum.Variance()
	for j := range std {
		std[j] = math.Sqrt(std[j])
	}
	m := newStandardScalerModel(s.UID(), std, sum.Mean())
	return m, s.Params().CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *StandardScaler) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *StandardScaler, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *StandardScaler) Save(path string) error { return ml.Save(s, path) }

// StandardScalerModel scales vectors with learned means and standard deviations.
type StandardScalerModel struct {
	ml.StageBase
	colParams
	withMean, withStd param.Param[bool]
	std, mean         []float64
}

func newStandardScalerModel(uid string, std, mean []float64) *StandardScalerModel {
	m := &StandardScalerModel{StageBase: ml.NewStageBase(uid), std: std, mean: mean}
	m.colParams, m.withMean, m.withStd = defineStandardScaler(m.Params(), uid)
	return m
}

// Std returns the per-feature sample standard deviations.
func (m *StandardScalerModel) Std() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.std...)...)
}

// Mean returns the per-feature means.
func (m *StandardScalerModel) Mean() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.mean...)...)
}

// SetInputCol sets the input vector column.
func (m *StandardScalerModel) SetInputCol(c string) *StandardScalerModel {
	m.inputCol.Set(m.Params(), c)
	return m
}

// SetOutputCol sets the output vector column.
func (m *StandardScalerModel) SetOutputCol(c string) *StandardScalerModel {
	m.outputCol.Set(m.Params(), c)
	return m
}

// ClassName implements ml.Stage.
func (m *StandardScalerModel) ClassName() string { return classPrefix + "StandardScalerModel" }

// TransformSchema implements ml.Stage.
func (m *StandardScalerModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(m.StageBase, m.colParams, in)
}

// Transform implements ml.Transformer: dense output when centering, else
// the input's form.
func (m *StandardScalerModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in, out := m.inputCol.Get(ps), m.outputCol.Get(ps)
	withMean, withStd := m.withMean.Get(ps), m.withStd.Get(ps)
	n := len(m.std)
	factor := make([]float64, n)
	for j, s := range m.std {
		if !withStd {
			factor[j] = 1
		} else if s != 0 {
			factor[j] = 1 / s
		}
	}
	shift := make([]float64, n)
	if withMean {
		copy(shift, m.mean)
	}
	uid := m.UID()
	res := vectorUDF(df, "standardScaler", uid, in, out, func() rowFn {
		var buf []float64
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			if vc.Size(i) != n {
				return sizeMismatch(uid, in, n, vc.Size(i))
			}
			if d := vc.DenseValues(i); d != nil || withMean {
				if cap(buf) < n {
					buf = make([]float64, n)
				}
				buf = buf[:n]
				if d != nil {
					copy(buf, d)
				} else {
					clear(buf)
					idx, vals := vc.Sparse(i)
					for k, j := range idx {
						buf[j] = vals[k]
					}
				}
				for j := range buf {
					buf[j] = (buf[j] - shift[j]) * factor[j]
				}
				b.AppendDense(buf)
				return nil
			}
			idx, vals := vc.Sparse(i)
			if cap(buf) < len(vals) {
				buf = make([]float64, len(vals))
			}
			buf = buf[:len(vals)]
			for k, j := range idx {
				buf[k] = vals[k] * factor[j]
			}
			b.AppendSparse(n, idx, buf)
			return nil
		}
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *StandardScalerModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *StandardScalerModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *StandardScalerModel) WriteData(dir string) error {
	return ml.WriteVectors(dir, []string{"std", "mean"}, m.std, m.mean)
}

// Save implements ml.Stage.
func (m *StandardScalerModel) Save(path string) error { return ml.Save(m, path) }

func loadStandardScalerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "std", "mean")
	if err != nil {
		return nil, err
	}
	m := newStandardScalerModel(md.UID, v[0], v[1])
	return m, md.ApplyParams(m.Params())
}

// ---- MinMaxScaler ----

// MinMaxScaler rescales each feature to [min, max] (default [0, 1]) from the
// range seen in the data; a constant feature maps to (min+max)/2.
type MinMaxScaler struct {
	ml.StageBase
	colParams
	min, max param.Param[float64]
}

// NewMinMaxScaler makes a MinMaxScaler with a new UID.
func NewMinMaxScaler() *MinMaxScaler { return newMinMaxScaler(param.UID("MinMaxScaler")) }

func defineMinMax(ps *param.Params, uid string) (colParams, param.Param[float64], param.Param[float64]) {
	return defineCols(ps, uid),
		param.Define(ps, "min", "Lower bound of the output feature range", param.WithDefault(0.0)),
		param.Define(ps, "max", "Upper bound of the output feature range", param.WithDefault(1.0))
}

func newMinMaxScaler(uid string) *MinMaxScaler {
	s := &MinMaxScaler{StageBase: ml.NewStageBase(uid)}
	s.colParams, s.min, s.max = defineMinMax(s.Params(), uid)
	return s
}

// SetInputCol sets the input vector column.
func (s *MinMaxScaler) SetInputCol(c string) *MinMaxScaler { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *MinMaxScaler) SetOutputCol(c string) *MinMaxScaler { s.outputCol.Set(s.Params(), c); return s }

// SetMin sets the lower bound of the output range.
func (s *MinMaxScaler) SetMin(v float64) *MinMaxScaler { s.min.Set(s.Params(), v); return s }

// SetMax sets the upper bound of the output range.
func (s *MinMaxScaler) SetMax(v float64) *MinMaxScaler { s.max.Set(s.Params(), v); return s }

// ClassName implements ml.Stage.
func (s *MinMaxScaler) ClassName() string { return classPrefix + "MinMaxScaler" }

func minMaxSchema(b ml.StageBase, c colParams, lo, hi param.Param[float64], in *arrow.Schema) (*arrow.Schema, error) {
	if l, h := lo.Get(b.Params()), hi.Get(b.Params()); !(l < h) {
		return nil, fmt.Errorf("%s: min (%v) must be less than max (%v)", b.UID(), l, h)
	}
	return vectorInOutSchema(b, c, in)
}

// TransformSchema implements ml.Stage.
func (s *MinMaxScaler) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return minMaxSchema(s.StageBase, s.colParams, s.min, s.max, in)
}

// Fit implements ml.Estimator.
func (s *MinMaxScaler) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	sum, err := summarize(ctx, df, s.UID(), s.inputCol.Get(s.Params()))
	if err != nil {
		return nil, err
	}
	m := newMinMaxScalerModel(s.UID(), sum.Min(), sum.Max())
	return m, s.Params().CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *MinMaxScaler) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *MinMaxScaler, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *MinMaxScaler) Save(path string) error { return ml.Save(s, path) }

// MinMaxScalerModel rescales features with the learned per-feature ranges.
type MinMaxScalerModel struct {
	ml.StageBase
	colParams
	min, max                 param.Param[float64]
	originalMin, originalMax []float64
}

func newMinMaxScalerModel(uid string, lo, hi []float64) *MinMaxScalerModel {
	m := &MinMaxScalerModel{StageBase: ml.NewStageBase(uid), originalMin: lo, originalMax: hi}
	m.colParams, m.min, m.max = defineMinMax(m.Params(), uid)
	return m
}

// OriginalMin returns the per-feature minimum seen in the data.
func (m *MinMaxScalerModel) OriginalMin() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.originalMin...)...)
}

// OriginalMax returns the per-feature maximum seen in the data.
func (m *MinMaxScalerModel) OriginalMax() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.originalMax...)...)
}

// ClassName implements ml.Stage.
func (m *MinMaxScalerModel) ClassName() string { return classPrefix + "MinMaxScalerModel" }

// TransformSchema implements ml.Stage.
func (m *MinMaxScalerModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return minMaxSchema(m.StageBase, m.colParams, m.min, m.max, in)
}

// Transform implements ml.Transformer; the output is dense and NaN stays NaN.
func (m *MinMaxScalerModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in, out := m.inputCol.Get(ps), m.outputCol.Get(ps)
	lo, hi := m.min.Get(ps), m.max.Get(ps)
	n := len(m.originalMin)
	scale := make([]float64, n)
	for j := range scale {
		if r := m.originalMax[j] - m.originalMin[j]; r != 0 {
			scale[j] = (hi - lo) / r
		}
	}
	constant := (hi + lo) / 2
	omin := m.originalMin
	uid := m.UID()
	res := vectorUDF(df, "minMaxScaler", uid, in, out, func() rowFn {
		var buf []float64
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			if vc.Size(i) != n {
				return sizeMismatch(uid, in, n, vc.Size(i))
			}
			buf = denseRow(vc, i, buf)
			for j, v := range buf {
				switch {
				case math.IsNaN(v):
				case scale[j] != 0:
					buf[j] = (v-omin[j])*scale[j] + lo
				default:
					buf[j] = constant
				}
			}
			b.AppendDense(buf)
			return nil
		}
	})
	return res, res.Err()
}

// denseRow copies row i of vc densely into buf (resized).
func denseRow(vc *linalg.VectorColumn, i int, buf []float64) []float64 {
	n := vc.Size(i)
	if cap(buf) < n {
		buf = make([]float64, n)
	}
	buf = buf[:n]
	if d := vc.DenseValues(i); d != nil {
		copy(buf, d)
		return buf
	}
	clear(buf)
	idx, vals := vc.Sparse(i)
	for k, j := range idx {
		buf[j] = vals[k]
	}
	return buf
}

// Copy implements ml.Stage.
func (m *MinMaxScalerModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *MinMaxScalerModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *MinMaxScalerModel) WriteData(dir string) error {
	return ml.WriteVectors(dir, []string{"originalMin", "originalMax"}, m.originalMin, m.originalMax)
}

// Save implements ml.Stage.
func (m *MinMaxScalerModel) Save(path string) error { return ml.Save(m, path) }

func loadMinMaxScalerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "originalMin", "originalMax")
	if err != nil {
		return nil, err
	}
	m := newMinMaxScalerModel(md.UID, v[0], v[1])
	return m, md.ApplyParams(m.Params())
}

// ---- MaxAbsScaler ----

// MaxAbsScaler divides each feature by its maximum absolute value, mapping
// it into [-1, 1] without shifting (sparsity is kept).
type MaxAbsScaler struct {
	ml.StageBase
	colParams
}

// NewMaxAbsScaler makes a MaxAbsScaler with a new UID.
func NewMaxAbsScaler() *MaxAbsScaler { return newMaxAbsScaler(param.UID("MaxAbsScaler")) }

func newMaxAbsScaler(uid string) *MaxAbsScaler {
	s := &MaxAbsScaler{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	return s
}

// SetInputCol sets the input vector column.
func (s *MaxAbsScaler) SetInputCol(c string) *MaxAbsScaler { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *MaxAbsScaler) SetOutputCol(c string) *MaxAbsScaler { s.outputCol.Set(s.Params(), c); return s }

// ClassName implements ml.Stage.
func (s *MaxAbsScaler) ClassName() string { return classPrefix + "MaxAbsScaler" }

// TransformSchema implements ml.Stage.
func (s *MaxAbsScaler) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

// Fit implements ml.Estimator.
func (s *MaxAbsScaler) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	sum, err := summarize(ctx, df, s.UID(), s.inputCol.Get(s.Params()))
	if err != nil {
		return nil, err
	}
	lo, hi := sum.Min(), sum.Max()
	maxAbs := make([]float64, len(lo))
	for j := range maxAbs {
		maxAbs[j] = math.Max(math.Abs(lo[j]), math.Abs(hi[j]))
	}
	m := newMaxAbsScalerModel(s.UID(), maxAbs)
	return m, s.Params().CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *MaxAbsScaler) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *MaxAbsScaler, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *MaxAbsScaler) Save(path string) error { return ml.Save(s, path) }

// MaxAbsScalerModel divides features by the learned maximum absolute values.
type MaxAbsScalerModel struct {
	ml.StageBase
	colParams
	maxAbs []float64
}

func newMaxAbsScalerModel(uid string, maxAbs []float64) *MaxAbsScalerModel {
	m := &MaxAbsScalerModel{StageBase: ml.NewStageBase(uid), maxAbs: maxAbs}
	m.colParams = defineCols(m.Params(), uid)
	return m
}

// MaxAbs returns the per-feature maximum absolute values.
func (m *MaxAbsScalerModel) MaxAbs() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.maxAbs...)...)
}

// ClassName implements ml.Stage.
func (m *MaxAbsScalerModel) ClassName() string { return classPrefix + "MaxAbsScalerModel" }

// TransformSchema implements ml.Stage.
func (m *MaxAbsScalerModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(m.StageBase, m.colParams, in)
}

// Transform implements ml.Transformer.
func (m *MaxAbsScalerModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	n := len(m.maxAbs)
	factor := make([]float64, n)
	for j, a := range m.maxAbs {
		if a == 0 {
			factor[j] = 1
		} else {
			factor[j] = 1 / a
		}
	}
	ps := m.Params()
	in := m.inputCol.Get(ps)
	uid := m.UID()
	res := vectorUDF(df, "maxAbsScaler", uid, in, m.outputCol.Get(ps), func() rowFn {
		return scaleRows(uid, in, n, func(j int) float64 { return factor[j] })
	})
	return res, res.Err()
}

// scaleRows multiplies element j of every row by f(j), keeping each row's form.
func scaleRows(uid, col string, n int, f func(j int) float64) rowFn {
	var buf []float64
	return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
		if n >= 0 && vc.Size(i) != n {
			return sizeMismatch(uid, col, n, vc.Size(i))
		}
		if d := vc.DenseValues(i); d != nil {
			if cap(buf) < len(d) {
				buf = make([]float64, len(d))
			}
			buf = buf[:len(d)]
			for j, v := range d {
				buf[j] = v * f(j)
			}
			b.AppendDense(buf)
			return nil
		}
		idx, vals := vc.Sparse(i)
		if cap(buf) < len(vals) {
			buf = make([]float64, len(vals))
		}
		buf = buf[:len(vals)]
		for k, j := range idx {
			buf[k] = vals[k] * f(int(j))
		}
		b.AppendSparse(vc.Size(i), idx, buf)
		return nil
	}
}

// Copy implements ml.Stage.
func (m *MaxAbsScalerModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *MaxAbsScalerModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *MaxAbsScalerModel) WriteData(dir string) error {
	return ml.WriteVectors(dir, []string{"maxAbs"}, m.maxAbs)
}

// Save implements ml.Stage.
func (m *MaxAbsScalerModel) Save(path string) error { return ml.Save(m, path) }

func loadMaxAbsScalerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "maxAbs")
	if err != nil {
		return nil, err
	}
	m := newMaxAbsScalerModel(md.UID, v[0])
	return m, md.ApplyParams(m.Params())
}

// ---- Normalizer ----

// Normalizer scales each vector to unit p-norm (p=2 by default); a zero
// vector stays zero.
type Normalizer struct {
	ml.StageBase
	colParams
	p param.Param[float64]
}

// NewNormalizer makes a Normalizer with a new UID.
func NewNormalizer() *Normalizer { return newNormalizer(param.UID("Normalizer")) }

func newNormalizer(uid string) *Normalizer {
	s := &Normalizer{StageBase: ml.NewStageBase(uid)}
	s.colParams = defineCols(s.Params(), uid)
	s.p = param.Define(s.Params(), "p", "the p norm value", param.WithDefault(2.0), param.WithValidator(param.GtEq(1.0)))
	return s
}

// SetInputCol sets the input vector column.
func (s *Normalizer) SetInputCol(c string) *Normalizer { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *Normalizer) SetOutputCol(c string) *Normalizer { s.outputCol.Set(s.Params(), c); return s }

// SetP sets the norm (≥ 1; +Inf for the maximum norm).
func (s *Normalizer) SetP(p float64) *Normalizer { s.p.Set(s.Params(), p); return s }

// ClassName implements ml.Stage.
func (s *Normalizer) ClassName() string { return classPrefix + "Normalizer" }

// TransformSchema implements ml.Stage.
func (s *Normalizer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

// Transform implements ml.Transformer.
func (s *Normalizer) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, p := s.inputCol.Get(ps), s.p.Get(ps)
	uid := s.UID()
	res := vectorUDF(df, "normalizer", uid, in, s.outputCol.Get(ps), func() rowFn {
		var factor float64
		scale := scaleRows(uid, in, -1, func(int) float64 { return factor })
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			vals := vc.DenseValues(i)
			if vals == nil {
				_, vals = vc.Sparse(i)
			}
			factor = 1
			if norm := linalg.NormOf(vals, p); norm != 0 {
				factor = 1 / norm
			}
			return scale(vc, i, b)
		}
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (s *Normalizer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *Normalizer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *Normalizer) Save(path string) error { return ml.Save(s, path) }
