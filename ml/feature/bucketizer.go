package feature

import (
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
	"github.com/gspark/gspark/ml/param"
)

// Bucketizer maps numbers to bucket indices given split points (Spark's
// Bucketizer): bucket i holds [splits[i], splits[i+1]), the last bucket also
// its upper bound. NaN is invalid (handleInvalid "error" fails, "skip" drops
// the row, "keep" gives index numBuckets); values outside the splits are an
// error; null gives null. Several columns use inputCols/outputCols/splitsArray.
type Bucketizer struct {
	ml.StageBase
	multiColParams
	splits        param.Param[[]float64]
	splitsArray   param.Param[[][]float64]
	handleInvalid param.Param[string]
}

// NewBucketizer makes a Bucketizer with a new UID.
func NewBucketizer() *Bucketizer { return newBucketizer(param.UID("Bucketizer")) }

func newBucketizer(uid string) *Bucketizer {
	s := &Bucketizer{StageBase: ml.NewStageBase(uid)}
	ps := s.Params()
	s.multiColParams = defineMultiCols(ps, uid)
	s.splits = param.Define(ps, "splits", "Split points for mapping continuous features into buckets. With n+1 splits, there are n buckets. A bucket defined by splits x,y holds values in the range [x,y) except the last bucket, which also includes y. The splits should be of length >= 3 and strictly increasing.", param.WithValidator(validSplits))
	s.splitsArray = param.Define(ps, "splitsArray", "The array of split points for mapping continuous features into buckets for multiple columns.", param.WithValidator(func(a [][]float64) error {
		for _, sp := range a {
			if err := validSplits(sp); err != nil {
				return err
			}
		}
		return nil
	}))
	s.handleInvalid = param.Define(ps, "handleInvalid", "how to handle invalid entries containing NaN values. Values outside the splits will always be treated as errors. Options are 'skip' (filter out rows with invalid values), 'error' (throw an error), or 'keep' (keep invalid values in a special additional bucket).",
		param.WithDefault(invalidError), param.WithValidator(param.OneOf(invalidError, invalidSkip, invalidKeep)))
	return s
}

func validSplits(s []float64) error {
	if len(s) < 3 {
		return fmt.Errorf("splits must have at least 3 elements, got %d", len(s))
	}
	for i := 1; i < len(s); i++ {
		if !(s[i] > s[i-1]) {
			return fmt.Errorf("splits must be strictly increasing, got %v", s)
		}
	}
	return nil
}

// SetInputCol sets the input column.
func (s *Bucketizer) SetInputCol(c string) *Bucketizer { s.inputCol.Set(s.Params(), c); return s }

// SetOutputCol sets the output column.
func (s *Bucketizer) SetOutputCol(c string) *Bucketizer { s.outputCol.Set(s.Params(), c); return s }

// SetInputCols sets several input columns.
func (s *Bucketizer) SetInputCols(c ...string) *Bucketizer { s.inputCols.Set(s.Params(), c); return s }

// SetOutputCols sets the output columns.
func (s *Bucketizer) SetOutputCols(c ...string) *Bucketizer {
	s.outputCols.Set(s.Params(), c)
	return s
}

// SetSplits sets the split points (at least 3, strictly increasing; ±Inf allowed).
func (s *Bucketizer) SetSplits(sp ...float64) *Bucketizer { s.splits.Set(s.Params(), sp); return s }

// SetSplitsArray sets the split points of each input column.
func (s *Bucketizer) SetSplitsArray(sp ...[]float64) *Bucketizer {
	s.splitsArray.Set(s.Params(), sp)
	return s
}

// SetHandleInvalid sets "error", "skip" or "keep".
func (s *Bucketizer) SetHandleInvalid(v string) *Bucketizer {
	s.handleInvalid.Set(s.Params(), v)
	return s
}

// Splits returns the split points.
func (s *Bucketizer) Splits() []float64 { return append([]float64(nil), s.splits.Get(s.Params())...) }

// ClassName implements ml.Stage.
func (s *Bucketizer) ClassName() string { return classPrefix + "Bucketizer" }

