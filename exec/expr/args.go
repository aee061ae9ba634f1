package expr

import (
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

// evalDecoded evaluates e and expands dictionaries.
func evalDecoded(mem memory.Allocator, e Expr, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := e.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	if _, ok := a.(*array.Dictionary); !ok {
		return a, nil
	}
	defer a.Release()
	return decode(mem, a)
}

// evalAll evaluates es in order; on error it releases what was produced.
func evalAll(mem memory.Allocator, batch arrow.RecordBatch, es ...Expr) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(es))
	for i, e := range es {
		a, err := evalDecoded(mem, e, batch)
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
