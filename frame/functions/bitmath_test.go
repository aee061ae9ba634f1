package functions_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// TestBitMathColumns evaluates the trigonometric and bitwise wrappers over
// the math table; the expected values are computed by hand (two's
// complement of n = -7 is ...11111001).
func TestBitMathColumns(t *testing.T) {
	partitionCounts(t, func(t *testing.T, s *frame.Session) {
		n, x := F.Col("n"), F.Col("x")
		df := s.Table("t").Select(F.Col("id"),
			F.BitwiseAnd(n, F.Lit(6)), F.BitwiseOr(n, F.Lit(8)), F.BitwiseXor(n, F.Lit(1)), F.BitwiseNot(n),
			F.ShiftLeft(n, 1), F.ShiftRight(n, 1), F.ShiftRightUnsigned(n, 28), F.BitCount(n), F.BitGet(n, 1), F.Getbit(n, 0),
			F.Hypot(x, F.Lit(0.0)), F.Cbrt(x), F.Degrees(F.Pi()), F.E(), F.Atan2(x, F.Lit(1.0)), F.Sin(x), F.Cos(x),
			F.Negative(n), F.Positive(n), F.Div(n, F.Lit(2)), F.Factorial(F.Lit(5)), F.Bin(n), F.Hex(n),
			F.TryAdd(n, F.Lit(1)), F.TrySubtract(n, F.Lit(1)), F.TryMultiply(n, F.Lit(2)), F.TryDivide(n, F.Lit(0)), F.TryMod(n, F.Lit(4)),
			F.WidthBucket(x, F.Lit(0.0), F.Lit(20.0), 4), F.Conv(F.Hex(n), 16, -10),
		).Where(F.Col("id").Eq(F.Lit(2)).Or(F.Col("id").Eq(F.Lit(4)))).OrderBy(F.Col("id"))
		rows := collectRows(t, df)
		if len(rows) != 2 {
			t.Fatalf("%d rows", len(rows))
		}
		want := [][]any{
			{int32(2), int32(0), int32(-7), int32(-8), int32(6), int32(-14), int32(-4), int32(15), int32(62), int8(0), int8(1),
				0.1, -0.46415888336127786, 180.0, math.E, -0.09966865249116204, -0.09983341664682815, 0.9950041652780258,
				int32(7), int32(-7), int64(-3), int64(120), strings.Repeat("1", 61) + "001", "FFFFFFFFFFFFFFF9",
				int32(-6), int32(-8), int32(-14), nil, int32(-3), int64(0), "-7"},
			{int32(4), int32(6), int32(2147483647), int32(2147483646), int32(-2147483648), int32(-2), int32(1073741823), int32(7), int32(31), int8(1), int8(1),
				16.0, 2.5198420997897464, 180.0, math.E, 1.5083775167989393, -0.2879033166650653, -0.9576594803233847,
				int32(-2147483647), int32(2147483647), int64(1073741823), int64(120), strings.Repeat("1", 31), "7FFFFFFF",
				nil, int32(2147483646), nil, nil, int32(3), int64(4), "2147483647"},
		}
		for i, row := range rows {
			for k, w := range want[i] {
				g := row[k]
				if wf, ok := w.(float64); ok {
					gf, ok := g.(float64)
					if !ok || math.Abs(gf-wf) > 1e-12 {
						t.Errorf("row %d column %s: got %v, want %v", i, df.Columns()[k], g, w)
					}
					continue
				}
				if g != w {
					t.Errorf("row %d column %s: got %v (%T), want %v (%T)", i, df.Columns()[k], g, g, w, w)
				}
			}
		}
	})
}
