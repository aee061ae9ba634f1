package expr

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// decode returns arr with dictionaries expanded to plain arrays; the result is
// a new reference the caller releases.
func decode(mem memory.Allocator, arr arrow.Array) (arrow.Array, error) {
	d, ok := arr.(*array.Dictionary)
	if !ok {
		arr.Retain()
		return arr, nil
	}
	return kernels.DecodeDictionary(mem, d)
}

// EvalArg evaluates the argument e of a function on batch, a
// dictionary-encoded result expanded to a plain array, which the caller
// releases.
func EvalArg(mem memory.Allocator, e Expr, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := e.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	if _, ok := a.(*array.Dictionary); !ok {
		return a, nil
	}
	defer a.Release()
	out, err := decode(mem, a)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e, err)
	}
	return out, nil
}

// EvalArgs evaluates es in order as EvalArg does; on error it releases what
// was produced. The caller releases the arrays (ReleaseAll).
func EvalArgs(mem memory.Allocator, batch arrow.RecordBatch, es ...Expr) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(es))
	for i, e := range es {
		a, err := EvalArg(mem, e, batch)
		if err != nil {
			ReleaseAll(out)
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// ReleaseAll releases every non-nil array of as.
func ReleaseAll(as []arrow.Array) {
	for _, a := range as {
		if a != nil {
			a.Release()
		}
	}
}

// CallString renders a function call, name(arg, arg, ...), as the String
// methods of function expressions and their messages show it.
func CallString(name string, args ...Expr) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.String()
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}
