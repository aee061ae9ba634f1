package frame_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gspark/gspark/frame"
)

// TestSessionTimeZone checks SetTimeZone and SET: the zone reads TIMESTAMP
// literals and Collect returns instants in it; a TIMESTAMP_NTZ stays a UTC
// wall clock. Values by hand: 12:00 in Los Angeles (PDT, UTC-7) is 19:00 UTC.
func TestSessionTimeZone(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	if err := s.SetTimeZone("Nowhere/City"); err == nil || !strings.Contains(err.Error(), "unknown time zone") {
		t.Fatalf("SetTimeZone(Nowhere/City): got %v", err)
	}
	if err := s.SetConf("spark.sql.session.timezone", "America/Los_Angeles"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Conf("spark.sql.session.timeZone"); err != nil || v != "America/Los_Angeles" {
		t.Fatalf("Conf: %q, %v", v, err)
	}
	rows, err := s.SQL("SELECT TIMESTAMP '2024-07-01 12:00:00', TIMESTAMP_NTZ '2024-07-01 12:00:00'").Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ltz, ntz := rows[0][0].(time.Time), rows[0][1].(time.Time)
	if want := time.Date(2024, 7, 1, 19, 0, 0, 0, time.UTC); !ltz.Equal(want) {
		t.Errorf("TIMESTAMP: instant %v, want %v", ltz, want)
	}
	if ltz.Location().String() != "America/Los_Angeles" || ltz.Hour() != 12 {
		t.Errorf("TIMESTAMP: %v, want 12:00 in America/Los_Angeles", ltz)
	}
	if !ntz.Equal(time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC)) || ntz.Location() != time.UTC {
		t.Errorf("TIMESTAMP_NTZ: %v, want the wall clock 12:00 as UTC", ntz)
	}
	if zone, loc := s.TimeZone(); zone != "America/Los_Angeles" || loc.String() != "America/Los_Angeles" {
		t.Errorf("TimeZone: %s %v", zone, loc)
	}
}
