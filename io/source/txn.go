package source

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gspark/gspark/internal/proc"
	"github.com/gspark/gspark/io/fsys"
)

// SaveMode says what writing a dataset does when its directory already exists.
type SaveMode int

// The save modes, as Spark names them.
const (
	// ErrorIfExists fails when the directory exists.
	ErrorIfExists SaveMode = iota
	// Overwrite atomically replaces the existing directory.
	Overwrite
	// Append adds new part files to the existing directory.
	Append
	// Ignore writes nothing when the directory exists.
	Ignore
)

var saveModeNames = [...]string{"error", "overwrite", "append", "ignore"}

// String returns the mode's Spark name.
func (m SaveMode) String() string {
	if m >= 0 && int(m) < len(saveModeNames) {
		return saveModeNames[m]
	}
	return fmt.Sprintf("SaveMode(%d)", int(m))
}

// ParseSaveMode parses a Spark save mode name, case-insensitively: "error",
// "errorifexists" or "" (ErrorIfExists), "overwrite", "append", "ignore".
func ParseSaveMode(s string) (SaveMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "error", "errorifexists":
		return ErrorIfExists, nil
	case "overwrite":
		return Overwrite, nil
	case "append":
		return Append, nil
	case "ignore":
		return Ignore, nil
	}
	return 0, fmt.Errorf("unknown save mode %q: valid modes are error, errorifexists, overwrite, append, ignore", s)
}

// SuccessMarker is the name of the empty file a committed write leaves in the
// dataset directory.
const SuccessMarker = "_SUCCESS"

// Txn is an atomic write of a dataset directory: files are created in a hidden
// temporary sibling directory and moved into place by Commit. Create may be
// called from several goroutines; Commit and Abort may not run concurrently
// with Create.
type Txn struct {
	dir      string
	mode     SaveMode
	tmp      string
	writeID  string
	skipped  bool
	rename   func(oldpath, newpath string) error    // os.Rename; replaced in tests
	exchange func(a, b string) (ok bool, err error) // atomic swap of two directories; replaced in tests

	// fs and ctx are set for a write to an object store (BeginWriteFS),
	// which writes directly under dir; created lists its files.
	fs      fsys.FS
	ctx     context.Context
	created []string

	mu   sync.Mutex
	done bool
}

// BeginWrite starts an atomic write of the dataset directory dir with the
// given save mode. With ErrorIfExists an existing dir is an error wrapping
// fs.ErrExist; with Ignore an existing dir makes the Txn Skipped.
func BeginWrite(dir string, mode SaveMode) (*Txn, error) {
	if mode < ErrorIfExists || mode > Ignore {
		return nil, fmt.Errorf("write %s: invalid save mode %v", dir, mode)
	}
	dir = filepath.Clean(dir)
	if parent, base := filepath.Split(dir); base != "" {
		if parent == "" {
			parent = "."
		}
		removeStale(parent, base)
	}
	exists, err := dirExists(dir)
	if err != nil {
		return nil, err
	}
	t := &Txn{dir: dir, mode: mode, rename: os.Rename, exchange: exchange}
	if exists {
		switch mode {
		case ErrorIfExists:
			return nil, existsError(dir, mode)
		case Ignore:
			t.skipped = true
			t.done = true
			return t, nil
		}
	}
	id, err := randomID()
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", dir, err)
	}
	t.writeID = id
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("write %s: %w", dir, err)
	}
	// The temporary directory is named for this process, so that a later
	// gspark can tell it is debris once this process is gone.
	// Created 0755 less the umask, as a dataset directory should be.
	tmp := filepath.Join(parent, fmt.Sprintf(".%s.tmp-%d-%s", base, os.Getpid(), id))
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("write %s: create temporary directory: %w", dir, err)
	}
	t.tmp = tmp
	return t, nil
}

// syncTree flushes every file and directory under root to stable storage.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return syncPath(p)
	})
}

