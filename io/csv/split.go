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
	// seekBuffer is the read size of the boundary searches.
	seekBuffer = 64 << 10
)

// PlanSplits cuts the uncompressed CSV file r of size bytes into up to n
// ranges of whole records, each starting where reading the whole file
// starts a record, so that reading the ranges one after another gives the
// records of reading the whole file, line numbers included.
//
// One pass on n goroutines counts the lines of n equal chunks and notes
// whether a quote character occurs in each. A cut at a chunk's first byte
// is then moved to a record start by running the scanner's quoting rules
// (see lexer) from every state the scanner could be in at the cut at once:
// once all of them agree the state is known whatever came before, and the
// first line end after that point where the state is "between records"
// starts the range. Before the file's first quote character only the
// unquoted states are possible, so a file without quotes is cut at the
// first line end after each cut. When the states do not agree within the
// chunk (a quoted field that never ends, say), the chunk's start is found
// by scanning from the previous range's start, a known record start, so the
// result never depends on a guess.
func PlanSplits(r io.ReaderAt, size int64, n int, opts Options) ([]Split, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return planSplits(r, size, n, newLexer(cfg), minSplit)
}

// planSplits is PlanSplits with the lexer of the file's options and the
// smallest range size.
func planSplits(r io.ReaderAt, size int64, n int, lx *lexer, smallest int64) ([]Split, error) {
	whole := []Split{{Start: 0, End: size}}
	if n <= 1 || size < int64(n)*smallest {
		return whole, nil
	}
	cuts := make([]int64, n+1)
	for k := range cuts {
		cuts[k] = size * int64(k) / int64(n)
	}
	return splitAt(r, size, cuts, lx)
}

