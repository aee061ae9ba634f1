package regression

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// isoParams are the params IsotonicRegression and its model share, with
// Spark's names and defaults.
type isoParams struct {
	featuresCol, labelCol, predictionCol, weightCol param.Param[string]
	isotonic                                        param.Param[bool]
	featureIndex                                    param.Param[int]
}

func defineIso(ps *param.Params) isoParams {
	return isoParams{
		featuresCol:   param.Define(ps, "featuresCol", "features column name (a double, or a vector read at featureIndex)", param.WithDefault("features")),
		labelCol:      param.Define(ps, "labelCol", "label column name", param.WithDefault("label")),
		predictionCol: param.Define(ps, "predictionCol", "prediction column name", param.WithDefault("prediction")),
		weightCol:     param.Define[string](ps, "weightCol", "weight column name (all weights 1 if unset)"),
		isotonic:      param.Define(ps, "isotonic", "whether the output sequence is isotonic (increasing, true) or antitonic (decreasing, false)", param.WithDefault(true)),
		featureIndex:  param.Define(ps, "featureIndex", "index of the feature when featuresCol is a vector column (>= 0)", param.WithDefault(0), param.WithValidator(param.GtEq(0))),
	}
}

// check validates the input columns of schema s (label and weight when
// label is true).
func (p isoParams) check(ps *param.Params, s *arrow.Schema, label bool) error {
	if err := ps.Err(); err != nil {
		return err
	}
	uid := ps.UID()
	if _, err := ml.CheckColumn(s, uid, p.featuresCol.Get(ps), ml.Numeric, ml.Vector); err != nil {
		return err
	}
	if !label {
		return nil
	}
	if _, err := ml.CheckColumn(s, uid, p.labelCol.Get(ps), ml.Numeric); err != nil {
		return err
	}
	if w := p.weightCol.Get(ps); w != "" {
		if _, err := ml.CheckColumn(s, uid, w, ml.Numeric); err != nil {
			return err
		}
	}
	return nil
}

// IsotonicRegression fits a monotone piecewise-linear function of one
// feature, as Spark's org.apache.spark.ml.regression.IsotonicRegression:
// it minimizes Σ wᵢ(yᵢ − ŷᵢ)² subject to ŷ being non-decreasing in the
// feature (non-increasing when isotonic is false) with the pool adjacent
// violators algorithm.
//
// Ties: points with equal feature values are first pooled into one point
// (weighted mean label, summed weight), as Spark 3's IsotonicRegression
// (makeUnique) and scikit-learn's IsotonicRegression do; Spark 2.x sorted
// ties by label and kept them apart, which can give a step at the tie. Rows
// of weight 0 are dropped, as Spark does. The model keeps, for every pooled
// block, its first and last feature value (one boundary when they are equal)
// with the block's value: the same function as keeping every point.
//
// The points are sorted and pooled once over all partitions (Spark pools
// each range partition, then the concatenation: the same result).
type IsotonicRegression struct {
	ml.StageBase
	isoParams
}

// NewIsotonicRegression returns an estimator with Spark's defaults.
func NewIsotonicRegression() *IsotonicRegression { return newIsotonicRegression(param.UID("isoReg")) }

func newIsotonicRegression(uid string) *IsotonicRegression {
	e := &IsotonicRegression{StageBase: ml.NewStageBase(uid)}
	e.isoParams = defineIso(e.Params())
	return e
}

// SetFeaturesCol sets the features column (double or vector).
func (e *IsotonicRegression) SetFeaturesCol(c string) *IsotonicRegression {
	e.featuresCol.Set(e.Params(), c)
	return e
}

// SetLabelCol sets the label column.
func (e *IsotonicRegression) SetLabelCol(c string) *IsotonicRegression {
	e.labelCol.Set(e.Params(), c)
	return e
}

// SetPredictionCol sets the prediction column.
func (e *IsotonicRegression) SetPredictionCol(c string) *IsotonicRegression {
	e.predictionCol.Set(e.Params(), c)
	return e
}

// SetWeightCol sets the instance weight column.
func (e *IsotonicRegression) SetWeightCol(c string) *IsotonicRegression {
	e.weightCol.Set(e.Params(), c)
	return e
}

// SetIsotonic sets whether the fit is increasing (true) or decreasing.
func (e *IsotonicRegression) SetIsotonic(v bool) *IsotonicRegression {
	e.isotonic.Set(e.Params(), v)
	return e
}

// SetFeatureIndex sets the index of the feature in a vector features column.
func (e *IsotonicRegression) SetFeatureIndex(i int) *IsotonicRegression {
	e.featureIndex.Set(e.Params(), i)
	return e
}

