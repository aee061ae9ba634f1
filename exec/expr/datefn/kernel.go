// Package datefn holds the vectorized kernels of the date and time functions
// (quarter, month, date_add, months_between, date_trunc, to_date,
// date_format, ...) with Spark 4 semantics in ANSI mode. The session time zone
// is UTC: timestamps are microseconds since the epoch in UTC and dates are
// days since the epoch, both on the proleptic Gregorian calendar.
package datefn

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

// Date is the date type the kernels take and return.
var Date arrow.DataType = arrow.FixedWidthTypes.Date32

// Timestamp is the timestamp type the kernels take and return:
// microseconds in UTC.
var Timestamp arrow.DataType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

const (
	usPerSec = int64(1_000_000)
	usPerDay = 86400 * usPerSec
)

// fixedKernel is a function with a fixed-width result. run fills out (the
// result's value bytes) from the evaluated inputs; valid is the result's
// validity bitmap (nil when every row is valid and the kernel never makes a
// null). A kernel with mayNull set gets a non-nil valid and may clear bits.
type fixedKernel struct {
	name    string
	text    string // SQL text when it is not name(args...)
	args    []expr.Expr
	typ     arrow.DataType
	width   int
	mayNull bool
	run     func(in []arrow.Array, valid []byte, out []byte) error
}

func (k *fixedKernel) DataType() arrow.DataType { return k.typ }
func (k *fixedKernel) String() string {
	if k.text != "" {
		return k.text
	}
	return expr.CallString(k.name, k.args...)
}

func (k *fixedKernel) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := expr.EvalArgs(mem, batch, k.args...)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(in)
	n := int(batch.NumRows())
	if anyNullType(in) {
		return nullArray(mem, k.typ, n), nil
	}
	valid, nulls := andValidity(mem, n, k.mayNull, in)
	data := memory.NewResizableBuffer(mem)
	data.Resize(n * k.width)
	var vb []byte
	if valid != nil {
		vb = valid.Bytes()
	}
	if err := k.run(in, vb, data.Bytes()); err != nil {
		data.Release()
		if valid != nil {
			valid.Release()
		}
		return nil, fmt.Errorf("%s: %w", k, err)
	}
	if valid != nil {
		nulls = n - bitutil.CountSetBits(vb, 0, n)
	}
	return build(k.typ, n, nulls, valid, data), nil
}

// stringKernel is a function with a string result; run appends one value
// (or null) per row to b.
type stringKernel struct {
	name string
	text string // SQL text when it is not name(args...)
	args []expr.Expr
	run  func(in []arrow.Array, valid []byte, b *array.StringBuilder) error
}

func (k *stringKernel) DataType() arrow.DataType { return arrow.BinaryTypes.String }
func (k *stringKernel) String() string {
	if k.text != "" {
		return k.text
	}
	return expr.CallString(k.name, k.args...)
}

func (k *stringKernel) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := expr.EvalArgs(mem, batch, k.args...)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(in)
	n := int(batch.NumRows())
	if anyNullType(in) {
		return nullArray(mem, arrow.BinaryTypes.String, n), nil
	}
	valid, _ := andValidity(mem, n, false, in)
	var vb []byte
	if valid != nil {
		defer valid.Release()
		vb = valid.Bytes()
	}
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	if err := k.run(in, vb, b); err != nil {
		return nil, fmt.Errorf("%s: %w", k, err)
	}
	return b.NewArray(), nil
}

func anyNullType(as []arrow.Array) bool {
	for _, a := range as {
		if a.DataType().ID() == arrow.NULL {
			return true
		}
	}
	return false
}

// andValidity returns the AND of the inputs' validity bitmaps (offset 0) and
// its null count; the bitmap is nil when no input has nulls, unless force.
func andValidity(mem memory.Allocator, n int, force bool, in []arrow.Array) (*memory.Buffer, int) {
	need := force
	for _, a := range in {
		need = need || a.NullN() > 0
	}
	if !need {
		return nil, 0
	}
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(n))))
	bits := buf.Bytes()
	bitutil.SetBitsTo(bits, 0, int64(n), true)
	for _, a := range in {
		if a.NullN() > 0 {
			bitutil.BitmapAnd(bits, a.NullBitmapBytes(), 0, int64(a.Data().Offset()), bits, 0, int64(n))
		}
	}
	return buf, n - bitutil.CountSetBits(bits, 0, n)
}

func build(t arrow.DataType, n, nulls int, valid, data *memory.Buffer) arrow.Array {
	d := array.NewData(t, n, []*memory.Buffer{valid, data}, nil, nulls, 0)
	a := array.MakeFromData(d)
	d.Release()
	if valid != nil {
		valid.Release()
	}
	data.Release()
	return a
}

func nullArray(mem memory.Allocator, t arrow.DataType, n int) arrow.Array {
	b := array.NewBuilder(mem, t)
	defer b.Release()
	b.AppendNulls(n)
	return b.NewArray()
}

// isValid reports whether row i is valid under bitmap valid (nil: all are).
func isValid(valid []byte, i int) bool { return valid == nil || bitutil.BitIsSet(valid, i) }

// checkArg verifies that e has one of the given type ids (or NULL).
func checkArg(fn string, e expr.Expr, ids ...arrow.Type) error {
	t := e.DataType()
	if d, ok := t.(*arrow.DictionaryType); ok {
		t = d.ValueType
	}
	if t.ID() == arrow.NULL {
		return nil
	}
	for _, id := range ids {
		if t.ID() == id {
			if id == arrow.TIMESTAMP && t.(*arrow.TimestampType).Unit != arrow.Microsecond {
				break
			}
			return nil
		}
	}
	return fmt.Errorf("%s: argument %s has type %s", fn, e, values.TypeName(t))
}

// int32s and int64s view the values of a fixed-width array (offset applied).
func int32s(a arrow.Array) []int32 { return arrow.GetValues[int32](a.Data(), 1) }
func int64s(a arrow.Array) []int64 { return arrow.GetValues[int64](a.Data(), 1) }

// invalidf is an expr.ErrInvalidCast error that reads as just its message.
func invalidf(format string, args ...any) error {
	return expr.InvalidValuef(format, args...)
}

func overflowf(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), expr.ErrOverflow)
}
