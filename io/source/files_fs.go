package source

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/gspark/gspark/io/fsys"
)

// ListFilesFS is ListFiles over the file system f: a local path is listed
// by ListFiles exactly; a URL (s3://bucket/prefix) by listing the objects
// under it, with the same rules — a file is itself, a "directory" (a key
// prefix) gives its files at any depth except those under a name starting
// with "_" or ".", filtered by ext, and a glob pattern in the key expands
// to its matches (each segment as path.Match), a matched prefix giving its
// files.
func ListFilesFS(ctx context.Context, f fsys.FS, p, ext string) ([]string, error) {
	if !fsys.IsRemote(p) {
		return ListFiles(p, ext)
	}
	if strings.ContainsAny(p[strings.Index(p, "://")+3:], "*?[") {
		return listGlobFS(ctx, f, p, ext)
	}
	p = fsys.Clean(p)
	st, err := f.Stat(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("path %s: %w", p, err)
	}
	if !st.IsDir {
		return []string{p}, nil
	}
	infos, err := f.List(ctx, p)
	if err != nil {
		return nil, err
	}
	root := strings.TrimSuffix(p, "/") + "/"
	var out []string
	for _, in := range infos {
		rel := strings.TrimPrefix(in.Path, root)
		if hiddenSegment(rel) || (ext != "" && !hasExt(path.Base(rel), ext)) {
			continue
		}
		out = append(out, in.Path)
	}
	if len(out) == 0 {
		if ext == "" {
			return nil, fmt.Errorf("directory %s contains no data files", p)
		}
		return nil, fmt.Errorf("directory %s contains no %s files", p, ext)
	}
	sort.Strings(out)
	return out, nil
}

// hiddenSegment reports whether a slash-separated relative path has an
// element starting with "_" or ".".
func hiddenSegment(rel string) bool {
	for _, seg := range strings.Split(rel, "/") {
		if strings.HasPrefix(seg, "_") || strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

// listGlobFS expands a glob over an object store: the objects under the
// longest prefix without pattern characters are listed once and matched.
func listGlobFS(ctx context.Context, f fsys.FS, pattern, ext string) ([]string, error) {
	i := strings.Index(pattern, "://") + 3
	segs := strings.Split(pattern[i:], "/") // bucket, then the key's elements
	fixed := 0
	for fixed < len(segs) && !strings.ContainsAny(segs[fixed], "*?[") {
		fixed++
	}
	if fixed == 0 {
		return nil, fmt.Errorf("path %s: a glob in the bucket name is not supported", pattern)
	}
	for _, s := range segs[fixed:] {
		if _, err := path.Match(s, ""); err != nil {
			return nil, fmt.Errorf("path %s: bad glob pattern: %w", pattern, err)
		}
	}
	base := pattern[:i] + strings.Join(segs[:fixed], "/")
	infos, err := f.List(ctx, base)
	if err != nil {
		return nil, err
	}
	pat := segs[fixed:]
	var out []string
	for _, in := range infos {
		rel := strings.Split(strings.TrimPrefix(in.Path, base+"/"), "/")
		if len(rel) < len(pat) {
			continue
		}
		ok := true
		for k, s := range pat {
			if m, _ := path.Match(s, rel[k]); !m {
				ok = false
				break
			}
		}
		// Names starting with "_" or "." are skipped, matched or below a match.
		if !ok || hiddenSegment(strings.Join(rel[len(pat)-1:], "/")) {
			continue
		}
		if ext == "" || hasExt(rel[len(rel)-1], ext) {
			out = append(out, in.Path)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("path %s matches no %s files: %w", pattern, strings.TrimPrefix(ext, "."), fs.ErrNotExist)
	}
	sort.Strings(out)
	return out, nil
}

// FilesSizeFS is FilesSize over f: the total size of the files that can be
// stat'ed (local files by FilesSize itself).
func FilesSizeFS(ctx context.Context, f fsys.FS, files []string) int64 {
	var size int64
	for _, p := range files {
		if !fsys.IsRemote(p) {
			size += FilesSize([]string{p})
			continue
		}
		if st, err := f.Stat(ctx, p); err == nil {
			size += st.Size
		}
	}
	return size
}
