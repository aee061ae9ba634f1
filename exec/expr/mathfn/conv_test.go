package mathfn

import (
	"errors"
	"testing"

	"github.com/gspark/gspark/exec/expr"
)

// TestConvValues checks hand-computed conversions: 0x10 = 16, and
// 2^64 - 16 = 18446744073709551600 is -16 as unsigned 64 bits.
func TestConvValues(t *testing.T) {
	for _, c := range []struct {
		s        string
		from, to int
		want     string
		ok       bool
	}{
		{"100", 2, 10, "4", true}, {"-10", 16, -10, "-16", true}, {"-10", 16, 10, "18446744073709551600", true},
		{"ff", 16, 2, "11111111", true}, {"12z", 10, 10, "12", true}, {"zz", 36, 16, "50F", true},
		{"FFFFFFFFFFFFFFFF", 16, -10, "-1", true}, {"FFFFFFFFFFFFFFFF", 16, 10, "18446744073709551615", true},
		{"-", 10, 10, "0", true}, {"0", 10, 36, "0", true},
		{"", 10, 16, "", false}, {"1", 1, 10, "", false}, {"1", 10, 37, "", false}, {"1", 37, 10, "", false}, {"1", 10, -1, "", false},
	} {
		got, ok, err := convert(c.s, c.from, c.to)
		if err != nil || ok != c.ok || got != c.want {
			t.Errorf("conv(%q, %d, %d) = %q, %v, %v; want %q, %v", c.s, c.from, c.to, got, ok, err, c.want, c.ok)
		}
	}
	if _, _, err := convert("10000000000000000", 16, 10); !errors.Is(err, expr.ErrOverflow) {
		t.Errorf("conv of 2^64: got %v, want overflow", err)
	}
}
