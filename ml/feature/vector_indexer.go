package feature

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// vectorIndexerParams are the params VectorIndexer and its model share.
type vectorIndexerParams struct {
	colParams
	maxCategories param.Param[int]
	handleInvalid param.Param[string]
}

func defineVectorIndexer(ps *param.Params, uid string) vectorIndexerParams {
	return vectorIndexerParams{
		colParams: defineCols(ps, uid),
		maxCategories: param.Define(ps, "maxCategories", "Threshold for the number of values a categorical feature can take (>= 2). If a feature is found to have > maxCategories values, then it is declared continuous.",
			param.WithDefault(20), param.WithValidator(param.GtEq(2))),
		handleInvalid: param.Define(ps, "handleInvalid", "How to handle invalid data (unseen labels or NULL values). Options are 'skip' (filter out rows with invalid data), 'error' (throw an error), or 'keep' (put invalid data in a special additional bucket, at index of the number of categories of the feature).",
			param.WithDefault(invalidError), param.WithValidator(param.OneOf(invalidError, invalidSkip, invalidKeep))),
	}
}

// VectorIndexer finds the categorical features of a vector column, those
// with at most maxCategories (default 20) distinct values, and its model
// replaces their values by category indices (Spark's VectorIndexer): the
// distinct values sorted ascending, except that 0.0, when present, gets
// index 0. Other features pass through. NaN values are not counted as
// categories; at transform time they and unseen values are invalid,
// handled by handleInvalid: "error" (default), "skip" (drop the row) or
// "keep" (index = the feature's number of categories).
type VectorIndexer struct {
	ml.StageBase
	vectorIndexerParams
}

// NewVectorIndexer makes a VectorIndexer with a new UID.
func NewVectorIndexer() *VectorIndexer { return newVectorIndexer(param.UID("VectorIndexer")) }

func newVectorIndexer(uid string) *VectorIndexer {
	s := &VectorIndexer{StageBase: ml.NewStageBase(uid)}
	s.vectorIndexerParams = defineVectorIndexer(s.Params(), uid)
	return s
}

// SetInputCol sets the input vector column.
func (s *VectorIndexer) SetInputCol(c string) *VectorIndexer { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output vector column.
func (s *VectorIndexer) SetOutputCol(c string) *VectorIndexer {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetMaxCategories sets the most distinct values of a categorical feature.
func (s *VectorIndexer) SetMaxCategories(n int) *VectorIndexer {
	s.maxCategories.Set(s.Params(), n)
	return s
}

// SetHandleInvalid sets "error", "skip" or "keep".
func (s *VectorIndexer) SetHandleInvalid(v string) *VectorIndexer {
	s.handleInvalid.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *VectorIndexer) ClassName() string { return classPrefix + "VectorIndexer" }

// TransformSchema implements ml.Stage.
func (s *VectorIndexer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(s.StageBase, s.colParams, in)
}

// distinctValues collects each feature's distinct values until it has more
// than max of them (then the feature is continuous and its set is dropped).
type distinctValues struct {
	size int
	sets []map[float64]struct{} // nil: more than max values
	row  []float64
}

func (d *distinctValues) add(x []float64, limit int) {
	for j, v := range x {
		if d.sets[j] == nil || math.IsNaN(v) {
			continue
		}
		d.sets[j][v] = struct{}{}
		if len(d.sets[j]) > limit {
			d.sets[j] = nil
		}
	}
}

// Fit implements ml.Estimator.
func (s *VectorIndexer) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	return s.FitModel(ctx, df)
}

// FitModel fits and returns the concrete model.
func (s *VectorIndexer) FitModel(ctx context.Context, df *frame.DataFrame) (*VectorIndexerModel, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	col, uid, limit := s.inputCol.Get(ps), s.UID(), s.maxCategories.Get(ps)
	newSets := func(n int) []map[float64]struct{} {
		sets := make([]map[float64]struct{}, n)
		for j := range sets {
			sets[j] = map[float64]struct{}{}
		}
		return sets
	}
	accs, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(col)), func(int) *distinctValues { return &distinctValues{size: -1} },
		func(d *distinctValues, b arrow.RecordBatch) (*distinctValues, error) {
			vc, err := linalg.Vectors(b.Column(0))
			if err != nil {
				return d, fmt.Errorf("%s: column %q: %w", uid, col, err)
			}
			for i := 0; i < vc.Len(); i++ {
				if vc.IsNull(i) {
					continue
				}
				if d.size < 0 {
					d.size = vc.Size(i)
					d.sets = newSets(d.size)
				}
				if vc.Size(i) != d.size {
					return d, sizeMismatch(uid, col, d.size, vc.Size(i))
				}
				d.row = denseRow(vc, i, d.row)
				d.add(d.row, limit)
			}
			return d, nil
		})
	if err != nil {
		return nil, err
	}
	tot := &distinctValues{size: -1}
	for _, a := range accs {
		if a.size < 0 {
			continue
		}
		if tot.size < 0 {
			tot.size, tot.sets = a.size, newSets(a.size)
		}
		if a.size != tot.size {
			return nil, sizeMismatch(uid, col, tot.size, a.size)
		}
		for j, set := range a.sets {
			if set == nil {
				tot.sets[j] = nil
			}
			if tot.sets[j] == nil {
				continue
			}
			for v := range set {
				tot.sets[j][v] = struct{}{}
			}
			if len(tot.sets[j]) > limit {
				tot.sets[j] = nil
			}
		}
	}
	if tot.size < 0 {
		return nil, fmt.Errorf("%s: column %q has no non-null rows to fit on", uid, col)
	}
	cats := map[int]map[float64]int{}
	for j, set := range tot.sets {
		if set == nil {
			continue
		}
		vals := slices.Sorted(maps.Keys(set))
		m := make(map[float64]int, len(vals))
		next := 0
		if _, ok := set[0]; ok {
			m[0] = 0
			next = 1
		}
		for _, v := range vals {
			if v != 0 {
				m[v] = next
				next++
			}
		}
		cats[j] = m
	}
	m := newVectorIndexerModel(uid, tot.size, cats)
	return m, ps.CopyValuesTo(m.Params())
}

