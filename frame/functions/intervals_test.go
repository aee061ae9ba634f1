package functions_test

import (
	"context"
	"testing"
	"time"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/values"
)

// TestIntervalFunctions checks the Go forms of make_dt_interval and
// make_ym_interval against Spark's documented examples, and interval
// arithmetic on a time.Duration literal (hand computed).
func TestIntervalFunctions(t *testing.T) {
	s := frame.NewSession()
	df := s.SQL("SELECT 1 AS id").Select(
		F.MakeDTInterval(F.Lit(1), F.Lit(12), F.Lit(30), frame.DecimalLit("1.001001")).As("dt"),
		F.MakeYMInterval(F.Lit(-1), F.Lit(1)).As("ym"),
		F.MakeInterval(F.Lit(0), F.Lit(1), F.Lit(0), F.Lit(1)).As("ci"),
		F.Col("id").Mul(frame.Lit(90*time.Minute)).As("scaled"),
	)
	rows, err := df.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{values.DayTimeInterval(131_401_001_001), values.YearMonthInterval(-11),
		values.CalendarInterval{Months: 1, Days: 1}, values.DayTimeInterval(90 * 60e6)}
	for i, w := range want {
		if rows[0][i] != w {
			t.Errorf("column %d: got %v (%T), want %v", i, rows[0][i], rows[0][i], w)
		}
	}
}
