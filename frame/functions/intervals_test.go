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

// TestTimeZoneFunctions checks the Go forms of to_timestamp_ntz,
// make_timestamp_ntz and current_timezone in a Los Angeles session (Spark's
// documented examples; the NTZ wall clocks do not depend on the zone).
func TestTimeZoneFunctions(t *testing.T) {
	s := frame.NewSession()
	if err := s.SetTimeZone("America/Los_Angeles"); err != nil {
		t.Fatal(err)
	}
	rows, err := s.SQL("SELECT 1").Select(
		F.ToTimestampNTZ(frame.Lit("2016-12-31 00:12:00")),
		F.MakeTimestampNTZ(F.Lit(2014), F.Lit(12), F.Lit(28), F.Lit(6), F.Lit(30), frame.DecimalLit("45.887")),
		F.CurrentTimezone(),
	).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{time.Date(2016, 12, 31, 0, 12, 0, 0, time.UTC), time.Date(2014, 12, 28, 6, 30, 45, 887e6, time.UTC), "America/Los_Angeles"}
	for i, w := range want {
		if rows[0][i] != w {
			t.Errorf("column %d: got %v, want %v", i, rows[0][i], w)
		}
	}
}
