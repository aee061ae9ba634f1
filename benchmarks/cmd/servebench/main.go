// Command servebench measures model serving: the in-process predictor
// (ml/predict) and `gspark serve` over HTTP on loopback, scoring single
// records with a VectorAssembler → StandardScaler → LogisticRegression
// pipeline over ten features of the breast cancer data. The load generator
// is bounded: every phase sends a fixed number of requests or runs for a
// fixed time, whichever ends first, and stops by itself.
//
//	go run ./cmd/servebench [-requests 20000] [-duration 10s] [-rate 2000]
//
// It writes its table to RESULTS.md between <!-- serve:start --> and
// <!-- serve:end -->.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/classification"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/predict"
)

var features = []string{"mean_radius", "mean_texture", "mean_perimeter", "mean_area", "mean_smoothness",
	"mean_compactness", "mean_concavity", "mean_concave_points", "mean_symmetry", "mean_fractal_dimension"}

func main() {
	data := flag.String("data", "../testdata/ml/breast_cancer.csv", "training data (CSV with the ten mean_* columns and label)")
	requests := flag.Int("requests", 20000, "requests per closed-loop phase (at most)")
	duration := flag.Duration("duration", 10*time.Second, "time per phase (at most)")
	rate := flag.Int("rate", 2000, "requests per second of the open-loop phase")
	out := flag.String("out", "RESULTS.md", "results file whose serve section is rewritten (empty: none)")
	flag.Parse()
	if err := run(*data, *requests, *duration, *rate, *out); err != nil {
		log.Fatal(err)
	}
}

type row struct {
	what             string
	requests, errors int
	seconds          float64
	lat              []time.Duration
}

func (r row) markdown() string {
	return fmt.Sprintf("| %s | %d | %d | %.0f | %s | %s |\n", r.what, r.requests, r.errors,
		float64(r.requests)/r.seconds, ms(quantile(r.lat, 0.5)), ms(quantile(r.lat, 0.99)))
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 3, 64) }

