package fsys

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestURLPaths(t *testing.T) {
	for _, c := range []struct{ p, scheme, dir, base, clean string }{
		{"s3://b/k/a.csv", "s3", "s3://b/k", "a.csv", "s3://b/k/a.csv"},
		{"S3A://b/k//x/", "s3a", "S3A://b/k", "x", "S3A://b/k/x"},
		{"s3://b/a", "s3", "s3://b", "a", "s3://b/a"},
		{"data/x.csv", "", "data", "x.csv", "data/x.csv"},
		{"/tmp/a://b", "", "/tmp/a:", "b", "/tmp/a:/b"},
		{"C:/x", "", "C:", "x", "C:/x"},
	} {
		if got := Scheme(c.p); got != c.scheme {
			t.Errorf("Scheme(%q) = %q, want %q", c.p, got, c.scheme)
		}
		if got := Dir(c.p); got != c.dir {
			t.Errorf("Dir(%q) = %q, want %q", c.p, got, c.dir)
		}
		if got := Base(c.p); got != c.base {
			t.Errorf("Base(%q) = %q, want %q", c.p, got, c.base)
		}
		if got := Clean(c.p); got != c.clean {
			t.Errorf("Clean(%q) = %q, want %q", c.p, got, c.clean)
		}
	}
	if got := Join("s3://b/k", "x=1/part-0.csv"); got != "s3://b/k/x=1/part-0.csv" {
		t.Errorf("Join: %q", got)
	}
	if got := Join("dir", "x=1/a"); got != filepath.Join("dir", "x=1", "a") {
		t.Errorf("Join local: %q", got)
	}
}

// memFS is a file system that records the paths it was asked for.
type memFS struct {
	Local
	asked []string
}

func (m *memFS) Stat(ctx context.Context, p string) (FileInfo, error) {
	m.asked = append(m.asked, p)
	return FileInfo{Path: p, Size: 7}, nil
}

func TestMux(t *testing.T) {
	ctx := context.Background()
	mem := &memFS{}
	made := 0
	m := NewMux(func(_ context.Context, scheme string) (FS, error) {
		if scheme != "mem" {
			return nil, errors.New("unsupported scheme")
		}
		made++
		return mem, nil
	})
	for range 2 {
		if st, err := m.Stat(ctx, "mem://b/x"); err != nil || st.Size != 7 {
			t.Fatalf("Stat: %+v %v", st, err)
		}
	}
	if made != 1 || len(mem.asked) != 2 {
		t.Errorf("made %d file systems, asked %v", made, mem.asked)
	}
	if _, err := m.Open(ctx, "gs://b/x"); err == nil || !strings.Contains(err.Error(), "gs://b/x: unsupported scheme") {
		t.Errorf("unknown scheme: %v", err)
	}
	// Local paths never reach the constructor.
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "a.txt")
	w, err := m.Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "hello")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := m.Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 3)
	if n, err := f.ReadAt(b, 2); n != 3 || err != nil || string(b) != "llo" || f.Size() != 5 {
		t.Errorf("ReadAt: %d %v %q size %d", n, err, b, f.Size())
	}
	f.Close()
	infos, err := m.List(ctx, dir)
	if err != nil || len(infos) != 1 || infos[0].Path != p || infos[0].Size != 5 {
		t.Errorf("List: %v %v", infos, err)
	}
	if infos, err := m.List(ctx, filepath.Join(dir, "none")); err != nil || len(infos) != 0 {
		t.Errorf("List missing: %v %v", infos, err)
	}
	if err := m.RemoveAll(ctx, filepath.Join(dir, "sub")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after RemoveAll: %v", err)
	}
	if made != 1 {
		t.Errorf("local paths made a file system")
	}
}
