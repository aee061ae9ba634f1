package datefn

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// sizes are the batch lengths the random tests use, including empty ones.
var sizes = []int{0, 1, 7, 300}

func newRng(t *testing.T) *rand.Rand {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	return rand.New(rand.NewPCG(seed, 17))
}

func evalOn(t *testing.T, mem memory.Allocator, e expr.Expr, cols ...arrow.Array) (arrow.Array, error) {
	t.Helper()
	fields := make([]arrow.Field, len(cols))
	n := 0
	for i, c := range cols {
		fields[i] = arrow.Field{Name: "c" + string(rune('0'+i)), Type: c.DataType(), Nullable: true}
		n = c.Len()
	}
	b := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(n))
	defer b.Release()
	return e.Eval(mem, b)
}

func mustEval(t *testing.T, mem memory.Allocator, e expr.Expr, cols ...arrow.Array) arrow.Array {
	t.Helper()
	out, err := evalOn(t, mem, e, cols...)
	if err != nil {
		t.Fatalf("%s: %v", e, err)
	}
	if out.Len() != cols[0].Len() {
		t.Fatalf("%s: %d rows, want %d", e, out.Len(), cols[0].Len())
	}
	return out
}

func colExpr(i int, a arrow.Array) expr.Expr {
	return expr.Column(i, "c"+string(rune('0'+i)), a.DataType())
}

// randDays returns n random dates (years about -200..4000 plus a few
// extremes), a tenth null. The array is a slice of a longer one so that
// offsets are exercised.
func randDays(mem memory.Allocator, r *rand.Rand, n int) arrow.Array {
	b := array.NewDate32Builder(mem)
	defer b.Release()
	b.Append(0)
	for range n {
		switch {
		case r.IntN(10) == 0:
			b.AppendNull()
		case r.IntN(50) == 0:
			b.Append(arrow.Date32([]int32{0, -1, 11016, 10957, -719162, 2932896}[r.IntN(6)]))
		default:
			b.Append(arrow.Date32(r.Int32N(1_500_000) - 800_000))
		}
	}
	full := b.NewArray()
	defer full.Release()
	return array.NewSlice(full, 1, int64(n+1))
}

// randMicros returns n random timestamps over about the same years.
func randMicros(mem memory.Allocator, r *rand.Rand, n int) arrow.Array {
	b := array.NewTimestampBuilder(mem, Timestamp.(*arrow.TimestampType))
	defer b.Release()
	b.Append(0)
	for range n {
		switch {
		case r.IntN(10) == 0:
			b.AppendNull()
		case r.IntN(20) == 0:
			b.Append(arrow.Timestamp(r.Int64N(2*usPerDay) - usPerDay))
		default:
			b.Append(arrow.Timestamp(r.Int64N(1_500_000*usPerDay) - 800_000*usPerDay))
		}
	}
	full := b.NewArray()
	defer full.Release()
	return array.NewSlice(full, 1, int64(n+1))
}

// randInt32s returns n int32 values in [lo, hi), a tenth null.
func randInt32s(mem memory.Allocator, r *rand.Rand, n int, lo, hi int32) arrow.Array {
	b := array.NewInt32Builder(mem)
	defer b.Release()
	for range n {
		if r.IntN(10) == 0 {
			b.AppendNull()
		} else {
			b.Append(lo + r.Int32N(hi-lo))
		}
	}
	return b.NewArray()
}

func toTime(days int64) time.Time { return time.Unix(days*86400, 0).UTC() }

func microTime(us int64) time.Time { return time.UnixMicro(us).UTC() }

func daysOf(t time.Time) int64 { return floorDiv(t.Unix(), 86400) }

// lit makes a literal expression or fails the test.
func lit(t *testing.T, v any, typ arrow.DataType) expr.Expr {
	t.Helper()
	e, err := expr.Literal(v, typ)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// one is a one-row batch input for evaluating literal expressions.
func one(mem memory.Allocator) arrow.Array {
	b := array.NewInt32Builder(mem)
	defer b.Release()
	b.Append(0)
	return b.NewArray()
}

func dateLit(t *testing.T, s string) expr.Expr {
	t.Helper()
	tm, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return lit(t, tm, Date)
}

func tsLit(t *testing.T, s string) expr.Expr {
	t.Helper()
	tm, err := time.Parse("2006-01-02 15:04:05.999999", s)
	if err != nil {
		t.Fatal(err)
	}
	return lit(t, tm, Timestamp)
}

func strLit(t *testing.T, s string) expr.Expr { return lit(t, s, arrow.BinaryTypes.String) }

func intLit(t *testing.T, v int64) expr.Expr { return lit(t, v, arrow.PrimitiveTypes.Int32) }

// scalar evaluates e over one row and returns its value as Go text
// ("NULL" for null; dates yyyy-mm-dd; timestamps with tsText).
func scalar(t *testing.T, mem memory.Allocator, e expr.Expr) (string, error) {
	t.Helper()
	in := one(mem)
	defer in.Release()
	out, err := evalOn(t, mem, e, in)
	if err != nil {
		return "", err
	}
	defer out.Release()
	if out.IsNull(0) {
		return "NULL", nil
	}
	switch a := out.(type) {
	case *array.Date32:
		return dateText(int64(a.Value(0))), nil
	case *array.Timestamp:
		return tsText(int64(a.Value(0))), nil
	}
	return out.ValueStr(0), nil
}

// check compares out (fixed-width values of type T) with the row-at-a-time
// reference want, which reports valid=false for a null row.
func check[T int32 | int64 | float64](t *testing.T, what string, out arrow.Array, want func(i int) (T, bool)) {
	t.Helper()
	vals := arrow.GetValues[T](out.Data(), 1)
	for i := range out.Len() {
		w, ok := want(i)
		if out.IsValid(i) != ok {
			t.Fatalf("%s row %d: valid %v, want %v", what, i, out.IsValid(i), ok)
		}
		if ok && vals[i] != w {
			t.Fatalf("%s row %d: got %v, want %v", what, i, vals[i], w)
		}
	}
}

var (
	int32Type = arrow.PrimitiveTypes.Int32
	int64Type = arrow.PrimitiveTypes.Int64
)
