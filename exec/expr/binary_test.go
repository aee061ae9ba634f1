package expr_test

import (
	"bytes"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

func toI64(v any) int64 {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	}
	panic(v)
}

func fromI64(t arrow.DataType, v int64) any {
	switch t.ID() {
	case arrow.INT8:
		return int8(v)
	case arrow.INT16:
		return int16(v)
	case arrow.INT32:
		return int32(v)
	}
	return v
}

// refBinary computes one row of l op r for non-decimal types; err is the
// expected sentinel.
func refBinary(op expr.BinaryOp, t arrow.DataType, a, b any) (any, error) {
	if a == nil || b == nil {
		return nil, nil
	}
	if op >= expr.Eq && op <= expr.GtEq {
		c := refCompare(a, b)
		switch op {
		case expr.Eq:
			return c == 0, nil
		case expr.NotEq:
			return c != 0, nil
		case expr.Lt:
			return c < 0, nil
		case expr.LtEq:
			return c <= 0, nil
		case expr.Gt:
			return c > 0, nil
		}
		return c >= 0, nil
	}
	switch t.ID() {
	case arrow.FLOAT32, arrow.FLOAT64:
		var x, y float64
		if t.ID() == arrow.FLOAT32 {
			x, y = float64(a.(float32)), float64(b.(float32))
		} else {
			x, y = a.(float64), b.(float64)
		}
		var z float64
		switch op {
		case expr.Add:
			z = x + y
		case expr.Sub:
			z = x - y
		case expr.Mul:
			z = x * y
		case expr.Div:
			if y == 0 {
				return nil, expr.ErrDivideByZero
			}
			z = x / y
		case expr.Mod:
			if y == 0 {
				return nil, expr.ErrDivideByZero
			}
			z = math.Mod(x, y)
		}
		if t.ID() == arrow.FLOAT32 {
			if op == expr.Mod {
				return float32(math.Mod(float64(float32(x)), float64(float32(y)))), nil
			}
			switch op {
			case expr.Add:
				return a.(float32) + b.(float32), nil
			case expr.Sub:
				return a.(float32) - b.(float32), nil
			case expr.Mul:
				return a.(float32) * b.(float32), nil
			}
			return a.(float32) / b.(float32), nil
		}
		return z, nil
	}
	x, y := big.NewInt(toI64(a)), big.NewInt(toI64(b))
	z := new(big.Int)
	switch op {
	case expr.Add:
		z.Add(x, y)
	case expr.Sub:
		z.Sub(x, y)
	case expr.Mul:
		z.Mul(x, y)
	case expr.Mod:
		if y.Sign() == 0 {
			return nil, expr.ErrDivideByZero
		}
		z.Rem(x, y) // truncated: sign of the dividend
	}
	bits := t.(arrow.FixedWidthDataType).BitWidth()
	lim := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
	if z.Cmp(lim) >= 0 || z.Cmp(new(big.Int).Neg(lim)) < 0 {
		return nil, expr.ErrOverflow
	}
	return fromI64(t, z.Int64()), nil
}

