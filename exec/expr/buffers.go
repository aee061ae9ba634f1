package expr

import (
	"errors"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// ErrOverflow is wrapped by errors for results that do not fit their type.
var ErrOverflow = errors.New("arithmetic overflow")

// ErrDivideByZero is wrapped by errors for division or remainder by zero.
var ErrDivideByZero = errors.New("division by zero")

// ErrInvalidCast is wrapped by errors for values a cast cannot convert.
var ErrInvalidCast = errors.New("invalid value")

// valueType returns the type of the values of t: the value type for a
// dictionary, t itself otherwise.
func valueType(t arrow.DataType) arrow.DataType {
	if d, ok := t.(*arrow.DictionaryType); ok {
		return d.ValueType
	}
	return t
}

// decode returns arr with dictionaries expanded to plain arrays; the result is
// a new reference the caller releases.
func decode(mem memory.Allocator, arr arrow.Array) (arrow.Array, error) {
	d, ok := arr.(*array.Dictionary)
	if !ok {
		arr.Retain()
		return arr, nil
	}
	n := d.Len()
	idx := make([]int32, n)
	for i := range idx {
		if d.IsNull(i) {
			idx[i] = -1
		} else {
			idx[i] = int32(d.GetValueIndex(i))
		}
	}
	return kernels.Take(mem, d.Dictionary(), idx)
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

// bufBytes returns the bytes of buffer i of arr, nil when absent.
func bufBytes(arr arrow.Array, i int) []byte {
	bufs := arr.Data().Buffers()
	if i >= len(bufs) || bufs[i] == nil {
		return nil
	}
	return bufs[i].Bytes()
}

// isAllNull reports whether arr is of the NULL type (no buffers, all null).
func isAllNull(arr arrow.Array) bool { return arr.DataType().ID() == arrow.NULL }

// andValidity returns the intersection of the validity of arrs as a new
// bitmap (offset 0) and its null count; nil, 0 when every row is valid.
func andValidity(mem memory.Allocator, n int, arrs ...arrow.Array) (*memory.Buffer, int) {
	var out *memory.Buffer
	for _, a := range arrs {
		if a.NullN() == 0 {
			continue
		}
		if isAllNull(a) {
			if out == nil {
				out = memory.NewResizableBuffer(mem)
				out.Resize(int(bitutil.BytesForBits(int64(n))))
			}
			clear(out.Bytes())
			continue
		}
		bits, off := bufBytes(a, 0), a.Data().Offset()
		if out == nil {
			out = memory.NewResizableBuffer(mem)
			out.Resize(int(bitutil.BytesForBits(int64(n))))
			bitutil.CopyBitmap(bits, off, n, out.Bytes(), 0)
			continue
		}
		bitutil.BitmapAnd(out.Bytes(), bits, 0, int64(off), out.Bytes(), 0, int64(n))
	}
	if out == nil {
		return nil, 0
	}
	return out, n - bitutil.CountSetBits(out.Bytes(), 0, n)
}

// bitValid reports whether row i is valid under bitmap bits (nil = all valid).
func bitValid(bits []byte, off, i int) bool {
	return bits == nil || bitutil.BitIsSet(bits, off+i)
}

// newBuf allocates a zeroed buffer of size bytes.
func newBuf(mem memory.Allocator, size int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(size)
	clear(b.Bytes())
	return b
}

// newDataBuf allocates a buffer of size bytes that the caller overwrites
// entirely (values under nulls may be left unset).
func newDataBuf(mem memory.Allocator, size int) *memory.Buffer {
	b := memory.NewResizableBuffer(mem)
	b.Resize(size)
	return b
}

// makeArray builds an array of type t from buffers, taking ownership of them.
func makeArray(t arrow.DataType, n int, nulls int, bufs ...*memory.Buffer) arrow.Array {
	d := array.NewData(t, n, bufs, nil, nulls, 0)
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	defer d.Release()
	return array.MakeFromData(d)
}

// int64s returns the values of a 64-bit fixed-width array, honoring the
// array offset.
func int64s(arr arrow.Array) []int64 {
	b := bufBytes(arr, 1)
	if b == nil {
		return nil
	}
	return arrow.Int64Traits.CastFromBytes(b)[arr.Data().Offset():][:arr.Len()]
}

// num128s returns the values of a decimal128 array.
func num128s(arr arrow.Array) []decimal128.Num {
	b := bufBytes(arr, 1)
	if b == nil {
		return nil
	}
	return arrow.Decimal128Traits.CastFromBytes(b)[arr.Data().Offset():][:arr.Len()]
}

// nullArray returns an all-null array of type t with n rows.
func nullArray(mem memory.Allocator, t arrow.DataType, n int) arrow.Array {
	if t.ID() == arrow.NULL {
		return array.NewNull(n)
	}
	return array.MakeArrayOfNull(mem, t, n)
}

// decimalPS returns precision and scale of a decimal type; ok false otherwise.
func decimalPS(t arrow.DataType) (p, s int32, ok bool) {
	switch tt := t.(type) {
	case *arrow.Decimal64Type:
		return tt.Precision, tt.Scale, true
	case *arrow.Decimal128Type:
		return tt.Precision, tt.Scale, true
	}
	return 0, 0, false
}

func isInt(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return true
	}
	return false
}

func isFloat(t arrow.DataType) bool {
	return t.ID() == arrow.FLOAT32 || t.ID() == arrow.FLOAT64
}

func isDecimal(t arrow.DataType) bool {
	_, _, ok := decimalPS(t)
	return ok
}

// sqlType names t as Spark SQL does, for messages.
func sqlType(t arrow.DataType) string { return values.TypeName(valueType(t)) }

// decimalType returns decimal64 for precision ≤ 18, decimal128 otherwise.
func decimalType(p, s int32) arrow.DataType { return values.DecimalType(p, s) }
