package mathfn

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

// RoundMode is how Round drops digits.
type RoundMode int

// The rounding modes of round, bround, floor and ceil.
const (
	HalfUp RoundMode = iota
	HalfEven
	Floor
	Ceil
)

func (m RoundMode) name() string {
	return [...]string{"round", "bround", "floor", "ceil"}[m]
}

// RoundDecimalType is Spark's result type of round/bround of DECIMAL(p,s) to
// scale d (RoundBase.dataType in Spark's mathExpressions.scala): one more
// integral digit than the input, scale min(s, d), or scale 0 and at least
// 1-d digits for a negative d, precision capped at 38.
func RoundDecimalType(p, s, d int32) (int32, int32) {
	integral := p - s + 1
	if d < 0 {
		return min(max(integral, -d+1), 38), 0
	}
	ns := min(s, d)
	return min(integral+ns, 38), ns
}

// FloorDecimalType is Spark's result type of floor/ceil of DECIMAL(p,s):
// DECIMAL(p-s+1, 0), or the input type when s is 0.
func FloorDecimalType(p, s int32) (int32, int32) {
	if s == 0 {
		return p, 0
	}
	return min(p-s+1, 38), 0
}

type roundExpr struct {
	x     expr.Expr
	scale int32
	mode  RoundMode
	// scaled is set for round, bround and the two-argument floor and ceil.
	scaled bool
	t      arrow.DataType
}

// Round rounds x to scale digits after the point (before it when negative)
// with mode HalfUp (round) or HalfEven (bround). Integers keep their type
// (overflow is an ANSI error), floating values are rounded on their
// shortest decimal representation as Spark's BigDecimal does, and decimals
// get RoundDecimalType; out is the result type the planner chose and must
// match.
//
// Modes Floor and Ceil are floor(x, scale) and ceil(x, scale), which Spark
// defines on decimals only (RoundFloor/RoundCeil); x must be a decimal then.
func Round(x expr.Expr, scale int32, mode RoundMode, out arrow.DataType) (expr.Expr, error) {
	if mode >= Floor && !isDecimalType(x.DataType()) {
		return nil, fmt.Errorf("%s(%s, %d) needs a DECIMAL, not %s", mode.name(), x, scale, values.TypeName(x.DataType()))
	}
	return newRound(x, scale, mode, true, out)
}

func isDecimalType(t arrow.DataType) bool {
	return t.ID() == arrow.DECIMAL64 || t.ID() == arrow.DECIMAL128
}

// FloorCeil is floor (mode Floor) or ceil (mode Ceil) of a BIGINT, DOUBLE
// (→ BIGINT, saturating like Java's (long) cast) or DECIMAL (→
// FloorDecimalType); out is the result type the planner chose.
func FloorCeil(x expr.Expr, mode RoundMode, out arrow.DataType) (expr.Expr, error) {
	if mode != Floor && mode != Ceil {
		return nil, fmt.Errorf("floor: bad mode %d", mode)
	}
	return newRound(x, 0, mode, false, out)
}

func newRound(x expr.Expr, scale int32, mode RoundMode, scaled bool, out arrow.DataType) (expr.Expr, error) {
	in := x.DataType()
	var want arrow.DataType
	switch in.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		want = in
		if mode >= Floor {
			want = arrow.PrimitiveTypes.Int64
		}
	case arrow.FLOAT32, arrow.FLOAT64:
		want = in
		if mode >= Floor {
			want = arrow.PrimitiveTypes.Int64
		}
	case arrow.DECIMAL64, arrow.DECIMAL128:
		p, s := kernels.DecimalParams(in)
		var rp, rs int32
		if !scaled {
			rp, rs = FloorDecimalType(p, s)
		} else {
			rp, rs = RoundDecimalType(p, s, scale)
		}
		if out == nil || !isDecimalPS(out, rp, rs) {
			return nil, fmt.Errorf("%s of %s: result type must be DECIMAL(%d,%d)", mode.name(), values.TypeName(in), rp, rs)
		}
		want = out
	default:
		return nil, fmt.Errorf("%s needs a numeric argument, %s is %s", mode.name(), x, values.TypeName(in))
	}
	if out == nil || !arrow.TypeEqual(out, want) {
		return nil, fmt.Errorf("%s of %s: result type must be %s", mode.name(), values.TypeName(in), values.TypeName(want))
	}
	return &roundExpr{x: x, scale: scale, mode: mode, scaled: scaled, t: out}, nil
}

