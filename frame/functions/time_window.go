package functions

import "github.com/gspark/gspark/frame"

// Window returns the time window holding the timestamp ts, as Spark's
// window(ts, duration[, slide[, start]]): a struct<start, end> of
// timestamps. durations are interval strings such as "5 minutes". A slide
// shorter than the duration (a sliding window) puts a row in several
// windows: use it in GroupBy, which counts the row in each of them.
func Window(ts frame.Column, durations ...string) frame.Column {
	args := []frame.Column{ts}
	for _, d := range durations {
		args = append(args, frame.Lit(d))
	}
	return frame.Call("window", args...)
}

// WindowTime returns the last time inside a time window (its end minus one
// microsecond), as Spark's window_time.
func WindowTime(w frame.Column) frame.Column { return frame.Call("window_time", w) }

// SessionWindow returns the session window of the timestamp ts, as Spark's
// session_window(ts, gap): in GroupBy, the rows of each group (the other
// grouping columns) whose windows [ts, ts + gap) overlap or touch form one
// session, a struct<start, end>. gap is an interval string, constant
// (frame.Lit("5 minutes")) or computed per row; rows whose gap is null, not
// positive or no interval are dropped.
func SessionWindow(ts, gap frame.Column) frame.Column { return frame.Call("session_window", ts, gap) }
