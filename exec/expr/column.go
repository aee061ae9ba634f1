package expr

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

type columnExpr struct {
	idx  int
	name string
	t    arrow.DataType
}

// Column returns an expression reading column i of the batch; String is name.
func Column(i int, name string, t arrow.DataType) Expr { return &columnExpr{idx: i, name: name, t: t} }

func (c *columnExpr) DataType() arrow.DataType { return c.t }
func (c *columnExpr) String() string           { return c.name }

func (c *columnExpr) Eval(_ memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	if c.idx < 0 || c.idx >= int(batch.NumCols()) {
		return nil, fmt.Errorf("column %s: index %d out of range (batch has %d columns)", c.name, c.idx, batch.NumCols())
	}
	a := batch.Column(c.idx)
	a.Retain()
	return a, nil
}

// literalExpr holds a constant; elem is the little-endian bytes of one
// fixed-width element, str the bytes of a string value.
type literalExpr struct {
	t     arrow.DataType
	null  bool
	b     bool
	elem  []byte
	str   []byte
	text  string
	i64   int64
	dec   decimal128.Num
	f64   float64
	isNum bool
}

// Literal returns a constant expression of type t. v is nil (null), bool,
// int64 (integers, date32 days, timestamp micros), float64, string, time.Time
// (date32, timestamp) or values.Decimal (decimals); other combinations are an
// error.
func Literal(v any, t arrow.DataType) (Expr, error) {
	l := &literalExpr{t: t}
	if i, ok := v.(int); ok {
		v = int64(i)
	}
	bad := func() (Expr, error) {
		return nil, fmt.Errorf("literal %v (%T) does not fit type %s", v, v, sqlType(t))
	}
	if v == nil {
		l.null = true
		l.text = "NULL"
		return l, nil
	}
	putInt := func(x int64, w int) {
		l.elem = make([]byte, 8)
		binary.LittleEndian.PutUint64(l.elem, uint64(x))
		l.elem = l.elem[:w]
		l.i64 = x
	}
	switch tt := t.(type) {
	case *arrow.BooleanType:
		b, ok := v.(bool)
		if !ok {
			return bad()
		}
		l.b = b
		l.text = strconv.FormatBool(b)
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type, *arrow.Int64Type:
		x, ok := v.(int64)
		if !ok {
			return bad()
		}
		w := t.(arrow.FixedWidthDataType).BitWidth() / 8
		if w < 8 && (x < -(1<<(w*8-1)) || x >= 1<<(w*8-1)) {
			return bad()
		}
		putInt(x, w)
		l.text = strconv.FormatInt(x, 10)
	case *arrow.Float32Type, *arrow.Float64Type:
		f, ok := v.(float64)
		if !ok {
			return bad()
		}
		l.f64 = f
		if t.ID() == arrow.FLOAT32 {
			l.elem = binary.LittleEndian.AppendUint32(nil, math.Float32bits(float32(f)))
		} else {
			l.elem = binary.LittleEndian.AppendUint64(nil, math.Float64bits(f))
		}
		l.text = values.FormatDouble(f)
	case *arrow.StringType:
		s, ok := v.(string)
		if !ok {
			return bad()
		}
		l.str = []byte(s)
		l.text = "'" + s + "'"
	case *arrow.BinaryType:
		b, ok := v.([]byte)
		if !ok {
			return bad()
		}
		l.str = b
		l.text = fmt.Sprintf("X'%X'", b)
	case *arrow.Date32Type:
		switch x := v.(type) {
		case int64:
			putInt(x, 4)
		case time.Time:
			putInt(int64(arrow.Date32FromTime(x)), 4)
		default:
			return bad()
		}
		l.text = "DATE '" + arrow.Date32(l.i64).ToTime().UTC().Format("2006-01-02") + "'"
	case *arrow.TimestampType:
		switch x := v.(type) {
		case int64:
			putInt(x, 8)
		case time.Time:
			putInt(x.UnixMicro(), 8)
		default:
			return bad()
		}
		l.text = "TIMESTAMP '" + formatTimestamp(l.i64) + "'"
	case *arrow.Decimal64Type, *arrow.Decimal128Type:
		d, ok := v.(values.Decimal)
		if !ok {
			return bad()
		}
		p, s := kernels.DecimalParams(t)
		n := d.Unscaled
		if d.Scale != s {
			var err error
			n, err = n.Rescale(d.Scale, s)
			if err != nil {
				return bad()
			}
		}
		if !n.FitsInPrecision(p) {
			return bad()
		}
		l.dec = n
		if _, ok := tt.(*arrow.Decimal64Type); ok {
			putInt(int64(n.LowBits()), 8)
		} else {
			l.elem = binary.LittleEndian.AppendUint64(nil, n.LowBits())
			l.elem = binary.LittleEndian.AppendUint64(l.elem, uint64(n.HighBits()))
		}
		l.text = n.ToString(s)
	default:
		if !intervalLiteral(l, v, putInt) {
			if values.IsInterval(t) {
				return bad()
			}
			return nil, fmt.Errorf("literal of type %s is not supported", sqlType(t))
		}
	}
	return l, nil
}

func (l *literalExpr) DataType() arrow.DataType { return l.t }
func (l *literalExpr) String() string           { return l.text }

func (l *literalExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	if l.null {
		return nullArray(mem, l.t, n), nil
	}
	switch l.t.ID() {
	case arrow.BOOL:
		buf := newBuf(mem, int(bitutil.BytesForBits(int64(n))))
		bitutil.SetBitsTo(buf.Bytes(), 0, int64(n), l.b)
		return makeArray(l.t, n, 0, nil, buf), nil
	case arrow.STRING, arrow.BINARY:
		offs := newBuf(mem, 4*(n+1))
		o := arrow.Int32Traits.CastFromBytes(offs.Bytes())
		w := len(l.str)
		if int64(w)*int64(n) > math.MaxInt32 {
			offs.Release()
			return nil, fmt.Errorf("literal %s: %d copies exceed the string array limit", l.text, n)
		}
		for i := range o {
			o[i] = int32(i * w)
		}
		data := newBuf(mem, w*n)
		fillRepeat(data.Bytes(), l.str)
		return makeArray(l.t, n, 0, nil, offs, data), nil
	}
	data := newDataBuf(mem, len(l.elem)*n)
	fillRepeat(data.Bytes(), l.elem)
	return makeArray(l.t, n, 0, nil, data), nil
}

// fillRepeat fills dst with copies of pat (len(dst) is a multiple of len(pat)).
func fillRepeat(dst, pat []byte) {
	if len(dst) == 0 || len(pat) == 0 {
		return
	}
	k := copy(dst, pat)
	for k < len(dst) {
		k += copy(dst[k:], dst[:k])
	}
}

// formatTimestamp renders microseconds since the epoch as Spark does.
func formatTimestamp(us int64) string {
	t := time.UnixMicro(us).UTC()
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04:05.999999")
}
