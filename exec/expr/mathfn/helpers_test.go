package mathfn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// sizes are the batch sizes of the random tests: empty, one row, not a
// multiple of 8, larger.
var sizes = []int{0, 1, 7, 100, 1000}

var (
	i8  = arrow.PrimitiveTypes.Int8
	i16 = arrow.PrimitiveTypes.Int16
	i32 = arrow.PrimitiveTypes.Int32
	i64 = arrow.PrimitiveTypes.Int64
	f32 = arrow.PrimitiveTypes.Float32
	f64 = arrow.PrimitiveTypes.Float64
	str = arrow.BinaryTypes.String
	tsT = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
)

func dec(p, s int32) arrow.DataType {
	if p <= 18 {
		return &arrow.Decimal64Type{Precision: p, Scale: s}
	}
	return &arrow.Decimal128Type{Precision: p, Scale: s}
}

func newRand(t *testing.T) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(len(t.Name())), 42))
}

// build makes an array of type t from values (nil = null): int64 for
// integers, dates and timestamps, float64 for floats, string, []byte, bool,
// decimal128.Num (unscaled) for decimals.
func build(mem memory.Allocator, t arrow.DataType, vals []any) arrow.Array {
	b := array.NewBuilder(mem, t)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
			continue
		}
		switch bb := b.(type) {
		case *array.BooleanBuilder:
			bb.Append(v.(bool))
		case *array.Int8Builder:
			bb.Append(int8(v.(int64)))
		case *array.Int16Builder:
			bb.Append(int16(v.(int64)))
		case *array.Int32Builder:
			bb.Append(int32(v.(int64)))
		case *array.Int64Builder:
			bb.Append(v.(int64))
		case *array.Float32Builder:
			bb.Append(float32(v.(float64)))
		case *array.Float64Builder:
			bb.Append(v.(float64))
		case *array.StringBuilder:
			bb.Append(v.(string))
		case *array.BinaryBuilder:
			bb.Append(v.([]byte))
		case *array.Date32Builder:
			bb.Append(arrow.Date32(v.(int64)))
		case *array.TimestampBuilder:
			bb.Append(arrow.Timestamp(v.(int64)))
		case *array.Decimal64Builder:
			bb.Append(decimal.Decimal64(int64(v.(decimal128.Num).LowBits())))
		case *array.Decimal128Builder:
			bb.Append(v.(decimal128.Num))
		default:
			panic(fmt.Sprintf("build: %T", b))
		}
	}
	return b.NewArray()
}

// buildDict dictionary-encodes string values.
func buildDict(mem memory.Allocator, vals []any) arrow.Array {
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: str}
	b := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	defer b.Release()
	for _, v := range vals {
		if v == nil {
			b.AppendNull()
		} else if err := b.AppendString(v.(string)); err != nil {
			panic(err)
		}
	}
	return b.NewArray()
}

