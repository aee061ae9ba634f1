package mathfn

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// refDivRound divides num by den (den > 0) rounding by mode, on big integers.
func refDivRound(num, den *big.Int, mode RoundMode) *big.Int {
	q, m := new(big.Int), new(big.Int)
	q.DivMod(num, den, m) // Euclidean: m ≥ 0, q = floor(num/den)
	if m.Sign() == 0 {
		return q
	}
	// num/den = q + m/den with 0 < m/den < 1
	twice := new(big.Int).Lsh(m, 1)
	c := twice.Cmp(den)
	up := false
	switch mode {
	case Floor:
	case Ceil:
		up = true
	case HalfUp: // away from zero on ties
		up = c > 0 || (c == 0 && num.Sign() > 0)
	case HalfEven:
		up = c > 0 || (c == 0 && q.Bit(0) == 1)
	}
	if up {
		q.Add(q, big.NewInt(1))
	}
	return q
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// refRoundFloat rounds the shortest decimal form of x to d places on
// rationals.
func refRoundFloat(x float64, d int, mode RoundMode) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
	if d >= 0 {
		r.Mul(r, new(big.Rat).SetInt(pow10(d)))
	} else {
		r.Quo(r, new(big.Rat).SetInt(pow10(-d)))
	}
	q := refDivRound(r.Num(), r.Denom(), mode)
	res := new(big.Rat).SetInt(q)
	if d >= 0 {
		res.Quo(res, new(big.Rat).SetInt(pow10(d)))
	} else {
		res.Mul(res, new(big.Rat).SetInt(pow10(-d)))
	}
	f, _ := res.Float64()
	if f == 0 {
		return 0
	}
	return f
}

func TestRoundFloatRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	for _, typ := range []arrow.DataType{f64, f32} {
		for _, mode := range []RoundMode{HalfUp, HalfEven} {
			for _, d := range []int32{0, 1, 2, 5, -1, -3, 20, -400} {
				for _, n := range sizes {
					vals := randVals(r, typ, n, 0.2)
					in := build(mem, typ, vals)
					e, err := Round(col(0, in), d, mode, typ)
					if err != nil {
						t.Fatal(err)
					}
					got, err := eval(mem, e, n, in)
					if err != nil {
						t.Fatal(err)
					}
					want := make([]any, n)
					for i, v := range vals {
						if v == nil {
							continue
						}
						w := refRoundFloat(v.(float64), int(d), mode)
						if typ == f32 {
							want[i] = float32(w)
						} else {
							want[i] = w
						}
					}
					expectValues(t, e.String(), got, want)
					got.Release()
					in.Release()
				}
			}
		}
	}
}

func TestRoundIntRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	for _, typ := range []arrow.DataType{i8, i16, i32, i64} {
		lo, hi := intRange(typ)
		for _, mode := range []RoundMode{HalfUp, HalfEven} {
			for _, d := range []int32{2, 0, -1, -2, -5, -19, -40} {
				for _, n := range sizes {
					vals := randVals(r, typ, n, 0.2)
					want := make([]any, n)
					overflow := false
					for i, v := range vals {
						if v == nil {
							continue
						}
						x := big.NewInt(v.(int64))
						if d < 0 {
							x = refDivRound(x, pow10(int(-d)), mode)
							x.Mul(x, pow10(int(-d)))
						}
						if x.Cmp(big.NewInt(lo)) < 0 || x.Cmp(big.NewInt(hi)) > 0 {
							overflow = true
							break
						}
						want[i] = castInt(x.Int64(), typ)
					}
					in := build(mem, typ, vals)
					e, err := Round(col(0, in), d, mode, typ)
					if err != nil {
						t.Fatal(err)
					}
					got, err := eval(mem, e, n, in)
					if overflow {
						if !errors.Is(err, expr.ErrOverflow) {
							t.Fatalf("%s on %s: got %v, want overflow", e, typ, err)
						}
					} else {
						if err != nil {
							t.Fatal(err)
						}
						expectValues(t, e.String(), got, want)
						got.Release()
					}
					in.Release()
				}
			}
		}
	}
}

