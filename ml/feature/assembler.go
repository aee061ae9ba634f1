package feature

import (
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/attribute"
	"github.com/gspark/gspark/ml/linalg"
	"github.com/gspark/gspark/ml/param"
)

// VectorAssembler combines numeric, boolean and vector columns into one
// vector column (Spark's VectorAssembler). handleInvalid says what a null
// or NaN input does: "error" (default) fails naming the column, "skip"
// drops the row, "keep" puts NaN in its place.
type VectorAssembler struct {
	ml.StageBase
	inputCols     param.Param[[]string]
	outputCol     param.Param[string]
	handleInvalid param.Param[string]
}

// NewVectorAssembler makes a VectorAssembler with a new UID.
func NewVectorAssembler() *VectorAssembler { return newVectorAssembler(param.UID("VectorAssembler")) }

func newVectorAssembler(uid string) *VectorAssembler {
	b := ml.NewStageBase(uid)
	ps := b.Params()
	return &VectorAssembler{StageBase: b,
		inputCols: param.Define[[]string](ps, "inputCols", "input column names"),
		outputCol: param.Define(ps, "outputCol", "output column name", param.WithDefault(uid+"__output")),
		handleInvalid: param.Define(ps, "handleInvalid", "how to handle invalid data (NULL and NaN values): 'skip' (filter out rows with invalid data), 'error' (throw an error), or 'keep' (return relevant number of NaN in the output)",
			param.WithDefault(invalidError), param.WithValidator(param.OneOf(invalidError, invalidSkip, invalidKeep))),
	}
}

// SetInputCols sets the columns to assemble, in order.
func (a *VectorAssembler) SetInputCols(cols ...string) *VectorAssembler {
	a.inputCols.Set(a.Params(), cols)
	return a
}

// SetOutputCol sets the output vector column.
func (a *VectorAssembler) SetOutputCol(col string) *VectorAssembler {
	a.outputCol.Set(a.Params(), col)
	return a
}

// SetHandleInvalid sets "error", "skip" or "keep".
func (a *VectorAssembler) SetHandleInvalid(v string) *VectorAssembler {
	a.handleInvalid.Set(a.Params(), v)
	return a
}

// ClassName implements ml.Stage.
func (a *VectorAssembler) ClassName() string { return classPrefix + "VectorAssembler" }

// TransformSchema implements ml.Stage.
func (a *VectorAssembler) TransformSchema(in *arrow.Schema) (*arrow.Schema, error) {
	if err := a.CheckParams(); err != nil {
		return nil, err
	}
	cols, ok := a.inputCols.GetOK(a.Params())
	if !ok || len(cols) == 0 {
		return nil, fmt.Errorf("%s: inputCols must be set", a.UID())
	}
	for _, c := range cols {
		if _, err := ml.CheckColumn(in, a.UID(), c, ml.Numeric, ml.Boolean, ml.Vector); err != nil {
			return nil, err
		}
	}
	return ml.AppendColumn(in, a.UID(), vectorField(a.outputCol.Get(a.Params())))
}

// Transform implements ml.Transformer.
func (a *VectorAssembler) Transform(df *frame.DataFrame) (*frame.DataFrame, error) {
	if err := checkFrame(df, a); err != nil {
		return nil, err
	}
	ps := a.Params()
	cols := a.inputCols.Get(ps)
	out := a.outputCol.Get(ps)
	mode := a.handleInvalid.Get(ps)
	args := make([]frame.Column, len(cols))
	for i, c := range cols {
		args[i] = frame.Col(c)
	}
	res := df.WithColumn(out, frame.UDF("vectorAssembler", linalg.VectorType(), a.assembleFn(cols, mode), args...))
	g, ok, err := assembledGroup(df.Schema(), cols)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.UID(), err)
	}
	if ok {
		res = res.WithMetadata(out, g.Metadata(arrow.Metadata{}))
	}
	if mode == invalidSkip {
		res = res.Filter(frame.Col(out).IsNotNull())
	}
	return res, res.Err()
}

