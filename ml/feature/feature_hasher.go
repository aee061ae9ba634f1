package feature

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
	"github.com/gspark/gspark/values"
)

// FeatureHasher projects numeric, boolean and string columns into one sparse
// vector of numFeatures (default 2^18) by hashing, as Spark's FeatureHasher:
// a numeric column adds its value at the index of the hash of its name; a
// string or boolean column, or a numeric one listed in categoricalCols, adds
// 1.0 at the index of the hash of "name=value" (the value as Java prints
// it). The hash is MurmurHash3_x86_32 of the UTF-8 bytes with seed 42, taken
// modulo numFeatures; colliding features add up; nulls are skipped.
type FeatureHasher struct {
	ml.StageBase
	inputCols, categoricalCols param.Param[[]string]
	outputCol                  param.Param[string]
	numFeatures                param.Param[int]
}

// NewFeatureHasher makes a FeatureHasher with a new UID.
func NewFeatureHasher() *FeatureHasher { return newFeatureHasher(param.UID("FeatureHasher")) }

func newFeatureHasher(uid string) *FeatureHasher {
	b := ml.NewStageBase(uid)
	ps := b.Params()
	return &FeatureHasher{StageBase: b,
		inputCols:       param.Define[[]string](ps, "inputCols", "input column names"),
		categoricalCols: param.Define[[]string](ps, "categoricalCols", "numeric columns to treat as categorical"),
		outputCol:       param.Define(ps, "outputCol", "output column name", param.WithDefault(uid+"__output")),
		numFeatures:     param.Define(ps, "numFeatures", "number of features (> 0)", param.WithDefault(1<<18), param.WithValidator(param.Gt(0))),
	}
}

// SetInputCols sets the columns to hash.
func (h *FeatureHasher) SetInputCols(cols ...string) *FeatureHasher {
	h.inputCols.Set(h.Params(), cols)
	return h
}

// SetCategoricalCols sets the numeric columns hashed as categories.
func (h *FeatureHasher) SetCategoricalCols(cols ...string) *FeatureHasher {
	h.categoricalCols.Set(h.Params(), cols)
	return h
}

// SetOutputCol sets the output vector column.
func (h *FeatureHasher) SetOutputCol(c string) *FeatureHasher {
	h.outputCol.Set(h.Params(), c)
	return h
}

// SetNumFeatures sets the vector size.
func (h *FeatureHasher) SetNumFeatures(n int) *FeatureHasher {
	h.numFeatures.Set(h.Params(), n)
	return h
}

// ClassName implements ml.Stage.
func (h *FeatureHasher) ClassName() string { return classPrefix + "FeatureHasher" }

// TransformSchema implements ml.Stage.
func (h *FeatureHasher) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := h.CheckParams(); err != nil {
		return nil, err
	}
	cols, ok := h.inputCols.GetOK(h.Params())
	if !ok || len(cols) == 0 {
		return nil, fmt.Errorf("%s: inputCols must be set", h.UID())
	}
	for _, c := range cols {
		if _, err := ml.CheckColumn(in, h.UID(), c, ml.Numeric, ml.Boolean, ml.String); err != nil {
			return nil, err
		}
	}
	for _, c := range h.categoricalCols.Get(h.Params()) {
		if !slices.Contains(cols, c) {
			return nil, fmt.Errorf("%s: categorical column %q is not among inputCols", h.UID(), c)
		}
	}
	return ml.AppendColumn(in, h.UID(), vectorField(h.outputCol.Get(h.Params())))
}

