package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gspark/gspark/frame"
)

// The first result of `gspark sql` waits until the heap is prepared (its
// ready channel closed); statements without a result run before that, and a
// cancelled context ends the wait.
func TestFirstResultWaitsForThePreparedHeap(t *testing.T) {
	f, err := formatter("csv")
	if err != nil {
		t.Fatal(err)
	}
	s := frame.NewSession()
	ready := make(chan struct{})
	var out bytes.Buffer
	p := newPrinter(f, &out, io.Discard)
	p.ready = ready
	done := make(chan error, 1)
	go func() {
		done <- p.run(context.Background(), s, "CREATE TEMP VIEW v AS SELECT 7 AS x; SELECT x * 6 AS y FROM v")
	}()
	select {
	case err := <-done:
		t.Fatalf("the script finished (%v, output %q) before the heap was ready", err, out.String())
	case <-time.After(100 * time.Millisecond):
	}
	if !slices.Contains(s.Tables(), "v") {
		t.Errorf("the view before the first result was not made while waiting: tables %v", s.Tables())
	}
	close(ready)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(strings.TrimSpace(out.String()), "\r\n", "\n"); got != "y\n42" {
		t.Errorf("output %q, want y and 42", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	p = newPrinter(f, io.Discard, io.Discard)
	p.ready = make(chan struct{})
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	if err := p.run(ctx, s, "SELECT 1"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while waiting: %v, want context.Canceled", err)
	}
}
