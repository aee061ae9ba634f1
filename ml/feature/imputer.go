package feature

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/param"
)

// Imputer strategies.
const (
	strategyMean   = "mean"
	strategyMedian = "median"
	strategyMode   = "mode"
)

// Imputer replaces missing values (nulls, and values equal to missingValue,
// NaN by default) of numeric columns with the column's mean, median or mode
// (Spark's Imputer). The output keeps the input column's type.
type Imputer struct {
	ml.StageBase
	multiColParams
	strategy      param.Param[string]
	missingValue  param.Param[float64]
	relativeError param.Param[float64]
}

// NewImputer makes an Imputer with a new UID.
func NewImputer() *Imputer { return newImputer(param.UID("Imputer")) }

func defineImputer(ps *param.Params, uid string) (multiColParams, param.Param[string], param.Param[float64], param.Param[float64]) {
	return defineMultiCols(ps, uid),
		param.Define(ps, "strategy", "strategy for imputation. If mean, then replace missing values using the mean value of the feature. If median, then replace missing values using the median value of the feature. If mode, then replace missing using the most frequent value of the feature.",
			param.WithDefault(strategyMean), param.WithValidator(param.OneOf(strategyMean, strategyMedian, strategyMode))),
		param.Define(ps, "missingValue", "The placeholder for the missing values. All occurrences of missingValue will be imputed.", param.WithDefault(math.NaN())),
		param.Define(ps, "relativeError", "the relative target precision for the approximate quantile algorithm. Must be in the range [0, 1]", param.WithDefault(0.001), param.WithValidator(param.InRange(0.0, 1.0)))
}

func newImputer(uid string) *Imputer {
	s := &Imputer{StageBase: ml.NewStageBase(uid)}
	s.multiColParams, s.strategy, s.missingValue, s.relativeError = defineImputer(s.Params(), uid)
	return s
}