func castInt(v int64, t arrow.DataType) any {
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

// refRoundDecimal rounds unscaled v of scale s to scale d by mode, returning
// the unscaled result at scale max(d, 0) (or s when d ≥ s).
func refRoundDecimal(v decimal128.Num, s, d int32, mode RoundMode) *big.Int {
	x := v.BigInt()
	if d >= s {
		return x
	}
	q := refDivRound(x, pow10(int(s-d)), mode)
	if d < 0 {
		q.Mul(q, pow10(int(-d)))
	}
	return q
}

func TestRoundDecimalRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	types := []arrow.DataType{dec(5, 2), dec(18, 4), dec(18, 0), dec(10, 10), dec(25, 5), dec(38, 10), dec(38, 0)}
	for _, typ := range types {
		p, s := kernels.DecimalParams(typ)
		for _, mode := range []RoundMode{HalfUp, HalfEven, Floor, Ceil} {
			for _, d := range []int32{0, 1, 3, 12, -1, -3, -15, -25, -40} {
				rp, rs := RoundDecimalType(p, s, d)
				out := dec(rp, rs)
				for _, n := range sizes {
					vals := randVals(r, typ, n, 0.2)
					want := make([]any, n)
					overflow := false
					for i, v := range vals {
						if v == nil {
							continue
						}
						q := refRoundDecimal(v.(decimal128.Num), s, d, mode)
						if len(q.Text(10)) > int(rp)+boolInt(q.Sign() < 0) {
							overflow = true
							break
						}
						want[i] = values.Decimal{Unscaled: decimal128.FromBigInt(q), Scale: rs}
					}
					in := build(mem, typ, vals)
					e, err := Round(col(0, in), d, mode, out)
					if err != nil {
						t.Fatal(err)
					}
					got, err := eval(mem, e, n, in)
					if overflow {
						if !errors.Is(err, expr.ErrOverflow) {
							t.Fatalf("%s on %s: got %v, want overflow", e, typ, err)
						}
					} else {
						if err != nil {
							t.Fatalf("%s on %s: %v", e, typ, err)
						}
						expectValues(t, e.String()+" "+typ.String(), got, want)
						got.Release()
					}
					in.Release()
				}
			}
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestFloorCeilRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	for _, mode := range []RoundMode{Floor, Ceil} {
		for _, n := range sizes {
			// DOUBLE → BIGINT, saturating like Java's (long) cast, NaN → 0
			vals := randVals(r, f64, n, 0.2)
			in := build(mem, f64, vals)
			e, err := FloorCeil(col(0, in), mode, i64)
			if err != nil {
				t.Fatal(err)
			}
			got, err := eval(mem, e, n, in)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]any, n)
			for i, v := range vals {
				if v == nil {
					continue
				}
				f := v.(float64)
				if mode == Floor {
					f = math.Floor(f)
				} else {
					f = math.Ceil(f)
				}
				bf, _ := new(big.Float).SetString(strconv.FormatFloat(f, 'f', -1, 64))
				switch {
				case f != f:
					want[i] = int64(0)
				case f > 0 && (math.IsInf(f, 1) || bf.Cmp(new(big.Float).SetInt64(math.MaxInt64)) >= 0):
					want[i] = int64(math.MaxInt64)
				case f < 0 && (math.IsInf(f, -1) || bf.Cmp(new(big.Float).SetInt64(math.MinInt64)) <= 0):
					want[i] = int64(math.MinInt64)
				default:
					iv, _ := bf.Int64()
					want[i] = iv
				}
			}
			expectValues(t, e.String(), got, want)
			got.Release()
			in.Release()
			// DECIMAL(p,s) → DECIMAL(p-s+1, 0)
			for _, typ := range []arrow.DataType{dec(5, 2), dec(18, 3), dec(38, 37), dec(20, 0)} {
				p, s := kernels.DecimalParams(typ)
				rp, rs := FloorDecimalType(p, s)
				dvals := randVals(r, typ, n, 0.2)
				din := build(mem, typ, dvals)
				de, err := FloorCeil(col(0, din), mode, dec(rp, rs))
				if err != nil {
					t.Fatal(err)
				}
				dgot, err := eval(mem, de, n, din)
				if err != nil {
					t.Fatal(err)
				}
				dwant := make([]any, n)
				for i, v := range dvals {
					if v != nil {
						dwant[i] = values.Decimal{Unscaled: decimal128.FromBigInt(refRoundDecimal(v.(decimal128.Num), s, 0, mode)), Scale: 0}
					}
				}
				expectValues(t, de.String()+" "+typ.String(), dgot, dwant)
				dgot.Release()
				din.Release()
			}
		}
	}
}

