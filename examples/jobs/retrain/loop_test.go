package retrain

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gspark/gspark/ml/registry"
)

// shiftedCopy writes the breast cancer data with mean_radius scaled by
// factor into dir and returns its path.
func shiftedCopy(t *testing.T, src, dir string, factor float64) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, name := range rows[0] {
		if name == "mean_radius" {
			col = i
		}
	}
	if col < 0 {
		t.Fatal("no mean_radius column")
	}
	for _, r := range rows[1:] {
		x, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			t.Fatal(err)
		}
		r[col] = strconv.FormatFloat(x*factor, 'g', -1, 64)
	}
	path := filepath.Join(dir, "shifted.csv")
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The whole loop with the real binary: train.yaml registers v1; `gspark
// serve models/cancer` serves it under continuous load; retrain.sh on
// unshifted data finds no drift and registers nothing; on data with
// mean_radius scaled by 1.3 `gspark monitor` exits 3, the script retrains
// and registers v2, and the running server swaps v2 in — with no failed
// request throughout.
func TestRetrainLoopWithServer(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	tmp := t.TempDir()
	bin := buildGspark(t, tmp)
	script, err := filepath.Abs("retrain.sh")
	if err != nil {
		t.Fatal(err)
	}
	data, err := filepath.Abs("../../../testdata/ml/breast_cancer.csv")
	if err != nil {
		t.Fatal(err)
	}
	shifted := shiftedCopy(t, data, tmp, 1.3)
	work := t.TempDir() // ./models and ./mlruns
	models := filepath.Join(work, "models")
	env := append(os.Environ(), "GSPARK="+bin, "GSPARK_MODELS_DIR="+models, "MODEL=", "MLFLOW_TRACKING_URI=")
	gspark := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	retrain := func(args ...string) (string, error) {
		cmd := exec.Command("sh", append([]string{script}, args...)...)
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := gspark("run", filepath.Join(filepath.Dir(script), "train.yaml")); err != nil {
		t.Fatalf("training: %v\n%s", err, out)
	}

	// Serve the registered model, checking for new versions every 100 ms.
	srv := exec.Command(bin, "serve", filepath.Join(models, "cancer"), "--addr", "127.0.0.1:0", "--log-format", "json", "--reload-interval", "100ms")
	srv.Dir, srv.Env = work, env
	stderr, err := srv.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var e struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &e) == nil && e.Msg == "serving" {
				addr <- e.Addr
			}
		}
	}()
	defer func() {
		_ = srv.Process.Signal(syscall.SIGTERM)
		<-logDone
		_ = srv.Wait()
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatal("gspark serve did not start")
	}
	client := &http.Client{Timeout: 20 * time.Second}
	defer client.CloseIdleConnections()
	version := func() int {
		resp, err := client.Get(base + "/version")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v struct {
			Version int `json:"model_version"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			t.Fatal(err)
		}
		return v.Version
	}
	if v := version(); v != 1 {
		t.Fatalf("serving version %d, want 1", v)
	}

	// Continuous load until the end of the test.
	body := []byte(`{"dataframe_records": [{"mean_radius": 17.99, "mean_texture": 10.38, "mean_smoothness": 0.1184,
		"mean_concavity": 0.3001, "worst_area": 2019.0, "worst_concave_points": 0.2654}]}`)
	var sent, failed atomic.Int64
	var firstErr atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				sent.Add(1)
				resp, err := client.Post(base+"/invocations", "application/json", bytes.NewReader(body))
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte(`"predictions"`)) {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%d %s", resp.StatusCode, b))
				}
			}
		})
	}
	defer func() {
		close(stop)
		wg.Wait()
		if n := failed.Load(); n > 0 {
			t.Errorf("%d of %d requests failed; first: %v", n, sent.Load(), firstErr.Load())
		}
	}()

	// Unshifted data: no drift, no new version.
	out, err := retrain(data)
	if err != nil || !strings.Contains(out, "no drift") {
		t.Fatalf("unshifted data: %v\n%s", err, out)
	}
	if vs, _ := registry.List(models, "cancer"); len(vs) != 1 {
		t.Fatalf("unshifted data registered a version: %d versions", len(vs))
	}
	// Shifted data: drift, retraining, v2 — and the server follows.
	out, err = retrain(shifted)
	if err != nil || !strings.Contains(out, "has drifted") || !strings.Contains(out, "mean_radius") {
		t.Fatalf("shifted data: %v\n%s", err, out)
	}
	if v, err := registry.Latest(models, "cancer"); err != nil || v.Number != 2 {
		t.Fatalf("latest after retraining: %+v %v", v, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for version() != 2 {
		if time.Now().After(deadline) {
			t.Fatal("the server did not pick up v2 within 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%d requests sent so far", sent.Load())
	// A few more requests on v2 before the load stops.
	for n := sent.Load(); sent.Load() < n+20; {
		time.Sleep(10 * time.Millisecond)
	}
}
