package s3fs

import (
	"context"
	"testing"

	"github.com/gspark/gspark/internal/s3test"
)

func startFake(t *testing.T, buckets ...string) *s3test.Server { return s3test.Start(t, buckets...) }

// newFS is an FS talking to the fake, path-style as S3-compatible stores need.
func newFS(t *testing.T, srv *s3test.Server) *FS {
	t.Helper()
	fs, err := New(context.Background(), Config{Endpoint: srv.URL, PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}