// ClassName implements ml.Stage.
func (e *IsotonicRegression) ClassName() string { return classPrefix + "IsotonicRegression" }

// SparkClassName returns Spark's class name of the estimator.
func (e *IsotonicRegression) SparkClassName() string { return sparkPrefix + "IsotonicRegression" }

// TransformSchema implements ml.Stage.
func (e *IsotonicRegression) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := e.check(e.Params(), in, true); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, e.UID(), arrow.Field{Name: e.predictionCol.Get(e.Params()), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
}

// Copy implements ml.Stage.
func (e *IsotonicRegression) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := e.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *e
	c.StageBase = b
	return &c, nil
}

// Save implements ml.Stage.
func (e *IsotonicRegression) Save(path string) error { return ml.Save(e, path) }

// Fit implements ml.Estimator.
func (e *IsotonicRegression) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	m, err := e.FitModel(ctx, df)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// isoPoint is one training point: label, feature, weight.
type isoPoint struct{ y, x, w float64 }

// featureValues returns the feature of every row of arr (a numeric column,
// or a vector column read at index idx); null rows are NaN.
func featureValues(arr arrow.Array, idx int, uid, col string) ([]float64, error) {
	if !linalg.IsVector(arr.DataType()) {
		v, err := ml.Float64Column(arr, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: features column %q: %w", uid, col, err)
		}
		return v, nil
	}
	vc, err := linalg.Vectors(arr)
	if err != nil {
		return nil, fmt.Errorf("%s: features column %q: %w", uid, col, err)
	}
	out := make([]float64, vc.Len())
	for i := range out {
		if vc.IsNull(i) {
			out[i] = math.NaN()
			continue
		}
		if idx >= vc.Size(i) {
			return nil, fmt.Errorf("%s: featureIndex %d is out of range for a vector of size %d in column %q", uid, idx, vc.Size(i), col)
		}
		if d := vc.DenseValues(i); d != nil {
			out[i] = d[idx]
			continue
		}
		ind, vals := vc.Sparse(i)
		if k, ok := slices.BinarySearch(ind, int32(idx)); ok {
			out[i] = vals[k]
		}
	}
	return out, nil
}