func (s *Bucketizer) plan() (ins, outs []string, splits [][]float64, err error) {
	ps := s.Params()
	if ins, outs, err = s.pairs(ps); err != nil {
		return nil, nil, nil, err
	}
	if s.inputCols.IsSet(ps) {
		splits = s.splitsArray.Get(ps)
		if len(splits) != len(ins) {
			return nil, nil, nil, fmt.Errorf("%s: splitsArray has %d entries but there are %d input columns", s.UID(), len(splits), len(ins))
		}
		return ins, outs, splits, nil
	}
	sp, ok := s.splits.GetOK(ps)
	if !ok {
		return nil, nil, nil, fmt.Errorf("%s: splits must be set", s.UID())
	}
	return ins, outs, [][]float64{sp}, nil
}

// TransformSchema implements ml.Stage.
func (s *Bucketizer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := s.CheckParams(); err != nil {
		return nil, err
	}
	ins, outs, _, err := s.plan()
	if err != nil {
		return nil, err
	}
	out := in
	for k, c := range ins {
		if _, err := ml.CheckColumn(in, s.UID(), c, ml.Numeric); err != nil {
			return nil, err
		}
		if out, err = ml.AppendColumn(out, s.UID(), arrow.Field{Name: outs[k], Type: arrow.PrimitiveTypes.Float64, Nullable: true}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Transform implements ml.Transformer.
func (s *Bucketizer) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ins, outs, splits, _ := s.plan()
	mode := s.handleInvalid.Get(s.Params())
	res := df
	for c, in := range ins {
		res = res.WithColumn(outs[c], frame.UDF("bucketizer", arrow.PrimitiveTypes.Float64, bucketFn(s.UID(), in, splits[c], mode), frame.Col(in)))
	}
	if mode == invalidSkip {
		// Spark drops rows with null or NaN inputs when skipping.
		for _, o := range outs {
			res = res.Filter(frame.Col(o).IsNotNull())
		}
	}
	return res, res.Err()
}

func bucketFn(uid, col string, splits []float64, mode string) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
	nb := len(splits) - 1
	lo, hi := splits[0], splits[nb]
	return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		x, err := ml.Float64Column(args[0], nil)
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", uid, col, err)
		}
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		b.Reserve(len(x))
		for i, v := range x {
			if args[0].IsNull(i) {
				b.UnsafeAppendBoolToBitmap(false)
				continue
			}
			if math.IsNaN(v) {
				switch mode {
				case invalidKeep:
					b.UnsafeAppend(float64(nb))
				case invalidSkip:
					b.UnsafeAppendBoolToBitmap(false)
				default:
					return nil, fmt.Errorf("%s: Bucketizer encountered NaN value in column %q. To handle or skip NaNs, try setting Bucketizer.handleInvalid", uid, col)
				}
				continue
			}
			if v == hi {
				b.UnsafeAppend(float64(nb - 1))
				continue
			}
			if v < lo || v > hi {
				return nil, fmt.Errorf("%s: feature value %v in column %q out of Bucketizer bounds [%v, %v]. Check your features, or loosen the lower/upper bound constraints", uid, v, col, lo, hi)
			}
			// The first split greater than v ends v's bucket.
			k := sort.SearchFloat64s(splits, v)
			if k < len(splits) && splits[k] == v {
				k++
			}
			b.UnsafeAppend(float64(k - 1))
		}
		return b.NewArray(), nil
	}
}

// Copy implements ml.Stage.
func (s *Bucketizer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *Bucketizer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *Bucketizer) Save(path string) error { return ml.Save(s, path) }

// QuantileDiscretizer learns the splits of a Bucketizer from the quantiles
// of a numeric column (numBuckets, default 2): splits are -Inf, the
// distinct i/numBuckets quantiles, +Inf. Quantiles here are exact; NaN and
// null values are ignored when fitting.
type QuantileDiscretizer struct {
	ml.StageBase
	colParams
	numBuckets    param.Param[int]
	relativeError param.Param[float64]
	handleInvalid param.Param[string]
}

// NewQuantileDiscretizer makes a QuantileDiscretizer with a new UID.
func NewQuantileDiscretizer() *QuantileDiscretizer {
	return newQuantileDiscretizer(param.UID("QuantileDiscretizer"))
}

