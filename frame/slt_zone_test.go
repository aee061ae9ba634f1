package frame_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gspark/gspark/frame"
)

// laAnswers are the records of spark_datetime.slt whose answer depends on
// the session time zone, by a fragment of their SQL, with the answer in an
// America/Los_Angeles session: Spark's documented answers (its function
// reference examples run in that zone) or, where the file's query is not a
// Spark example, computed by hand.
var laAnswers = map[string][]string{
	// Spark's make_timestamp example: 06:30:45.887 CET shown in Los Angeles.
	"make_timestamp(2014, 12, 28, 6, 30, 45.887, 'CET')": {"2014-12-27 21:30:45.887"},
	// Spark's convert_timezone examples (the source zone omitted is the session zone).
	"convert_timezone('Europe/Brussels', 'America/Los_Angeles'": {"2021-12-05 15:00:00\t2021-12-06 00:00:00"},
	// By hand: 1969-12-31 23:59:59.5 PST is 1970-01-01 07:59:59.5 UTC.
	"unix_seconds(TIMESTAMP '1969-12-31 23:59:59.5')": {"28799\t28799999"},
	// Spark's timestamp_seconds, timestamp_millis and timestamp_micros examples.
	"timestamp_seconds(1230219000), timestamp_seconds": {"2008-12-25 07:30:00\t2008-12-25 07:30:00.123\t2008-12-25 07:30:00.123\t2008-12-25 07:30:00.123123"},
	// Spark's to_unix_timestamp example.
	"to_unix_timestamp('2016-04-08', 'yyyy-MM-dd')": {"1460098800"},
	// By hand: 10:00 at +02:00 is 08:00 UTC, midnight in Los Angeles.
	"TIMESTAMP '2020-01-01 10:00:00+02:00'": {"2016-12-31 00:12:00\t2014-12-28 06:30:45.887\t2020-01-01 00:00:00"},
	"current_timezone()":                    {"America/Los_Angeles"},
}

// TestSLTDatetimeLosAngeles runs spark_datetime.slt in an
// America/Los_Angeles session: every record answers as in UTC except the
// zone-dependent ones, which answer as laAnswers says.
func TestSLTDatetimeLosAngeles(t *testing.T) {
	path := filepath.Join(sltDir, "spark_datetime.slt")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := parseSLT("spark_datetime.slt", strings.Split(string(data), "\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := frame.NewSession(frame.WithPartitions(2))
	if err := s.SetTimeZone("America/Los_Angeles"); err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, r := range recs {
		rec := *r
		for frag, want := range laAnswers {
			if strings.Contains(rec.sql(), frag) {
				rec.expected, used[frag] = want, true
			}
		}
		if msg := checkRecord(&rec, runRecord(context.Background(), s, &rec)); msg != "" {
			t.Errorf("spark_datetime.slt:%d in America/Los_Angeles\n  SQL: %s\n%s", rec.line, rec.sql(), msg)
		}
	}
	for frag := range laAnswers {
		if !used[frag] {
			t.Errorf("no record of spark_datetime.slt has %q", frag)
		}
	}
}
