package tpch

import (
	"math/big"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/gspark/gspark/internal/answers"
)

func TestDuckValue(t *testing.T) {
	cases := []struct {
		in   any
		kind answers.Kind
		want string
	}{
		{duckdb.Decimal{Width: 38, Scale: 2, Value: big.NewInt(-12345)}, answers.KindDecimal, "-123.45"},
		{duckdb.Decimal{Width: 38, Scale: 0, Value: big.NewInt(7)}, answers.KindDecimal, "7"},
		{new(big.Int).Lsh(big.NewInt(1), 70), answers.KindInt, "1180591620717411303424"},
		{int64(42), answers.KindInt, "42"},
		{0.25, answers.KindFloat, "0.25"},
		{time.Date(1995, 3, 15, 0, 0, 0, 0, time.UTC), answers.KindDate, "1995-03-15"},
		{time.Date(1995, 3, 15, 0, 0, 0, 0, time.UTC), answers.KindTimestamp, "1995-03-15 00:00:00"},
		{nil, answers.KindDecimal, "NULL"},
	}
	for _, c := range cases {
		v, err := DuckValue(c.in, c.kind)
		if err != nil {
			t.Errorf("DuckValue(%v): %v", c.in, err)
			continue
		}
		if v.String() != c.want || (!v.IsNull() && v.Kind() != c.kind) {
			t.Errorf("DuckValue(%v) = %s (%v), want %s (%v)", c.in, v, v.Kind(), c.want, c.kind)
		}
	}
	if _, err := DuckValue(duckdb.Decimal{Scale: 2}, answers.KindDecimal); err == nil {
		t.Error("decimal without a value accepted")
	}
}
