package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testServer is a server running on a loopback port.
type testServer struct {
	s      *Server
	url    string
	client *http.Client
}

// startServer serves opts on 127.0.0.1:0 until the test ends.
func startServer(t *testing.T, opts Options) *testServer {
	t.Helper()
	if opts.Load == nil {
		opts.Load = loadFake
	}
	if opts.Resolve == nil {
		opts.Resolve = resolveLatestFile
	}
	if opts.ModelPath == "" {
		opts.ModelPath = filepath.Join(t.TempDir(), "model")
		writeFake(t, opts.ModelPath, 2)
	}
	if opts.Logger == nil && testing.Verbose() {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	s, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	ts := &testServer{s: s, url: "http://" + ln.Addr().String(), client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	t.Cleanup(func() {
		ts.client.CloseIdleConnections()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ts
}

// do sends a request and returns the status and the body.
func (ts *testServer) do(t testing.TB, method, path, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

func (ts *testServer) invoke(t testing.TB, body string) (int, string) {
	t.Helper()
	return ts.do(t, http.MethodPost, "/invocations", "application/json", body)
}

// predictions decodes {"predictions": [...]}.
func predictions(t testing.TB, body string) []any {
	t.Helper()
	var r struct {
		Predictions []any `json:"predictions"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("response %q: %v", body, err)
	}
	return r.Predictions
}

// The fake model predicts 2*age + sum(f): worked out by hand below.
func TestInvocationFormats(t *testing.T) {
	ts := startServer(t, Options{})
	want := `{"predictions":[63,-2]}` + "\n" // 2*30 + (1+2), 2*(-1) + 0
	for name, body := range map[string]string{
		"dataframe_split":          `{"dataframe_split": {"columns": ["city", "age", "f"], "data": [["paris", 30, [1, 2]], ["rome", -1, []]]}}`,
		"dataframe_split no names": `{"dataframe_split": {"data": [[30, "paris", [1, 2]], [-1.0, "rome", []]]}}`,
		"dataframe_records":        `{"dataframe_records": [{"age": 30, "city": "paris", "f": [1, 2], "extra": true}, {"AGE": -1, "city": "rome", "f": []}]}`,
		"instances records":        `{"instances": [{"age": 30, "city": "paris", "f": [1, 2]}, {"age": -1, "city": "rome", "f": []}]}`,
		"instances columns":        `{"instances": {"age": [30, -1], "city": ["paris", "rome"], "f": [[1, 2], []]}}`,
		"inputs records":           `{"inputs": [{"age": 30, "city": "paris", "f": [1, 2]}, {"age": -1, "city": "rome", "f": []}], "params": {}}`,
		"inputs columns":           `{"inputs": {"age": [30, -1], "city": ["paris", "rome"], "f": [[1, 2], []]}, "params": {"x": 1}}`,
		"inputs lists":             `{"inputs": [[30, "paris", [1, 2]], [-1, "rome", []]]}`,
	} {
		code, body := ts.invoke(t, body)
		if code != http.StatusOK || body != want {
			t.Errorf("%s: got %d %s, want 200 %s", name, code, body, want)
		}
	}
	// CSV: the header names the columns, values typed by the signature.
	code, body := ts.do(t, http.MethodPost, "/invocations", "text/csv; charset=utf-8",
		"city,age,f\nparis,30,\"[1,2]\"\nrome,-1,[]\n")
	if code != http.StatusOK || body != want {
		t.Errorf("csv: got %d %s, want 200 %s", code, body, want)
	}
	// A null age scores as NaN, written as null; an empty request scores nothing.
	if code, body := ts.invoke(t, `{"dataframe_records": [{"age": null, "city": null, "f": null}]}`); code != 200 || body != `{"predictions":[null]}`+"\n" {
		t.Errorf("null age: got %d %s", code, body)
	}
	if code, body := ts.invoke(t, `{"dataframe_records": []}`); code != 200 || body != `{"predictions":[]}`+"\n" {
		t.Errorf("no records: got %d %s", code, body)
	}
}

func TestInvocationOutputs(t *testing.T) {
	ts := startServer(t, Options{})
	want := `{"predictions":[{"prediction":60,"probability":[0.25,0.75]},{"prediction":4,"probability":[0.25,0.75]}]}` + "\n"
	body := `{"dataframe_records": [{"age": 30, "city": "paris", "f": null}, {"age": 2, "city": "rome", "f": null}], "params": {"outputs": ["prediction", "probability"]}}`
	if code, got := ts.invoke(t, body); code != 200 || got != want {
		t.Errorf("params.outputs: got %d %s, want %s", code, got, want)
	}
	body = `{"dataframe_records": [{"age": 30, "city": "paris", "f": null}, {"age": 2, "city": "rome", "f": null}]}`
	if code, got := ts.do(t, http.MethodPost, "/invocations?outputs=prediction,probability", "application/json", body); code != 200 || got != want {
		t.Errorf("?outputs: got %d %s, want %s", code, got, want)
	}
	if code, got := ts.do(t, http.MethodPost, "/invocations?outputs=cityIndex", "application/json", body); code != 200 || got != `{"predictions":[{"cityIndex":5},{"cityIndex":4}]}`+"\n" {
		t.Errorf("?outputs=cityIndex: got %d %s", code, got)
	}
	if code, got := ts.do(t, http.MethodPost, "/invocations?outputs=rawPrediction", "application/json", body); code != 400 || !strings.Contains(got, `\"rawPrediction\" is not an output column`) {
		t.Errorf("unknown output: got %d %s", code, got)
	}
}

// errorBody decodes MLflow's error shape.
func errorBody(t *testing.T, body string) (code, msg string) {
	t.Helper()
	var e struct {
		Code string `json:"error_code"`
		Msg  string `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e.Code, e.Msg
}

func TestErrors(t *testing.T) {
	ts := startServer(t, Options{MaxBody: 1000, Timeout: 200 * time.Millisecond})
	rec := func(age string) string { return `{"age": ` + age + `, "city": "paris", "f": [1]}` }
	for _, tc := range []struct {
		name, method, path, ctype, body string
		status                          int
		code, msg                       string
	}{
		{"missing field", "POST", "/invocations", "application/json", `{"dataframe_records": [` + rec("1") + `, {"city": "x", "f": []}]}`,
			400, "BAD_REQUEST", `record 1, field "age": missing`},
		{"wrong type", "POST", "/invocations", "application/json", `{"dataframe_records": [` + rec("1") + `, ` + rec("1") + `, ` + rec("1") + `, ` + rec(`"old"`) + `]}`,
			400, "BAD_REQUEST", `record 3, field "age": expected double, got a string`},
		{"wrong vector element", "POST", "/invocations", "application/json", `{"inputs": [[1, "x", [1, "two"]]]}`,
			400, "BAD_REQUEST", `record 0, field "f": expected vector, element 1 is a string`},
		{"unknown category", "POST", "/invocations", "application/json", `{"dataframe_records": [` + rec("1") + `, {"age": 1, "city": "atlantis", "f": []}]}`,
			400, "BAD_REQUEST", `record 1, field "city": unknown category "atlantis"`},
		{"malformed JSON", "POST", "/invocations", "application/json", `{"dataframe_records": [`,
			400, "BAD_REQUEST", "not valid JSON"},
		{"two formats", "POST", "/invocations", "application/json", `{"inputs": [], "instances": []}`,
			400, "BAD_REQUEST", "exactly one of the fields"},
		{"a list", "POST", "/invocations", "application/json", `[1, 2]`,
			400, "BAD_REQUEST", "must be a JSON object"},
		{"csv bad number", "POST", "/invocations", "text/csv", "age,city,f\n1,x,[]\nold,y,[]\n",
			400, "BAD_REQUEST", `record 1 (line 3), field "age": expected double, got "old"`},
		{"csv missing column", "POST", "/invocations", "text/csv", "age,f\n1,[]\n",
			400, "BAD_REQUEST", `field "city": missing from the CSV header`},
		{"too large", "POST", "/invocations", "application/json", `{"inputs": [` + strings.Repeat(rec("1")+",", 40) + rec("1") + `]}`,
			413, "BAD_REQUEST", "larger than the limit of 1000 bytes"},
		{"content type", "POST", "/invocations", "text/plain", "hello",
			415, "BAD_REQUEST", `content type "text/plain" is not supported`},
		{"charset", "POST", "/invocations", "application/json; charset=latin1", "{}",
			415, "BAD_REQUEST", "not supported"},
		{"unknown route", "GET", "/predict", "", "",
			404, "ENDPOINT_NOT_FOUND", "no endpoint /predict"},
		{"wrong method", "GET", "/invocations", "", "",
			405, "BAD_REQUEST", "GET /invocations is not allowed; use POST"},
		{"wrong method ping", "POST", "/ping", "application/json", "{}",
			405, "BAD_REQUEST", "use GET"},
		{"model panics", "POST", "/invocations", "application/json", `{"dataframe_records": [{"age": 1, "city": "panic", "f": []}]}`,
			500, "INTERNAL_ERROR", "the model broke"},
	} {
		status, body := ts.do(t, tc.method, tc.path, tc.ctype, tc.body)
		if status != tc.status {
			t.Errorf("%s: status %d, want %d (%s)", tc.name, status, tc.status, body)
			continue
		}
		code, msg := errorBody(t, body)
		if code != tc.code || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s: got %s %q, want %s and a message with %q", tc.name, code, msg, tc.code, tc.msg)
		}
	}
	// The server goes on serving after all of that.
	if code, body := ts.invoke(t, `{"inputs": [`+rec("1")+`]}`); code != 200 || body != `{"predictions":[3]}`+"\n" {
		t.Errorf("after the errors: got %d %s", code, body)
	}
}

func TestTimeout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "m")
	writeFake(t, dir, 1)
	slow := &fakeScorer{factor: 1, delay: 2 * time.Second}
	ts := startServer(t, Options{ModelPath: dir, Timeout: 50 * time.Millisecond,
		Load: func(context.Context, string) (Scorer, error) { return slow, nil }})
	start := time.Now()
	status, body := ts.invoke(t, `{"inputs": [{"age": 1, "city": "x", "f": []}]}`)
	if status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503: %s", status, body)
	}
	if code, msg := errorBody(t, body); code != "TEMPORARILY_UNAVAILABLE" || !strings.Contains(msg, "request timeout of 50ms") {
		t.Errorf("got %s %q", code, msg)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the timeout answered after %s", d)
	}
}

func TestPingVersion(t *testing.T) {
	ts := startServer(t, Options{Version: "v1.2.3"})
	for _, p := range []string{"/ping", "/health"} {
		if code, _ := ts.do(t, "GET", p, "", ""); code != 200 {
			t.Errorf("%s: %d", p, code)
		}
	}
	code, body := ts.do(t, "GET", "/version", "", "")
	if code != 200 {
		t.Fatalf("/version: %d %s", code, body)
	}
	var v VersionInfo
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	if v.GsparkVersion != "v1.2.3" || v.ModelPath == "" || v.Dir != v.ModelPath || v.Version != 0 ||
		v.Signature == nil || len(v.Signature.Inputs) != 3 || v.Signature.Inputs[0].Name != "age" {
		t.Errorf("/version: %s", body)
	}
}

func TestNewFails(t *testing.T) {
	if _, err := New(context.Background(), Options{ModelPath: t.TempDir(), Load: loadFake, Resolve: resolveLatestFile}); err == nil || !strings.Contains(err.Error(), "loading model") {
		t.Errorf("a directory without a model: %v", err)
	}
	if _, err := New(context.Background(), Options{ModelPath: filepath.Join(t.TempDir(), "none"), Load: loadFake, Resolve: resolveLatestFile}); err == nil {
		t.Error("a missing directory should fail")
	}
}

// The request body of the load test, and its expected prediction per factor.
var loadBody = []byte(`{"dataframe_records": [{"age": 10, "city": "x", "f": []}]}`)

func postLoad(c *http.Client, url string) (int, []byte, error) {
	resp, err := c.Post(url+"/invocations", "application/json", bytes.NewReader(loadBody))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// The access log has one line per request with its method, path, status,
// duration, rows and request id (the client's X-Request-Id when it sends one).
func TestAccessLog(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	ts := startServer(t, Options{Logger: slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, nil))})
	req, err := http.NewRequest("POST", ts.url+"/invocations", strings.NewReader(`{"inputs": [{"age": 1, "city": "x", "f": []}, {"age": 2, "city": "y", "f": []}]}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "abc-123")
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got != "abc-123" {
		t.Errorf("X-Request-Id %q", got)
	}
	ts.do(t, "GET", "/ping", "", "")
	mu.Lock()
	defer mu.Unlock()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("access log lines: %v", lines)
	}
	l := lines[0]
	if l["method"] != "POST" || l["path"] != "/invocations" || l["status"] != 200.0 || l["rows"] != 2.0 || l["request_id"] != "abc-123" || l["duration"] == nil {
		t.Errorf("access log line %v", l)
	}
	if id, _ := lines[1]["request_id"].(string); id == "" || lines[1]["path"] != "/ping" {
		t.Errorf("access log line %v", lines[1])
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
