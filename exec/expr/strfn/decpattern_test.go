package strfn

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// refDecimalFormat formats unscaled/10^3 by a pattern of minInt '0's,
// group size g (0 for none), minFrac '0's and maxFrac-minFrac '#'s,
// rounding half to even with exact rationals.
func refDecimalFormat(unscaled int64, minInt, g, minFrac, maxFrac int) string {
	r := new(big.Rat).SetFrac64(unscaled, 1000)
	neg := r.Sign() < 0
	r.Abs(r)
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(maxFrac)), nil)))
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	twice := new(big.Int).Mul(m, big.NewInt(2))
	switch c := twice.Cmp(r.Denom()); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		q.Add(q, big.NewInt(1))
	}
	ds := fmt.Sprintf("%0*s", maxFrac+1, q.String())
	ip, fp := ds[:len(ds)-maxFrac], ds[len(ds)-maxFrac:]
	fp = strings.TrimRight(fp, "0")
	for len(fp) < minFrac {
		fp += "0"
	}
	ip = strings.TrimLeft(ip, "0")
	for len(ip) < minInt {
		ip = "0" + ip
	}
	if ip == "" && fp == "" {
		ip = "0"
	}
	if g > 0 {
		var parts []string
		for len(ip) > g {
			parts = append([]string{ip[len(ip)-g:]}, parts...)
			ip = ip[:len(ip)-g]
		}
		ip = strings.Join(append([]string{ip}, parts...), ",")
	}
	s := ip
	if fp != "" {
		s += "." + fp
	}
	if neg {
		s = "-" + s
	}
	return s
}

func TestDecimalPatternAgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(8, 1))
	typ := &arrow.Decimal64Type{Precision: 12, Scale: 3}
	sc := arrow.NewSchema([]arrow.Field{{Name: "x", Type: typ, Nullable: true}}, nil)
	x := expr.Column(0, "x", typ)
	for range 200 {
		minInt, g, minFrac := r.IntN(3), r.IntN(5), r.IntN(3)
		maxFrac := minFrac + r.IntN(3)
		pattern := "#" + strings.Repeat("0", minInt)
		if g > 0 {
			pattern = "#," + strings.Repeat("#", max(g-minInt, 0)) + strings.Repeat("0", min(minInt, g))
			if minInt > g {
				pattern = strings.Repeat("0", minInt-g) + "," + strings.Repeat("0", g)
			}
		}
		if maxFrac > 0 {
			pattern += "." + strings.Repeat("0", minFrac) + strings.Repeat("#", maxFrac-minFrac)
		}
		e, err := FormatNumberPattern(x, pattern)
		if err != nil {
			t.Fatal(err)
		}
		b := array.NewDecimal64Builder(mem, typ)
		var vals []int64
		for range 50 {
			v := r.Int64N(20_000_000) - 10_000_000
			if r.IntN(3) == 0 {
				v = v/10*10 + 5 // ties
			}
			vals = append(vals, v)
			b.Append(decimal.Decimal64(v))
		}
		arr := b.NewArray()
		b.Release()
		batch := array.NewRecordBatch(sc, []arrow.Array{arr}, int64(arr.Len()))
		arr.Release()
		got := eval(t, mem, e, batch)
		batch.Release()
		for i, v := range vals {
			want := refDecimalFormat(v, minInt, g, minFrac, maxFrac)
			if got[i] != want {
				t.Fatalf("format_number(%d/1000, %q): got %v, want %s", v, pattern, got[i], want)
			}
		}
	}
}