// FitModel fits the estimator to df and returns the concrete model.
func (e *IsotonicRegression) FitModel(ctx context.Context, df *frame.DataFrame) (*IsotonicRegressionModel, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := e.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := e.Params()
	uid := e.UID()
	s := df.Schema()
	fcol, lcol, wcol := e.featuresCol.Get(ps), e.labelCol.Get(ps), e.weightCol.Get(ps)
	fi, li, wi := ml.FieldIndex(s, fcol), ml.FieldIndex(s, lcol), -1
	if wcol != "" {
		wi = ml.FieldIndex(s, wcol)
	}
	idx := e.featureIndex.Get(ps)
	sign := 1.0
	if !e.isotonic.Get(ps) {
		sign = -1 // antitonic: fit −y increasingly, as Spark does
	}
	parts, err := frame.AggregatePartitions(ctx, df, func(int) []isoPoint { return nil },
		func(acc []isoPoint, b arrow.RecordBatch) ([]isoPoint, error) {
			if b.NumRows() == 0 {
				return acc, nil
			}
			xs, err := featureValues(b.Column(fi), idx, uid, fcol)
			if err != nil {
				return nil, err
			}
			ys, err := ml.Float64Column(b.Column(li), nil)
			if err != nil {
				return nil, fmt.Errorf("%s: label column %q: %w", uid, lcol, err)
			}
			var ws []float64
			if wi >= 0 {
				if ws, err = ml.Float64Column(b.Column(wi), nil); err != nil {
					return nil, fmt.Errorf("%s: weight column %q: %w", uid, wcol, err)
				}
			}
			for i := range xs {
				x, y, w := xs[i], ys[i], 1.0
				if ws != nil {
					w = ws[i]
				}
				switch {
				case math.IsNaN(x) || math.IsInf(x, 0):
					return nil, fmt.Errorf("%s: features column %q has a null or non-finite value", uid, fcol)
				case math.IsNaN(y) || math.IsInf(y, 0):
					return nil, fmt.Errorf("%s: label column %q has a null or non-finite value", uid, lcol)
				case !(w >= 0) || math.IsInf(w, 0):
					return nil, fmt.Errorf("%s: weight column %q has an invalid weight %v (weights must be finite and >= 0)", uid, wcol, w)
				case w == 0:
					continue
				}
				acc = append(acc, isoPoint{y: sign * y, x: x, w: w})
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	var pts []isoPoint
	for _, p := range parts {
		pts = append(pts, p...)
	}
	if len(pts) == 0 {
		return nil, fmt.Errorf("%s: the input has no rows of positive weight", uid)
	}
	bounds, preds := poolAdjacentViolators(pts)
	for i := range preds {
		preds[i] *= sign
	}
	m := newIsotonicRegressionModel(uid, bounds, preds)
	if err := ps.CopyValuesTo(m.Params()); err != nil {
		return nil, err
	}
	return m, nil
}

// poolAdjacentViolators returns the boundaries and values of the
// non-decreasing weighted least-squares fit to pts (reordered in place):
// points are sorted by feature, ties pooled, and adjacent blocks that
// violate monotonicity merged until none does. Each block contributes its
// first and last feature (one when equal) with its value.
func poolAdjacentViolators(pts []isoPoint) (bounds, preds []float64) {
	slices.SortFunc(pts, func(a, b isoPoint) int {
		if c := cmp.Compare(a.x, b.x); c != 0 {
			return c
		}
		return cmp.Compare(a.y, b.y)
	})
	// Pool ties: one point per distinct feature value.
	uniq := pts[:0]
	for _, p := range pts {
		if n := len(uniq); n > 0 && uniq[n-1].x == p.x {
			q := &uniq[n-1]
			sw := q.w + p.w
			q.y = (q.y*q.w + p.y*p.w) / sw
			q.w = sw
			continue
		}
		uniq = append(uniq, p)
	}
	// A stack of blocks: value, weight, first and last point.
	type block struct {
		y, w        float64
		first, last int
	}
	var st []block
	for i, p := range uniq {
		b := block{y: p.y, w: p.w, first: i, last: i}
		for len(st) > 0 && st[len(st)-1].y >= b.y {
			top := st[len(st)-1]
			st = st[:len(st)-1]
			sw := top.w + b.w
			b = block{y: (top.y*top.w + b.y*b.w) / sw, w: sw, first: top.first, last: b.last}
		}
		st = append(st, b)
	}
	for _, b := range st {
		bounds = append(bounds, uniq[b.first].x)
		preds = append(preds, b.y)
		if b.last != b.first {
			bounds = append(bounds, uniq[b.last].x)
			preds = append(preds, b.y)
		}
	}
	return bounds, preds
}

// IsotonicRegressionModel predicts by linear interpolation between its
// boundaries, as Spark's IsotonicRegressionModel: the prediction at a
// boundary is its value, between two boundaries the straight line through
// them, and below the first (above the last) boundary the first (last)
// value.
type IsotonicRegressionModel struct {
	ml.StageBase
	isoParams
	bounds, preds []float64
}

func newIsotonicRegressionModel(uid string, bounds, preds []float64) *IsotonicRegressionModel {
	m := &IsotonicRegressionModel{StageBase: ml.NewStageBase(uid), bounds: bounds, preds: preds}
	m.isoParams = defineIso(m.Params())
	return m
}

// NewIsotonicRegressionModel makes a model from known boundaries
// (increasing) and predictions of the same length.
func NewIsotonicRegressionModel(boundaries, predictions []float64) (*IsotonicRegressionModel, error) {
	uid := param.UID("isoReg")
	if err := checkIsotonic(uid, boundaries, predictions); err != nil {
		return nil, err
	}
	return newIsotonicRegressionModel(uid, slices.Clone(boundaries), slices.Clone(predictions)), nil
}

func checkIsotonic(uid string, bounds, preds []float64) error {
	if len(bounds) != len(preds) {
		return fmt.Errorf("%s: %d boundaries and %d predictions, want as many", uid, len(bounds), len(preds))
	}
	if len(bounds) == 0 {
		return fmt.Errorf("%s: a model needs at least one boundary", uid)
	}
	for i := 1; i < len(bounds); i++ {
		if !(bounds[i-1] <= bounds[i]) {
			return fmt.Errorf("%s: boundaries %v and %v (at %d) are not in increasing order", uid, bounds[i-1], bounds[i], i)
		}
	}
	return nil
}

// Boundaries returns the feature values of the fitted points, increasing.
func (m *IsotonicRegressionModel) Boundaries() linalg.Vector {
	return linalg.Dense(slices.Clone(m.bounds)...)
}

// Predictions returns the fitted values at the boundaries.
func (m *IsotonicRegressionModel) Predictions() linalg.Vector {
	return linalg.Dense(slices.Clone(m.preds)...)
}

// NumFeatures is 1, as Spark reports for this model.
func (m *IsotonicRegressionModel) NumFeatures() int { return 1 }

// Predict returns the prediction for feature value x.
func (m *IsotonicRegressionModel) Predict(x float64) float64 { return isoPredict(m.bounds, m.preds, x) }

func isoPredict(bounds, preds []float64, x float64) float64 {
	if math.IsNaN(x) {
		return math.NaN()
	}
	n := len(bounds)
	i := sort.SearchFloat64s(bounds, x) // first boundary >= x
	switch {
	case i < n && bounds[i] == x:
		return preds[i]
	case i == 0:
		return preds[0]
	case i == n:
		return preds[n-1]
	}
	x1, y1, x2, y2 := bounds[i-1], preds[i-1], bounds[i], preds[i]
	return y1 + (y2-y1)*(x-x1)/(x2-x1)
}

// SetFeaturesCol sets the features column.
func (m *IsotonicRegressionModel) SetFeaturesCol(c string) *IsotonicRegressionModel {
	m.featuresCol.Set(m.Params(), c)
	return m
}

// SetPredictionCol sets the prediction column.
func (m *IsotonicRegressionModel) SetPredictionCol(c string) *IsotonicRegressionModel {
	m.predictionCol.Set(m.Params(), c)
	return m
}

// SetFeatureIndex sets the index of the feature in a vector features column.
func (m *IsotonicRegressionModel) SetFeatureIndex(i int) *IsotonicRegressionModel {
	m.featureIndex.Set(m.Params(), i)
	return m
}

// ClassName implements ml.Stage.
func (m *IsotonicRegressionModel) ClassName() string { return classPrefix + "IsotonicRegressionModel" }

// SparkClassName returns Spark's class name of the model.
func (m *IsotonicRegressionModel) SparkClassName() string {
	return sparkPrefix + "IsotonicRegressionModel"
}

// TransformSchema implements ml.Stage.
func (m *IsotonicRegressionModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := m.check(m.Params(), in, false); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, m.UID(), arrow.Field{Name: m.predictionCol.Get(m.Params()), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
}

// Transform adds the prediction column (null for a null feature).
func (m *IsotonicRegressionModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := df.Err(); err != nil {
		return nil, err
	}
	if _, err := m.TransformSchema(df.Schema()); err != nil {
		return nil, err
	}
	ps := m.Params()
	uid, fc, idx := m.UID(), m.featuresCol.Get(ps), m.featureIndex.Get(ps)
	bounds, preds := m.bounds, m.preds
	fn := func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		xs, err := featureValues(args[0], idx, uid, fc)
		if err != nil {
			return nil, err
		}
		out := array.NewFloat64Builder(mem)
		defer out.Release()
		out.Reserve(len(xs))
		for i, x := range xs {
			if args[0].IsNull(i) {
				out.AppendNull()
				continue
			}
			out.UnsafeAppend(isoPredict(bounds, preds, x))
		}
		return out.NewArray(), nil
	}
	res := df.WithColumn(m.predictionCol.Get(ps), frame.UDF("isotonicRegressionPredict", arrow.PrimitiveTypes.Float64, fn, frame.Col(fc)))
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *IsotonicRegressionModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	b, err := m.CopyBase(extra)
	if err != nil {
		return nil, err
	}
	c := *m
	c.StageBase = b
	return &c, nil
}

// WriteData implements ml.DataWriter: boundaries and predictions as two
// vectors of one row (Spark's layout adds the isotonic flag, a param here).
func (m *IsotonicRegressionModel) WriteData(dir string) error {
	return ml.WriteVectors(dir, []string{"boundaries", "predictions"}, m.bounds, m.preds)
}

// Save implements ml.Stage.
func (m *IsotonicRegressionModel) Save(path string) error { return ml.Save(m, path) }

func loadIsotonicRegressionModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "boundaries", "predictions")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", md.UID, err)
	}
	if err := checkIsotonic(md.UID, v[0], v[1]); err != nil {
		return nil, err
	}
	m := newIsotonicRegressionModel(md.UID, v[0], v[1])
	return m, md.ApplyParams(m.Params())
}

func registerIsotonic(r *ml.Registry) {
	r.Register(classPrefix+"IsotonicRegression", func(_ context.Context, _ string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
		e := newIsotonicRegression(md.UID)
		return e, md.ApplyParams(e.Params())
	})
	r.Register(classPrefix+"IsotonicRegressionModel", loadIsotonicRegressionModel)
	r.Register(sparkPrefix+"IsotonicRegressionModel", loadSparkIsotonicRegressionModel)
}

var _ ml.TypedEstimator[*IsotonicRegressionModel] = (*IsotonicRegression)(nil)
