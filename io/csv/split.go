package csv

import (
	"bytes"
	"fmt"
	"io"

	"golang.org/x/sync/errgroup"
)

// Split is a byte range of a file that holds whole records: Start is the
// first byte of a record (or 0) and End the first byte of the next split's
// first record (or the file size). FirstLine is the number of physical lines
// before Start, for error messages.
type Split struct {
	Start, End int64
	FirstLine  int
}

const (
	splitBuffer = 1 << 20
	// minSplit is the smallest range PlanSplits makes.
	minSplit = 64 << 10
)

// PlanSplits cuts the uncompressed CSV file r of size bytes into up to n
// ranges of whole records, by one pass over the file on n goroutines. Only
// a file without a quote or escape character is cut: there every line
// separator ends a record. Where either appears, a separator may lie inside
// a quoted field, and whether a quote opens a field depends on where the
// field starts, which only reading from the start tells; such a file stays
// one range rather than risk cutting a record in two.
func PlanSplits(r io.ReaderAt, size int64, n int, opts Options) ([]Split, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	whole := []Split{{Start: 0, End: size}}
	if n <= 1 || size < int64(n)*minSplit {
		return whole, nil
	}
	sep := byte('\n')
	if cfg.LineSep != 0 {
		sep = byte(cfg.LineSep)
	}
	cuts := make([]int64, n+1)
	for k := range cuts {
		cuts[k] = size * int64(k) / int64(n)
	}
	lines := make([]int, n)
	quoted := make([]bool, n)
	var g errgroup.Group
	for k := 0; k < n; k++ {
		g.Go(func() error {
			buf := make([]byte, splitBuffer)
			for off := cuts[k]; off < cuts[k+1]; {
				m, err := r.ReadAt(buf[:min(int64(len(buf)), cuts[k+1]-off)], off)
				if m == 0 && err != nil {
					return fmt.Errorf("csv: split: %w", err)
				}
				b := buf[:m]
				if bytes.IndexByte(b, cfg.quote) >= 0 || bytes.IndexByte(b, cfg.escape) >= 0 {
					quoted[k] = true
					return nil
				}
				lines[k] += bytes.Count(b, []byte{sep})
				off += int64(m)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, q := range quoted {
		if q {
			return whole, nil
		}
	}
	splits := []Split{{Start: 0}}
	line := 0
	buf := make([]byte, 64<<10)
	for k := 1; k < n; k++ {
		line += lines[k-1]
		start, extra, err := recordStart(r, cuts[k], size, sep, buf)
		if err != nil {
			return nil, err
		}
		if start >= size || start <= splits[len(splits)-1].Start {
			continue
		}
		splits[len(splits)-1].End = start
		splits = append(splits, Split{Start: start, FirstLine: line + extra})
	}
	splits[len(splits)-1].End = size
	return splits, nil
}

// recordStart finds the first byte after off that follows a line separator;
// extra is 1 for the separator when off does not start a line.
func recordStart(r io.ReaderAt, off, size int64, sep byte, buf []byte) (int64, int, error) {
	for off < size {
		m, err := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if m == 0 && err != nil {
			return 0, 0, fmt.Errorf("csv: split: %w", err)
		}
		if i := bytes.IndexByte(buf[:m], sep); i >= 0 {
			return off + int64(i) + 1, 1, nil
		}
		off += int64(m)
	}
	return size, 0, nil
}
