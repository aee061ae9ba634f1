// Package fmtfn holds the physical functions over text formats with Spark's
// semantics: JSON (get_json_object, json_tuple, from_json, to_json,
// schema_of_json, json_array_length, json_object_keys), CSV (from_csv,
// to_csv, schema_of_csv) and URLs (parse_url, url_encode, url_decode).
package fmtfn

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonKind is the kind of a parsed JSON value.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// jsonValue is a parsed JSON value. Objects keep their fields in document
// order, duplicates included, as a streaming parser would see them.
type jsonValue struct {
	kind jsonKind
	b    bool
	// s is the decoded text of a string, or the text of a number as written.
	s     string
	float bool // a number with a fraction or an exponent
	elems []*jsonValue
	keys  []string
	vals  []*jsonValue
}

// maxDepth bounds the nesting of a document, so that hostile input cannot
// exhaust the stack.
const maxDepth = 1000

// errMalformed is wrapped by every error of the parser.
var errMalformed = errors.New("malformed JSON")

// jsonParser reads one JSON value the way Spark's Jackson factory for the
// JSON functions does: single-quoted strings and unescaped control
// characters inside strings are accepted.
type jsonParser struct {
	s     string
	pos   int
	depth int
	// strict rejects what plain JSON does not allow (single quotes, raw
	// control characters in strings), as parse_json does.
	strict bool
}

// parseJSON parses the first JSON value of s; text after it is ignored, as
// Spark's functions stop reading once they have their value. ok is false
// when s holds no value at all (empty or blank input).
func parseJSON(s string) (v *jsonValue, ok bool, err error) {
	p := &jsonParser{s: s}
	p.skipSpace()
	if p.pos >= len(p.s) {
		return nil, false, nil
	}
	v, err = p.value()
	if err != nil {
		return nil, false, err
	}
	return v, true, nil
}

// parseWholeJSON parses s as exactly one JSON value with nothing but blanks
// after it.
func parseWholeJSON(s string) (*jsonValue, error) { return parseWhole(s, false) }

// parseWhole is parseWholeJSON, strict or not.
func parseWhole(s string, strict bool) (*jsonValue, error) {
	p := &jsonParser{s: s, strict: strict}
	p.skipSpace()
	if p.pos >= len(p.s) {
		return nil, p.fail("no value")
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.s) {
		return nil, p.fail("text after the value")
	}
	return v, nil
}

func (p *jsonParser) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", errMalformed, what, p.pos)
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (*jsonValue, error) {
	p.skipSpace()
	if p.pos >= len(p.s) {
		return nil, p.fail("unexpected end of input")
	}
	switch c := p.s[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"' || c == '\'' && !p.strict:
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &jsonValue{kind: jsonString, s: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case strings.HasPrefix(p.s[p.pos:], "true"):
		p.pos += 4
		return &jsonValue{kind: jsonBool, b: true}, p.endOfWord()
	case strings.HasPrefix(p.s[p.pos:], "false"):
		p.pos += 5
		return &jsonValue{kind: jsonBool}, p.endOfWord()
	case strings.HasPrefix(p.s[p.pos:], "null"):
		p.pos += 4
		return &jsonValue{kind: jsonNull}, p.endOfWord()
	}
	return nil, p.fail("unexpected character")
}

// endOfWord rejects a literal run on into letters or digits (truex).
func (p *jsonParser) endOfWord() error {
	if p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return p.fail("unexpected character")
		}
	}
	return nil
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail("nesting too deep")
	}
	return nil
}

func (p *jsonParser) object() (*jsonValue, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos++ // {
	v := &jsonValue{kind: jsonObject}
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.s) || (p.s[p.pos] != '"' && (p.s[p.pos] != '\'' || p.strict)) {
			return nil, p.fail("expected a field name")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.s) || p.s[p.pos] != ':' {
			return nil, p.fail("expected ':'")
		}
		p.pos++
		val, err := p.value()
		if err != nil {
			return nil, err
		}
		v.keys = append(v.keys, k)
		v.vals = append(v.vals, val)
		p.skipSpace()
		if p.pos >= len(p.s) {
			return nil, p.fail("unexpected end of input in an object")
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return v, nil
		default:
			return nil, p.fail("expected ',' or '}'")
		}
	}
}

func (p *jsonParser) array() (*jsonValue, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos++ // [
	v := &jsonValue{kind: jsonArray, elems: []*jsonValue{}}
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	for {
		e, err := p.value()
		if err != nil {
			return nil, err
		}
		v.elems = append(v.elems, e)
		p.skipSpace()
		if p.pos >= len(p.s) {
			return nil, p.fail("unexpected end of input in an array")
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return v, nil
		default:
			return nil, p.fail("expected ',' or ']'")
		}
	}
}

func (p *jsonParser) number() (*jsonValue, error) {
	start := p.pos
	if p.s[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	intStart := p.pos
	if digits() == 0 {
		return nil, p.fail("expected a digit")
	}
	if p.s[intStart] == '0' && p.pos-intStart > 1 {
		return nil, p.fail("leading zeros are not allowed")
	}
	float := false
	if p.pos < len(p.s) && p.s[p.pos] == '.' {
		p.pos++
		float = true
		if digits() == 0 {
			return nil, p.fail("expected a digit after '.'")
		}
	}
	if p.pos < len(p.s) && (p.s[p.pos] == 'e' || p.s[p.pos] == 'E') {
		p.pos++
		float = true
		if p.pos < len(p.s) && (p.s[p.pos] == '+' || p.s[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.fail("expected a digit in the exponent")
		}
	}
	if err := p.endOfWord(); err != nil {
		return nil, err
	}
	return &jsonValue{kind: jsonNumber, s: p.s[start:p.pos], float: float}, nil
}

// str reads a string quoted with " or ' and returns its decoded text.
func (p *jsonParser) str() (string, error) {
	q := p.s[p.pos]
	p.pos++
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c < 0x20 && p.strict {
			return "", p.fail("unescaped control character in a string")
		}
		if c == q {
			s := p.s[start:p.pos]
			p.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		p.pos++
	}
	var b strings.Builder
	b.WriteString(p.s[start:p.pos])
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == q:
			p.pos++
			return b.String(), nil
		case c < 0x20 && p.strict:
			return "", p.fail("unescaped control character in a string")
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(p.s) {
			break
		}
		e := p.s[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/', '\'':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if strings.HasPrefix(p.s[p.pos:], "\\u") {
					save := p.pos
					p.pos += 2
					if x, err := p.hex4(); err == nil {
						r2 = x
					} else {
						p.pos = save
					}
				}
				r = utf16.DecodeRune(r, r2)
			}
			b.WriteRune(r)
		default:
			return "", p.fail("invalid escape")
		}
	}
	return "", p.fail("unterminated string")
}

func (p *jsonParser) hex4() (rune, error) {
	if p.pos+4 > len(p.s) {
		return 0, p.fail("short \\u escape")
	}
	var r rune
	for _, c := range []byte(p.s[p.pos : p.pos+4]) {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, p.fail("invalid \\u escape")
		}
		r = r<<4 | rune(d)
	}
	p.pos += 4
	return r, nil
}

// appendQuoted appends s as a JSON string literal, escaping as Jackson's
// generator does: quotes, backslashes and control characters; other
// characters are written as they are.
func appendQuoted(dst []byte, s string) []byte {
	const hexDigits = "0123456789ABCDEF"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			dst = utf8.AppendRune(dst, r)
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		default:
			dst = append(dst, c)
		}
		i++
	}
	return append(dst, '"')
}
