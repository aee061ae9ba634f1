package serve

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// setLatest points a registered model's "latest" file at version n,
// atomically (a rename), as a registry does.
func setLatest(t *testing.T, root string, n int) {
	t.Helper()
	tmp := filepath.Join(root, ".latest.tmp")
	if err := os.WriteFile(tmp, []byte(fmt.Sprintf("v%d\n", n)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(root, LatestFile)); err != nil {
		t.Fatal(err)
	}
}

// Several goroutines score continuously while the model is swapped several
// times, by POST /reload and by the poller: no request fails, and each is
// scored by one of the versions (prediction = factor*10).
func TestHotReloadUnderLoad(t *testing.T) {
	root := filepath.Join(t.TempDir(), "churn")
	const versions = 6
	for v := 1; v <= versions; v++ {
		writeFake(t, filepath.Join(root, fmt.Sprintf("v%d", v)), float64(v))
	}
	setLatest(t, root, 1)
	for _, batch := range []int{0, 64} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			setLatest(t, root, 1)
			ts := startServer(t, Options{ModelPath: root, ReloadInterval: 5 * time.Millisecond, BatchRecords: batch})
			var stop atomic.Bool
			var total, failed atomic.Int64
			var wg sync.WaitGroup
			var mu sync.Mutex
			seen := map[string]bool{}
			for range 6 {
				wg.Go(func() {
					for !stop.Load() {
						code, body, err := postLoad(ts.client, ts.url)
						total.Add(1)
						if err != nil || code != http.StatusOK {
							failed.Add(1)
							t.Errorf("request failed: %d %s %v", code, body, err)
							return
						}
						mu.Lock()
						seen[string(body)] = true
						mu.Unlock()
					}
				})
			}
			for v := 2; v <= versions; v++ {
				time.Sleep(20 * time.Millisecond)
				setLatest(t, root, v)
				if v%2 == 0 { // half by POST /reload, half by the poller
					if code, body := ts.do(t, "POST", "/reload", "", ""); code != 200 || !strings.Contains(body, fmt.Sprintf(`"model_version":%d`, v)) {
						t.Errorf("reload to v%d: %d %s", v, code, body)
					}
				} else {
					waitVersion(t, ts.s, v)
				}
			}
			time.Sleep(20 * time.Millisecond)
			stop.Store(true)
			wg.Wait()
			if failed.Load() != 0 || total.Load() < 20 {
				t.Errorf("%d of %d requests failed", failed.Load(), total.Load())
			}
			for body := range seen {
				ok := false
				for v := 1; v <= versions; v++ {
					ok = ok || body == fmt.Sprintf(`{"predictions":[%d]}`+"\n", v*10)
				}
				if !ok {
					t.Errorf("unexpected answer %q", body)
				}
			}
			if code, body := ts.invoke(t, string(loadBody)); code != 200 || body != fmt.Sprintf(`{"predictions":[%d]}`+"\n", versions*10) {
				t.Errorf("after the last swap: %d %s", code, body)
			}
			// Each version was loaded once by the poller or POST /reload, and
			// once more when POST /reload came after the poller had it.
			if r := metricValue(t, ts, "gspark_serve_reloads_total", map[string]string{"result": "success"}); r < versions-1 || r > versions-1+versions/2 {
				t.Errorf("reloads %v, want %d to %d", r, versions-1, versions-1+versions/2)
			}
			if r := metricValue(t, ts, "gspark_serve_model_version", nil); r != versions {
				t.Errorf("model version gauge %v, want %d", r, versions)
			}
		})
	}
}

// waitVersion waits for the poller to load version v.
func waitVersion(t *testing.T, s *Server, v int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.cur.Load().res.Version != v {
		if time.Now().After(deadline) {
			t.Fatalf("the poller did not load v%d", v)
		}
		time.Sleep(time.Millisecond)
	}
}

// A reload to a broken version keeps the old model serving and says so.
func TestReloadFailure(t *testing.T) {
	root := filepath.Join(t.TempDir(), "m")
	writeFake(t, filepath.Join(root, "v1"), 3)
	if err := os.MkdirAll(filepath.Join(root, "v2"), 0o755); err != nil { // no model in it
		t.Fatal(err)
	}
	setLatest(t, root, 1)
	ts := startServer(t, Options{ModelPath: root})
	setLatest(t, root, 2)
	code, body := ts.do(t, "POST", "/reload", "", "")
	if c, msg := errorBody(t, body); code != 500 || c != "INTERNAL_ERROR" || !strings.Contains(msg, "reload failed; still serving "+filepath.Join(root, "v1")) {
		t.Errorf("reload: %d %s", code, body)
	}
	if code, body := ts.invoke(t, string(loadBody)); code != 200 || body != `{"predictions":[30]}`+"\n" {
		t.Errorf("after the failed reload: %d %s", code, body)
	}
	if r := metricValue(t, ts, "gspark_serve_reloads_total", map[string]string{"result": "failure"}); r != 1 {
		t.Errorf("failed reloads %v, want 1", r)
	}
	if _, err := ts.s.Reload(context.Background()); err == nil {
		t.Error("Reload should fail")
	}
}
