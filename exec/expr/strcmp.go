package expr

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow/bitutil"
)

// Comparison masks of = and <> (see BinaryOp.cmpMask).
const (
	eqMask    = 2
	notEqMask = 5
)

// cmpStrScalar sets bit i of out (zeroed) when the outcome of string i
// (data[offs[i]:offs[i+1]]) against lit is in mask. Equality and inequality
// look at the bytes only where the lengths agree; the orderings make one
// three-way comparison per value.
func cmpStrScalar(offs []int32, data, lit []byte, out []byte, mask uint8) {
	n := len(offs) - 1
	if mask == eqMask || mask == notEqMask {
		want := mask == eqMask
		ls, ll := string(lit), int32(len(lit))
		i := 0
		for ; i+8 <= n; i += 8 {
			var w uint8
			for j := 0; j < 8; j++ {
				s, e := offs[i+j], offs[i+j+1]
				eq := e-s == ll && string(data[s:e]) == ls
				w |= uint8(b2i(eq == want)) << j
			}
			out[i/8] = w
		}
		for ; i < n; i++ {
			s, e := offs[i], offs[i+1]
			if (e-s == ll && string(data[s:e]) == ls) == want {
				bitutil.SetBit(out, i)
			}
		}
		return
	}
	for i := 0; i < n; i++ {
		if mask>>(1+bytes.Compare(data[offs[i]:offs[i+1]], lit))&1 != 0 {
			bitutil.SetBit(out, i)
		}
	}
}

// cmpStrPairs sets bit i of out (zeroed) when the outcome of string i of
// the left side against string i of the right is in mask.
func cmpStrPairs(lo []int32, lv []byte, ro []int32, rv []byte, n int, out []byte, mask uint8) {
	if mask == eqMask || mask == notEqMask {
		want := mask == eqMask
		for i := 0; i < n; i++ {
			ls, le, rs, re := lo[i], lo[i+1], ro[i], ro[i+1]
			if (le-ls == re-rs && string(lv[ls:le]) == string(rv[rs:re])) == want {
				bitutil.SetBit(out, i)
			}
		}
		return
	}
	for i := 0; i < n; i++ {
		if mask>>(1+bytes.Compare(lv[lo[i]:lo[i+1]], rv[ro[i]:ro[i+1]]))&1 != 0 {
			bitutil.SetBit(out, i)
		}
	}
}
