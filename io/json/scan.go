package json

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// kind is the JSON kind of a parsed value.
type kind uint8

const (
	kNull kind = iota
	kString
	kInt    // a number without fraction or exponent
	kNumber // a number with a fraction or exponent
	kTrue
	kFalse
	kRaw // a nested object or array, kept as its text
)

// maxDepth bounds the nesting of objects and arrays.
const maxDepth = 1000

// member is one key/value pair of the line's object; its key and value bytes
// are spans of the scanner's buf (strings unescaped, other values verbatim).
type member struct {
	keyStart, keyEnd int
	kind             kind
	start, end       int
}

// scanner reads a JSON Lines stream one object at a time.
type scanner struct {
	br      *bufio.Reader
	name    string
	line    int
	long    []byte
	src     []byte // the current line
	pos     int
	buf     []byte
	members []member
	// off is the byte offset of the next byte to read; maxRecord bounds a
	// line's bytes.
	off       int64
	maxRecord int
}

func newScanner(r io.Reader, name string, maxRecord int) *scanner {
	return &scanner{br: bufio.NewReaderSize(r, 64<<10), name: name, maxRecord: maxRecord}
}

// tooLong is the error for line line, starting at byte offset off, past
// maxRecord bytes.
func (s *scanner) tooLong(line int, off int64) error {
	return &LimitError{File: s.name, Line: line, Offset: off, Limit: s.maxRecord}
}

