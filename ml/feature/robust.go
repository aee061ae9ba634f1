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
)

// RobustScaler scales features by their quantile range (upper − lower
// quantile, default 0.75 − 0.25) and, with withCentering, subtracts their
// median (Spark's RobustScaler). Quantiles here are exact (element of rank
// ceil(q·n)); NaN values are ignored when fitting; a zero range scales to 0.
type RobustScaler struct {
	ml.StageBase
	robustParams
}

type robustParams struct {
	colParams
	lower, upper               param.Param[float64]
	withCentering, withScaling param.Param[bool]
	relativeError              param.Param[float64]
}

func defineRobust(ps *param.Params, uid string) robustParams {
	return robustParams{
		colParams:     defineCols(ps, uid),
		lower:         param.Define(ps, "lower", "Lower quantile to calculate quantile range", param.WithDefault(0.25), param.WithValidator(param.InRange(0.0, 1.0))),
		upper:         param.Define(ps, "upper", "Upper quantile to calculate quantile range", param.WithDefault(0.75), param.WithValidator(param.InRange(0.0, 1.0))),
		withCentering: param.Define(ps, "withCentering", "Whether to center data with median", param.WithDefault(false)),
		withScaling:   param.Define(ps, "withScaling", "Whether to scale the data to quantile range", param.WithDefault(true)),
		relativeError: param.Define(ps, "relativeError", "the relative target precision for the approximate quantile algorithm. Must be in the range [0, 1]", param.WithDefault(0.001), param.WithValidator(param.InRange(0.0, 1.0))),
	}
}

// NewRobustScaler makes a RobustScaler with a new UID.
func NewRobustScaler() *RobustScaler { return newRobustScaler(param.UID("RobustScaler")) }

func newRobustScaler(uid string) *RobustScaler {
	s := &RobustScaler{StageBase: ml.NewStageBase(uid)}
	s.robustParams = defineRobust(s.Params(), uid)
	return s
}

// SetInputCol sets the input vector column.
func (s *RobustScaler) SetInputCol(c string) *RobustScaler { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *RobustScaler) SetOutputCol(c string) *RobustScaler { s.outputCol.Set(s.Params(), c); return s }

// SetLower sets the lower quantile.
func (s *RobustScaler) SetLower(q float64) *RobustScaler { s.lower.Set(s.Params(), q); return s }

// SetUpper sets the upper quantile.
func (s *RobustScaler) SetUpper(q float64) *RobustScaler { s.upper.Set(s.Params(), q); return s }

// SetWithCentering sets whether to subtract the median.
func (s *RobustScaler) SetWithCentering(v bool) *RobustScaler {
	s.withCentering.Set(s.Params(), v)
	return s
}

// SetWithScaling sets whether to divide by the quantile range.
func (s *RobustScaler) SetWithScaling(v bool) *RobustScaler {
	s.withScaling.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *RobustScaler) ClassName() string { return classPrefix + "RobustScaler" }

func robustSchema(b ml.StageBase, p robustParams, in *arrow.Schema) (*arrow.Schema, error) {
	if lo, hi := p.lower.Get(b.Params()), p.upper.Get(b.Params()); !(lo < hi) {
		return nil, fmt.Errorf("%s: lower (%v) must be less than upper (%v)", b.UID(), lo, hi)
	}
	return vectorInOutSchema(b, p.colParams, in)
}

// TransformSchema implements ml.Stage.
func (s *RobustScaler) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return robustSchema(s.StageBase, s.robustParams, in)
}

