package frame_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/gspark/gspark/frame"
)

// TestNewSessionLeavesSamplesInBinary checks that a new session does not
// copy the sample tables' bytes (about 2.6 MB) until a query reads one.
func TestNewSessionLeavesSamplesInBinary(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s := frame.NewSession(frame.WithPartitions(1))
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 256<<10 {
		t.Errorf("NewSession allocated %d bytes, want under 256 KiB", n)
	}
	rows, err := s.SQL("SELECT count(*) FROM samples.nation").Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0][0] != int64(25) {
		t.Errorf("samples.nation count = %v, want 25 (TPC-H's nation table)", rows)
	}
}