// Copy implements ml.Stage.
func (s *VectorIndexer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *VectorIndexer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *VectorIndexer) Save(path string) error { return ml.Save(s, path) }

// VectorIndexerModel maps the categorical features' values to indices.
type VectorIndexerModel struct {
	ml.StageBase
	vectorIndexerParams
	numFeatures int
	categories  map[int]map[float64]int
}

func newVectorIndexerModel(uid string, n int, cats map[int]map[float64]int) *VectorIndexerModel {
	m := &VectorIndexerModel{StageBase: ml.NewStageBase(uid), numFeatures: n, categories: cats}
	m.vectorIndexerParams = defineVectorIndexer(m.Params(), uid)
	return m
}

// NumFeatures returns the vector size the model was fitted on.
func (m *VectorIndexerModel) NumFeatures() int { return m.numFeatures }

// CategoryMaps returns, for each categorical feature, its value → index map.
func (m *VectorIndexerModel) CategoryMaps() map[int]map[float64]int {
	out := make(map[int]map[float64]int, len(m.categories))
	for j, c := range m.categories {
		out[j] = maps.Clone(c)
	}
	return out
}

// SetInputCol sets the input vector column.
func (m *VectorIndexerModel) SetInputCol(c string) *VectorIndexerModel {
	m.inputCol.Set(m.Params(), c)
	return m
}

// SetOutputCol sets the output vector column.
func (m *VectorIndexerModel) SetOutputCol(c string) *VectorIndexerModel {
	m.outputCol.Set(m.Params(), c)
	return m
}

// SetHandleInvalid sets "error", "skip" or "keep".
func (m *VectorIndexerModel) SetHandleInvalid(v string) *VectorIndexerModel {
	m.handleInvalid.Set(m.Params(), v)
	return m
}

// ClassName implements ml.Stage.
func (m *VectorIndexerModel) ClassName() string { return classPrefix + "VectorIndexerModel" }

// TransformSchema implements ml.Stage.
func (m *VectorIndexerModel) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	return vectorInOutSchema(m.StageBase, m.colParams, in)
}

