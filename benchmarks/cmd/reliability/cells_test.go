package main

import (
	"math/big"
	"testing"
)

func TestSameCell(t *testing.T) {
	for _, tc := range []struct {
		got, want string
		same      bool
	}{
		{"123.40", "123.4", true},
		{"1992-01-02", "1992-01-02", true},
		{"1992-01-02", "1992-01-03", false},
		{"0.1", "0.1000000000001", true},
		{"0.1", "0.1001", false},
		{"", "0", false},
		{"abc", "abd", false},
	} {
		if got := sameCell(tc.got, tc.want); got != tc.same {
			t.Errorf("sameCell(%q, %q) = %v, want %v", tc.got, tc.want, got, tc.same)
		}
	}
}

func TestDecimalText(t *testing.T) {
	// 12345 with scale 2 is 123.45; -5 with scale 3 is -0.005.
	if got := decimalText(big.NewInt(12345), 2); got != "123.45" {
		t.Errorf("got %s", got)
	}
	if got := decimalText(big.NewInt(-5), 3); got != "-0.005" {
		t.Errorf("got %s", got)
	}
}