func newQuantileDiscretizer(uid string) *QuantileDiscretizer {
	s := &QuantileDiscretizer{StageBase: ml.NewStageBase(uid)}
	ps := s.Params()
	s.colParams = defineCols(ps, uid)
	s.numBuckets = param.Define(ps, "numBuckets", "Maximum number of buckets (quantiles, or categories) into which data points are grouped. Must be >= 2.", param.WithDefault(2), param.WithValidator(param.GtEq(2)))
	s.relativeError = param.Define(ps, "relativeError", "the relative target precision for the approximate quantile algorithm. Must be in the range [0, 1]", param.WithDefault(0.001), param.WithValidator(param.InRange(0.0, 1.0)))
	s.handleInvalid = param.Define(ps, "handleInvalid", "how to handle invalid entries. Options are skip (filter out rows with invalid values), error (throw an error), or keep (keep invalid values in a special additional bucket).",
		param.WithDefault(invalidError), param.WithValidator(param.OneOf(invalidError, invalidSkip, invalidKeep)))
	return s
}

// SetInputCol sets the input column.
func (s *QuantileDiscretizer) SetInputCol(c string) *QuantileDiscretizer {
	s.inputCol.Set(s.Params(), c)
	return s
}

// SetOutputCol sets the output column.
func (s *QuantileDiscretizer) SetOutputCol(c string) *QuantileDiscretizer {
	s.outputCol.Set(s.Params(), c)
	return s
}

// SetNumBuckets sets the number of buckets (≥ 2).
func (s *QuantileDiscretizer) SetNumBuckets(n int) *QuantileDiscretizer {
	s.numBuckets.Set(s.Params(), n)
	return s
}

// SetHandleInvalid sets "error", "skip" or "keep".
func (s *QuantileDiscretizer) SetHandleInvalid(v string) *QuantileDiscretizer {
	s.handleInvalid.Set(s.Params(), v)
	return s
}

// ClassName implements ml.Stage.
func (s *QuantileDiscretizer) ClassName() string { return classPrefix + "QuantileDiscretizer" }

// TransformSchema implements ml.Stage.
func (s *QuantileDiscretizer) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := s.CheckParams(); err != nil {
		return nil, err
	}
	if _, err := ml.CheckColumn(in, s.UID(), s.inputCol.Get(s.Params()), ml.Numeric); err != nil {
		return nil, err
	}
	return ml.AppendColumn(in, s.UID(), arrow.Field{Name: s.outputCol.Get(s.Params()), Type: arrow.PrimitiveTypes.Float64, Nullable: true})
}

// Fit implements ml.Estimator; the model is a Bucketizer.
func (s *QuantileDiscretizer) Fit(ctx context.Context, df *frame.DataFrame) (ml.Model, error) {
	if err := checkFrame(df, s); err != nil {
		return nil, err
	}
	ps := s.Params()
	in, uid := s.inputCol.Get(ps), s.UID()
	accs, err := frame.AggregatePartitions(ctx, df.Select(frame.Col(in)), func(int) []float64 { return nil },
		func(acc []float64, b arrow.RecordBatch) ([]float64, error) {
			x, err := ml.Float64Column(b.Column(0), nil)
			if err != nil {
				return acc, fmt.Errorf("%s: column %q: %w", uid, in, err)
			}
			for _, v := range x {
				if !math.IsNaN(v) {
					acc = append(acc, v)
				}
			}
			return acc, nil
		})
	if err != nil {
		return nil, err
	}
	var all []float64
	for _, a := range accs {
		all = append(all, a...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: column %q has no non-NaN values to compute quantiles from", uid, in)
	}
	slices.Sort(all)
	nb := s.numBuckets.Get(ps)
	splits := []float64{math.Inf(-1)}
	for i := 1; i < nb; i++ {
		q := all[quantileIndex(float64(i)/float64(nb), len(all))]
		if q > splits[len(splits)-1] && !math.IsInf(q, 1) {
			splits = append(splits, q)
		}
	}
	splits = append(splits, math.Inf(1))
	if len(splits) < 3 {
		// One distinct value: Spark still makes two buckets around it.
		splits = []float64{math.Inf(-1), all[0], math.Inf(1)}
		if math.IsInf(all[0], 0) {
			splits[1] = 0
		}
	}
	b := newBucketizer(uid)
	b.SetInputCol(in).SetOutputCol(s.outputCol.Get(ps)).SetSplits(splits...).SetHandleInvalid(s.handleInvalid.Get(ps))
	return b, b.CheckParams()
}

// Copy implements ml.Stage.
func (s *QuantileDiscretizer) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(s, s.StageBase, extra, func(c *QuantileDiscretizer, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (s *QuantileDiscretizer) Save(path string) error { return ml.Save(s, path) }