// splitAt moves the cuts (ascending, from 0 to size) to record starts.
// With a header the first range holds at least the header record, which
// is the first record that is not blank or a comment.
func splitAt(r io.ReaderAt, size int64, cuts []int64, lx *lexer) ([]Split, error) {
	n := len(cuts) - 1
	var headerEnd int64
	if lx.cfg.Header {
		sc := newScannerSize(io.NewSectionReader(r, 0, size), "", lx.cfg, 4<<10)
		if _, err := sc.next(); err != nil {
			return []Split{{Start: 0, End: size}}, nil // the reader reports it
		}
		headerEnd = sc.off
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
				quoted[k] = quoted[k] || bytes.IndexByte(b, lx.quote) >= 0
				lines[k] += bytes.Count(b, []byte{lx.sep})
				off += int64(m)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	splits := []Split{{Start: 0}}
	line, anyQuote := 0, false
	buf := make([]byte, seekBuffer)
	for k := 1; k < n; k++ {
		line += lines[k-1]
		anyQuote = anyQuote || quoted[k-1]
		lanes := unquotedStates
		if anyQuote {
			lanes = allStates
		}
		start, extra, ok, err := lx.converge(r, cuts[k], cuts[k+1], size, lanes, buf)
		if err != nil {
			return nil, err
		}
		first := line + extra
		if !ok {
			prev := splits[len(splits)-1]
			var more int
			if start, more, err = lx.recordAfter(r, prev.Start, cuts[k], size, buf); err != nil {
				return nil, err
			}
			first = prev.FirstLine + more
		}
		if start >= size || start <= splits[len(splits)-1].Start || start < headerEnd {
			continue
		}
		splits[len(splits)-1].End = start
		splits = append(splits, Split{Start: start, FirstLine: first})
	}
	splits[len(splits)-1].End = size
	return splits, nil
}

// lexState is where the scanner is in the text, as far as telling where
// records start needs: scanner.next and scanner.parse step through the same
// states.
type lexState uint8

const (
	stRecord   lexState = iota // at the start of a line that starts a record
	stField                    // at the start of a field after a delimiter
	stUnquoted                 // inside an unquoted field
	stQuoted                   // inside a quoted field
	stQuote                    // inside a quoted field, just after a quote: a doubled quote or the closing one
	stEscape                   // inside a quoted field, just after the escape character
	stClosed                   // after a closing quote
	stSkip                     // in a comment line, or the rest of a line after a malformed field
	numStates
)

// The states a scanner may be in at a byte of the file: before the first
// quote character of the file only the unquoted ones.
var (
	unquotedStates = []lexState{stRecord, stField, stUnquoted, stSkip}
	allStates      = []lexState{stRecord, stField, stUnquoted, stQuoted, stQuote, stEscape, stClosed, stSkip}
)

// lexer is the scanner's quoting rules as a table: next[s][c] is the state
// after byte c in state s. A record starts after a line separator that
// leads to stRecord.
type lexer struct {
	cfg        *config
	sep, quote byte
	next       [numStates][256]lexState
}

// newLexer builds the table of cfg's delimiter, quote, escape, comment,
// line separator and white-space trimming, following scanner.next and
// scanner.parse. A '\r' before '\n' needs no state of its own: wherever the
// scanner strips it, the state the '\r' leads to goes to stRecord on the
// '\n' as the stripped line end does.
func newLexer(cfg *config) *lexer {
	lx := &lexer{cfg: cfg, sep: '\n', quote: cfg.quote}
	if cfg.LineSep != 0 {
		lx.sep = byte(cfg.LineSep)
	}
	sep, delim, quote, escape, comment := lx.sep, cfg.delim, cfg.quote, cfg.escape, byte(cfg.Comment)
	blank := func(c byte) bool { return c == ' ' || c == '\t' }
	var step func(s lexState, c byte) lexState
	step = func(s lexState, c byte) lexState {
		switch s {
		case stRecord:
			switch {
			case c == sep:
				return stRecord // a blank line
			case comment != 0 && c == comment:
				return stSkip
			}
			return step(stField, c)
		case stField:
			switch {
			case c == sep:
				return stRecord
			case c == delim:
				return stField
			case c == quote:
				return stQuoted
			case cfg.IgnoreLeadingWhiteSpace && blank(c):
				return stField
			}
			return stUnquoted
		case stUnquoted:
			switch c {
			case sep:
				return stRecord
			case delim:
				return stField
			}
			return stUnquoted
		case stQuoted:
			switch {
			case c == sep:
				return stQuoted // the field goes on on the next line
			case c == escape && escape != quote:
				return stEscape
			case c == quote:
				return stQuote
			}
			return stQuoted
		case stEscape:
			// An escaped quote or escape, or an escape standing for itself
			// followed by an ordinary byte: the field goes on either way.
			return stQuoted
		case stQuote:
			if c == quote && c != sep {
				return stQuoted // a doubled quote
			}
			return step(stClosed, c)
		case stClosed:
			switch {
			case c == sep:
				return stRecord
			case c == delim:
				return stField
			case cfg.IgnoreTrailingWhiteSpace && blank(c):
				return stClosed
			}
			return stSkip // unexpected character after the closing quote
		case stSkip:
			if c == sep {
				return stRecord
			}
			return stSkip
		}
		return s
	}
	for s := range numStates {
		for c := range 256 {
			lx.next[s][c] = step(s, byte(c))
		}
	}
	return lx
}

// converge runs the lexer from byte off of r in each of the states lanes
// until they agree (at most up to limit), then on to the first record start
// after that point. It returns the record start (size when there is none),
// the number of line separators in [off, start), and ok false when the
// states did not agree before limit.
func (lx *lexer) converge(r io.ReaderAt, off, limit, size int64, lanes []lexState, buf []byte) (start int64, lines int, ok bool, err error) {
	var st [numStates]lexState
	n := copy(st[:], lanes)
	same := n == 1
	var cur lexState
	for pos := off; pos < size; {
		m, err := r.ReadAt(buf[:min(int64(len(buf)), size-pos)], pos)
		if m == 0 && err != nil {
			return 0, 0, false, fmt.Errorf("csv: split: %w", err)
		}
		for i, c := range buf[:m] {
			if !same {
				if pos+int64(i) >= limit {
					return 0, 0, false, nil
				}
				for j := range n {
					st[j] = lx.next[st[j]][c]
				}
				same = true
				for j := 1; j < n; j++ {
					same = same && st[j] == st[0]
				}
				cur = st[0]
			} else {
				cur = lx.next[cur][c]
			}
			if c == lx.sep {
				lines++
				if same && cur == stRecord {
					return pos + int64(i) + 1, lines, true, nil
				}
			}
		}
		pos += int64(m)
	}
	return size, lines, same, nil
}

// recordAfter runs the lexer from from, a record start, to the first record
// start after byte cut. It returns that start (size when there is none) and
// the number of line separators in [from, start).
func (lx *lexer) recordAfter(r io.ReaderAt, from, cut, size int64, buf []byte) (int64, int, error) {
	st, lines := stRecord, 0
	if from == 0 {
		// The scanner drops a byte order mark at the start of the file.
		m, _ := r.ReadAt(buf[:min(3, size)], 0)
		if bytes.HasPrefix(buf[:m], []byte("\xef\xbb\xbf")) {
			from = 3
		}
	}
	for pos := from; pos < size; {
		m, err := r.ReadAt(buf[:min(int64(len(buf)), size-pos)], pos)
		if m == 0 && err != nil {
			return 0, 0, fmt.Errorf("csv: split: %w", err)
		}
		for i, c := range buf[:m] {
			st = lx.next[st][c]
			if c == lx.sep {
				lines++
				if st == stRecord && pos+int64(i) >= cut {
					return pos + int64(i) + 1, lines, nil
				}
			}
		}
		pos += int64(m)
	}
	return size, lines, nil
}
