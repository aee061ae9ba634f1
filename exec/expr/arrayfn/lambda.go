package arrayfn

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
)

// Lambda is a compiled lambda function argument of a higher-order function.
// Its body is evaluated once over all the elements of a batch: it reads an
// element batch whose columns are the enclosing batch's columns Outer
// (repeated for each element of their row) followed by the parameters.
type Lambda struct {
	body   expr.Expr
	outer  []int
	params []arrow.DataType
	names  []string
}

// NewLambda makes a lambda whose body reads the enclosing columns outer
// (indices into the enclosing batch) and then parameters of the given names
// and types.
func NewLambda(body expr.Expr, outer []int, names []string, params []arrow.DataType) (*Lambda, error) {
	if body == nil {
		return nil, fmt.Errorf("lambda function: the body is missing")
	}
	if len(names) != len(params) {
		return nil, fmt.Errorf("lambda function: %d parameter names for %d types", len(names), len(params))
	}
	return &Lambda{body: body, outer: outer, params: params, names: names}, nil
}

// DataType is the type of the body.
func (l *Lambda) DataType() arrow.DataType { return valueType(l.body.DataType()) }

func (l *Lambda) String() string {
	if len(l.names) == 1 {
		return l.names[0] + " -> " + l.body.String()
	}
	return "(" + strings.Join(l.names, ", ") + ") -> " + l.body.String()
}

// Eval fails: a lambda is evaluated by the function it is passed to.
func (l *Lambda) Eval(memory.Allocator, arrow.RecordBatch) (arrow.Array, error) {
	return nil, fmt.Errorf("the lambda function %s is evaluated only by a higher-order function", l)
}

// apply evaluates the body over len(rows) elements: element k belongs to
// row rows[k] of batch and its parameters are params[p].Value(k). rows nil
// (not merely empty) means element k is row k.
func (l *Lambda) apply(mem memory.Allocator, batch arrow.RecordBatch, rows []int32, params ...arrow.Array) (arrow.Array, error) {
	if len(params) != len(l.params) {
		return nil, fmt.Errorf("lambda function %s: %d arguments for %d parameters", l, len(params), len(l.params))
	}
	n := int(batch.NumRows())
	if rows != nil {
		n = len(rows)
	} else if len(params) > 0 {
		n = params[0].Len()
	}
	cols := make([]arrow.Array, 0, len(l.outer)+len(params))
	fields := make([]arrow.Field, 0, cap(cols))
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for k, c := range l.outer {
		src := batch.Column(c)
		var col arrow.Array
		if rows == nil {
			src.Retain()
			col = src
		} else {
			var err error
			if col, err = kernels.Take(mem, src, rows); err != nil {
				return nil, err
			}
		}
		cols = append(cols, col)
		fields = append(fields, arrow.Field{Name: fmt.Sprintf("outer%d", k), Type: col.DataType(), Nullable: true})
	}
	for k, p := range params {
		p.Retain()
		cols = append(cols, p)
		fields = append(fields, arrow.Field{Name: l.names[k], Type: p.DataType(), Nullable: true})
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(n))
	defer rec.Release()
	out, err := l.body.Eval(mem, rec)
	if err != nil {
		return nil, err
	}
	if d, ok := out.(*array.Dictionary); ok {
		plain, err := decode(mem, d)
		out.Release()
		return plain, err
	}
	return out, nil
}

// hof is a higher-order function: plain arguments, evaluated first, and
// lambda functions the kernel applies.
type hof struct {
	name    string
	args    []expr.Expr
	lambdas []*Lambda
	typ     arrow.DataType
	// eval computes the n results from the plain argument arrays
	// (dictionaries decoded); the caller releases the arguments.
	eval func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int) (arrow.Array, error)
}

func (f *hof) DataType() arrow.DataType { return f.typ }

func (f *hof) String() string {
	parts := make([]string, 0, len(f.args)+len(f.lambdas))
	for _, a := range f.args {
		parts = append(parts, a.String())
	}
	for _, l := range f.lambdas {
		parts = append(parts, l.String())
	}
	return f.name + "(" + strings.Join(parts, ", ") + ")"
}

func (f *hof) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	arrs := make([]arrow.Array, len(f.args))
	defer releaseAll(arrs)
	if err := evalPlain(mem, batch, f.args, arrs, func() string { return f.name }); err != nil {
		return nil, err
	}
	out, err := f.eval(mem, batch, arrs, int(batch.NumRows()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.name, err)
	}
	return out, nil
}

// elements lists the elements of the valid rows of v: rows[k] is the row of
// element k and idx[k] its index in v.child; offs are the rebased offsets
// (n+1) and valid the rows' validity.
type elements struct {
	rows, idx []int32
	offs      []int32
	valid     []bool
}

// positions returns the 0-based position of each element in its array.
func (e elements) positions() []int32 {
	pos := make([]int32, len(e.idx))
	for k, r := range e.rows {
		pos[k] = int32(k) - e.offs[r]
	}
	return pos
}

// overElements makes a hof eval from eval, which also gets argument 0
// viewed as a list and its elements; a null-typed argument 0 gives n nulls
// of type dt without calling eval.
func overElements(dt arrow.DataType, eval func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int, v listView, e elements) (arrow.Array, error)) func(memory.Allocator, arrow.RecordBatch, []arrow.Array, int) (arrow.Array, error) {
	return func(mem memory.Allocator, batch arrow.RecordBatch, a []arrow.Array, n int) (arrow.Array, error) {
		v, err := viewList(a[0])
		if err != nil {
			return nil, err
		}
		if v.null {
			return array.MakeArrayOfNull(mem, dt, n), nil
		}
		return eval(mem, batch, a, n, v, listElements(v, n))
	}
}

func listElements(v listView, n int) elements {
	total := 0
	for i := 0; i < n; i++ {
		lo, hi := v.bounds(i)
		total += int(hi - lo)
	}
	e := elements{rows: make([]int32, total), idx: make([]int32, total), offs: make([]int32, n+1), valid: make([]bool, n)}
	k := 0
	for i := 0; i < n; i++ {
		lo, hi := v.bounds(i)
		e.valid[i] = v.valid(i)
		for j := lo; j < hi; j++ {
			e.rows[k], e.idx[k] = int32(i), j
			k++
		}
		e.offs[i+1] = int32(k)
	}
	return e
}

// gather returns a[idx[0]], a[idx[1]], ...: a zero-copy slice when idx is
// a contiguous run.
func gather(mem memory.Allocator, a arrow.Array, idx []int32) (arrow.Array, error) {
	contiguous := true
	for k := 1; k < len(idx) && contiguous; k++ {
		contiguous = idx[k] == idx[k-1]+1
	}
	if contiguous && len(idx) > 0 && idx[0] >= 0 {
		return array.NewSlice(a, int64(idx[0]), int64(idx[0])+int64(len(idx))), nil
	}
	if len(idx) == 0 {
		return array.MakeArrayOfNull(mem, a.DataType(), 0), nil
	}
	return kernels.Take(mem, a, idx)
}
