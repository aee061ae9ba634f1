package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ListFiles expands path into data files: a regular file is returned as is; a
// directory is walked recursively in sorted order, skipping entries whose name
// starts with "_" or "." (markers, temporary and hidden files), and keeping
// files whose name ends in ext, alone or followed by a compression suffix
// that Decompress reads (ext ".csv" keeps a.csv and a.csv.gz; "" keeps every
// file). A path holding a glob pattern (*, ?, [...], as path/filepath.Match;
// e.g. data/*/part-*.parquet) expands to every match, each listed as above;
// a pattern that matches nothing is an error.
func ListFiles(path, ext string) ([]string, error) {
	if strings.ContainsAny(path, "*?[") {
		if _, err := os.Stat(path); err != nil {
			return listGlob(path, ext)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("path %s does not exist: %w", path, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("list %s: %w", path, err)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var out []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == path {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if ext == "" || hasExt(name, ext) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", path, err)
	}
	if len(out) == 0 {
		if ext == "" {
			return nil, fmt.Errorf("directory %s contains no data files", path)
		}
		return nil, fmt.Errorf("directory %s contains no %s files", path, ext)
	}
	// WalkDir visits entries in lexical order already; sort to make the
	// contract explicit and independent of the walk.
	sort.Strings(out)
	return out, nil
}

// hasExt reports whether name ends in ext, possibly followed by a
// compression suffix.
func hasExt(name, ext string) bool {
	if strings.HasSuffix(name, ext) {
		return true
	}
	c := CompressedExt(name)
	return c != "" && strings.HasSuffix(name[:len(name)-len(c)], ext)
}

// listGlob lists the files of every match of pattern.
func listGlob(pattern, ext string) ([]string, error) {
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("path %s: bad glob pattern: %w", pattern, err)
	}
	var out []string
	for _, m := range matches {
		name := filepath.Base(m)
		if strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
			continue
		}
		st, err := os.Stat(m)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", m, err)
		}
		if !st.IsDir() {
			if ext == "" || hasExt(name, ext) {
				out = append(out, m)
			}
			continue
		}
		files, err := ListFiles(m, ext)
		if err != nil {
			continue // a matched directory without data files adds nothing
		}
		out = append(out, files...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("path %s matches no %s files: %w", pattern, strings.TrimPrefix(ext, "."), fs.ErrNotExist)
	}
	sort.Strings(out)
	return out, nil
}

// FilesSize is the total size in bytes of the files that can be stat'ed.
func FilesSize(files []string) int64 {
	var size int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			size += st.Size()
		}
	}
	return size
}
