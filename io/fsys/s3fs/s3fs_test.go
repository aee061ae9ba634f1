package s3fs

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func put(t *testing.T, f *FS, u, data string) {
	t.Helper()
	w, err := f.Create(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCreateOpenReadRanges(t *testing.T) {
	ctx := context.Background()
	srv := startFake(t, "data")
	f := newFS(t, srv)
	content := strings.Repeat("0123456789", 1000) // 10000 bytes
	put(t, f, "s3://data/dir/a.txt", content)

	o, err := f.Open(ctx, "s3://data/dir/a.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if o.Size() != 10000 {
		t.Fatalf("size %d", o.Size())
	}
	before := srv.Sent.Load()
	buf := make([]byte, 5)
	if n, err := o.ReadAt(buf, 9993); n != 5 || err != nil || string(buf) != "34567" {
		t.Fatalf("ReadAt: %d %v %q", n, err, buf)
	}
	// Only the 5 bytes asked for crossed the wire.
	if got := srv.Sent.Load() - before; got != 5 {
		t.Errorf("ReadAt fetched %d bytes, want 5", got)
	}
	// A read past the end returns what there is and io.EOF.
	if n, err := o.ReadAt(buf, 9998); n != 2 || err != io.EOF || string(buf[:2]) != "89" {
		t.Errorf("ReadAt at the end: %d %v %q", n, err, buf[:n])
	}
	// Sequential reads, and Seek.
	if _, err := o.Seek(9990, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(o)
	if err != nil || string(rest) != "0123456789" {
		t.Errorf("read after seek: %q %v", rest, err)
	}
	if _, err := o.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	all, err := io.ReadAll(o)
	if err != nil || string(all) != content {
		t.Errorf("read all: %d bytes, %v", len(all), err)
	}
	if !srv.SawKey("AKIDENVTEST") {
		t.Error("requests were not signed with the credentials of the environment")
	}
}

func TestListStatRemove(t *testing.T) {
	ctx := context.Background()
	srv := startFake(t, "data")
	f := newFS(t, srv)
	for _, k := range []string{"t/b.csv", "t/a.csv", "t/x=1/c.csv", "t2/d.csv", "t/_SUCCESS"} {
		put(t, f, "s3://data/"+k, "x")
	}
	got, err := f.List(ctx, "s3://data/t")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, in := range got {
		paths = append(paths, in.Path)
		if in.Size != 1 || in.IsDir {
			t.Errorf("%s: %+v", in.Path, in)
		}
	}
	want := []string{"s3://data/t/_SUCCESS", "s3://data/t/a.csv", "s3://data/t/b.csv", "s3://data/t/x=1/c.csv"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("List: %v\nwant %v", paths, want)
	}
	if st, err := f.Stat(ctx, "s3://data/t"); err != nil || !st.IsDir {
		t.Errorf("Stat dir: %+v %v", st, err)
	}
	if st, err := f.Stat(ctx, "s3a://data/t/a.csv"); err != nil || st.IsDir || st.Size != 1 {
		t.Errorf("Stat file: %+v %v", st, err)
	}
	if _, err := f.Stat(ctx, "s3://data/none"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat missing: %v", err)
	}
	if err := f.RemoveAll(ctx, "s3://data/t"); err != nil {
		t.Fatal(err)
	}
	if got, err := f.List(ctx, "s3://data/"); err != nil || len(got) != 1 || got[0].Path != "s3://data/t2/d.csv" {
		t.Errorf("after RemoveAll: %v %v", got, err)
	}
}

func TestMissingBucketAndKeyErrorsNameTheURL(t *testing.T) {
	ctx := context.Background()
	srv := startFake(t, "data")
	f := newFS(t, srv)
	for u, want := range map[string]string{
		"s3://data/nope.parquet":    `open s3://data/nope.parquet: no such object`,
		"s3://nobucket/x/a.parquet": `open s3://nobucket/x/a.parquet: bucket "nobucket" does not exist`,
	} {
		_, err := f.Open(ctx, u)
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open %s: %v, want %q", u, err, want)
		}
	}
	if _, err := f.List(ctx, "s3://nobucket/x"); err == nil || !strings.Contains(err.Error(), `list s3://nobucket/x: bucket "nobucket" does not exist`) {
		t.Errorf("List: %v", err)
	}
	if _, err := f.Open(ctx, "s3:///key"); err == nil || !strings.Contains(err.Error(), "names no bucket") {
		t.Errorf("no bucket: %v", err)
	}
	w, err := f.Create(ctx, "s3://nobucket/a")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "s3://nobucket/a") {
		t.Errorf("upload to a missing bucket: %v", err)
	}
}

// TestCredentialsFile: without the environment's keys, the shared
// credentials file of the profile signs the requests.
func TestCredentialsFile(t *testing.T) {
	ctx := context.Background()
	srv := startFake(t, "data")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	os.Unsetenv("AWS_ACCESS_KEY_ID")
	os.Unsetenv("AWS_SECRET_ACCESS_KEY")
	creds := filepath.Join(t.TempDir(), "credentials")
	os.WriteFile(creds, []byte("[team]\naws_access_key_id = AKIDFILETEST\naws_secret_access_key = s\n"), 0o600)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_PROFILE", "team")
	t.Setenv("AWS_ENDPOINT_URL", srv.URL) // the endpoint from the environment too
	f, err := New(ctx, Config{PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	put(t, f, "s3://data/k", "v")
	if !srv.SawKey("AKIDFILETEST") || srv.SawKey("AKIDENVTEST") {
		t.Error("requests were not signed with the profile's keys from the credentials file")
	}
	// Keys in Config (fs.s3a.access.key) win.
	f2, err := New(ctx, Config{PathStyle: true, AccessKey: "AKIDCONF", SecretKey: "s"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := f2.Open(ctx, "s3://data/k")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(o)
	o.Close()
	if !bytes.Equal(b, []byte("v")) || !srv.SawKey("AKIDCONF") {
		t.Errorf("read %q; signed with the configured keys: %v", b, srv.SawKey("AKIDCONF"))
	}
}
