package functions

import "github.com/gspark/gspark/frame"

// Window returns the tumbling time window holding the timestamp ts, as
// Spark's window(ts, duration[, slide[, start]]): a struct<start, end> of
// timestamps. durations are interval strings such as "5 minutes"; a slide
// shorter than the duration (a sliding window) is not supported yet.
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