// errSkipRow marks a row that handleInvalid=skip drops.
var errSkipRow = errors.New("skip row")

// Transform implements ml.Transformer.
func (m *VectorIndexerModel) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, m); err != nil {
		return nil, err
	}
	ps := m.Params()
	in, out, uid, mode := m.inputCol.Get(ps), m.outputCol.Get(ps), m.UID(), m.handleInvalid.Get(ps)
	n, cats := m.numFeatures, m.categories
	index := func(j int, v float64) (float64, error) {
		c, ok := cats[j]
		if !ok {
			return v, nil
		}
		if k, ok := c[v]; ok {
			return float64(k), nil
		}
		switch mode {
		case invalidKeep:
			return float64(len(c)), nil
		case invalidSkip:
			return 0, errSkipRow
		}
		return 0, fmt.Errorf("%s: feature %d of column %q has the value %v, unseen in fitting; set handleInvalid to \"skip\" or \"keep\" to handle it", uid, j, in, v)
	}
	res := vectorUDF(df, "vectorIndexer", uid, in, out, func() rowFn {
		var vals []float64
		var idx []int32
		return func(vc *linalg.VectorColumn, i int, b *linalg.VectorBuilder) error {
			if vc.Size(i) != n {
				return sizeMismatch(uid, in, n, vc.Size(i))
			}
			var err error
			if d := vc.DenseValues(i); d != nil {
				vals = append(vals[:0], d...)
				for j, v := range vals {
					if vals[j], err = index(j, v); err != nil {
						break
					}
				}
				if err == nil {
					b.AppendDense(vals)
				}
			} else {
				si, sv := vc.Sparse(i)
				idx, vals = idx[:0], vals[:0]
				for k, j := range si {
					var x float64
					if x, err = index(int(j), sv[k]); err != nil {
						break
					}
					if x != 0 {
						idx = append(idx, j)
						vals = append(vals, x)
					}
				}
				if err == nil {
					b.AppendSparse(n, idx, vals)
				}
			}
			if err == errSkipRow {
				b.AppendNull()
				return nil
			}
			return err
		}
	})
	res = res.WithMetadata(out, m.outputGroup(df.Schema()).Metadata(arrow.Metadata{}))
	if mode == invalidSkip {
		res = res.Filter(frame.Col(out).IsNotNull())
	}
	return res, res.Err()
}

// Copy implements ml.Stage.
func (m *VectorIndexerModel) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(m, m.StageBase, extra, func(c *VectorIndexerModel, b ml.StageBase) { c.StageBase = b })
}

// WriteData implements ml.DataWriter: the size, then one entry per
// (feature, value, index) of the category maps.
func (m *VectorIndexerModel) WriteData(dir string) error {
	var feat, val, cat []float64
	for _, j := range slices.Sorted(maps.Keys(m.categories)) {
		c := m.categories[j]
		for _, v := range slices.Sorted(maps.Keys(c)) {
			feat, val, cat = append(feat, float64(j)), append(val, v), append(cat, float64(c[v]))
		}
	}
	return ml.WriteVectors(dir, []string{"numFeatures", "featureIndex", "value", "category"}, []float64{float64(m.numFeatures)}, feat, val, cat)
}

// Save implements ml.Stage.
func (m *VectorIndexerModel) Save(path string) error { return ml.Save(m, path) }

func loadVectorIndexerModel(ctx context.Context, dir string, md *ml.Metadata, _ *ml.Registry) (ml.Stage, error) {
	v, err := ml.ReadVectors(ctx, dir, "numFeatures", "featureIndex", "value", "category")
	if err != nil {
		return nil, err
	}
	if len(v[0]) != 1 || len(v[1]) != len(v[2]) || len(v[1]) != len(v[3]) {
		return nil, fmt.Errorf("%s: model data in %s is malformed", md.UID, dir)
	}
	cats := map[int]map[float64]int{}
	for k, f := range v[1] {
		j := int(f)
		if cats[j] == nil {
			cats[j] = map[float64]int{}
		}
		cats[j][v[2][k]] = int(v[3][k])
	}
	m := newVectorIndexerModel(md.UID, int(v[0][0]), cats)
	return m, md.ApplyParams(m.Params())
}
