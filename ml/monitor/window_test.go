package monitor

import (
	"context"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
)

func TestWindow(t *testing.T) {
	ctx := context.Background()
	s := frame.NewSession(frame.WithPartitions(1))
	train := readCSV(s, "../../testdata/monitor/psi_train.csv")
	model := smallModel(t, ctx, train)
	prof, err := BuildProfile(ctx, train, model, ProfileOptions{TopK: 2})
	if err != nil {
		t.Fatal(err)
	}
	scored, err := model.Transform(readCSV(s, "../../testdata/monitor/psi_current.csv"))
	if err != nil {
		t.Fatal(err)
	}
	batches, err := scored.CollectBatches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	add := func(w *Window) {
		for _, b := range batches {
			w.Add(b)
		}
	}
	// The whole current data set in a window of 20: the PSIs of
	// TestPSIByHand; z has 14 non-null values, fewer than the 20 needed.
	w := NewWindow(prof, 20)
	if got := w.PSI(); len(got) != 0 {
		t.Errorf("empty window: %v", got)
	}
	add(w)
	got := w.PSI()
	if !near(got["x"], 0.7593994705) || !near(got["c"], 0.2014903020) {
		t.Errorf("PSI %v", got)
	}
	if _, ok := got["z"]; ok {
		t.Errorf("z reported with 14 values: %v", got)
	}
	// The same as Compare's for every column (ci: doubles, the fast path).
	rep, err := Compare(ctx, prof, scored, DefaultThresholds())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rep.Columns {
		if d.Name != "z" && (d.PSI == nil || !near(got[d.Name], *d.PSI)) {
			t.Errorf("window PSI(%s) = %v, Compare %+v", d.Name, got[d.Name], d)
		}
	}
	if len(got) != 3 {
		t.Errorf("window PSIs %v, want x, c and ci", got)
	}
	// A window of 10 keeps the last 10 rows: x = 5,5,6,6,7,7,8,8,10,10,
	// shares 0,0,0,0,.2,.2,.2,.2,0,.2 against 0.1 each:
	// 5·(1e-4-0.1)·ln(1e-3) + 5·0.1·ln 2 = 3.4504237620 + 0.3465735903.
	w = NewWindow(prof, 10)
	add(w)
	if got := w.PSI()["x"]; !near(got, 3.7969973523) {
		t.Errorf("PSI(x) of the last 10 = %.10f, want 3.7969973523", got)
	}
	// Concurrent adds (run with -race): every value is counted once.
	w = NewWindow(prof, 1000)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			add(w)
			w.PSI()
		}()
	}
	wg.Wait()
	if got := w.PSI()["x"]; !near(got, 0.7593994705) {
		t.Errorf("after concurrent adds: PSI(x) = %v", got)
	}
	w.Add(nil)
	var none arrow.RecordBatch
	w.Add(none)
}
