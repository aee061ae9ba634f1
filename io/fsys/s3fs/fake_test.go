package s3fs

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// fake is an in-process S3-compatible server for tests, with counters of
// the object bytes it sent and the access keys that signed requests.
type fake struct {
	url     string
	backend *s3mem.Backend
	sent    atomic.Int64 // body bytes of GET responses
	mu      sync.Mutex
	keys    map[string]bool // access key ids seen in Authorization headers
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// startFake starts the server with the given buckets and points the AWS
// environment at it: credentials from the environment, no config files.
func startFake(t *testing.T, buckets ...string) *fake {
	t.Helper()
	f := &fake{backend: s3mem.New(), keys: map[string]bool{}}
	for _, b := range buckets {
		if err := f.backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	h := gofakes3.New(f.backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			if _, rest, ok := strings.Cut(a, "Credential="); ok {
				id, _, _ := strings.Cut(rest, "/")
				f.mu.Lock()
				f.keys[id] = true
				f.mu.Unlock()
			}
		}
		if r.Method == http.MethodGet && strings.Count(strings.Trim(r.URL.Path, "/"), "/") >= 1 {
			w = countingWriter{ResponseWriter: w, n: &f.sent}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENVTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_PROFILE", "")
	return f
}

// sawKey reports whether a request was signed with access key id.
func (f *fake) sawKey(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keys[id]
}

// newFS is an FS talking to the fake, path-style as S3-compatible stores need.
func (f *fake) newFS(t *testing.T) *FS {
	t.Helper()
	fs, err := New(context.Background(), Config{Endpoint: f.url, PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}