// Transform implements ml.Transformer.
func (h *FeatureHasher) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, h); err != nil {
		return nil, err
	}
	ps := h.Params()
	cols := h.inputCols.Get(ps)
	cat := h.categoricalCols.Get(ps)
	real := make([]bool, len(cols))
	idx := make([]int32, len(cols)) // the index of each real column's name
	n := h.numFeatures.Get(ps)
	for i, c := range cols {
		f, _ := ml.CheckColumn(df.Schema(), h.UID(), c, ml.Numeric, ml.Boolean, ml.String)
		real[i] = ml.IsNumeric(f.Type) && !slices.Contains(cat, c)
		idx[i] = termIndex(c, n)
	}
	args := make([]frame.Column, len(cols))
	for i, c := range cols {
		args[i] = frame.Col(c)
	}
	uid := h.UID()
	fn := func(mem memory.Allocator, in []arrow.Array) (arrow.Array, error) {
		rows := 0
		if len(in) > 0 {
			rows = in[0].Len()
		}
		nums := make([][]float64, len(in))
		for c, arr := range in {
			if real[c] {
				x, err := ml.Float64Column(arr, nil)
				if err != nil {
					return nil, fmt.Errorf("%s: column %q: %w", uid, cols[c], err)
				}
				nums[c] = x
			}
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		b.Reserve(rows)
		var term strings.Builder
		var ix []int32
		var vals []float64
		for i := 0; i < rows; i++ {
			ix, vals = ix[:0], vals[:0]
			for c, arr := range in {
				if arr.IsNull(i) {
					continue
				}
				if real[c] {
					ix = append(ix, idx[c])
					vals = append(vals, nums[c][i])
					continue
				}
				term.Reset()
				term.WriteString(cols[c])
				term.WriteByte('=')
				if err := writeJavaString(&term, arr, i); err != nil {
					return nil, fmt.Errorf("%s: column %q row %d: %w", uid, cols[c], i, err)
				}
				ix = append(ix, termIndex(term.String(), n))
				vals = append(vals, 1)
			}
			ix, vals = sumSorted(ix, vals)
			b.AppendSparse(n, ix, vals)
		}
		return b.NewArray(), nil
	}
	res := df.WithColumn(h.outputCol.Get(ps), frame.UDF("featureHasher", linalg.VectorType(), fn, args...))
	return res, res.Err()
}

// sumSorted sorts (ix, vals) by index and adds the values of equal indices.
func sumSorted(ix []int32, vals []float64) ([]int32, []float64) {
	for i := 1; i < len(ix); i++ { // insertion sort: a handful of columns
		for j := i; j > 0 && ix[j-1] > ix[j]; j-- {
			ix[j-1], ix[j] = ix[j], ix[j-1]
			vals[j-1], vals[j] = vals[j], vals[j-1]
		}
	}
	k := 0
	for i := range ix {
		if k > 0 && ix[k-1] == ix[i] {
			vals[k-1] += vals[i]
			continue
		}
		ix[k], vals[k] = ix[i], vals[i]
		k++
	}
	return ix[:k], vals[:k]
}

// writeJavaString writes row i of arr as Java's toString prints the value
// (Spark builds the "name=value" term from it).
func writeJavaString(sb *strings.Builder, arr arrow.Array, i int) error {
	switch a := arr.(type) {
	case *array.String:
		sb.WriteString(a.Value(i))
	case *array.LargeString:
		sb.WriteString(a.Value(i))
	case *array.Dictionary:
		return writeJavaString(sb, a.Dictionary(), a.GetValueIndex(i))
	case *array.Boolean:
		sb.WriteString(strconv.FormatBool(a.Value(i)))
	case *array.Int8:
		sb.WriteString(strconv.FormatInt(int64(a.Value(i)), 10))
	case *array.Int16:
		sb.WriteString(strconv.FormatInt(int64(a.Value(i)), 10))
	case *array.Int32:
		sb.WriteString(strconv.FormatInt(int64(a.Value(i)), 10))
	case *array.Int64:
		sb.WriteString(strconv.FormatInt(a.Value(i), 10))
	case *array.Uint8:
		sb.WriteString(strconv.FormatUint(uint64(a.Value(i)), 10))
	case *array.Uint16:
		sb.WriteString(strconv.FormatUint(uint64(a.Value(i)), 10))
	case *array.Uint32:
		sb.WriteString(strconv.FormatUint(uint64(a.Value(i)), 10))
	case *array.Uint64:
		sb.WriteString(strconv.FormatUint(a.Value(i), 10))
	case *array.Float32:
		sb.WriteString(values.FormatFloat(a.Value(i)))
	case *array.Float64:
		sb.WriteString(values.FormatDouble(a.Value(i)))
	default:
		sb.WriteString(arr.ValueStr(i))
	}
	return nil
}

// Copy implements ml.Stage.
func (h *FeatureHasher) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(h, h.StageBase, extra, func(c *FeatureHasher, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (h *FeatureHasher) Save(path string) error { return ml.Save(h, path) }
