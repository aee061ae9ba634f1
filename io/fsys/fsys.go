// Package fsys is the file system abstraction of gspark's readers and
// writers: the local disk, and object stores reached by URL (s3://bucket/key,
// implemented in io/fsys/s3fs so that only the packages that need an object
// store client import one).
//
// Paths without a scheme are local and go straight to package os, so local
// reads and writes keep their speed. A URL is never passed through
// path/filepath (which would fold "s3://" into "s3:/"): Join and Dir work on
// the key part only.
package fsys

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// File is a file open for reading, sequentially or at offsets (a Parquet
// footer and column chunks are read by offset, so an object store fetches
// only those byte ranges).
type File interface {
	io.Reader
	io.ReaderAt
	io.Seeker
	io.Closer
	// Size is the file's length in bytes.
	Size() int64
}

// FileInfo describes a file found by List or Stat.
type FileInfo struct {
	// Path is the file's full path or URL.
	Path string
	// Size is its length in bytes.
	Size int64
	// IsDir says the path is a directory (an object store: a prefix holding
	// objects).
	IsDir bool
}

// FS is a file system holding datasets.
type FS interface {
	// Open opens the file at path for reading. A missing file is an error
	// wrapping fs.ErrNotExist that names the path.
	Open(ctx context.Context, path string) (File, error)
	// Stat describes path: a file, or a directory (on an object store, a
	// prefix that holds objects). A missing path wraps fs.ErrNotExist.
	Stat(ctx context.Context, path string) (FileInfo, error)
	// List returns every file under the directory dir, at any depth, sorted
	// by path; an empty or missing directory gives none.
	List(ctx context.Context, dir string) ([]FileInfo, error)
	// Create creates (or replaces) the file at path, with any missing parent
	// directories; the file is complete once Close has returned nil.
	Create(ctx context.Context, path string) (io.WriteCloser, error)
	// RemoveAll removes path and everything under it; a missing path is no
	// error.
	RemoveAll(ctx context.Context, path string) error
}

// Scheme returns the lower-case scheme of a URL path ("s3" for
// s3://bucket/key), or "" for a local path.
func Scheme(p string) string {
	i := strings.Index(p, "://")
	if i <= 0 {
		return ""
	}
	for _, c := range p[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return ""
		}
	}
	return strings.ToLower(p[:i])
}

// IsRemote reports whether p is a URL rather than a local path.
func IsRemote(p string) bool { return Scheme(p) != "" }

// Join joins a directory and a slash-separated relative name: with
// path/filepath for a local directory, on the key part for a URL.
func Join(dir, name string) string {
	if !IsRemote(dir) {
		return filepath.Join(dir, filepath.FromSlash(name))
	}
	i := strings.Index(dir, "://") + 3
	return dir[:i] + path.Join(dir[i:], name)
}

// Dir returns all of p but its last element (see Join).
func Dir(p string) string {
	if !IsRemote(p) {
		return filepath.Dir(p)
	}
	i := strings.Index(p, "://") + 3
	return p[:i] + path.Dir(strings.TrimSuffix(p[i:], "/"))
}

// Base returns the last element of p.
func Base(p string) string {
	if !IsRemote(p) {
		return filepath.Base(p)
	}
	return path.Base(p[strings.Index(p, "://")+3:])
}

// Clean cleans a local path with filepath.Clean and a URL's key part with
// path.Clean, dropping a trailing slash.
func Clean(p string) string {
	if !IsRemote(p) {
		return filepath.Clean(p)
	}
	i := strings.Index(p, "://") + 3
	rest := p[i:]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest = rest[:j] + path.Clean(rest[j:])
		rest = strings.TrimSuffix(rest, "/")
	}
	return p[:i] + rest
}

// Local is the local file system, through package os.
type Local struct{}

type localFile struct {
	*os.File
	size int64
}

func (f localFile) Size() int64 { return f.size }

// Open implements FS.
func (Local) Open(_ context.Context, p string) (File, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return localFile{File: f, size: st.Size()}, nil
}

// Stat implements FS.
func (Local) Stat(_ context.Context, p string) (FileInfo, error) {
	st, err := os.Stat(p)
	if err != nil {
		return FileInfo{}, err
	}
	return FileInfo{Path: p, Size: st.Size(), IsDir: st.IsDir()}, nil
}

// List implements FS.
func (Local) List(_ context.Context, dir string) ([]FileInfo, error) {
	var out []FileInfo
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return filepath.SkipAll
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, FileInfo{Path: p, Size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	return out, nil
}

// Create implements FS.
func (Local) Create(_ context.Context, p string) (io.WriteCloser, error) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	return os.Create(p)
}

// RemoveAll implements FS.
func (Local) RemoveAll(_ context.Context, p string) error { return os.RemoveAll(p) }

// Mux is an FS that sends each path to the file system of its scheme:
// local paths to Local, URLs to the FS that a constructor makes for the
// scheme on first use (and keeps for later paths). It is safe for
// concurrent use.
type Mux struct {
	mk func(ctx context.Context, scheme string) (FS, error)

	mu  sync.Mutex
	fss map[string]FS
}

// NewMux returns a Mux whose URL paths go to the FS mk makes for their
// scheme; mk reports schemes it does not serve as errors. A nil mk serves
// local paths only.
func NewMux(mk func(ctx context.Context, scheme string) (FS, error)) *Mux {
	return &Mux{mk: mk, fss: map[string]FS{}}
}

// For returns the FS that serves p.
func (m *Mux) For(ctx context.Context, p string) (FS, error) {
	scheme := Scheme(p)
	if scheme == "" {
		return Local{}, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.fss[scheme]; ok {
		return f, nil
	}
	if m.mk == nil {
		return nil, fmt.Errorf("%s: no file system for scheme %q", p, scheme)
	}
	f, err := m.mk(ctx, scheme)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	m.fss[scheme] = f
	return f, nil
}

// Open implements FS.
func (m *Mux) Open(ctx context.Context, p string) (File, error) {
	f, err := m.For(ctx, p)
	if err != nil {
		return nil, err
	}
	return f.Open(ctx, p)
}

// Stat implements FS.
func (m *Mux) Stat(ctx context.Context, p string) (FileInfo, error) {
	f, err := m.For(ctx, p)
	if err != nil {
		return FileInfo{}, err
	}
	return f.Stat(ctx, p)
}

// List implements FS.
func (m *Mux) List(ctx context.Context, dir string) ([]FileInfo, error) {
	f, err := m.For(ctx, dir)
	if err != nil {
		return nil, err
	}
	return f.List(ctx, dir)
}

// Create implements FS.
func (m *Mux) Create(ctx context.Context, p string) (io.WriteCloser, error) {
	f, err := m.For(ctx, p)
	if err != nil {
		return nil, err
	}
	return f.Create(ctx, p)
}

// RemoveAll implements FS.
func (m *Mux) RemoveAll(ctx context.Context, p string) error {
	f, err := m.For(ctx, p)
	if err != nil {
		return err
	}
	return f.RemoveAll(ctx, p)
}

// OrLocal returns f, or Local when f is nil.
func OrLocal(f FS) FS {
	if f == nil {
		return Local{}
	}
	return f
}
