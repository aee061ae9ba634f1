package join

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
)

// reserveKeys sizes the buffers keySet.load fills for the build side's key
// arrays (rows rows each) through exec.MakeLargeContext, so that the
// allocation of hundreds of megabytes of hashes and key words, which cannot
// be interrupted, does not hold up a cancelled query: load then finds them
// large enough and reuses them.
func (ks *keySet) reserve(ctx context.Context, arrs []arrow.Array, nullSafe []bool, rows int) error {
	var err error
	words := func() []uint64 {
		var s []uint64
		if err == nil {
			s, err = exec.MakeLargeContext[uint64](ctx, rows, rows)
		}
		return s
	}
	flags := func() []bool {
		var s []bool
		if err == nil {
			s, err = exec.MakeLargeContext[bool](ctx, rows, rows)
		}
		return s
	}
	if len(ks.cols) != len(arrs) {
		ks.cols = make([]keyCol, len(arrs))
	}
	ks.null = flags()
	ks.hash = words()
	for c, a := range arrs {
		k := &ks.cols[c]
		if c < len(nullSafe) && nullSafe[c] {
			k.nulls = flags()
		}
		switch a.(type) {
		case *array.String, *array.Binary:
		case *array.Dictionary:
			if err == nil {
				k.dict, err = exec.MakeLargeContext[int32](ctx, rows, rows)
			}
		case *array.Decimal128:
			k.fixed, k.hi = words(), words()
		default:
			k.fixed = words()
		}
	}
	return err
}