func isDecimalPS(t arrow.DataType, p, s int32) bool {
	tp, ts := kernels.DecimalParams(t)
	return (t.ID() == arrow.DECIMAL64 || t.ID() == arrow.DECIMAL128) && tp == p && ts == s && (p > 18) == (t.ID() == arrow.DECIMAL128)
}

func (e *roundExpr) DataType() arrow.DataType { return e.t }

func (e *roundExpr) String() string {
	if !e.scaled {
		return expr.CallString(e.mode.name(), e.x)
	}
	return fmt.Sprintf("%s(%s, %d)", e.mode.name(), e.x, e.scale)
}

func (e *roundExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	x, err := expr.EvalArg(mem, e.x, batch)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	n := x.Len()
	v := andValidity(mem, n, x)
	switch x.DataType().ID() {
	case arrow.INT8:
		return e.roundInts(mem, int64s(kernels.FixedValues[int8](x)), v, math.MinInt8, math.MaxInt8)
	case arrow.INT16:
		return e.roundInts(mem, int64s(kernels.FixedValues[int16](x)), v, math.MinInt16, math.MaxInt16)
	case arrow.INT32:
		return e.roundInts(mem, int64s(kernels.FixedValues[int32](x)), v, math.MinInt32, math.MaxInt32)
	case arrow.INT64:
		return e.roundInts(mem, kernels.FixedValues[int64](x), v, math.MinInt64, math.MaxInt64)
	case arrow.FLOAT64:
		xs := kernels.FixedValues[float64](x)
		if e.mode >= Floor {
			return floorDoubles(mem, xs, e.mode, v), nil
		}
		buf, out := newFixed[float64](mem, n)
		var scratch []byte
		for i, f := range xs {
			out[i], scratch = roundFloat(f, int(e.scale), e.mode == HalfEven, scratch)
		}
		return v.finish(e.t, buf), nil
	case arrow.FLOAT32:
		xs := kernels.FixedValues[float32](x)
		if e.mode >= Floor {
			ds := make([]float64, len(xs))
			for i, f := range xs {
				ds[i] = float64(f)
			}
			return floorDoubles(mem, ds, e.mode, v), nil
		}
		buf, out := newFixed[float32](mem, n)
		var scratch []byte
		var r float64
		for i, f := range xs {
			r, scratch = roundFloat(float64(f), int(e.scale), e.mode == HalfEven, scratch)
			out[i] = float32(r)
		}
		return v.finish(e.t, buf), nil
	}
	return e.roundDecimals(mem, x, v)
}

func int64s[T signedInt](xs []T) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = int64(x)
	}
	return out
}

// roundInts rounds integers to a negative scale (other scales keep them),
// checking the result fits [lo, hi]; floor and ceil of BIGINT are identity.
func (e *roundExpr) roundInts(mem memory.Allocator, xs []int64, v *validity, lo, hi int64) (arrow.Array, error) {
	n := len(xs)
	var res []int64
	if e.scale >= 0 || e.mode >= Floor {
		res = xs
	} else {
		res = make([]int64, n)
		drop := int(-e.scale)
		for i, x := range xs {
			if !v.valid(i) {
				continue
			}
			r := roundNum(decimal128.FromI64(x), drop, e.mode)
			if drop <= 38 {
				r = r.Mul(decimal128.GetScaleMultiplier(drop))
			}
			if r.Less(decimal128.FromI64(lo)) || r.Greater(decimal128.FromI64(hi)) {
				v.release()
				return nil, fmt.Errorf("%s: %s(%d, %d) does not fit %s: %w", e, e.mode.name(), x, e.scale, values.TypeName(e.t), expr.ErrOverflow)
			}
			res[i] = int64(r.LowBits())
		}
	}
	switch e.t.ID() {
	case arrow.INT8:
		return finishInts[int8](mem, res, e.t, v), nil
	case arrow.INT16:
		return finishInts[int16](mem, res, e.t, v), nil
	case arrow.INT32:
		return finishInts[int32](mem, res, e.t, v), nil
	}
	return finishInts[int64](mem, res, e.t, v), nil
}

