package mathfn

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// evalArg evaluates e on batch and expands a dictionary result; the caller
// releases the returned array.
func evalArg(mem memory.Allocator, e expr.Expr, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := e.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	d, ok := a.(*array.Dictionary)
	if !ok {
		return a, nil
	}
	defer a.Release()
	out, err := kernels.DecodeDictionary(mem, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e, err)
	}
	return out, nil
}

// evalArgs evaluates es in order, releasing what was produced on error.
func evalArgs(mem memory.Allocator, batch arrow.RecordBatch, es []expr.Expr) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(es))
	for i, e := range es {
		a, err := evalArg(mem, e, batch)
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func releaseAll(as []arrow.Array) {
	for _, a := range as {
		if a != nil {
			a.Release()
		}
	}
}

// callString renders name(args...) for String methods and error messages.
func callString(name string, args ...expr.Expr) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.String()
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

// typeName renders t with its Spark SQL name.
func typeName(t arrow.DataType) string { return values.TypeName(t) }
