package csv

import (
	"bytes"
	"fmt"
	"io"

	"golang.org/x/sync/errgroup"
)

// quoteState is where the tokenizer is at a byte: outside quotes, inside a
// quoted field, or inside one right after an escape character.
type quoteState uint8

const (
	stOut quoteState = iota
	stIn
	stEsc
	numStates
)

// Split is a byte range of a file that holds whole records: Start is the
// first byte of a record (or 0) and End the first byte of the next split's
// first record (or the file size). FirstLine is the number of physical lines
// before Start, for error messages.
type Split struct {
	Start, End int64
	FirstLine  int
}

// stepper advances the quote state over text; only quote and escape bytes
// change it.
type stepper struct{ quote, escape byte }

func (s stepper) step(st quoteState, c byte) quoteState {
	switch st {
	case stOut:
		if c == s.quote {
			return stIn
		}
	case stIn:
		if c == s.escape && s.escape != s.quote {
			return stEsc
		}
		if c == s.quote {
			return stOut
		}
	case stEsc:
		return stIn
	}
	return st
}

// special returns the index of the next quote or escape byte in b, or -1.
func (s stepper) special(b []byte) int {
	i := bytes.IndexByte(b, s.quote)
	if s.escape != s.quote {
		if j := bytes.IndexByte(b, s.escape); j >= 0 && (i < 0 || j < i) {
			i = j
		}
	}
	return i
}

// transitions returns, for each state at the start of b, the state at its
// end, and the number of line separators in b.
func (s stepper) transitions(b []byte, sep byte) (out [numStates]quoteState, lines int) {
	for st := range out {
		out[st] = quoteState(st)
	}
	lines = bytes.Count(b, []byte{sep})
	for {
		i := s.special(b)
		if i < 0 {
			return out, lines
		}
		for st := range out {
			out[st] = s.step(out[st], b[i])
		}
		b = b[i+1:]
	}
}

const (
	splitBuffer = 1 << 20
	// minSplit is the smallest range PlanSplits makes.
	minSplit = 64 << 10
)

// PlanSplits cuts the uncompressed UTF-8 CSV file r of size bytes into n
// ranges of whole records, honouring quoted fields that span lines: the
// quote state at each cut is found by one pass over the file, run on n
// goroutines, before the first record start after each cut is located.
func PlanSplits(r io.ReaderAt, size int64, n int, opts Options) ([]Split, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if n <= 1 || size < int64(n)*minSplit {
		return []Split{{Start: 0, End: size}}, nil
	}
	st := stepper{quote: cfg.quote, escape: cfg.escape}
	sep := byte('\n')
	if cfg.LineSep != 0 {
		sep = byte(cfg.LineSep)
	}
	cuts := make([]int64, n+1)
	for k := range cuts {
		cuts[k] = size * int64(k) / int64(n)
	}
	trans := make([][numStates]quoteState, n)
	lines := make([]int, n)
	var g errgroup.Group
	for k := 0; k < n; k++ {
		g.Go(func() error {
			buf := make([]byte, splitBuffer)
			t := [numStates]quoteState{stOut, stIn, stEsc}
			for off := cuts[k]; off < cuts[k+1]; {
				m, err := r.ReadAt(buf[:min(int64(len(buf)), cuts[k+1]-off)], off)
				if m == 0 && err != nil {
					return fmt.Errorf("csv: split: %w", err)
				}
				bt, nl := st.transitions(buf[:m], sep)
				for s := range t {
					t[s] = bt[t[s]]
				}
				lines[k] += nl
				off += int64(m)
			}
			trans[k] = t
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// Walk the states and line counts to each cut, then forward from the cut
	// to the first record start (a separator read outside quotes).
	splits := []Split{{Start: 0}}
	state, line := stOut, 0
	buf := make([]byte, 64<<10)
	for k := 1; k < n; k++ {
		state = trans[k-1][state]
		line += lines[k-1]
		start, extra, err := recordStart(r, cuts[k], size, state, st, sep, buf)
		if err != nil {
			return nil, err
		}
		if start >= size || start <= splits[len(splits)-1].Start {
			continue
		}
		if last := &splits[len(splits)-1]; start > last.Start {
			last.End = start
		}
		splits = append(splits, Split{Start: start, FirstLine: line + extra})
	}
	splits[len(splits)-1].End = size
	return splits, nil
}

// recordStart finds the first byte after off that follows a separator read
// outside quotes, starting in state; extra counts the separators skipped.
func recordStart(r io.ReaderAt, off, size int64, state quoteState, st stepper, sep byte, buf []byte) (int64, int, error) {
	extra := 0
	for off < size {
		m, err := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if m == 0 && err != nil {
			return 0, 0, fmt.Errorf("csv: split: %w", err)
		}
		for i, c := range buf[:m] {
			if c == sep {
				extra++
				if state == stOut {
					return off + int64(i) + 1, extra, nil
				}
				continue
			}
			state = st.step(state, c)
		}
		off += int64(m)
	}
	return size, extra, nil
}