// syncPath flushes one file or directory to stable storage.
func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// removeStale removes what writes of base by processes no longer running
// left in parent: temporary directories (".base.tmp-PID-…") and, after an
// overwrite interrupted between its two renames (only where the file
// system cannot exchange directories atomically), the old dataset moved
// aside (".base.old-PID-…"), which is first put back when base is absent.
func removeStale(parent, base string) {
	ents, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range ents {
		p := filepath.Join(parent, e.Name())
		switch {
		case proc.Stale(e.Name(), "."+base+".tmp-"):
			_ = os.RemoveAll(p)
		case proc.Stale(e.Name(), "."+base+".old-"):
			if _, err := os.Lstat(filepath.Join(parent, base)); errors.Is(err, fs.ErrNotExist) && os.Rename(p, filepath.Join(parent, base)) == nil {
				continue
			}
			_ = os.RemoveAll(p)
		}
	}
}

// alreadyExists reports an existing dataset; it wraps fs.ErrExist without
// repeating its text.
type alreadyExists struct{ msg string }

func (e *alreadyExists) Error() string { return e.msg }
func (e *alreadyExists) Unwrap() error { return fs.ErrExist }

func existsError(dir string, mode SaveMode) error {
	return &alreadyExists{msg: fmt.Sprintf("path %s already exists (save mode %s)", dir, mode)}
}

func dirExists(dir string) (bool, error) {
	st, err := os.Stat(dir)
	if err == nil {
		if !st.IsDir() {
			return true, fmt.Errorf("path %s exists and is not a directory: %w", dir, fs.ErrExist)
		}
		return true, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return false, fmt.Errorf("write %s: %w", dir, err)
}

func randomID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// Skipped reports whether the write was skipped because the directory exists
// and the mode is Ignore; nothing should then be written.
func (t *Txn) Skipped() bool { return t.skipped }

// Dir returns the dataset directory being written.
func (t *Txn) Dir() string { return t.dir }

// WriteID returns the unique id of this write, part of every PartName.
func (t *Txn) WriteID() string { return t.writeID }

// Create creates the file name (a relative path, which may contain
// subdirectories such as hive partitions) in the temporary directory.
func (t *Txn) Create(name string) (*os.File, error) {
	t.mu.Lock()
	done := t.done
	t.mu.Unlock()
	if t.skipped {
		return nil, fmt.Errorf("write %s: create %s: write skipped (save mode ignore)", t.dir, name)
	}
	if done {
		return nil, fmt.Errorf("write %s: create %s: write already committed or aborted", t.dir, name)
	}
	if t.fs != nil {
		return nil, fmt.Errorf("write %s: create %s: a write to an object store creates files with CreateFile", t.dir, name)
	}
	if !filepath.IsLocal(name) {
		return nil, fmt.Errorf("write %s: create %s: name must be a relative path inside the dataset", t.dir, name)
	}
	p := filepath.Join(t.tmp, name)
	if d := filepath.Dir(p); d != t.tmp {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("write %s: create %s: %w", t.dir, name, err)
		}
	}
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("write %s: create %s: %w", t.dir, name, err)
	}
	return f, nil
}

// PartName returns the name of part file i with extension ext (including its
// dot), e.g. "part-00003-<writeid>.parquet".
func (t *Txn) PartName(i int, ext string) string {
	return fmt.Sprintf("part-%05d-%s%s", i, t.writeID, ext)
}

// Commit makes the written files visible: a new or overwritten dataset is
// renamed into place with a _SUCCESS marker; an appended one has its files
// moved into the existing directory. After a failed Commit the temporary
// directory is removed and any previous dataset is left as it was.
func (t *Txn) Commit() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.skipped {
		return nil
	}
	if t.done {
		return fmt.Errorf("write %s: already committed or aborted", t.dir)
	}
	t.done = true
	if t.fs != nil {
		err := t.commitRemote()
		if err != nil {
			_ = t.abortRemote()
		}
		return err
	}
	err := t.commit()
	if err != nil {
		_ = os.RemoveAll(t.tmp)
	}
	return err
}