// refCompare orders row values as Spark does (NaN largest and equal to NaN).
func refCompare(a, b any) int {
	switch x := a.(type) {
	case bool:
		return b2i(x) - b2i(b.(bool))
	case float32:
		return refCompare(float64(x), float64(b.(float32)))
	case float64:
		y := b.(float64)
		xn, yn := math.IsNaN(x), math.IsNaN(y)
		switch {
		case xn && yn:
			return 0
		case xn:
			return 1
		case yn:
			return -1
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case string:
		return bytes.Compare([]byte(x), []byte(b.(string)))
	case time.Time:
		return x.Compare(b.(time.Time))
	case values.Decimal:
		return x.Rat().Cmp(b.(values.Decimal).Rat())
	}
	x, y := toI64(a), toI64(b)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// runBinary checks op over random arrays of types lt, rt against ref.
func runBinary(t *testing.T, r *rand.Rand, op expr.BinaryOp, lt, rt arrow.DataType,
	ref func(a, b any) (any, error)) {
	t.Helper()
	mem := exectest.Alloc(t)
	e, err := expr.Binary(op, col(0, lt), col(1, rt))
	if err != nil {
		t.Fatalf("Binary(%s, %s, %s): %v", op, lt, rt, err)
	}
	for _, n := range sizes {
		for _, nullFrac := range []float64{0, 0.2, 1} {
			lv, rv := randVals(r, lt, n, nullFrac), randVals(r, rt, n, nullFrac)
			if op == expr.Mod || op == expr.Div {
				// make most divisors non-zero so results are compared too
				for i, v := range rv {
					if v != nil && r.IntN(4) != 0 && isZero(v) {
						rv[i] = nil
					}
				}
			}
			for pass := 0; pass < 2; pass++ {
				failed := checkBinaryOnce(t, mem, e, lt, rt, lv, rv, ref)
				if len(failed) == 0 {
					break
				}
				// null out the failing rows and check the values of the rest
				for _, i := range failed {
					lv[i] = nil
				}
			}
		}
	}
}

func isZero(v any) bool {
	switch x := v.(type) {
	case int64:
		return x == 0
	case float64:
		return x == 0
	case *big.Int:
		return x.Sign() == 0
	}
	return false
}

func TestArithmeticMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	types := append(append([]arrow.DataType{}, intTypes...), arrow.PrimitiveTypes.Float32, arrow.PrimitiveTypes.Float64)
	for _, typ := range types {
		for _, op := range []expr.BinaryOp{expr.Add, expr.Sub, expr.Mul, expr.Div, expr.Mod} {
			if op == expr.Div && typ.ID() != arrow.FLOAT32 && typ.ID() != arrow.FLOAT64 {
				if _, err := expr.BinaryResultType(op, typ, typ); err == nil {
					t.Errorf("integer division of %s accepted", typ)
				}
				continue
			}
			for rep := 0; rep < 3; rep++ {
				runBinary(t, r, op, typ, typ, func(a, b any) (any, error) { return refBinary(op, typ, a, b) })
			}
		}
	}
}

func TestComparisonsMatchNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	types := append(append([]arrow.DataType{}, intTypes...), arrow.PrimitiveTypes.Float32, arrow.PrimitiveTypes.Float64,
		arrow.BinaryTypes.String, arrow.FixedWidthTypes.Date32, tsType, arrow.FixedWidthTypes.Boolean,
		dec(15, 2), dec(30, 5))
	for _, typ := range types {
		for op := expr.Eq; op <= expr.GtEq; op++ {
			runBinary(t, r, op, typ, typ, func(a, b any) (any, error) { return refBinary(op, typ, a, b) })
		}
	}
	// decimals of different precision and scale
	pairs := [][2]arrow.DataType{{dec(15, 2), dec(3, 2)}, {dec(15, 2), dec(2, 0)}, {dec(10, 0), dec(18, 8)},
		{dec(38, 10), dec(12, 2)}, {dec(18, 0), dec(38, 38)}, {dec(5, 5), dec(25, 0)}}
	for _, p := range pairs {
		for op := expr.Eq; op <= expr.GtEq; op++ {
			runBinary(t, r, op, p[0], p[1], func(a, b any) (any, error) { return refBinary(op, p[0], a, b) })
			runBinary(t, r, op, p[1], p[0], func(a, b any) (any, error) { return refBinary(op, p[1], a, b) })
		}
	}
}

// refDecimal computes a decimal op exactly and rounds to the result type.
func refDecimal(op expr.BinaryOp, rt arrow.DataType, a, b any) (any, error) {
	if a == nil || b == nil {
		return nil, nil
	}
	p, s := kernels.DecimalParams(rt)
	x, y := ratOf(a), ratOf(b)
	z := new(big.Rat)
	switch op {
	case expr.Add:
		z.Add(x, y)
	case expr.Sub:
		z.Sub(x, y)
	case expr.Mul:
		z.Mul(x, y)
	case expr.Div, expr.Mod:
		if y.Sign() == 0 {
			return nil, expr.ErrDivideByZero
		}
		z.Quo(x, y)
		if op == expr.Mod {
			q := new(big.Int).Quo(z.Num(), z.Denom()) // truncated quotient
			z.Sub(x, new(big.Rat).Mul(y, new(big.Rat).SetInt(q)))
		}
	}
	u := roundHalfUp(z, s)
	if !fitsPrec(u, p) {
		return nil, expr.ErrOverflow
	}
	return values.Decimal{Unscaled: decimal128FromBig(u), Scale: s}, nil
}

func TestDecimalArithmeticMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pairs := [][2]arrow.DataType{
		{dec(15, 2), dec(15, 2)}, {dec(1, 0), dec(15, 2)}, {dec(15, 2), dec(16, 2)}, {dec(32, 4), dec(16, 2)},
		{dec(18, 0), dec(18, 18)}, {dec(9, 3), dec(7, 5)}, {dec(38, 10), dec(38, 2)}, {dec(20, 2), dec(5, 1)},
		{dec(38, 0), dec(38, 38)}, {dec(10, 2), dec(10, 9)}, {dec(3, 0), dec(3, 0)}, {dec(5, 1), dec(20, 2)},
	}
	for _, p := range pairs {
		for _, op := range []expr.BinaryOp{expr.Add, expr.Sub, expr.Mul, expr.Div, expr.Mod} {
			rt, err := expr.BinaryResultType(op, p[0], p[1])
			if err != nil {
				t.Fatal(err)
			}
			runBinary(t, r, op, p[0], p[1], func(a, b any) (any, error) { return refDecimal(op, rt, a, b) })
		}
	}
}

