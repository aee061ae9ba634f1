package progress

import (
	"context"
	"testing"
)

func TestReport(t *testing.T) {
	Report(context.Background(), "tree", 1, 2) // no callback: nothing happens
	var got []Event
	ctx := WithFunc(context.Background(), func(e Event) { got = append(got, e) })
	Report(ctx, "tree", 1, 2)
	Report(WithFunc(ctx, nil), "tree", 2, 2)
	if len(got) != 1 || got[0] != (Event{Unit: "tree", Done: 1, Total: 2}) {
		t.Fatalf("events %v", got)
	}
}