func quantile(lat []time.Duration, q float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func run(data string, requests int, duration time.Duration, rate int, out string) error {
	ctx := context.Background()
	load := loadAverage()
	tmp, err := os.MkdirTemp("", "servebench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	s := frame.NewSession()
	df := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(data)
	asm := feature.NewVectorAssembler().SetInputCols(features...).SetOutputCol("raw")
	sc := feature.NewStandardScaler().SetInputCol("raw").SetOutputCol("features")
	m, err := ml.NewPipeline(asm, sc, classification.NewLogisticRegression()).Fit(ctx, df)
	if err != nil {
		return err
	}
	modelDir := filepath.Join(tmp, "model")
	if err := m.Save(modelDir); err != nil {
		return err
	}
	recs, err := records(ctx, df)
	if err != nil {
		return err
	}

	var rows []row
	p, err := predict.Load(ctx, modelDir, predict.WithOutputs("prediction"))
	if err != nil {
		return err
	}
	for _, c := range []int{1, 32} {
		r := inProcess(ctx, p, recs, c, requests, duration)
		rows = append(rows, r)
		log.Print(strings.TrimSpace(r.markdown()))
	}

	bin := filepath.Join(tmp, "gspark")
	build := exec.Command("go", "build", "-o", bin, "./cmd/gspark")
	build.Dir = ".." // the engine's own module, with its own dependencies
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building gspark: %w", err)
	}
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	srv := exec.Command(bin, "serve", modelDir, "--addr", addr)
	srv.Stderr = io.Discard
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() {
		_ = srv.Process.Signal(os.Interrupt)
		_ = srv.Wait()
	}()
	base := "http://" + addr
	if err := waitReady(base, 30*time.Second); err != nil {
		return err
	}
	bodies := make([][]byte, len(recs))
	for i, rec := range recs {
		bodies[i], _ = json.Marshal(map[string]any{"dataframe_records": []map[string]any{rec}})
	}
	transport := &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	// Warm up connections and the server.
	closedLoop(client, base, bodies, 8, 2000, 5*time.Second)
	g0, gerr := settledGoroutines(transport, base)
	for _, c := range []int{1, 32} {
		r := closedLoop(client, base, bodies, c, requests, duration)
		rows = append(rows, r)
		log.Print(strings.TrimSpace(r.markdown()))
	}
	r := openLoop(client, base, bodies, rate, duration)
	rows = append(rows, r)
	log.Print(strings.TrimSpace(r.markdown()))
	g1, gerr2 := settledGoroutines(transport, base)

	var b strings.Builder
	fmt.Fprintf(&b, "Run %s; runtime.NumCPU=%d, GOMAXPROCS=%d, %s; load average at start: %s; command (from benchmarks/): `go run ./cmd/servebench -requests %d -duration %s -rate %d`.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), load, requests, duration, rate)
	b.WriteString("Single-record scoring with a VectorAssembler → StandardScaler → LogisticRegression pipeline over ten features. " +
		"In-process: `predict.Predictor.Predict` on a map. HTTP: `gspark serve` (a separate process, the binary users run) on loopback, " +
		"`POST /invocations` with `dataframe_records` of one record, keep-alive connections, latency measured by the client.\n\n")
	b.WriteString("| phase | requests | errors | requests/s | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		b.WriteString(r.markdown())
	}
	if gerr == nil && gerr2 == nil {
		fmt.Fprintf(&b, "\nServer goroutines (`go_goroutines` from /metrics, read with the load's keep-alive connections closed): %d after warm-up, %d after the load.\n", g0, g1)
	} else {
		fmt.Fprintf(&b, "\nServer goroutines not read: %v %v\n", gerr, gerr2)
	}
	fmt.Print(b.String())
	if out == "" {
		return nil
	}
	return writeSection(out, b.String())
}

// records reads the ten features of every row as maps, as a client sends them.
func records(ctx context.Context, df *frame.DataFrame) ([]map[string]any, error) {
	cols := make([]frame.Column, len(features))
	for i, f := range features {
		cols[i] = frame.Col(f)
	}
	rows, err := df.Select(cols...).Collect(ctx)
	if err != nil {
		return nil, err
	}
	recs := make([]map[string]any, len(rows))
	for i, r := range rows {
		rec := map[string]any{}
		for j, f := range features {
			rec[f] = r[j]
		}
		recs[i] = rec
	}
	return recs, nil
}

// inProcess calls Predict from c goroutines until n calls are made or d passes.
func inProcess(ctx context.Context, p *predict.Predictor, recs []map[string]any, c, n int, d time.Duration) row {
	return loop(fmt.Sprintf("in-process predictor, %d goroutine(s)", c), c, n, d, func(i int) error {
		_, err := p.Predict(ctx, recs[i%len(recs)])
		return err
	})
}

// loop runs call from c goroutines, each calling again when its last call
// returns, until n calls are made or d passes, and times every call.
func loop(what string, c, n int, d time.Duration, call func(i int) error) row {
	var next atomic.Int64
	var mu sync.Mutex
	r := row{what: what}
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < c; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			errs := 0
			for {
				i := next.Add(1)
				if i > int64(n) || time.Now().After(deadline) {
					break
				}
				t := time.Now()
				if err := call(int(i)); err != nil {
					errs++
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			r.lat = append(r.lat, lat...)
			r.errors += errs
			mu.Unlock()
		}()
	}
	wg.Wait()
	r.seconds = time.Since(start).Seconds()
	r.requests = len(r.lat)
	return r
}

func post(client *http.Client, base string, body []byte) error {
	resp, err := client.Post(base+"/invocations", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte(`"predictions"`)) {
		return fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return nil
}

// closedLoop runs c clients, each sending its next request when the last
// one is answered, until n requests are sent or d passes.
func closedLoop(client *http.Client, base string, bodies [][]byte, c, n int, d time.Duration) row {
	return loop(fmt.Sprintf("HTTP, %d client(s), closed loop", c), c, n, d, func(i int) error {
		return post(client, base, bodies[i%len(bodies)])
	})
}

// openLoop sends rate requests per second for d, whatever the answers'
// pace (at most 512 in flight; a request that would exceed it counts as an
// error), and waits for the last answer.
func openLoop(client *http.Client, base string, bodies [][]byte, rate int, d time.Duration) row {
	r := row{what: fmt.Sprintf("HTTP, open loop at %d requests/s", rate)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, 512)
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	total := int(d / interval)
	dropped := 0
	for i := 0; i < total; i++ {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		select {
		case slots <- struct{}{}:
		default:
			dropped++
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			t := time.Now()
			err := post(client, base, bodies[i%len(bodies)])
			l := time.Since(t)
			mu.Lock()
			r.lat = append(r.lat, l)
			if err != nil {
				r.errors++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	r.seconds = time.Since(start).Seconds()
	r.requests = len(r.lat) + dropped
	r.errors += dropped
	return r
}

// settledGoroutines closes the load's idle connections (each holds a
// server goroutine), waits for the server to notice, and reads its
// goroutine count over a fresh connection.
func settledGoroutines(t *http.Transport, base string) (int, error) {
	t.CloseIdleConnections()
	time.Sleep(500 * time.Millisecond)
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	// The least of three reads: a closing connection's goroutine may
	// still be counted in one.
	best := -1
	for range 3 {
		n, err := goroutines(fresh, base)
		if err != nil {
			return 0, err
		}
		if best < 0 || n < best {
			best = n
		}
		time.Sleep(200 * time.Millisecond)
	}
	return best, nil
}

func goroutines(client *http.Client, base string) (int, error) {
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "go_goroutines "); ok {
			return strconv.Atoi(strings.TrimSpace(v))
		}
	}
	return 0, errors.New("/metrics has no go_goroutines")
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitReady(base string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/ping"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("gspark serve did not answer /ping at %s within %s", base, d)
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// writeSection replaces the serve section of the results file, or appends it.
func writeSection(path, body string) error {
	const start, end = "<!-- serve:start -->", "<!-- serve:end -->"
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	text := string(old)
	section := start + "\n" + body + end
	if i, j := strings.Index(text, start), strings.Index(text, end); i >= 0 && j > i {
		text = text[:i] + section + text[j+len(end):]
	} else {
		text += "\n## Model serving\n\n" + section + "\n"
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
