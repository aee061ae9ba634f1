package mathfn

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// decimalNums returns the unscaled values of a decimal64 or decimal128
// array as 128-bit numbers.
func decimalNums(a arrow.Array) []decimal128.Num {
	switch a.DataType().ID() {
	case arrow.DECIMAL128:
		return kernels.FixedValues[decimal128.Num](a)
	case arrow.DECIMAL64:
		v := kernels.FixedValues[int64](a)
		out := make([]decimal128.Num, len(v))
		for i, x := range v {
			out[i] = decimal128.FromI64(x)
		}
		return out
	}
	return nil
}

// decimalArray builds a decimal array of type dt (decimal64 or decimal128)
// from 128-bit unscaled values, taking ownership of v. Unlike
// kernels.DecimalArray, which takes a []bool validity, it hands over the
// bitmap the kernel has already built.
func decimalArray(mem memory.Allocator, dt arrow.DataType, vals []decimal128.Num, v *validity) arrow.Array {
	if dt.ID() == arrow.DECIMAL64 {
		buf, out := newFixed[int64](mem, len(vals))
		for i, x := range vals {
			out[i] = int64(x.LowBits())
		}
		return v.finish(dt, buf)
	}
	buf, out := newFixed[decimal128.Num](mem, len(vals))
	copy(out, vals)
	return v.finish(dt, buf)
}
