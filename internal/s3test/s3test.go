// Package s3test starts an in-process S3-compatible server (gofakes3 with
// its memory backend) for tests, and counts what crosses the wire.
package s3test

import (
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

// Server is an in-process S3-compatible server, with counters of the
// object bytes it sent and the access keys that signed requests.
type Server struct {
	// URL is the endpoint (fs.s3a.endpoint); address it path-style.
	URL     string
	backend *s3mem.Backend
	// Sent counts the body bytes of object GET responses.
	Sent atomic.Int64
	mu   sync.Mutex
	keys map[string]bool // access key ids seen in Authorization headers
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

// EnvKeyID is the access key id Start puts in the environment.
const EnvKeyID = "AKIDENVTEST"

// Start starts a server holding the given (empty) buckets, stopped when
// the test ends, and sets the AWS environment for the test: credentials
// AWS_ACCESS_KEY_ID=EnvKeyID, region us-east-1, and config and credentials
// files that do not exist, so the machine's own are not read.
func Start(t testing.TB, buckets ...string) *Server {
	t.Helper()
	f := &Server{backend: s3mem.New(), keys: map[string]bool{}}
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
			w = countingWriter{ResponseWriter: w, n: &f.Sent}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_ACCESS_KEY_ID", EnvKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_PROFILE", "")
	return f
}

// SawKey reports whether a request was signed with access key id.
func (f *Server) SawKey(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keys[id]
}
