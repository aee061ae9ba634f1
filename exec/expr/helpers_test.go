package expr_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

var (
	tsType   = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	intTypes = []arrow.DataType{arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64}
)

func dec(p, s int32) arrow.DataType {
	if p <= 18 {
		return &arrow.Decimal64Type{Precision: p, Scale: s}
	}
	return &arrow.Decimal128Type{Precision: p, Scale: s}
}

// sizes used by random tests: empty, small, not a multiple of 8, larger.
var sizes = []int{0, 1, 7, 13, 100, 1000}

// build makes an array of type t from row values (nil = null).
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
		case *array.Date32Builder:
			bb.Append(arrow.Date32(v.(int64)))
		case *array.TimestampBuilder:
			bb.Append(arrow.Timestamp(v.(int64)))
		case *array.Decimal64Builder:
			bb.Append(decimal.Decimal64(v.(*big.Int).Int64()))
		case *array.Decimal128Builder:
			bb.Append(decimal128.FromBigInt(v.(*big.Int)))
		default:
			panic(fmt.Sprintf("build: %T", b))
		}
	}
	return b.NewArray()
}

// randVals returns n random raw values of type t (as accepted by build) with
// about nullFrac nulls.
func randVals(r *rand.Rand, t arrow.DataType, n int, nullFrac float64) []any {
	out := make([]any, n)
	for i := range out {
		if r.Float64() < nullFrac {
			continue
		}
		out[i] = randVal(r, t)
	}
	return out
}

func randVal(r *rand.Rand, t arrow.DataType) any {
	switch tt := t.(type) {
	case *arrow.BooleanType:
		return r.IntN(2) == 0
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Int32Type, *arrow.Int64Type:
		bits := tt.(arrow.FixedWidthDataType).BitWidth()
		switch r.IntN(4) {
		case 0: // extremes
			v := []int64{0, 1, -1, -(1 << (bits - 1)), 1<<(bits-1) - 1}[r.IntN(5)]
			return v
		case 1: // full range
			return int64(r.Uint64()) >> (64 - bits)
		default: // small
			return int64(r.IntN(41) - 20)
		}
	case *arrow.Float32Type, *arrow.Float64Type:
		switch r.IntN(10) {
		case 0:
			return math.NaN()
		case 1:
			return 0.0
		case 2:
			return []float64{math.Inf(1), math.Inf(-1), -0.0, 1e300}[r.IntN(4)]
		}
		v := float64(r.IntN(2001)-1000) / 8
		if tt.ID() == arrow.FLOAT32 {
			v = float64(float32(v))
		}
		return v
	case *arrow.StringType:
		alpha := []string{"", "a", "b", "ab", "abc", "B", "é", "x%y", "日本", "aa"}
		var sb strings.Builder
		for k := r.IntN(4); k > 0; k-- {
			sb.WriteString(alpha[r.IntN(len(alpha))])
		}
		return sb.String()
	case *arrow.Date32Type:
		return int64(r.IntN(40000) - 10000)
	case *arrow.TimestampType:
		return r.Int64N(4e15) - 1e15
	case *arrow.Decimal64Type, *arrow.Decimal128Type:
		p, _ := kernels.DecimalParams(t)
		return randUnscaled(r, p)
	}
	panic(fmt.Sprintf("randVal %s", t))
}

func randUnscaled(r *rand.Rand, p int32) *big.Int {
	digits := p
	switch r.IntN(3) {
	case 0:
		digits = int32(r.IntN(int(p)) + 1)
	case 1:
		digits = min(p, 3)
	}
	v := new(big.Int)
	for k := int32(0); k < digits; k++ {
		v.Mul(v, big.NewInt(10))
		v.Add(v, big.NewInt(int64(r.IntN(10))))
	}
	if r.IntN(2) == 0 {
		v.Neg(v)
	}
	return v
}

// evalCols evaluates e over a batch made of cols (named c0, c1, ...).
func evalCols(mem memory.Allocator, e expr.Expr, n int, cols ...arrow.Array) (arrow.Array, error) {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d", i), Type: c.DataType(), Nullable: true}
	}
	b := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(n))
	defer b.Release()
	return e.Eval(mem, b)
}

func col(i int, t arrow.DataType) expr.Expr { return expr.Column(i, fmt.Sprintf("c%d", i), t) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// rowValues returns the row-form values of arr.
func rowValues(arr arrow.Array) []any {
	out := make([]any, arr.Len())
	for i := range out {
		out[i] = values.Value(arr, i)
	}
	return out
}

// sameValue compares row-form values, treating NaN as equal to NaN.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y && math.Signbit(x) == math.Signbit(y) || math.IsNaN(x) && math.IsNaN(y))
	case float32:
		y, ok := b.(float32)
		return ok && (x == y || x != x && y != y)
	case values.Decimal:
		y, ok := b.(values.Decimal)
		return ok && x.Scale == y.Scale && x.Unscaled == y.Unscaled
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	}
	return a == b
}

func checkRows(t *testing.T, what string, got arrow.Array, want []any) {
	t.Helper()
	if got.Len() != len(want) {
		t.Fatalf("%s: got %d rows, want %d", what, got.Len(), len(want))
	}
	g := rowValues(got)
	for i := range want {
		if !sameValue(g[i], want[i]) {
			t.Fatalf("%s: row %d: got %v (%T), want %v (%T)", what, i, g[i], g[i], want[i], want[i])
		}
	}
}

// ratOf returns the exact value of a row-form decimal.
func ratOf(v any) *big.Rat { return v.(values.Decimal).Rat() }

// roundHalfUp returns x rounded half away from zero to scale s, unscaled.
func roundHalfUp(x *big.Rat, s int32) *big.Int {
	y := new(big.Rat).Mul(x, new(big.Rat).SetInt(pow10(s)))
	num, den := new(big.Int).Abs(y.Num()), y.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(rem, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if y.Sign() < 0 {
		q.Neg(q)
	}
	return q
}

func pow10(s int32) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s)), nil) }

func fitsPrec(u *big.Int, p int32) bool { return new(big.Int).Abs(u).Cmp(pow10(p)) < 0 }

func isErr(err, target error) bool { return err != nil && errors.Is(err, target) }

func decimal128FromBig(u *big.Int) decimal128.Num { return decimal128.FromBigInt(u) }
