package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/ml"
	"github.com/gspark/gspark/ml/feature"
	"github.com/gspark/gspark/ml/regression"
)

// lineModel saves a linear regression fitted on y = 2x + 1 exactly.
func lineModel(t *testing.T) string {
	t.Helper()
	s := frame.NewSession()
	df := s.SQL("SELECT CAST(x AS DOUBLE) AS x, CAST(2 * x + 1 AS DOUBLE) AS y FROM VALUES (0), (1), (2), (3), (4), (5) AS t(x)")
	m, err := ml.NewPipeline(
		feature.NewVectorAssembler().SetInputCols("x").SetOutputCol("features"),
		regression.NewLinearRegression().SetLabelCol("y"),
	).Fit(context.Background(), df)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "line")
	if err := ml.Save(m, dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startServe runs `gspark serve` on a free loopback port and returns the
// command, its base URL and its log lines so far (read on).
type serveProc struct {
	cmd  *exec.Cmd
	url  string
	mu   sync.Mutex
	log  []string
	done chan struct{}
}

func startServe(t *testing.T, args ...string) *serveProc {
	t.Helper()
	bin := buildBinary(t)
	cmd := exec.Command(bin, append([]string{"serve"}, append(args, "--addr", "127.0.0.1:0", "--log-format", "json")...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log = append(p.log, line)
			p.mu.Unlock()
			var e struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &e) == nil && e.Msg == "serving" {
				addr <- e.Addr
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
		cmd.Wait()
	})
	select {
	case a := <-addr:
		p.url = "http://" + a
	case <-p.done:
		t.Fatalf("gspark serve exited:\n%s", p.logText())
	case <-time.After(30 * time.Second):
		t.Fatalf("gspark serve did not start:\n%s", p.logText())
	}
	return p
}

func (p *serveProc) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.log, "\n")
}

// SIGTERM with requests in flight: the server stops accepting connections,
// every request already sent is answered 200 with its predictions, and the
// process exits 0.
func TestServeCommandGracefulShutdown(t *testing.T) {
	p := startServe(t, lineModel(t), "--timeout", "20s")
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	if resp, err := client.Get(p.url + "/ping"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/ping: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	// Each request sends its headers and half its body, then waits.
	const n = 4
	type result struct {
		code int
		body string
		err  error
	}
	results := make([]result, n)
	writers := make([]*io.PipeWriter, n)
	var wg sync.WaitGroup
	for i := range n {
		pr, pw := io.Pipe()
		writers[i] = pw
		req, err := http.NewRequest("POST", p.url+"/invocations", pr)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		wg.Go(func() {
			resp, err := client.Do(req)
			if err != nil {
				results[i].err = err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			results[i] = result{resp.StatusCode, string(b), err}
		})
		if _, err := io.WriteString(pw, `{"dataframe_records": [{"x": 100}, `); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(200 * time.Millisecond) // the server has the requests' headers
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// New connections are refused once the listener is closed.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(p.url, "http://"), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 5s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for i, pw := range writers {
		fmt.Fprintf(pw, `{"x": %d}]}`, i)
		pw.Close()
	}
	wg.Wait()
	for i, r := range results {
		if r.err != nil || r.code != 200 {
			t.Errorf("request %d: %d %s %v", i, r.code, r.body, r.err)
			continue
		}
		var got struct{ Predictions []float64 }
		if err := json.Unmarshal([]byte(r.body), &got); err != nil || len(got.Predictions) != 2 ||
			math.Abs(got.Predictions[0]-201) > 1e-6 || math.Abs(got.Predictions[1]-float64(2*i+1)) > 1e-6 {
			t.Errorf("request %d: %s, want [201, %d]", i, r.body, 2*i+1)
		}
	}
	waitErr := make(chan error, 1)
	go func() { <-p.done; waitErr <- p.cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Errorf("gspark serve exited with %v:\n%s", err, p.logText())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("gspark serve did not exit after SIGTERM:\n%s", p.logText())
	}
	log := p.logText()
	for _, want := range []string{`"msg":"shutting down: waiting for requests in flight"`, `"msg":"stopped"`,
		`"path":"/invocations","status":200`, `"rows":2`, `"request_id":`} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s:\n%s", want, log)
		}
	}
}

func TestServeCommandBadFlags(t *testing.T) {
	bin := buildBinary(t)
	dir := lineModel(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", dir, "--max-body", "lots"}, "--max-body"},
		{[]string{"serve", dir, "--log-level", "loud"}, "--log-level"},
		{[]string{"serve", filepath.Join(dir, "nope")}, "no such file or directory"},
		{[]string{"serve"}, "accepts 1 arg"},
	} {
		out, err := exec.Command(bin, tc.args...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), tc.want) {
			t.Errorf("%v: %v\n%s", tc.args, err, out)
		}
	}
}