// Fit implements ml.Estimator.
func (s *RobustScaler) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid := s.inputCol.Get(ps), s.UID()
	accs, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(in)), func(int) [][]float64 { return nil },
		func(acc [][]float64, b arrow.RecordBatch) ([][]float64, error) {
			vc, err := linalg.Vectors(b.Column(0))
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, in, err)
			}
			var row []float64
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					continue
				}
				if acc == nil {
					acc = make([][]float64, vc.Size(i))
				} else if len(acc) != vc.Size(i) {
					return acc, sizeMismatch(uid, in, len(acc), vc.Size(i))
				}
				row = denseRow(vc, i, row)
				for j, v := range row {
					if !math.IsNaN(v) {
						acc[j] = append(acc[j], v)
					}
				}
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	var all [][]float64
	for _, a := range accs {
		if a == nil {
			continue
		}
		if all == nil {
			all = make([][]float64, len(a))
		} else if len(a) != len(all) {
			return nil, sizeMismatch(uid, in, len(all), len(a))
		}
		for j := range a {
			all[j] = append(all[j], a[j]...)
		}
	}
	if all == nil {
		return nil, fmt.Errorf("%s: column %q has no non-null rows to fit on", uid, in)
	}
	lo, hi := s.lower.Get(ps), s.upper.Get(ps)
	median, qrange := make([]float64, len(all)), make([]float64, len(all))
	for j, vals := range all {
		if len(vals) == 0 {
			median[j], qrange[j] = math.NaN(), math.NaN()
			continue
		}
		slices.Sort(vals)
		median[j] = vals[quantileIndex(0.5, len(vals))]
		qrange[j] = vals[quantileIndex(hi, len(vals))] - vals[quantileIndex(lo, len(vals))]
	}
	m := newRobustScalerModel(uid, qrange, median)
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *RobustScaler) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *RobustScaler, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *RobustScaler) Save(path string) error { return ml.Save(s, path) }

// RobustScalerModel scales with the learned medians and quantile ranges.
type RobustScalerModel struct {
	ml.StageBase
	robustParams
	qrange, median []float64
}

func newRobustScalerModel(uid string, qrange, median []float64) *RobustScalerModel {
	m := &RobustScalerModel{StageBase: ml.NewStageBase(uid), qrange: qrange, median: median}
	m.robustParams = defineRobust(m.Params(), uid)
	return m
}

// Range returns the per-feature quantile ranges.
func (m *RobustScalerModel) Range() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.qrange...)...)
}

// Median returns the per-feature medians.
func (m *RobustScalerModel) Median() linalg.Vector {
	return linalg.Dense(append([]float64(nil), m.median...)...)
}

// ClassName implements ml.Stage.
func (m *RobustScalerModel) ClassName() string { return classPrefix + "RobustScalerModel" }

// TransformSchema implements ml.Stage.
func (m *RobustScalerModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return robustSchema(m.StageBase, m.robustParams, in)
}

// Transform implements ml.Transformer: dense output when centering, else the input's form.
func (m *RobustScalerModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in, uid := m.inputCol.Get(ps), m.UID()
	center, scale := m.withCentering.Get(ps), m.withScaling.Get(ps)
	n := len(m.qrange)
	factor := make([]float64, n)
	for j, r := range m.qrange {
		switch {
		case !scale:
			factor[j] = 1
		case r != 0:
			factor[j] = 1 / r
		}
	}
	median := m.median
	res := vectorUDF(df, "robustScaler", uid, in, m.outputCol.Get(ps), func() rowFn {
		if !center {
			return scaleRows(uid, in, n, func(j int) float64 { return factor[j] })
		}
		var buf []float64
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			if vc.Size(i) != n {
				return sizeMismatch(uid, in, n, vc.Size(i))
			}
			buf = denseRow(vc, i, buf)
			for j := range buf {
				buf[j] = (buf[j] - median[j]) * factor[j]
			}
			b.AppendDense(buf)
			return nil
		}
	})
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *RobustScalerModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *RobustScalerModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *RobustScalerModel) WriteData(dir string) error {
	return ml.WriteVectors(dir, []string{"range", "median"}, m.qrange, m.median)
}

// Save implements ml.Stage.
func (m *RobustScalerModel) Save(path string) error { return ml.Save(m, path) }

func loadRobustScalerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "range", "median")
	if err != nil {
		return nil, err
	}
	m := newRobustScalerModel(md.UID, v[0], v[1])
	return m, md.ApplyParams(m.Params())
}
