package functions_test

import (
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// TestTimeWindowColumns checks Window and WindowTime against hand-computed
// windows: 00:04:30 lies in the 5-minute window [00:00, 00:05) and, with a
// start time of 1 minute, in [00:01, 00:06).
func TestTimeWindowColumns(t *testing.T) {
	partitionCounts(t, func(t *testing.T, s *frame.Session) {
		ts := F.Lit("2021-01-01 00:04:30")
		df := s.Table("t").Select(
			F.WindowTime(F.Window(ts, "5 minutes")).Cast("string"),
			F.WindowTime(F.Window(ts, "5 minutes", "5 minutes", "1 minute")).Cast("string"),
		).Limit(1)
		rows := collectRows(t, df)
		if len(rows) != 1 {
			t.Fatalf("%d rows", len(rows))
		}
		want := []any{"2021-01-01 00:04:59.999999", "2021-01-01 00:05:59.999999"}
		for i, w := range want {
			if rows[0][i] != w {
				t.Errorf("column %d = %v, want %v", i, rows[0][i], w)
			}
		}
	})
}