func (t *Txn) commit() error {
	exists, err := dirExists(t.dir)
	if err != nil {
		return err
	}
	switch {
	case exists && t.mode == ErrorIfExists:
		return existsError(t.dir, t.mode)
	case exists && t.mode == Ignore:
		return nil
	case exists && t.mode == Append:
		return t.appendInto()
	}
	if err := touch(filepath.Join(t.tmp, SuccessMarker)); err != nil {
		return fmt.Errorf("write %s: %w", t.dir, err)
	}
	// The data reaches the disk before the rename that publishes it, and
	// the rename itself with its directory.
	if err := syncTree(t.tmp); err != nil {
		return fmt.Errorf("write %s: sync: %w", t.dir, err)
	}
	parentDir := filepath.Dir(t.dir)
	defer func() { _ = syncPath(parentDir) }()
	if !exists {
		if err := t.rename(t.tmp, t.dir); err != nil {
			return fmt.Errorf("write %s: commit: %w", t.dir, err)
		}
		return nil
	}
	// Overwrite: where the file system can, swap the new dataset with the
	// old in one atomic step; the old one is then where the new one was.
	if ok, err := t.exchange(t.tmp, t.dir); err != nil {
		return fmt.Errorf("write %s: commit: %w", t.dir, err)
	} else if ok {
		if err := os.RemoveAll(t.tmp); err != nil {
			return fmt.Errorf("write %s: committed, but removing the old dataset (now %s) failed: %w", t.dir, t.tmp, err)
		}
		return nil
	}
	// Otherwise move the old dataset aside, move the new one in, drop the
	// old; a crash between the two renames is repaired by the next write
	// (removeStale).
	parent, base := filepath.Split(t.dir)
	if parent == "" {
		parent = "."
	}
	old := filepath.Join(parent, fmt.Sprintf(".%s.old-%d-%s", base, os.Getpid(), t.writeID))
	if err := t.rename(t.dir, old); err != nil {
		return fmt.Errorf("write %s: move old dataset aside: %w", t.dir, err)
	}
	if err := t.rename(t.tmp, t.dir); err != nil {
		if rerr := t.rename(old, t.dir); rerr != nil {
			return fmt.Errorf("write %s: commit: %w (restoring old dataset from %s also failed: %v)", t.dir, err, old, rerr)
		}
		return fmt.Errorf("write %s: commit: %w", t.dir, err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("write %s: committed, but removing old dataset %s failed: %w", t.dir, old, err)
	}
	return nil
}

// appendInto moves every file of the temporary directory into the existing
// dataset directory, undoing the moves if one fails.
func (t *Txn) appendInto() error {
	var files []string
	err := filepath.WalkDir(t.tmp, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(t.tmp, p)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write %s: append: %w", t.dir, err)
	}
	var moved []string
	undo := func() {
		for _, rel := range moved {
			_ = t.rename(filepath.Join(t.dir, rel), filepath.Join(t.tmp, rel))
		}
	}
	for _, rel := range files {
		dst := filepath.Join(t.dir, rel)
		if _, err := os.Lstat(dst); err == nil {
			undo()
			return fmt.Errorf("write %s: append: file %s already exists: %w", t.dir, rel, fs.ErrExist)
		}
		if d := filepath.Dir(dst); d != t.dir {
			if err := os.MkdirAll(d, 0o755); err != nil {
				undo()
				return fmt.Errorf("write %s: append: %w", t.dir, err)
			}
		}
		if err := t.rename(filepath.Join(t.tmp, rel), dst); err != nil {
			undo()
			return fmt.Errorf("write %s: append: %w", t.dir, err)
		}
		moved = append(moved, rel)
	}
	if err := touch(filepath.Join(t.dir, SuccessMarker)); err != nil {
		return fmt.Errorf("write %s: append: %w", t.dir, err)
	}
	if err := os.RemoveAll(t.tmp); err != nil {
		return fmt.Errorf("write %s: append: remove temporary directory: %w", t.dir, err)
	}
	return nil
}

func touch(p string) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	return f.Close()
}

// Abort discards everything written and leaves any existing dataset
// untouched. Aborting after Commit, or twice, does nothing.
func (t *Txn) Abort() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return nil
	}
	t.done = true
	if t.fs != nil {
		return t.abortRemote()
	}
	if err := os.RemoveAll(t.tmp); err != nil {
		return fmt.Errorf("write %s: abort: %w", t.dir, err)
	}
	return nil
}