// SetInputCol sets the input column.
func (s *Imputer) SetInputCol(c string) *Imputer { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output column.
func (s *Imputer) SetOutputCol(c string) *Imputer { s.outputCol.Set(s.Params(), c); return s }

// SetInputCols sets several input columns.
func (s *Imputer) SetInputCols(c ...string) *Imputer { s.inputCols.Set(s.Params(), c); return s }

// SetOutputCols sets the output columns.
func (s *Imputer) SetOutputCols(c ...string) *Imputer { s.outputCols.Set(s.Params(), c); return s }

// SetStrategy sets "mean", "median" or "mode".
func (s *Imputer) SetStrategy(v string) *Imputer { s.strategy.Set(s.Params(), v); return s }

// SetMissingValue sets the value treated as missing (besides null).
func (s *Imputer) SetMissingValue(v float64) *Imputer { s.missingValue.Set(s.Params(), v); return s }

// ClassName implements ml.Stage.
func (s *Imputer) ClassName() string { return classPrefix + "Imputer" }

func imputerSchema(b ml.StageBase, m multiColParams, in *arrow.Schema) (*arrow.Schema, error) {
	if err := b.CheckParams(); err != nil {
		return nil, err
	}
	ins, outs, err := m.pairs(b.Params())
	if err != nil {
		return nil, err
	}
	s := in
	for k, c := range ins {
		f, err := ml.CheckColumn(in, b.UID(), c, ml.Numeric)
		if err != nil {
			return nil, err
		}
		if outs[k] == c {
			continue // replacing the input column
		}
		if s, err = ml.AppendColumn(s, b.UID(), arrow.Field{Name: outs[k], Type: f.Type, Nullable: true}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// TransformSchema implements ml.Stage.
func (s *Imputer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return imputerSchema(s.StageBase, s.multiColParams, in)
}

type imputeAcc struct {
	sum    float64
	n      int64
	vals   []float64
	counts map[float64]int64
}

// isMissing says whether a value is excluded when fitting: null, NaN or missingValue.
func isMissing(v float64, null bool, missing float64) bool {
	return null || math.IsNaN(v) || v == missing
}

// isReplaced says whether a value is imputed: null or missingValue (NaN only
// when missingValue is NaN), as Spark's ImputerModel.
func isReplaced(v float64, null bool, missing float64) bool {
	return null || v == missing || (math.IsNaN(missing) && math.IsNaN(v))
}

// Fit implements ml.Estimator. Medians are exact (Spark's are approximate
// within relativeError): the lower median, the element of rank ceil(n/2).
func (s *Imputer) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	ins, _, _ := s.pairs(ps)
	strategy, missing := s.strategy.Get(ps), s.missingValue.Get(ps)
	cols := make([]frame.Column, len(ins))
	for i, c := range ins {
		cols[i] = frame.Col(c)
	}
	uid := s.UID()
	accs, err := frame.AggregatePartitions(ctx, df.Select(cols...), func(int) []*imputeAcc {
		a := make([]*imputeAcc, len(ins))
		for i := range a {
			a[i] = &imputeAcc{counts: map[float64]int64{}}
		}
		return a
	}, func(acc []*imputeAcc, b arrow.RecordBatch) ([]*imputeAcc, error) {
		var buf []float64
		for c := range ins {
			col := b.Column(c)
			x, err := ml.Float64Column(col, buf)
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, ins[c], err)
			}
			a := acc[c]
			for i, v := range x {
				if isMissing(v, col.IsNull(i), missing) {
					continue
				}
				switch strategy {
				case strategyMean:
					a.sum += v
					a.n++
				case strategyMedian:
					a.vals = append(a.vals, v)
				case strategyMode:
					a.counts[v]++
				}
			}
			buf = x
		}
		return acc, nil
	})
	if err != nil {
		return nil, err
	}
	surrogates := make([]float64, len(ins))
	for c := range ins {
		tot := &imputeAcc{counts: map[float64]int64{}}
		for _, a := range accs {
			tot.sum += a[c].sum
			tot.n += a[c].n
			tot.vals = append(tot.vals, a[c].vals...)
			for k, v := range a[c].counts {
				tot.counts[k] += v
			}
		}
		v := math.NaN()
		switch strategy {
		case strategyMean:
			if tot.n > 0 {
				v = tot.sum / float64(tot.n)
			}
		case strategyMedian:
			if len(tot.vals) > 0 {
				slices.Sort(tot.vals)
				v = tot.vals[quantileIndex(0.5, len(tot.vals))]
			}
		case strategyMode:
			best := int64(0)
			for k, n := range tot.counts {
				if n > best || (n == best && k < v) {
					v, best = k, n
				}
			}
		}
		if math.IsNaN(v) {
			return nil, fmt.Errorf("%s: surrogate cannot be computed. All the values in column %q are null, NaN or missingValue(%v)", uid, ins[c], missing)
		}
		surrogates[c] = v
	}
	m := newImputerModel(uid, surrogates)
	return m, ps.CopyValuesTo(m.Params())
}

// quantileIndex is the 0-based index of the q-quantile of n sorted values:
// the element of rank ceil(q·n), as Spark's approxQuantile returns when exact.
func quantileIndex(q float64, n int) int {
	r := int(math.Ceil(q*float64(n))) - 1
	return min(max(r, 0), n-1)
}

// Copy implements ml.Stage.
func (s *Imputer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *Imputer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *Imputer) Save(path string) error { return ml.Save(s, path) }

// ImputerModel replaces missing values with the learned surrogates.
type ImputerModel struct {
	ml.StageBase
	multiColParams
	strategy      param.Param[string]
	missingValue  param.Param[float64]
	relativeError param.Param[float64]
	surrogates    []float64
}

func newImputerModel(uid string, surrogates []float64) *ImputerModel {
	m := &ImputerModel{StageBase: ml.NewStageBase(uid), surrogates: surrogates}
	m.multiColParams, m.strategy, m.missingValue, m.relativeError = defineImputer(m.Params(), uid)
	return m
}

// Surrogates returns the value imputed for each input column.
func (m *ImputerModel) Surrogates() []float64 { return append([]float64(nil), m.surrogates...) }

// ClassName implements ml.Stage.
func (m *ImputerModel) ClassName() string { return classPrefix + "ImputerModel" }

// TransformSchema implements ml.Stage.
func (m *ImputerModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	out, err := imputerSchema(m.StageBase, m.multiColParams, in)
	if err != nil {
		return nil, err
	}
	if ins, _, _ := m.pairs(m.Params()); len(ins) != len(m.surrogates) {
		return nil, fmt.Errorf("%s: the model was fitted on %d columns but %d input columns are set", m.UID(), len(m.surrogates), len(ins))
	}
	return out, nil
}

// Transform implements ml.Transformer.
func (m *ImputerModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	ins, outs, _ := m.pairs(ps)
	missing := m.missingValue.Get(ps)
	schema := df.Schema()
	res := df
	for c, in := range ins {
		sur := m.surrogates[c]
		uid, col := m.UID(), in
		fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
			x, err := ml.Float64Column(args[0], nil)
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
			}
			b := array.NewFloat64Builder(mem)
			defer b.Release()
			b.Reserve(len(x))
			for i, v := range x {
				if isReplaced(v, args[0].IsNull(i), missing) {
					v = sur
				}
				b.UnsafeAppend(v)
			}
			return b.NewArray(), nil
		}
		out := frame.UDF("imputer", arrow.PrimitiveTypes.Float64, fn, frame.Col(in))
		if t := schema.Field(ml.FieldIndex(schema, in)).Type; t.ID() != arrow.FLOAT64 {
			out = out.CastTo(t)
		}
		res = res.WithColumn(outs[c], out)
	}
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *ImputerModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *ImputerModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter.
func (m *ImputerModel) WriteData(dir string) error {
	return ml.WriteVectors(dir, []string{"surrogates"}, m.surrogates)
}

// Save implements ml.Stage.
func (m *ImputerModel) Save(path string) error { return ml.Save(m, path) }

func loadImputerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "surrogates")
	if err != nil {
		return nil, err
	}
	m := newImputerModel(md.UID, v[0])
	return m, md.ApplyParams(m.Params())
}
