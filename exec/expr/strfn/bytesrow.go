package strfn

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// bytesRow is a row-at-a-time function of string or binary arguments with
// a string, binary or boolean result. A row with a null argument is null;
// row decides the others and may fail the batch with an error.
type bytesRow struct {
	name  string
	label string // the text of String when set
	args  []expr.Expr
	typ   arrow.DataType // STRING, BINARY or BOOL
	// row appends the row's result to dst (or, for a boolean result,
	// returns a non-empty dst for true); ok false makes the row null.
	row func(v [][]byte, dst []byte) (out []byte, ok bool, err error)
}

func (k *bytesRow) DataType() arrow.DataType { return k.typ }

func (k *bytesRow) String() string {
	if k.label != "" {
		return k.label
	}
	return expr.CallString(k.name, k.args...)
}

// newBytesRow checks that every argument is a string, binary or NULL.
func newBytesRow(k *bytesRow) (*bytesRow, error) {
	for i, a := range k.args {
		t := a.DataType()
		if d, ok := t.(*arrow.DictionaryType); ok {
			t = d.ValueType
		}
		switch t.ID() {
		case arrow.STRING, arrow.BINARY, arrow.NULL:
		default:
			return nil, fmt.Errorf("%s: argument %d (%s) is %s, want a string or binary", k, i+1, a, t)
		}
	}
	return k, nil
}

// bytesView reads row i of a string, binary or null array.
type bytesView func(i int) ([]byte, bool)

func viewOf(a arrow.Array) bytesView {
	switch x := a.(type) {
	case *array.String:
		return func(i int) ([]byte, bool) {
			if x.IsNull(i) {
				return nil, false
			}
			return []byte(x.Value(i)), true
		}
	case *array.Binary:
		return func(i int) ([]byte, bool) {
			if x.IsNull(i) {
				return nil, false
			}
			return x.Value(i), true
		}
	}
	return func(int) ([]byte, bool) { return nil, false }
}

func (k *bytesRow) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	in, err := expr.EvalArgs(mem, batch, k.args...)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(in)
	n := int(batch.NumRows())
	views := make([]bytesView, len(in))
	for i, a := range in {
		views[i] = viewOf(a)
	}
	var (
		sb  *array.BinaryBuilder
		bb  *array.BooleanBuilder
		buf []byte
	)
	if k.typ.ID() == arrow.BOOL {
		bb = array.NewBooleanBuilder(mem)
		defer bb.Release()
		bb.Reserve(n)
	} else {
		sb = array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
		defer sb.Release()
		sb.Reserve(n)
	}
	v := make([][]byte, len(in))
	for i := 0; i < n; i++ {
		valid := true
		for j, view := range views {
			if v[j], valid = view(i); !valid {
				break
			}
		}
		var out []byte
		if valid {
			out, valid, err = k.row(v, buf[:0])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			buf = out[:0]
		}
		switch {
		case !valid && bb != nil:
			bb.AppendNull()
		case !valid:
			sb.AppendNull()
		case bb != nil:
			bb.Append(len(out) > 0)
		default:
			if len(out) > maxLen {
				return nil, fmt.Errorf("%s: %w", k, errTooLarge)
			}
			sb.Append(out)
		}
	}
	if bb != nil {
		return bb.NewArray(), nil
	}
	bin := sb.NewBinaryArray()
	if k.typ.ID() == arrow.BINARY {
		return bin, nil
	}
	defer bin.Release()
	// The same layout as a string array.
	d := array.NewData(k.typ, bin.Len(), bin.Data().Buffers(), nil, bin.NullN(), 0)
	defer d.Release()
	return array.MakeFromData(d), nil
}
