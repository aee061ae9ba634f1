package expr

import (
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/fault"
)

// udf evaluates its arguments and hands the arrays to a Go function.
type udf struct {
	name string
	typ  arrow.DataType
	args []Expr
	fn   func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error)
}

// UDF returns an expression calling fn over the evaluated arguments; fn must
// return an array of type typ with one element per row.
func UDF(name string, typ arrow.DataType, args []Expr, fn func(mem memory.Allocator, args []arrow.Array) (arrow.Array, error)) Expr {
	return &udf{name: name, typ: typ, args: args, fn: fn}
}

func (u *udf) DataType() arrow.DataType { return u.typ }

func (u *udf) String() string {
	return CallString(u.name, u.args...)
}

func (u *udf) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	vals := make([]arrow.Array, 0, len(u.args))
	defer func() {
		for _, v := range vals {
			v.Release()
		}
	}()
	for _, a := range u.args {
		v, err := a.Eval(mem, batch)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	out, err := u.call(mem, vals)
	if errors.Is(err, fault.ErrInternal) {
		return nil, err // names the function already
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	if out == nil {
		return nil, fmt.Errorf("%s: the function returned no array", u)
	}
	if int64(out.Len()) != batch.NumRows() || !arrow.TypeEqual(out.DataType(), u.typ) {
		got := out.DataType()
		n := out.Len()
		out.Release()
		return nil, fmt.Errorf("%s: the function returned %d values of type %s, want %d of type %s", u, n, got, batch.NumRows(), u.typ)
	}
	return out, nil
}

// call runs the user's function; a panic in it becomes a *fault.InternalError
// naming the function (the operator that evaluates it adds its own name).
func (u *udf) call(mem memory.Allocator, args []arrow.Array) (out arrow.Array, err error) {
	defer func() {
		if v := recover(); v != nil {
			out, err = nil, fault.InFunc(v, "UDF "+u.String())
		}
	}()
	return u.fn(mem, args)
}