// Spark docs examples (decimal literals such as 2.5 are DECIMAL(2,1)).
func TestRoundSparkExamples(t *testing.T) {
	mem := alloc(t)
	cases := []struct {
		typ   arrow.DataType
		in    any
		mode  RoundMode
		scale int32
		want  any
	}{
		{dec(2, 1), decimal128.FromI64(25), HalfUp, 0, values.Decimal{Unscaled: decimal128.FromI64(3)}},                // round(2.5, 0) → 3
		{dec(2, 1), decimal128.FromI64(25), HalfEven, 0, values.Decimal{Unscaled: decimal128.FromI64(2)}},              // bround(2.5, 0) → 2
		{dec(2, 1), decimal128.FromI64(-25), HalfEven, 0, values.Decimal{Unscaled: decimal128.FromI64(-2)}},            // bround(-2.5, 0) → -2
		{i32, int64(25), HalfEven, -1, int32(20)},                                                                      // bround(25, -1) → 20
		{i32, int64(25), HalfUp, -1, int32(30)},                                                                        // round(25, -1) → 30
		{dec(5, 4), decimal128.FromI64(31411), Floor, 3, values.Decimal{Unscaled: decimal128.FromI64(3141), Scale: 3}}, // floor(3.1411, 3) → 3.141
		{dec(5, 4), decimal128.FromI64(31411), Ceil, 3, values.Decimal{Unscaled: decimal128.FromI64(3142), Scale: 3}},  // ceil(3.1411, 3) → 3.142
		{dec(5, 4), decimal128.FromI64(31411), Floor, -3, values.Decimal{Unscaled: decimal128.FromI64(0)}},             // floor(3.1411, -3) → 0
		{dec(5, 4), decimal128.FromI64(31411), Ceil, -3, values.Decimal{Unscaled: decimal128.FromI64(1000)}},           // ceil(3.1411, -3) → 1000
		{f64, 2.5, HalfUp, 0, 3.0},
		{f64, 0.125, HalfUp, 2, 0.13},
		{f64, 1.005, HalfUp, 2, 1.01}, // on the decimal form, unlike binary-rounding libraries
		{f64, -0.1, HalfUp, 0, 0.0},   // BigDecimal has no -0
	}
	for _, c := range cases {
		in := build(mem, c.typ, []any{c.in})
		out := c.typ
		if p, s := kernels.DecimalParams(c.typ); p > 0 {
			out = dec(RoundDecimalType(p, s, c.scale))
		}
		e, err := Round(col(0, in), c.scale, c.mode, out)
		if err != nil {
			t.Fatal(err)
		}
		got, err := eval(mem, e, 1, in)
		if err != nil {
			t.Fatal(err)
		}
		expectValues(t, e.String(), got, []any{c.want})
		got.Release()
		in.Release()
	}
	// SELECT floor(-0.1) → -1; SELECT ceil(-0.1) → 0; SELECT ceil(5) → 5
	in := build(mem, f64, []any{-0.1, 5.0, math.NaN(), 1e30})
	for mode, want := range map[RoundMode][]any{Floor: {int64(-1), int64(5), int64(0), int64(math.MaxInt64)}, Ceil: {int64(0), int64(5), int64(0), int64(math.MaxInt64)}} {
		e, _ := FloorCeil(col(0, in), mode, i64)
		got, err := eval(mem, e, 4, in)
		if err != nil {
			t.Fatal(err)
		}
		expectValues(t, e.String(), got, want)
		got.Release()
	}
	in.Release()
}

func TestRoundTypes(t *testing.T) {
	// Spark: round(decimal(p,s), d) → decimal(min(p-s+1+min(s,d), 38), min(s,d)), negative d → decimal(max(p-s+1, 1-d), 0)
	for _, c := range []struct{ p, s, d, wp, ws int32 }{
		{2, 1, 0, 2, 0}, {5, 2, 1, 5, 1}, {5, 2, 4, 6, 2}, {38, 10, 2, 31, 2}, {38, 2, 2, 38, 2}, {5, 2, -5, 6, 0}, {10, 0, -1, 11, 0},
	} {
		if p, s := RoundDecimalType(c.p, c.s, c.d); p != c.wp || s != c.ws {
			t.Errorf("round(decimal(%d,%d), %d) type decimal(%d,%d), want decimal(%d,%d)", c.p, c.s, c.d, p, s, c.wp, c.ws)
		}
	}
	if _, err := Round(expr.Column(0, "x", dec(5, 2)), 0, HalfUp, dec(5, 0)); err == nil {
		t.Error("a wrong result type was accepted")
	}
	if _, err := Round(expr.Column(0, "x", f64), 0, Floor, i64); err == nil {
		t.Error("floor(double, d) was accepted (Spark casts to decimal first)")
	}
}

// FuzzRoundFloat compares roundFloat with the rational reference.
func FuzzRoundFloat(f *testing.F) {
	for _, x := range specialDoubles {
		f.Add(x, int8(2), false)
	}
	f.Add(1.005, int8(2), true)
	f.Fuzz(func(t *testing.T, x float64, d int8, even bool) {
		mode := HalfUp
		if even {
			mode = HalfEven
		}
		got, _ := roundFloat(x, int(d), even, nil)
		want := refRoundFloat(x, int(d), mode)
		if !sameValue(got, want) {
			t.Fatalf("round(%v, %d, even=%v) = %v, want %v", x, d, even, got, want)
		}
	})
}
