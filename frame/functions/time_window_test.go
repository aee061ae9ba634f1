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

// TestSlidingAndSessionWindowGroupBy groups with a sliding Window and with
// SessionWindow from Go; the expected rows are the Examples of Spark's SQL
// reference for window (10-minute windows sliding every 5 minutes) and
// session_window (a per-row gap).
func TestSlidingAndSessionWindowGroupBy(t *testing.T) {
	partitionCounts(t, func(t *testing.T, s *frame.Session) {
		in := s.SQL("SELECT * FROM VALUES ('A1', '2021-01-01 00:00:00'), ('A1', '2021-01-01 00:04:30'), ('A1', '2021-01-01 00:06:00'), ('A2', '2021-01-01 00:01:00') AS tab(a, b)")
		df := in.GroupBy(F.Col("a"), F.Window(F.Col("b"), "10 minutes", "5 minutes")).
			Agg(F.Count(F.Col("*")).Alias("cnt")).
			OrderBy(F.Col("a"), F.Col("window.start")).
			Select(F.Col("a"), F.Col("window.start").Cast("string"), F.Col("window.end").Cast("string"), F.Col("cnt"))
		checkRows(t, collectRows(t, df), [][]any{
			{"A1", "2020-12-31 23:55:00", "2021-01-01 00:05:00", int64(2)},
			{"A1", "2021-01-01 00:00:00", "2021-01-01 00:10:00", int64(3)},
			{"A1", "2021-01-01 00:05:00", "2021-01-01 00:15:00", int64(1)},
			{"A2", "2020-12-31 23:55:00", "2021-01-01 00:05:00", int64(1)},
			{"A2", "2021-01-01 00:00:00", "2021-01-01 00:10:00", int64(1)},
		})

		in = s.SQL("SELECT * FROM VALUES ('A1', '2021-01-01 00:00:00'), ('A1', '2021-01-01 00:04:30'), ('A1', '2021-01-01 00:10:00'), ('A2', '2021-01-01 00:01:00'), ('A2', '2021-01-01 00:04:30') AS tab(a, b)")
		gap := F.When(F.Col("a").Eq(F.Lit("A1")), F.Lit("5 minutes")).When(F.Col("a").Eq(F.Lit("A2")), F.Lit("1 minute")).Otherwise(F.Lit("10 minutes"))
		df = in.GroupBy(F.Col("a"), F.SessionWindow(F.Col("b"), gap)).
			Agg(F.Count(F.Col("*")).Alias("cnt")).
			OrderBy(F.Col("a"), F.Col("session_window.start")).
			Select(F.Col("a"), F.Col("session_window.start").Cast("string"), F.Col("session_window.end").Cast("string"), F.Col("cnt"))
		checkRows(t, collectRows(t, df), [][]any{
			{"A1", "2021-01-01 00:00:00", "2021-01-01 00:09:30", int64(2)},
			{"A1", "2021-01-01 00:10:00", "2021-01-01 00:15:00", int64(1)},
			{"A2", "2021-01-01 00:01:00", "2021-01-01 00:02:00", int64(1)},
			{"A2", "2021-01-01 00:04:30", "2021-01-01 00:05:30", int64(1)},
		})
	})
}

func checkRows(t *testing.T, got []frame.Row, want [][]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("row %d column %d = %v (%T), want %v", i, j, got[i][j], got[i][j], want[i][j])
			}
		}
	}
}

// TestWindowsInSelect selects a sliding Window and a SessionWindow without
// grouping, as Spark's DataFrame select: one row per sliding window
// holding the time (12:05 with 12-minute windows every 5 minutes from a
// start of 2 minutes: 11:57 and 12:02, hand computed from the comment of
// Spark's TimeWindowing rule), and a session [time, time + gap) per row
// whose gap is positive (rows with a null, negative or unreadable gap
// dropped, as Spark's SessionWindowing filter).
func TestWindowsInSelect(t *testing.T) {
	partitionCounts(t, func(t *testing.T, s *frame.Session) {
		in := s.SQL("SELECT * FROM VALUES (CAST('2021-01-01 12:05:00' AS TIMESTAMP), '5 minutes'), (CAST('2021-01-01 12:06:00' AS TIMESTAMP), '-1 minute'), (CAST('2021-01-01 12:07:00' AS TIMESTAMP), 'soon'), (CAST('2021-01-01 12:08:00' AS TIMESTAMP), NULL) AS t(ts, gap)")
		df := in.Filter(F.Col("gap").Eq(F.Lit("5 minutes"))).
			Select(F.Window(F.Col("ts"), "12 minutes", "5 minutes", "2 minutes")).
			OrderBy(F.Col("window.start")).
			Select(F.Col("window.start").Cast("string"), F.Col("window.end").Cast("string"))
		checkRows(t, collectRows(t, df), [][]any{
			{"2021-01-01 11:57:00", "2021-01-01 12:09:00"},
			{"2021-01-01 12:02:00", "2021-01-01 12:14:00"},
		})
		df = in.Select(F.SessionWindow(F.Col("ts"), F.Col("gap"))).
			Select(F.Col("session_window.start").Cast("string"), F.Col("session_window.end").Cast("string"))
		checkRows(t, collectRows(t, df), [][]any{{"2021-01-01 12:05:00", "2021-01-01 12:10:00"}})
	})
}