// readLine returns the next physical line without its terminator; ok is
// false at the end of input.
func (s *scanner) readLine() (line []byte, ok bool, err error) {
	start := s.off
	b, err := s.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		s.long = append(s.long[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(s.long) > s.maxRecord {
				return nil, false, s.tooLong(s.line+1, start)
			}
			b, err = s.br.ReadSlice('\n')
			s.long = append(s.long, b...)
		}
		b = s.long
	}
	if err != nil && err != io.EOF {
		return nil, false, fmt.Errorf("json: %s:%d: %w", s.name, s.line+1, err)
	}
	if len(b) == 0 {
		return nil, false, nil
	}
	s.off += int64(len(b))
	s.line++
	b = bytes.TrimSuffix(b, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	if len(b) > s.maxRecord {
		return nil, false, s.tooLong(s.line, start)
	}
	if s.line == 1 {
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	}
	return b, true, nil
}

// next reads the next non-blank line; it returns false at the end of input.
// A syntax error in the line is returned as a *ParseError with ok true, so
// that the caller may skip the line.
func (s *scanner) next() (ok bool, err error) {
	for {
		line, ok, err := s.readLine()
		if err != nil || !ok {
			return false, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		return true, s.parseLine(line)
	}
}

func (s *scanner) errAt(pos int, format string, args ...any) error {
	return &ParseError{File: s.name, Line: s.line, Column: pos + 1, Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) skipWS() {
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

// found describes the byte at the current position for error messages.
func (s *scanner) found() string {
	if s.pos >= len(s.src) {
		return "end of line"
	}
	r, _ := utf8.DecodeRune(s.src[s.pos:])
	return fmt.Sprintf("%q", r)
}

// parseLine parses line as one JSON object into s.members.
func (s *scanner) parseLine(line []byte) error {
	s.src, s.pos = line, 0
	s.buf = s.buf[:0]
	s.members = s.members[:0]
	s.skipWS()
	if s.pos >= len(s.src) || s.src[s.pos] != '{' {
		return s.errAt(s.pos, "expected a JSON object, found %s", s.found())
	}
	s.pos++
	s.skipWS()
	if s.pos < len(s.src) && s.src[s.pos] == '}' {
		s.pos++
	} else {
		for {
			s.skipWS()
			if s.pos >= len(s.src) || s.src[s.pos] != '"' {
				return s.errAt(s.pos, "expected a field name, found %s", s.found())
			}
			var m member
			m.keyStart = len(s.buf)
			if err := s.str(); err != nil {
				return err
			}
			m.keyEnd = len(s.buf)
			s.skipWS()
			if s.pos >= len(s.src) || s.src[s.pos] != ':' {
				return s.errAt(s.pos, "expected ':', found %s", s.found())
			}
			s.pos++
			s.skipWS()
			m.start = len(s.buf)
			k, err := s.value()
			if err != nil {
				return err
			}
			m.kind, m.end = k, len(s.buf)
			s.members = append(s.members, m)
			s.skipWS()
			if s.pos < len(s.src) && s.src[s.pos] == ',' {
				s.pos++
				continue
			}
			if s.pos < len(s.src) && s.src[s.pos] == '}' {
				s.pos++
				break
			}
			return s.errAt(s.pos, "expected ',' or '}', found %s", s.found())
		}
	}
	s.skipWS()
	if s.pos < len(s.src) {
		return s.errAt(s.pos, "unexpected %s after the object", s.found())
	}
	return nil
}

// value parses one value at s.pos, appending its bytes to buf.
func (s *scanner) value() (kind, error) {
	if s.pos >= len(s.src) {
		return 0, s.errAt(s.pos, "expected a value, found end of line")
	}
	switch c := s.src[s.pos]; {
	case c == '"':
		return kString, s.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	case c == '{' || c == '[':
		start := s.pos
		if err := s.skipNested(0); err != nil {
			return 0, err
		}
		s.buf = append(s.buf, s.src[start:s.pos]...)
		return kRaw, nil
	}
	for _, lit := range []struct {
		text string
		k    kind
	}{{"true", kTrue}, {"false", kFalse}, {"null", kNull}} {
		if bytes.HasPrefix(s.src[s.pos:], []byte(lit.text)) {
			s.pos += len(lit.text)
			if lit.k != kNull {
				s.buf = append(s.buf, lit.text...)
			}
			return lit.k, nil
		}
	}
	return 0, s.errAt(s.pos, "expected a value, found %s", s.found())
}

// number parses a JSON number, appending its text to buf.
func (s *scanner) number() (kind, error) {
	src, start := s.src, s.pos
	i := start
	if src[i] == '-' {
		i++
	}
	digitsFrom := i
	for i < len(src) && src[i] >= '0' && src[i] <= '9' {
		i++
	}
	if i == digitsFrom || (src[digitsFrom] == '0' && i-digitsFrom > 1) {
		return 0, s.errAt(start, "invalid number")
	}
	k := kInt
	if i < len(src) && src[i] == '.' {
		i++
		from := i
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
		if i == from {
			return 0, s.errAt(start, "invalid number")
		}
		k = kNumber
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		from := i
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
		if i == from {
			return 0, s.errAt(start, "invalid number")
		}
		k = kNumber
	}
	s.buf = append(s.buf, src[start:i]...)
	s.pos = i
	return k, nil
}

// str parses a string at s.pos, appending its unescaped bytes to buf.
func (s *scanner) str() error {
	src := s.src
	start := s.pos
	i := start + 1
	for {
		j := i
		for j < len(src) && src[j] != '"' && src[j] != '\\' && src[j] >= 0x20 {
			j++
		}
		s.buf = append(s.buf, src[i:j]...)
		if j >= len(src) {
			return s.errAt(start, "unterminated string")
		}
		switch c := src[j]; {
		case c == '"':
			s.pos = j + 1
			return nil
		case c < 0x20:
			return s.errAt(j, "control character %q in string", c)
		}
		// A backslash escape.
		if j+1 >= len(src) {
			return s.errAt(start, "unterminated string")
		}
		switch e := src[j+1]; e {
		case '"', '\\', '/':
			s.buf = append(s.buf, e)
			i = j + 2
		case 'b':
			s.buf = append(s.buf, '\b')
			i = j + 2
		case 'f':
			s.buf = append(s.buf, '\f')
			i = j + 2
		case 'n':
			s.buf = append(s.buf, '\n')
			i = j + 2
		case 'r':
			s.buf = append(s.buf, '\r')
			i = j + 2
		case 't':
			s.buf = append(s.buf, '\t')
			i = j + 2
		case 'u':
			r, ok := hex4(src, j+2)
			if !ok {
				return s.errAt(j, "invalid \\u escape")
			}
			i = j + 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if i+1 < len(src) && src[i] == '\\' && src[i+1] == 'u' {
					r2, ok = hex4(src, i+2)
				}
				if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
					r = d
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			s.buf = utf8.AppendRune(s.buf, r)
		default:
			return s.errAt(j, "invalid escape \\%c", e)
		}
	}
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// skipNested validates the object or array at s.pos and moves past it.
func (s *scanner) skipNested(depth int) error {
	if depth >= maxDepth {
		return s.errAt(s.pos, "nested more than %d levels", maxDepth)
	}
	open := s.src[s.pos]
	closeCh := byte(']')
	if open == '{' {
		closeCh = '}'
	}
	s.pos++
	s.skipWS()
	if s.pos < len(s.src) && s.src[s.pos] == closeCh {
		s.pos++
		return nil
	}
	// Values of nested containers are validated but not kept: restore buf.
	mark := len(s.buf)
	defer func() { s.buf = s.buf[:mark] }()
	for {
		s.skipWS()
		if open == '{' {
			if s.pos >= len(s.src) || s.src[s.pos] != '"' {
				return s.errAt(s.pos, "expected a field name, found %s", s.found())
			}
			if err := s.str(); err != nil {
				return err
			}
			s.skipWS()
			if s.pos >= len(s.src) || s.src[s.pos] != ':' {
				return s.errAt(s.pos, "expected ':', found %s", s.found())
			}
			s.pos++
			s.skipWS()
		}
		if s.pos < len(s.src) && (s.src[s.pos] == '{' || s.src[s.pos] == '[') {
			if err := s.skipNested(depth + 1); err != nil {
				return err
			}
		} else if _, err := s.value(); err != nil {
			return err
		}
		s.skipWS()
		if s.pos < len(s.src) && s.src[s.pos] == ',' {
			s.pos++
			continue
		}
		if s.pos < len(s.src) && s.src[s.pos] == closeCh {
			s.pos++
			return nil
		}
		return s.errAt(s.pos, "expected ',' or '%c', found %s", closeCh, s.found())
	}
}
