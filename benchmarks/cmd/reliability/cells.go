package main

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// duckText formats a value DuckDB's driver returned as gspark's CSV writes
// it: dates as yyyy-MM-dd, decimals with their scale, NULL as an empty cell.
func duckText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case duckdb.Decimal:
		return decimalText(x.Value, int(x.Scale))
	case *big.Int:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// decimalText writes unscaled × 10^-scale in plain decimal notation.
func decimalText(unscaled *big.Int, scale int) string {
	if unscaled == nil {
		return ""
	}
	r := new(big.Rat).SetFrac(unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	return r.FloatString(scale)
}

// sameCell reports whether gspark's cell got and DuckDB's want are the same
// value: equal text, or numbers equal exactly as decimals (123.40 and
// 123.4), or within a relative 1e-9 when either is a double.
func sameCell(got, want string) bool {
	if got == want {
		return true
	}
	g, okG := new(big.Rat).SetString(got)
	w, okW := new(big.Rat).SetString(want)
	if !okG || !okW {
		return false
	}
	if g.Cmp(w) == 0 {
		return true
	}
	gf, _ := g.Float64()
	wf, _ := w.Float64()
	return math.Abs(gf-wf) <= 1e-9*math.Max(math.Abs(gf), math.Abs(wf))
}
