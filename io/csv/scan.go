package csv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// field is one parsed field: its bytes are buf[start:end] of the scanner.
type field struct {
	start, end int
	quoted     bool
	line, col  int
}

// scanner splits a byte stream into records of fields, tracking physical line
// numbers. Field bytes live in a buffer reused across records.
type scanner struct {
	br                   *bufio.Reader
	name                 string
	delim, quote, escape byte
	line                 int
	buf                  []byte
	long                 []byte
	eol                  []byte // terminator of the last line read
	fields               []field
	recLine              int
	sep                  byte // line separator; '\n' also strips a '\r' before it
	comment              byte // 0, or the first byte of lines to skip
	trimLead, trimTrail  bool
	// keepRaw makes the scanner keep each record's text in raw.
	keepRaw bool
	raw     []byte
	// off is the byte offset in the text of the next byte to read.
	off int64
	// lineOff and recOff are the offsets of the last line read and of the
	// current record.
	lineOff, recOff int64
	// maxRecord bounds a record's bytes, maxChars a field's characters
	// (-1: only the record bound applies).
	maxRecord, maxChars int
}

func newScanner(r io.Reader, name string, c *config) *scanner {
	return newScannerSize(r, name, c, 64<<10)
}

// newScannerSize is newScanner reading through a buffer of size bytes.
func newScannerSize(r io.Reader, name string, c *config, size int) *scanner {
	sep := byte('\n')
	if c.LineSep != 0 {
		sep = byte(c.LineSep)
	}
	return &scanner{
		br:    bufio.NewReaderSize(r, size),
		name:  name,
		delim: c.delim, quote: c.quote, escape: c.escape,
		sep: sep, comment: byte(c.Comment),
		trimLead: c.IgnoreLeadingWhiteSpace, trimTrail: c.IgnoreTrailingWhiteSpace,
		maxRecord: c.MaxRecordBytes, maxChars: c.MaxCharsPerColumn,
	}
}

// recordTooLong is the error for a record past maxRecord bytes, at byte
// offset off of the text.
func (s *scanner) recordTooLong(line int, off int64) error {
	return &LimitError{File: s.name, Line: line, Offset: off, Option: "maxRecordBytes", Limit: s.maxRecord,
		Msg: fmt.Sprintf("record longer than %d bytes", s.maxRecord)}
}

// checkField fails when field f is longer than maxChars characters.
func (s *scanner) checkField(f *field) error {
	if s.maxChars < 0 || f.end-f.start <= s.maxChars {
		return nil
	}
	if n := utf8.RuneCount(s.buf[f.start:f.end]); n > s.maxChars {
		return &LimitError{File: s.name, Line: f.line, Column: f.col, Offset: -1, Option: "maxCharsPerColumn", Limit: s.maxChars,
			Msg: fmt.Sprintf("field longer than %d characters", s.maxChars)}
	}
	return nil
}

func (s *scanner) errAt(line, col int, format string, args ...any) error {
	return &ParseError{File: s.name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// value returns the bytes of field f.
func (s *scanner) value(f *field) []byte { return s.buf[f.start:f.end] }

// readLine returns the next physical line without its terminator; ok is
// false at the end of input.
func (s *scanner) readLine() (line []byte, ok bool, err error) {
	start := s.off
	b, err := s.br.ReadSlice(s.sep)
	if errors.Is(err, bufio.ErrBufferFull) {
		s.long = append(s.long[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(s.long) > s.maxRecord {
				return nil, false, s.recordTooLong(s.line+1, start)
			}
			b, err = s.br.ReadSlice(s.sep)
			s.long = append(s.long, b...)
		}
		b = s.long
	}
	s.lineOff = start
	s.off += int64(len(b))
	if err != nil && err != io.EOF {
		return nil, false, fmt.Errorf("%s:%d: %w", s.name, s.line+1, err)
	}
	if len(b) == 0 {
		return nil, false, nil
	}
	s.line++
	end := len(b)
	if b[end-1] == s.sep {
		end--
		if s.sep == '\n' && end > 0 && b[end-1] == '\r' {
			end--
		}
	}
	if end > s.maxRecord {
		return nil, false, s.recordTooLong(s.line, start)
	}
	s.eol = b[end:]
	b = b[:end]
	if s.line == 1 && bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		b = b[3:]
	}
	return b, true, nil
}

// next reads the next non-blank record; it returns false at the end of input.
func (s *scanner) next() (bool, error) {
	for {
		line, ok, err := s.readLine()
		if err != nil || !ok {
			return false, err
		}
		if len(line) == 0 || (s.comment != 0 && line[0] == s.comment) {
			continue
		}
		s.recLine = s.line
		s.recOff = s.lineOff
		if s.keepRaw {
			s.raw = append(s.raw[:0], line...)
		}
		return true, s.parse(line)
	}
}

func (s *scanner) parse(line []byte) error {
	s.buf = s.buf[:0]
	s.fields = s.fields[:0]
	pos := 0
	for {
		if s.trimLead {
			for pos < len(line) && (line[pos] == ' ' || line[pos] == '\t') && line[pos] != s.delim {
				pos++
			}
		}
		f := field{start: len(s.buf), line: s.line, col: pos + 1}
		if pos < len(line) && line[pos] == s.quote {
			f.quoted = true
			pos++
			for {
				i := pos
				for i < len(line) && line[i] != s.quote && line[i] != s.escape {
					i++
				}
				s.buf = append(s.buf, line[pos:i]...)
				if i == len(line) {
					// The quoted field goes on past the end of this line.
					s.buf = append(s.buf, s.eol...)
					var ok bool
					var err error
					line, ok, err = s.readLine()
					if err != nil {
						return err
					}
					if !ok {
						return s.errAt(f.line, f.col, "unterminated quoted field")
					}
					if len(s.buf)+len(line) > s.maxRecord {
						return s.recordTooLong(s.recLine, s.recOff)
					}
					if s.keepRaw {
						s.raw = append(append(s.raw, s.eol...), line...)
					}
					pos = 0
					continue
				}
				c := line[i]
				if c == s.escape && c != s.quote {
					if i+1 < len(line) && (line[i+1] == s.quote || line[i+1] == s.escape) {
						s.buf = append(s.buf, line[i+1])
						pos = i + 2
					} else {
						s.buf = append(s.buf, c)
						pos = i + 1
					}
					continue
				}
				if i+1 < len(line) && line[i+1] == s.quote {
					s.buf = append(s.buf, s.quote)
					pos = i + 2
					continue
				}
				pos = i + 1
				break
			}
			f.end = len(s.buf)
			if err := s.checkField(&f); err != nil {
				return err
			}
			s.fields = append(s.fields, f)
			if s.trimTrail {
				for pos < len(line) && (line[pos] == ' ' || line[pos] == '\t') && line[pos] != s.delim {
					pos++
				}
			}
			if pos == len(line) {
				return nil
			}
			if line[pos] != s.delim {
				return s.errAt(s.line, pos+1, "unexpected character %q after closing quote", line[pos])
			}
			pos++
			continue
		}
		i := bytes.IndexByte(line[pos:], s.delim)
		last := i < 0
		if last {
			i = len(line) - pos
		}
		v := line[pos : pos+i]
		if s.trimTrail {
			v = bytes.TrimRight(v, " \t")
		}
		s.buf = append(s.buf, v...)
		f.end = len(s.buf)
		if err := s.checkField(&f); err != nil {
			return err
		}
		s.fields = append(s.fields, f)
		if last {
			return nil
		}
		pos += i + 1
	}
}