func TestKleeneLogic(t *testing.T) {
	mem := exectest.Alloc(t)
	vals := []any{true, false, nil}
	var lv, rv []any
	for _, a := range vals {
		for _, b := range vals {
			lv, rv = append(lv, a), append(rv, b)
		}
	}
	bt := arrow.FixedWidthTypes.Boolean
	ref := map[expr.BinaryOp]func(a, b any) any{
		expr.And: func(a, b any) any {
			if a == false || b == false {
				return false
			}
			if a == nil || b == nil {
				return nil
			}
			return true
		},
		expr.Or: func(a, b any) any {
			if a == true || b == true {
				return true
			}
			if a == nil || b == nil {
				return nil
			}
			return false
		},
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{9, 0, 1000} {
		l, rr := lv, rv
		if n != 9 {
			l, rr = randVals(r, bt, n, 0.3), randVals(r, bt, n, 0.3)
		}
		for op, f := range ref {
			la, ra := build(mem, bt, l), build(mem, bt, rr)
			got := must(evalCols(mem, must(expr.Binary(op, col(0, bt), col(1, bt))), len(l), la, ra))
			want := make([]any, len(l))
			for i := range want {
				want[i] = f(l[i], rr[i])
			}
			checkRows(t, op.String(), got, want)
			got.Release()
			la.Release()
			ra.Release()
		}
	}
}

func TestBinaryResultTypes(t *testing.T) {
	_ = exectest.Alloc(t)
	d := func(op expr.BinaryOp, l, r arrow.DataType) arrow.DataType {
		return must(expr.BinaryResultType(op, l, r))
	}
	// TPC-H Q1
	one := d(expr.Sub, dec(1, 0), dec(15, 2))
	if !arrow.TypeEqual(one, dec(16, 2)) {
		t.Errorf("1 - l_discount: %s", one)
	}
	prod := d(expr.Mul, dec(15, 2), one)
	if !arrow.TypeEqual(prod, dec(32, 4)) {
		t.Errorf("price * (1 - discount): %s", prod)
	}
	if got := d(expr.Mul, prod, d(expr.Add, dec(1, 0), dec(15, 2))); !arrow.TypeEqual(got, dec(38, 6)) {
		t.Errorf("charge: %s", got)
	}
	if got := d(expr.Div, dec(38, 2), dec(38, 2)); !arrow.TypeEqual(got, dec(38, 6)) {
		t.Errorf("div: %s", got)
	}
	if got := d(expr.Div, dec(10, 2), dec(5, 1)); !arrow.TypeEqual(got, dec(17, 8)) {
		t.Errorf("div small: %s", got)
	}
	if got := d(expr.Mod, dec(10, 2), dec(5, 1)); !arrow.TypeEqual(got, dec(6, 2)) {
		t.Errorf("mod: %s", got)
	}
	if got := d(expr.Add, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int32); got.ID() != arrow.INT32 {
		t.Errorf("int add: %s", got)
	}
	if got := d(expr.Lt, dec(15, 2), dec(3, 2)); got.ID() != arrow.BOOL {
		t.Errorf("compare: %s", got)
	}
	if _, err := expr.BinaryResultType(expr.Add, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64); err == nil {
		t.Error("mixed int types accepted")
	}
	if _, err := expr.BinaryResultType(expr.And, arrow.PrimitiveTypes.Int32, arrow.FixedWidthTypes.Boolean); err == nil {
		t.Error("AND on int accepted")
	}
}

// checkBinaryOnce evaluates e on one pair of inputs and compares with ref; it
// returns the rows where ref reports an error (the evaluation must fail then).
func checkBinaryOnce(t *testing.T, mem *memory.CheckedAllocator, e expr.Expr, lt, rt arrow.DataType, lv, rv []any,
	ref func(a, b any) (any, error)) []int {
	t.Helper()
	n := len(lv)
	la, ra := build(mem, lt, lv), build(mem, rt, rv)
	defer la.Release()
	defer ra.Release()
	lrows, rrows := rowValues(la), rowValues(ra)
	want := make([]any, n)
	var wantErr error
	var failed []int
	for i := range want {
		var err error
		want[i], err = ref(lrows[i], rrows[i])
		if err != nil {
			failed = append(failed, i)
			if wantErr == nil {
				wantErr = err
			}
		}
	}
	got, err := evalCols(mem, e, n, la, ra)
	what := e.String() + " " + lt.String() + "," + rt.String()
	if wantErr != nil {
		if !isErr(err, wantErr) {
			t.Fatalf("%s n=%d: got err %v, want %v", what, n, err, wantErr)
		}
		if got != nil {
			got.Release()
		}
		return failed
	}
	if err != nil {
		t.Fatalf("%s n=%d: %v", what, n, err)
	}
	defer got.Release()
	if !arrow.TypeEqual(got.DataType(), e.DataType()) {
		t.Fatalf("%s: result type %s, declared %s", what, got.DataType(), e.DataType())
	}
	checkRows(t, what, got, want)
	return nil
}
