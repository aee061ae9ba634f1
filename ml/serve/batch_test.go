package serve

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// With micro-batching, requests waiting together are scored in one call;
// a request with a bad record still gets its own error, and the others
// their own predictions.
func TestMicroBatching(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "m")
	writeFake(t, dir, 1)
	slow := &fakeScorer{factor: 1, delay: 30 * time.Millisecond}
	ts := startServer(t, Options{ModelPath: dir, BatchRecords: 64, BatchWait: 5 * time.Millisecond,
		Load: func(context.Context, string) (Scorer, error) { return slow, nil }})
	const n = 12
	codes := make([]int, n)
	bodies := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			city := "x"
			if i == 7 {
				city = "atlantis"
			}
			body := fmt.Sprintf(`{"dataframe_records": [{"age": %d, "city": "x", "f": []}, {"age": 1, "city": %q, "f": []}]}`, i, city)
			codes[i], bodies[i] = ts.invoke(t, body)
		})
	}
	wg.Wait()
	for i := range n {
		want := fmt.Sprintf(`{"predictions":[%d,1]}`+"\n", i)
		if i == 7 {
			if codes[i] != http.StatusBadRequest || !strings.Contains(bodies[i], `record 1, field \"city\": unknown category`) {
				t.Errorf("request %d: %d %s", i, codes[i], bodies[i])
			}
			continue
		}
		if codes[i] != 200 || bodies[i] != want {
			t.Errorf("request %d: %d %s, want %s", i, codes[i], bodies[i], want)
		}
	}
	// Fewer model calls than requests: some were scored together.
	f := scrape(t, ts)["gspark_serve_batch_records"]
	h := f.GetMetric()[0].GetHistogram()
	if h.GetSampleSum() <= float64(h.GetSampleCount())*2 {
		t.Errorf("no batch held more than one request: %d calls for %v records", h.GetSampleCount(), h.GetSampleSum())
	}
}