func (a *VectorAssembler) assembleFn(cols []string, mode string) func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
	uid := a.UID()
	return func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error) {
		n := 0
		if len(args) > 0 {
			n = args[0].Len()
		}
		nums := make([][]float64, len(args))
		vecs := make([]*linalg.VectorColumn, len(args))
		back := make([]float64, n*len(args)) // one allocation for every numeric column
		for c, arr := range args {
			if linalg.IsVector(arr.DataType()) {
				vc, err := linalg.Vectors(arr)
				if err != nil {
					return nil, fmt.Errorf("%s: column %q: %w", uid, cols[c], err)
				}
				vecs[c] = vc
				continue
			}
			x, err := ml.Float64Column(arr, back[c*n:(c+1)*n:(c+1)*n])
			if err != nil {
				return nil, fmt.Errorf("%s: column %q: %w", uid, cols[c], err)
			}
			nums[c] = x
		}
		b := linalg.NewVectorBuilder(mem)
		defer b.Release()
		b.Reserve(n)
		var idx []int32
		var vals, dense []float64
	rows:
		for i := 0; i < n; i++ {
			idx, vals = idx[:0], vals[:0]
			size := 0
			for c, arr := range args {
				if vc := vecs[c]; vc != nil {
					if vc.IsNull(i) {
						switch mode {
						case invalidSkip:
							b.AppendNull()
							continue rows
						case invalidKeep:
							return nil, fmt.Errorf("%s: cannot infer the size of the null vector in column %q with handleInvalid = \"keep\"", uid, cols[c])
						}
						return nil, fmt.Errorf("%s: encountered null in column %q while assembling a row with handleInvalid = \"error\". Consider removing nulls from the dataset or using handleInvalid = \"keep\" or \"skip\"", uid, cols[c])
					}
					if d := vc.DenseValues(i); d != nil {
						for j, v := range d {
							if v != 0 {
								idx = append(idx, int32(size+j))
								vals = append(vals, v)
							}
						}
					} else {
						si, sv := vc.Sparse(i)
						for k, j := range si {
							if sv[k] != 0 {
								idx = append(idx, int32(size)+j)
								vals = append(vals, sv[k])
							}
						}
					}
					size += vc.Size(i)
					continue
				}
				v := nums[c][i]
				if math.IsNaN(v) {
					what := "NaN"
					if arr.IsNull(i) {
						what = "null"
					}
					switch mode {
					case invalidSkip:
						b.AppendNull()
						continue rows
					case invalidError:
						return nil, fmt.Errorf("%s: encountered %s in column %q while assembling a row with handleInvalid = \"error\". Consider removing %ss from the dataset or using handleInvalid = \"keep\" or \"skip\"", uid, what, cols[c], what)
					}
				}
				if v != 0 {
					idx = append(idx, int32(size))
					vals = append(vals, v)
				}
				size++
			}
			// Spark's Vector.compressed: sparse when that is smaller.
			if 1.5*(float64(len(idx))+1) < float64(size) {
				b.AppendSparse(size, idx, vals)
				continue
			}
			if cap(dense) < size {
				dense = make([]float64, size)
			}
			dense = dense[:size]
			clear(dense)
			for k, j := range idx {
				dense[j] = vals[k]
			}
			b.AppendDense(dense)
		}
		return b.NewArray(), nil
	}
}

// Copy implements ml.Stage.
func (a *VectorAssembler) Copy(extra param.ParamMap) (ml.Stage, error) {
	return copyStage(a, a.StageBase, extra, func(c *VectorAssembler, b ml.StageBase) { c.StageBase = b })
}

// Save implements ml.Stage.
func (a *VectorAssembler) Save(path string) error { return ml.Save(a, path) }

// assembledGroup is the attribute group of the assembled vector, as
// Spark's VectorAssembler builds it: a scalar input's attribute (numeric
// when it has none) named after the column; a vector input's slot
// attributes named "<col>_<slot name>" or "<col>_<i>". Nominal slots stay
// nominal with their values. false when a vector input's size is unknown
// from its metadata (Spark then looks at the first row; gspark writes no
// attributes rather than run a job).
func assembledGroup(schema *arrow.Schema, cols []string) (attribute.Group, bool, error) {
	var attrs []attribute.Attribute
	for _, c := range cols {
		i := ml.FieldIndex(schema, c)
		if i < 0 {
			return attribute.Group{}, false, fmt.Errorf("column %q not found", c)
		}
		f := schema.Field(i)
		if linalg.IsVector(f.Type) {
			g, _, err := attribute.GroupFromField(f)
			if err != nil {
				return attribute.Group{}, false, err
			}
			if g.Attrs != nil {
				for k, at := range g.Attrs {
					if at.Name != "" {
						at.Name = c + "_" + at.Name
					} else {
						at.Name = c + "_" + strconv.Itoa(k)
					}
					at.Index = -1
					attrs = append(attrs, at)
				}
				continue
			}
			n, known := g.NumAttributes()
			if !known {
				return attribute.Group{}, false, nil
			}
			for k := 0; k < n; k++ {
				attrs = append(attrs, attribute.NewNumeric(c+"_"+strconv.Itoa(k)))
			}
			continue
		}
		at, ok, err := attribute.FromField(f)
		if err != nil {
			return attribute.Group{}, false, err
		}
		if !ok || f.Type.ID() != arrow.FLOAT64 {
			at = attribute.NewNumeric("")
		}
		at.Name, at.Index = c, -1
		attrs = append(attrs, at)
	}
	return attribute.NewGroup(attrs), true, nil
}
