package expr

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/bitutil"
)

// TestCmpScalarEveryMask checks the packed comparison loops of every mask
// against the three-way outcome, on values below, at and above the
// literal and on lengths with and without a partial last byte.
func TestCmpScalarEveryMask(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 16, 23, 64, 67} {
		vs := make([]int32, n)
		for i := range vs {
			vs[i] = int32(i*7%5) - 2 // -2..2 around the literal 0
		}
		for mask := uint8(0); mask < 8; mask++ {
			out := make([]byte, bitutil.BytesForBits(int64(n)))
			cmpScalar(vs, 0, out, mask)
			for i, a := range vs {
				c := 1
				if a < 0 {
					c = 0
				} else if a > 0 {
					c = 2
				}
				if want := mask>>c&1 != 0; bitutil.BitIsSet(out, i) != want {
					t.Fatalf("n=%d mask=%03b: row %d (%d vs 0) got %v, want %v", n, mask, i, a, !want, want)
				}
			}
		}
	}
}

// TestCmpOrderedEveryMask is TestCmpScalarEveryMask for two columns.
func TestCmpOrderedEveryMask(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 16, 23, 64, 67} {
		l, r := make([]int64, n), make([]int64, n)
		for i := range l {
			l[i], r[i] = int64(i*7%5), int64(i*3%4)
		}
		for mask := uint8(0); mask < 8; mask++ {
			out := make([]byte, bitutil.BytesForBits(int64(n)))
			cmpOrdered(l, r, out, mask)
			for i := range l {
				c := 1
				if l[i] < r[i] {
					c = 0
				} else if l[i] > r[i] {
					c = 2
				}
				if want := mask>>c&1 != 0; bitutil.BitIsSet(out, i) != want {
					t.Fatalf("n=%d mask=%03b: row %d (%d vs %d) got %v, want %v", n, mask, i, l[i], r[i], !want, want)
				}
			}
		}
	}
}