func finishInts[T signedInt](mem memory.Allocator, xs []int64, t arrow.DataType, v *validity) arrow.Array {
	buf, out := newFixed[T](mem, len(xs))
	for i, x := range xs {
		out[i] = T(x)
	}
	return v.finish(t, buf)
}

// floorDoubles is floor/ceil to BIGINT with Java's saturating (long) cast
// (NaN → 0), as Spark's Floor and Ceil.
func floorDoubles(mem memory.Allocator, xs []float64, mode RoundMode, v *validity) arrow.Array {
	buf, out := newFixed[int64](mem, len(xs))
	for i, f := range xs {
		if mode == Floor {
			f = math.Floor(f)
		} else {
			f = math.Ceil(f)
		}
		out[i] = javaLong(f)
	}
	return v.finish(arrow.PrimitiveTypes.Int64, buf)
}

// javaLong converts like Java's (long) cast: NaN is 0, out of range saturates.
func javaLong(f float64) int64 {
	switch {
	case f != f:
		return 0
	case f >= 9.223372036854775807e18:
		return math.MaxInt64
	case f <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(f)
}

func (e *roundExpr) roundDecimals(mem memory.Allocator, x arrow.Array, v *validity) (arrow.Array, error) {
	_, s := kernels.DecimalParams(x.DataType())
	rp, rs := kernels.DecimalParams(e.t)
	xs := decimalNums(x)
	out := make([]decimal128.Num, len(xs))
	target := e.scale
	if !e.scaled {
		target = 0
	}
	for i, d := range xs {
		if !v.valid(i) {
			continue
		}
		r := d
		if target < s {
			drop := int(s - target)
			r = roundNum(d, drop, e.mode)
			if target < 0 { // back to scale 0
				if -target > 38 {
					if r.Sign() != 0 { // ±10^-target has more than 38 digits
						v.release()
						return nil, fmt.Errorf("%s: %s rounds to ±1E+%d, beyond DECIMAL(%d,%d): %w", e, d.ToString(s), -target, rp, rs, expr.ErrOverflow)
					}
				} else {
					r = r.Mul(decimal128.GetScaleMultiplier(int(-target)))
				}
			}
		}
		if !r.FitsInPrecision(rp) {
			v.release()
			return nil, fmt.Errorf("%s: %s does not fit DECIMAL(%d,%d): %w", e, d.ToString(s), rp, rs, expr.ErrOverflow)
		}
		out[i] = r
	}
	return decimalArray(mem, e.t, out, v), nil
}

// roundNum divides d by 10^drop, rounding by mode; a drop beyond 38 digits
// leaves at most a unit of rounding.
func roundNum(d decimal128.Num, drop int, mode RoundMode) decimal128.Num {
	if drop <= 0 {
		return d
	}
	if drop > 38 {
		switch {
		case mode == Floor && d.Sign() < 0:
			return decimal128.FromI64(-1)
		case mode == Ceil && d.Sign() > 0:
			return decimal128.FromI64(1)
		}
		return decimal128.Num{}
	}
	neg := d.Sign() < 0
	a := d.Abs()
	hi, lo := uint64(a.HighBits()), a.LowBits()
	// cmp is the remainder against half the divisor: -1 below, 0 a tie, 1
	// above; exact reports a zero remainder.
	var cmp int
	var exact bool
	if drop <= 19 {
		div := pow10u64[drop]
		var r uint64
		hi, lo, r = divU128(hi, lo, div)
		exact = r == 0
		cmp = cmpU64(r, div-r)
	} else {
		var r1, r2 uint64
		hi, lo, r1 = divU128(hi, lo, pow10u64[19])
		hi, lo, r2 = divU128(hi, lo, pow10u64[drop-19])
		exact = r1 == 0 && r2 == 0
		// half the divisor is 5·10^(drop-20) · 10^19
		if cmp = cmpU64(r2, 5*pow10u64[drop-20]); cmp == 0 && r1 > 0 {
			cmp = 1
		}
	}
	up := false
	if !exact {
		switch mode {
		case HalfUp:
			up = cmp >= 0
		case HalfEven:
			up = cmp > 0 || (cmp == 0 && lo&1 == 1)
		case Floor:
			up = neg
		case Ceil:
			up = !neg
		}
	}
	q := decimal128.New(int64(hi), lo)
	if up {
		q = q.Add(decimal128.FromI64(1))
	}
	if neg {
		q = q.Negate()
	}
	return q
}

// pow10u64 holds 10^0 … 10^19.
var pow10u64 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// divU128 divides the unsigned 128-bit hi:lo by y.
func divU128(hi, lo, y uint64) (qhi, qlo, r uint64) {
	qhi, r = hi/y, hi%y
	qlo, r = bits.Div64(r, lo, y)
	return qhi, qlo, r
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// roundFloat rounds x to d decimal places on its shortest decimal
// representation (what Scala's BigDecimal(x) holds), HALF_UP or HALF_EVEN;
// NaN and infinities are kept, and zero results are +0 as BigDecimal has no
// negative zero. scratch is reused between calls.
func roundFloat(x float64, d int, even bool, scratch []byte) (float64, []byte) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x, scratch
	}
	if x == 0 {
		return 0, scratch
	}
	scratch = strconv.AppendFloat(scratch[:0], x, 'e', -1, 64) // [-]d.ddde±XX
	neg := scratch[0] == '-'
	s := scratch
	if neg {
		s = s[1:]
	}
	epos := 0
	for epos < len(s) && s[epos] != 'e' {
		epos++
	}
	exp, _ := strconv.Atoi(string(s[epos+1:]))
	// digits: the mantissa without the point, in place at the start of s
	nd := 0
	for _, c := range s[:epos] {
		if c != '.' {
			s[nd] = c
			nd++
		}
	}
	digits := s[:nd]
	keep := exp + d + 1 // digits kept: those of place 10^-d and above
	if keep >= nd {
		return x, scratch
	}
	if keep < 0 {
		return 0, scratch
	}
	first := digits[keep]
	up := first > '5'
	if first == '5' {
		rest := false
		for _, c := range digits[keep+1:] {
			if c != '0' {
				rest = true
				break
			}
		}
		switch {
		case !even || rest:
			up = true
		case keep > 0:
			up = (digits[keep-1]-'0')%2 == 1
		}
	}
	// value = digits[:keep] × 10^(exp-keep+1), plus one unit when up
	var m uint64
	for _, c := range digits[:keep] {
		m = m*10 + uint64(c-'0')
	}
	if up {
		m++
	}
	if m == 0 {
		return 0, scratch
	}
	r := scaleExact(m, exp-keep+1)
	if neg {
		r = -r
	}
	return r, scratch
}

// exactPow10 holds the powers of ten a float64 represents exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// scaleExact is the float64 nearest m × 10^k: one IEEE operation on exact
// operands when m < 2^53 and |k| ≤ 22 (so correctly rounded), otherwise
// strconv's parser.
func scaleExact(m uint64, k int) float64 {
	if m < 1<<53 {
		switch {
		case k >= 0 && k <= 22:
			return float64(m) * exactPow10[k]
		case k < 0 && k >= -22:
			return float64(m) / exactPow10[-k]
		}
	}
	var buf [48]byte
	num := strconv.AppendUint(buf[:0], m, 10)
	num = append(num, 'e')
	num = strconv.AppendInt(num, int64(k), 10)
	r, _ := strconv.ParseFloat(string(num), 64)
	return r
}
