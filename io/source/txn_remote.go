package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"

	"github.com/gspark/gspark/io/fsys"
)

// BeginWriteFS is BeginWrite on the file system f. A local dir is written
// by BeginWrite, atomically. A URL (s3://bucket/prefix) cannot be: an
// object store has no rename, and copying objects under a temporary prefix
// into place is neither atomic nor cheap. It follows Spark's practice on S3
// instead: part files are written directly under dir and the _SUCCESS
// marker last, by Commit, so a reader that checks for _SUCCESS (as Spark's
// committers' users do) sees only complete datasets. Overwrite removes the
// existing objects under dir first, as Spark does when the job starts;
// Append adds part files beside them; Abort removes the files this write
// created. A failed write can therefore leave an overwritten dataset gone
// or part files without a _SUCCESS marker.
func BeginWriteFS(ctx context.Context, f fsys.FS, dir string, mode SaveMode) (*Txn, error) {
	if !fsys.IsRemote(dir) {
		return BeginWrite(dir, mode)
	}
	if mode < ErrorIfExists || mode > Ignore {
		return nil, fmt.Errorf("write %s: invalid save mode %v", dir, mode)
	}
	dir = fsys.Clean(dir)
	t := &Txn{dir: dir, mode: mode, fs: f, ctx: ctx}
	st, err := f.Stat(ctx, dir)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("write %s: %w", dir, err)
	}
	if exists && !st.IsDir {
		return nil, fmt.Errorf("path %s exists and is not a directory: %w", dir, fs.ErrExist)
	}
	if exists {
		switch mode {
		case ErrorIfExists:
			return nil, existsError(dir, mode)
		case Ignore:
			t.skipped = true
			t.done = true
			return t, nil
		case Overwrite:
			if err := f.RemoveAll(ctx, dir); err != nil {
				return nil, fmt.Errorf("write %s: remove the old dataset: %w", dir, err)
			}
		}
	}
	id, err := randomID()
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", dir, err)
	}
	t.writeID = id
	return t, nil
}

// CreateFile creates the file name (a relative slash-separated path) of the
// dataset for writing, on any file system: in the temporary directory of a
// local write (see Create), directly under the dataset of a remote one.
func (t *Txn) CreateFile(name string) (io.WriteCloser, error) {
	if t.fs == nil {
		return t.Create(name)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.skipped {
		return nil, fmt.Errorf("write %s: create %s: write skipped (save mode ignore)", t.dir, name)
	}
	if t.done {
		return nil, fmt.Errorf("write %s: create %s: write already committed or aborted", t.dir, name)
	}
	if !fs.ValidPath(name) || name == "." || path.Clean(name) != name {
		return nil, fmt.Errorf("write %s: create %s: name must be a relative path inside the dataset", t.dir, name)
	}
	p := fsys.Join(t.dir, name)
	w, err := t.fs.Create(t.ctx, p)
	if err != nil {
		return nil, fmt.Errorf("write %s: create %s: %w", t.dir, name, err)
	}
	t.created = append(t.created, p)
	return w, nil
}

// commitRemote writes the _SUCCESS marker, last.
func (t *Txn) commitRemote() error {
	w, err := t.fs.Create(t.ctx, fsys.Join(t.dir, SuccessMarker))
	if err != nil {
		return fmt.Errorf("write %s: %w", t.dir, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write %s: %w", t.dir, err)
	}
	return nil
}

// abortRemote removes the files this write created.
func (t *Txn) abortRemote() error {
	var errs []error
	for _, p := range t.created {
		if err := t.fs.RemoveAll(t.ctx, p); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("write %s: abort: %w", t.dir, err)
	}
	return nil
}
