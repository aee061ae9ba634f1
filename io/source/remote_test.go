package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gspark/gspark/io/fsys"
)

// objStore is an object store in memory: flat keys, no directories, no
// rename; it logs the objects completed, in order.
type objStore struct {
	mu      sync.Mutex
	objects map[string][]byte
	log     []string
}

func newObjStore(keys ...string) *objStore {
	s := &objStore{objects: map[string][]byte{}}
	for _, k := range keys {
		s.objects[k] = []byte("x")
	}
	return s
}

type memFile struct {
	*bytes.Reader
}

func (memFile) Close() error { return nil }

func (s *objStore) Open(_ context.Context, p string) (fsys.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[p]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
	}
	return memFile{bytes.NewReader(b)}, nil
}

func (s *objStore) Stat(_ context.Context, p string) (fsys.FileInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.objects[p]; ok {
		return fsys.FileInfo{Path: p, Size: int64(len(b))}, nil
	}
	for k := range s.objects {
		if strings.HasPrefix(k, p+"/") {
			return fsys.FileInfo{Path: p, IsDir: true}, nil
		}
	}
	return fsys.FileInfo{}, fmt.Errorf("stat %s: %w", p, fs.ErrNotExist)
}

func (s *objStore) List(_ context.Context, dir string) ([]fsys.FileInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []fsys.FileInfo
	for k, b := range s.objects {
		if strings.HasPrefix(k, dir+"/") {
			out = append(out, fsys.FileInfo{Path: k, Size: int64(len(b))})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

type memUpload struct {
	s *objStore
	p string
	bytes.Buffer
}

func (u *memUpload) Close() error {
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	u.s.objects[u.p] = u.Bytes()
	u.s.log = append(u.s.log, u.p)
	return nil
}

func (s *objStore) Create(_ context.Context, p string) (io.WriteCloser, error) {
	return &memUpload{s: s, p: p}, nil
}

func (s *objStore) RemoveAll(_ context.Context, p string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.objects {
		if k == p || strings.HasPrefix(k, p+"/") {
			delete(s.objects, k)
		}
	}
	return nil
}

func (s *objStore) keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ks []string
	for k := range s.objects {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestListFilesFSRemote(t *testing.T) {
	ctx := context.Background()
	s := newObjStore(
		"s3://b/t/_SUCCESS", "s3://b/t/a.csv", "s3://b/t/b.csv.gz", "s3://b/t/c.json",
		"s3://b/t/.hidden.csv", "s3://b/t/_temporary/0/x.csv", "s3://b/t/k=1/d.csv",
		"s3://b/t/k=2/e.csv", "s3://b/t/k=2/_x/f.csv", "s3://b/tt/g.csv",
	)
	cases := []struct {
		path, ext string
		want      []string
	}{
		{"s3://b/t", ".csv", []string{"s3://b/t/a.csv", "s3://b/t/b.csv.gz", "s3://b/t/k=1/d.csv", "s3://b/t/k=2/e.csv"}},
		{"s3://b/t/", "", []string{"s3://b/t/a.csv", "s3://b/t/b.csv.gz", "s3://b/t/c.json", "s3://b/t/k=1/d.csv", "s3://b/t/k=2/e.csv"}},
		{"s3://b/t/a.csv", ".csv", []string{"s3://b/t/a.csv"}},
		{"s3://b/t/k=*/*.csv", ".csv", []string{"s3://b/t/k=1/d.csv", "s3://b/t/k=2/e.csv"}},
		{"s3://b/t/k=[2]", ".csv", []string{"s3://b/t/k=2/e.csv"}},
		{"s3://b/t*/*.csv", ".csv", []string{"s3://b/t/a.csv", "s3://b/tt/g.csv"}},
		{"s3://b/t/?.csv*", ".csv", []string{"s3://b/t/a.csv", "s3://b/t/b.csv.gz"}},
		// As locally, a hidden directory named itself is read.
		{"s3://b/t/_temporary", ".csv", []string{"s3://b/t/_temporary/0/x.csv"}},
	}
	for _, c := range cases {
		got, err := ListFilesFS(ctx, s, c.path, c.ext)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %s: got %v, %v\nwant %v", c.path, c.ext, got, err, c.want)
		}
	}
	for p, want := range map[string]string{
		"s3://b/none":       "path s3://b/none",
		"s3://b/t/z*.csv":   "s3://b/t/z*.csv matches no csv files",
		"s3://b/t/[.csv":    "bad glob pattern",
		"s3://b/t/k=2/_x/f": "path s3://b/t/k=2/_x/f",
	} {
		if _, err := ListFilesFS(ctx, s, p, ".csv"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", p, err, want)
		}
	}
	if n := FilesSizeFS(ctx, s, []string{"s3://b/t/a.csv", "s3://b/t/c.json", "s3://b/none"}); n != 2 {
		t.Errorf("FilesSizeFS: %d", n)
	}
}

func write(t *testing.T, txn *Txn, names ...string) {
	t.Helper()
	for _, n := range names {
		w, err := txn.CreateFile(n)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, n)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBeginWriteFSRemote(t *testing.T) {
	ctx := context.Background()
	s := newObjStore("s3://b/old/part-0.csv", "s3://b/old/_SUCCESS")

	// A new dataset: parts straight under the prefix, _SUCCESS last.
	txn, err := BeginWriteFS(ctx, s, "s3://b/new/", ErrorIfExists)
	if err != nil {
		t.Fatal(err)
	}
	write(t, txn, "part-0.csv", "k=1/part-1.csv")
	if _, err := txn.CreateFile("../x"); err == nil {
		t.Error("a name outside the dataset was accepted")
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"s3://b/new/part-0.csv", "s3://b/new/k=1/part-1.csv", "s3://b/new/_SUCCESS"}; !reflect.DeepEqual(s.log, want) {
		t.Errorf("objects written in order %v, want %v", s.log, want)
	}

	// Modes over an existing dataset.
	if _, err := BeginWriteFS(ctx, s, "s3://b/old", ErrorIfExists); !errors.Is(err, fs.ErrExist) {
		t.Errorf("error mode: %v", err)
	}
	txn, err = BeginWriteFS(ctx, s, "s3://b/old", Ignore)
	if err != nil || !txn.Skipped() {
		t.Errorf("ignore mode: %v", err)
	}
	txn, err = BeginWriteFS(ctx, s, "s3://b/old", Append)
	if err != nil {
		t.Fatal(err)
	}
	write(t, txn, "part-9.csv")
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := s.keys(), []string{"s3://b/new/_SUCCESS", "s3://b/new/k=1/part-1.csv", "s3://b/new/part-0.csv",
		"s3://b/old/_SUCCESS", "s3://b/old/part-0.csv", "s3://b/old/part-9.csv"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after append: %v", got)
	}
	txn, err = BeginWriteFS(ctx, s, "s3://b/old", Overwrite)
	if err != nil {
		t.Fatal(err)
	}
	write(t, txn, "part-5.csv")
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	old, _ := s.List(ctx, "s3://b/old")
	if len(old) != 2 || old[0].Path != "s3://b/old/_SUCCESS" || old[1].Path != "s3://b/old/part-5.csv" {
		t.Errorf("after overwrite: %v", old)
	}

	// Abort removes what the write created, and no _SUCCESS appears.
	txn, err = BeginWriteFS(ctx, s, "s3://b/aborted", ErrorIfExists)
	if err != nil {
		t.Fatal(err)
	}
	write(t, txn, "part-0.csv", "part-1.csv")
	if err := txn.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.List(ctx, "s3://b/aborted"); len(got) != 0 {
		t.Errorf("after abort: %v", got)
	}
	if _, err := txn.CreateFile("part-2.csv"); err == nil {
		t.Error("create after abort succeeded")
	}
}