func intRange(t arrow.DataType) (int64, int64) {
	switch t.ID() {
	case arrow.INT8:
		return math.MinInt8, math.MaxInt8
	case arrow.INT16:
		return math.MinInt16, math.MaxInt16
	case arrow.INT32, arrow.DATE32:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

var specialDoubles = []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 0.5, -0.5, 1.5, 2.5, -2.5,
	0.125, 1.005, 2.675, 1e300, -1e-300, 9.223372036854775807e18, -1e19, 123456789.987654321, 1}

// randVals returns n random values of type t (as build takes them) with
// about nullFrac nulls; integers avoid their type's minimum (tested apart).
func randVals(r *rand.Rand, t arrow.DataType, n int, nullFrac float64) []any {
	out := make([]any, n)
	for i := range out {
		if r.Float64() < nullFrac {
			continue
		}
		switch t.ID() {
		case arrow.BOOL:
			out[i] = r.IntN(2) == 1
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.DATE32, arrow.TIMESTAMP:
			lo, hi := intRange(t)
			switch r.IntN(4) {
			case 0:
				out[i] = hi
			case 1:
				out[i] = lo + 1
			default:
				v := r.Int64N(2001) - 1000
				if v <= lo || v > hi {
					v %= hi
				}
				out[i] = v
			}
		case arrow.FLOAT32, arrow.FLOAT64:
			switch r.IntN(3) {
			case 0:
				out[i] = specialDoubles[r.IntN(len(specialDoubles))]
			case 1:
				out[i] = float64(r.IntN(2001)-1000) / 8
			default:
				out[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(12)-4))
			}
			if t.ID() == arrow.FLOAT32 {
				out[i] = float64(float32(out[i].(float64)))
			}
		case arrow.STRING:
			const alphabet = "abcXYZ01 é漢"
			rs := []rune(alphabet)
			b := make([]rune, r.IntN(9))
			for k := range b {
				b[k] = rs[r.IntN(len(rs))]
			}
			out[i] = string(b)
		case arrow.BINARY:
			b := make([]byte, r.IntN(9))
			for k := range b {
				b[k] = byte(r.IntN(256))
			}
			out[i] = b
		case arrow.DECIMAL64, arrow.DECIMAL128:
			p, _ := kernels.DecimalParams(t)
			digits := 1 + r.IntN(int(p))
			if r.IntN(4) == 0 {
				digits = int(p)
			}
			v := decimal128.FromI64(0)
			for k := 0; k < digits; k++ {
				d := int64(r.IntN(10))
				if k == 0 && digits == int(p) && r.IntN(2) == 0 {
					d = 9
				}
				v = v.Mul(decimal128.FromI64(10)).Add(decimal128.FromI64(d))
			}
			if r.IntN(2) == 0 {
				v = v.Negate()
			}
			out[i] = v
		default:
			panic("randVals: " + t.String())
		}
	}
	return out
}

// eval evaluates e on a batch of the columns cols (c0, c1, ...).
func eval(mem memory.Allocator, e expr.Expr, n int, cols ...arrow.Array) (arrow.Array, error) {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: c.DataType(), Nullable: true}
	}
	b := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(n))
	defer b.Release()
	return e.Eval(mem, b)
}

// col is a column reference to batch column i of the array a.
func col(i int, a arrow.Array) expr.Expr { return expr.Column(i, fmt.Sprintf("c%d", i), a.DataType()) }

// sameValue compares a result value with an expected one: NaN equals NaN,
// float signs of zero matter, decimals compare unscaled value and scale.
func sameValue(got, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case float64:
		g, ok := got.(float64)
		return ok && (g == w && math.Signbit(g) == math.Signbit(w) || g != g && w != w)
	case float32:
		g, ok := got.(float32)
		return ok && (g == w && math.Signbit(float64(g)) == math.Signbit(float64(w)) || g != g && w != w)
	case values.Decimal:
		g, ok := got.(values.Decimal)
		return ok && g.Scale == w.Scale && g.Unscaled == w.Unscaled
	case []byte:
		g, ok := got.([]byte)
		return ok && string(g) == string(w)
	}
	return got == want
}

// expectValues checks every row of got against want.
func expectValues(t *testing.T, what string, got arrow.Array, want []any) {
	t.Helper()
	if got.Len() != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, got.Len(), len(want))
	}
	for i, w := range want {
		if g := values.Value(got, i); !sameValue(g, w) {
			t.Fatalf("%s row %d: got %v (%T), want %v (%T)", what, i, g, g, w, w)
		}
	}
}

// alloc is exectest.Alloc.
func alloc(t *testing.T) memory.Allocator { return exectest.Alloc(t) }

// failExpr is a DOUBLE expression whose evaluation fails.
type failExpr struct{}

func (failExpr) DataType() arrow.DataType { return f64 }
func (failExpr) String() string           { return "fail()" }
func (failExpr) Eval(memory.Allocator, arrow.RecordBatch) (arrow.Array, error) {
	return nil, errErrEvaluated
}

var errErrEvaluated = fmt.Errorf("evaluated")
