package strfn

import (
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// refGroup inserts thousands separators into the integer part of an
// unsigned decimal text.
func refGroup(s string) string {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var parts []string
	for len(intPart) > 3 {
		parts = append([]string{intPart[len(intPart)-3:]}, parts...)
		intPart = intPart[:len(intPart)-3]
	}
	out := strings.Join(append([]string{intPart}, parts...), ",")
	if hasFrac {
		out += "." + frac
	}
	return out
}

// refFormatBig rounds |u| × 10^-scale half-even to d places with big
// integers.
func refFormatBig(u *big.Int, scale, d int) string {
	neg := u.Sign() < 0
	m := new(big.Int).Abs(u)
	if d >= scale {
		m.Mul(m, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d-scale)), nil))
	} else {
		div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale-d)), nil)
		q, r := new(big.Int).QuoRem(m, div, new(big.Int))
		c := new(big.Int).Lsh(r, 1).Cmp(div)
		if c > 0 || c == 0 && q.Bit(0) == 1 {
			q.Add(q, big.NewInt(1))
		}
		m = q
	}
	s := m.String()
	if d > 0 {
		for len(s) <= d {
			s = "0" + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	s = refGroup(s)
	if neg {
		s = "-" + s
	}
	return s
}

// refFormatFloat formats v ≥ 0 as Java's DecimalFormat: the shortest
// decimal reading back as v when it has at most d places, else the exact
// binary value rounded half-even.
func refFormatFloat(v float64, d int) string {
	short, ok := new(big.Rat).SetString(strconv.FormatFloat(v, 'g', -1, 64))
	if !ok {
		panic(v)
	}
	scaled := new(big.Rat).Mul(short, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil)))
	if scaled.IsInt() {
		return plain(scaled.Num(), d)
	}
	exact := new(big.Rat).SetFloat64(v)
	scaled.Mul(exact, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil)))
	q, r := new(big.Int).QuoRem(scaled.Num(), scaled.Denom(), new(big.Int))
	c := new(big.Int).Lsh(r, 1).Cmp(scaled.Denom())
	if c > 0 || c == 0 && q.Bit(0) == 1 {
		q.Add(q, big.NewInt(1))
	}
	return plain(q, d)
}

// plain writes the integer m × 10^-d with d decimals, without grouping.
func plain(m *big.Int, d int) string {
	s := m.String()
	if d == 0 {
		return s
	}
	for len(s) <= d {
		s = "0" + s
	}
	return s[:len(s)-d] + "." + s[len(s)-d:]
}

func TestFormatNumberAgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(3, 5))
	dec := &arrow.Decimal128Type{Precision: 38, Scale: 5}
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "m", Type: dec, Nullable: true},
		{Name: "d", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	}, nil)
	cols := columns(sc)
	for _, size := range []int{0, 1, 17, 1000} {
		b := array.NewRecordBuilder(mem, sc)
		type row struct {
			i    int64
			f    float64
			m    *big.Int
			d    int32
			null [4]bool
		}
		rows := make([]row, size)
		for k := range rows {
			rw := &rows[k]
			switch r.IntN(4) {
			case 0:
				rw.i = r.Int64() >> r.IntN(64)
			case 1:
				rw.i = math.MinInt64
			default:
				rw.i = int64(r.IntN(20000)) - 10000
			}
			if r.IntN(2) == 0 {
				rw.i = -rw.i
			}
			rw.f = (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(16)))
			if r.IntN(5) == 0 {
				rw.f = float64(r.IntN(200)-100) / 8 // exact ties
			}
			hi := new(big.Int).Lsh(big.NewInt(r.Int64N(1<<60)), 64)
			rw.m = new(big.Int).Add(hi, new(big.Int).SetUint64(r.Uint64()))
			rw.m.Rsh(rw.m, uint(r.IntN(120)))
			if r.IntN(5) == 0 {
				rw.m = big.NewInt(int64(r.IntN(2000)-1000) * 500) // ties at d = 3
			}
			if r.IntN(2) == 0 {
				rw.m.Neg(rw.m)
			}
			rw.d = int32(r.IntN(9) - 1)
			for j := range rw.null {
				rw.null[j] = r.IntN(8) == 0
			}
			appendOrNull := func(j int, f func()) {
				if rw.null[j] {
					b.Field(j).AppendNull()
				} else {
					f()
				}
			}
			appendOrNull(0, func() { b.Field(0).(*array.Int64Builder).Append(rw.i) })
			appendOrNull(1, func() { b.Field(1).(*array.Float64Builder).Append(rw.f) })
			appendOrNull(2, func() { b.Field(2).(*array.Decimal128Builder).Append(decimal128.FromBigInt(rw.m)) })
			appendOrNull(3, func() { b.Field(3).(*array.Int32Builder).Append(rw.d) })
		}
		batch := b.NewRecordBatch()
		b.Release()
		for x := 0; x < 3; x++ {
			e, err := FormatNumber(cols[x], cols[3])
			if err != nil {
				t.Fatal(err)
			}
			got := eval(t, mem, e, batch)
			for k, rw := range rows {
				var want any
				if !rw.null[x] && !rw.null[3] && rw.d >= 0 {
					switch x {
					case 0:
						want = refFormatBig(big.NewInt(rw.i), 0, int(rw.d))
					case 1:
						want = refGroup(refFormatFloat(math.Abs(rw.f), int(rw.d)))
						if math.Signbit(rw.f) {
							want = "-" + want.(string)
						}
					case 2:
						want = refFormatBig(rw.m, 5, int(rw.d))
					}
				}
				if !reflect.DeepEqual(got[k], want) {
					t.Fatalf("%s row %d (%+v): got %#v, want %#v", e, k, rw, got[k], want)
				}
			}
		}
		batch.Release()
	}
}

// TestFormatNumberExamples checks hand-computed values.
func TestFormatNumberExamples(t *testing.T) {
	mem := exectest.Alloc(t)
	dec := &arrow.Decimal64Type{Precision: 11, Scale: 6}
	sc := arrow.NewSchema([]arrow.Field{{Name: "m", Type: dec, Nullable: true}, {Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	b := exectest.Batch(mem, sc, [][]any{
		{int64(12332123456), 2.5}, // Spark docs: SELECT format_number(12332.123456, 4) → 12,332.1235
		{int64(-500), math.NaN()},
		{nil, math.Inf(-1)},
		{int64(999999500000), -0.001},
	})
	defer b.Release()
	cols := columns(sc)
	for _, c := range []struct {
		x    int
		d    any
		want []any
	}{
		{0, 4, []any{"12,332.1235", "-0.0005", nil, "999,999.5000"}},
		{0, 0, []any{"12,332", "-0", nil, "1,000,000"}}, // 999999.5 is a tie: to even
		{0, -1, []any{nil, nil, nil, nil}},
		{0, nil, []any{nil, nil, nil, nil}},
		{1, 0, []any{"2", "NaN", "-∞", "-0"}}, // Java's DecimalFormat keeps the sign of values rounding to zero
		{1, 2, []any{"2.50", "NaN", "-∞", "-0.00"}},
		{1, 20, []any{"2.50000000000000000000", "NaN", "-∞", "-0.00100000000000000000"}}, // the shortest decimal, padded, as Java
	} {
		e, err := FormatNumber(cols[c.x], lit(t, c.d))
		if err != nil {
			t.Fatal(err)
		}
		if got := eval(t, mem, e, b); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %#v, want %#v", e, got, c.want)
		}
		if d, ok := c.d.(int); ok {
			k, err := IntConst(int32(d))
			if err != nil {
				t.Fatal(err)
			}
			if e, err = FormatNumber(cols[c.x], k); err != nil {
				t.Fatal(err)
			}
			if got := eval(t, mem, e, b); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s with a constant: got %#v, want %#v", e, got, c.want)
			}
		}
	}
	if _, err := FormatNumber(expr.Column(0, "s", arrow.BinaryTypes.String), lit(t, 1)); err == nil {
		t.Error("format_number of a string column must be rejected")
	}
}
