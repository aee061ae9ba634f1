package main

import (
	"fmt"
	"math"
	"math/big"
	"strings"
)

// value is one cell of a query answer, normalised so that answers from different
// engines can be compared: a string, an exact number (integer or decimal) or a float.
type value struct {
	null  bool
	isStr bool
	str   string
	exact *big.Rat // non-nil for integers and exact decimals
	scale int32    // decimal scale of exact (0 for integers)
	f     float64  // the number as a float (also set for exact numbers)
}

func strValue(s string) value { return value{isStr: true, str: s} }

func intValue(v int64) value {
	return value{exact: new(big.Rat).SetInt64(v), f: float64(v)}
}

func floatValue(f float64) value { return value{f: f} }

// decValue makes an exact decimal unscaled * 10^-scale.
func decValue(unscaled *big.Int, scale int32) value {
	r := new(big.Rat).SetFrac(unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	f, _ := r.Float64()
	return value{exact: r, scale: scale, f: f}
}

// ratValue makes an exact decimal from a rational that is known to have the given scale.
func ratValue(r *big.Rat, scale int32) value {
	f, _ := r.Float64()
	return value{exact: r, scale: scale, f: f}
}

func (v value) String() string {
	switch {
	case v.null:
		return "NULL"
	case v.isStr:
		return fmt.Sprintf("%q", v.str)
	case v.exact != nil:
		return v.exact.FloatString(int(v.scale))
	default:
		return fmt.Sprintf("%.17g", v.f)
	}
}

// table is a query answer: column names and rows, in the order the engine returned them.
type table struct {
	cols []string
	rows [][]value
}

// relTol is the relative tolerance for comparing numbers when at least one side is a float.
const relTol = 1e-9

// sameValue reports whether two cells agree: strings exactly, two exact numbers
// exactly, otherwise within relTol relative. When one side is an exact decimal of
// scale s and the other a float, the decimal may have been rounded to s digits
// (Spark-style AVG over decimals), so half a unit in the last place is also allowed.
func sameValue(a, b value) bool {
	switch {
	case a.null || b.null:
		return a.null == b.null
	case a.isStr || b.isStr:
		return a.isStr == b.isStr && a.str == b.str
	case a.exact != nil && b.exact != nil:
		return a.exact.Cmp(b.exact) == 0
	}
	diff := math.Abs(a.f - b.f)
	tol := relTol * math.Max(math.Abs(a.f), math.Abs(b.f))
	if a.exact != nil && a.scale > 0 {
		tol += 0.5 * math.Pow10(-int(a.scale))
	}
	if b.exact != nil && b.scale > 0 {
		tol += 0.5 * math.Pow10(-int(b.scale))
	}
	return diff <= tol
}

// compareTables returns nil when got and want have the same shape and every cell
// agrees (see sameValue); otherwise an error listing the differences.
func compareTables(query, gotName string, got table, wantName string, want table) error {
	if len(got.rows) != len(want.rows) {
		return fmt.Errorf("%s: %s returned %d rows, %s returned %d rows", query, gotName, len(got.rows), wantName, len(want.rows))
	}
	var diffs []string
	for i := range got.rows {
		g, w := got.rows[i], want.rows[i]
		if len(g) != len(w) {
			return fmt.Errorf("%s: row %d: %s has %d columns, %s has %d", query, i, gotName, len(g), wantName, len(w))
		}
		for j := range g {
			if !sameValue(g[j], w[j]) {
				name := fmt.Sprint(j)
				if j < len(want.cols) {
					name = want.cols[j]
				}
				diffs = append(diffs, fmt.Sprintf("row %d column %s: %s=%s %s=%s", i, name, gotName, g[j], wantName, w[j]))
			}
		}
	}
	if len(diffs) > 0 {
		if len(diffs) > 20 {
			diffs = append(diffs[:20], fmt.Sprintf("... and %d more", len(diffs)-20))
		}
		return fmt.Errorf("%s: %s and %s disagree:\n  %s", query, gotName, wantName, strings.Join(diffs, "\n  "))
	}
	return nil
}
