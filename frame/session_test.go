package frame_test

import (
	"context"
	"testing"

	"github.com/gspark/gspark/frame"
)

func TestShortTableNamesDoNotDuplicateTables(t *testing.T) {
	s := frame.NewSession(frame.WithPartitions(1))
	before := len(s.Tables())
	if _, err := s.Table("nation").Count(context.Background()); err != nil {
		t.Fatal(err)
	}
	names := s.Tables()
	if len(names) != before {
		t.Fatalf("%d tables after reading nation by its short name, %d before: %v", len(names), before, names)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Fatalf("table %s listed twice", n)
		}
		seen[n] = true
	}
}
