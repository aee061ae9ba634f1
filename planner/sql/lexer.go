package sql

import (
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind classifies a token.
type tokenKind int

const (
	tkEOF    tokenKind = iota
	tkWord             // an identifier or keyword, unquoted
	tkQuoted           // a `backtick` identifier
	tkString           // a 'string' or "string" literal
	tkNumber           // a numeric literal, with its suffix if any
	tkOp               // punctuation and operators
	tkBinary           // an X'hex' literal; text holds the bytes
)

// token is one lexical token; pos is its byte offset in the source.
type token struct {
	kind tokenKind
	text string // raw text (for strings and quoted identifiers: the value)
	pos  int
}

// is reports whether t is the keyword kw (case-insensitive, unquoted words only).
func (t token) is(kw string) bool { return t.kind == tkWord && strings.EqualFold(t.text, kw) }

// isOp reports whether t is the operator op.
func (t token) isOp(op string) bool { return t.kind == tkOp && t.text == op }

// describe renders the token for error messages (a long one shortened,
// control characters shown as U+FFFD).
func (t token) describe() string {
	text := shown(t.text, 40)
	switch t.kind {
	case tkEOF:
		return "end of input"
	case tkString:
		return "'" + strings.ReplaceAll(text, "'", "''") + "'"
	case tkQuoted:
		return "'`" + text + "`'"
	}
	return "'" + text + "'"
}

// shown returns s for a message: at most n characters (then "…"), control
// characters but tab replaced by U+FFFD so that nothing raw reaches a
// terminal.
func shown(s string, n int) string {
	var b strings.Builder
	i := 0
	for _, r := range s {
		if i == n {
			b.WriteString("…")
			break
		}
		b.WriteRune(printable(r))
		i++
	}
	return b.String()
}

func printable(r rune) rune {
	if r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0) {
		return '\uFFFD'
	}
	return r
}

// errorContext is how many characters of the source line an error shows on
// each side of its position.
const errorContext = 60

// SyntaxError is a parse error at a position of the source text.
type SyntaxError struct {
	Line, Column int    // 1-based; the column counts characters
	Msg          string // e.g. "expected FROM, found 'WHERE'"
	SourceLine   string // the source line holding the error
}

// Error renders the message followed by the source line and a caret under the error position.
//
// A long line shows errorContext characters on each side of the error,
// with "…" where it is cut; control characters show as U+FFFD.
func (e *SyntaxError) Error() string {
	runes := []rune(e.SourceLine)
	col := min(max(e.Column-1, 0), len(runes))
	start, end := max(0, col-errorContext), min(len(runes), col+errorContext)
	var line, caret strings.Builder
	if start > 0 {
		line.WriteString("…")
		caret.WriteByte(' ')
	}
	for i, r := range runes[start:end] {
		line.WriteRune(printable(r))
		if start+i < col {
			if r == '\t' {
				caret.WriteByte('\t')
			} else {
				caret.WriteByte(' ')
			}
		}
	}
	if end < len(runes) {
		line.WriteString("…")
	}
	for i := len(runes); i < e.Column-1; i++ {
		caret.WriteByte(' ')
	}
	return fmt.Sprintf("syntax error at line %d, column %d: %s\n%s\n%s^", e.Line, e.Column, e.Msg, line.String(), caret.String())
}

// errorAt builds a SyntaxError at byte offset pos of src.
func errorAt(src string, pos int, msg string) *SyntaxError {
	pos = min(max(pos, 0), len(src))
	line := 1 + strings.Count(src[:pos], "\n")
	start := strings.LastIndexByte(src[:pos], '\n') + 1
	end := strings.IndexByte(src[pos:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += pos
	}
	text := strings.TrimRight(src[start:end], "\r")
	col := 1 + utf8.RuneCountInString(src[start:pos])
	return &SyntaxError{Line: line, Column: col, Msg: msg, SourceLine: text}
}

// lex splits src into tokens, ending with a tkEOF token.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for {
		// Skip white space and comments.
		for i < len(src) {
			c := src[i]
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
				i++
			case c == '-' && i+1 < len(src) && src[i+1] == '-':
				for i < len(src) && src[i] != '\n' {
					i++
				}
			case c == '/' && i+1 < len(src) && src[i+1] == '*':
				end := strings.Index(src[i+2:], "*/")
				if end < 0 {
					return nil, errorAt(src, i, "unterminated /* comment")
				}
				i += 2 + end + 2
			default:
				goto tok
			}
		}
	tok:
		if i >= len(src) {
			toks = append(toks, token{kind: tkEOF, pos: len(src)})
			return toks, nil
		}
		start := i
		c := src[i]
		switch {
		case c == '\'' || c == '"':
			s, n, ok := scanQuoted(src[i:], c)
			if !ok {
				return nil, errorAt(src, start, "unterminated string literal")
			}
			toks = append(toks, token{kind: tkString, text: s, pos: start})
			i += n
		case c == '`':
			s, n, ok := scanQuoted(src[i:], '`')
			if !ok {
				return nil, errorAt(src, start, "unterminated `quoted` identifier")
			}
			if s == "" {
				return nil, errorAt(src, start, "empty `quoted` identifier")
			}
			toks = append(toks, token{kind: tkQuoted, text: s, pos: start})
			i += n
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			for i < len(src) && isDigit(src[i]) {
				i++
			}
			if i < len(src) && src[i] == '.' {
				i++
				for i < len(src) && isDigit(src[i]) {
					i++
				}
			}
			if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
				j := i + 1
				if j < len(src) && (src[j] == '+' || src[j] == '-') {
					j++
				}
				if j < len(src) && isDigit(src[j]) {
					for j < len(src) && isDigit(src[j]) {
						j++
					}
					i = j
				}
			}
			// A type suffix (10L, 1.5D, 2BD, ...) is part of the number.
			for i < len(src) && isWordByte(src, i) {
				_, w := utf8.DecodeRuneInString(src[i:])
				i += w
			}
			toks = append(toks, token{kind: tkNumber, text: src[start:i], pos: start})
		case binaryLiteralQuote(src, i) > 0:
			// A binary literal X'hex'; an odd number of digits gets a leading 0.
			i = binaryLiteralQuote(src, i) - 1
			end := strings.IndexByte(src[i+2:], '\'')
			if end < 0 {
				return nil, errorAt(src, start, "unterminated binary literal")
			}
			digits := src[i+2 : i+2+end]
			if len(digits)%2 == 1 {
				digits = "0" + digits
			}
			b, err := hex.DecodeString(digits)
			if err != nil {
				return nil, errorAt(src, start, "a binary literal X'...' holds hexadecimal digits only")
			}
			toks = append(toks, token{kind: tkBinary, text: string(b), pos: start})
			i += 2 + end + 1
		case (c == 'r' || c == 'R') && i+1 < len(src) && (src[i+1] == '\'' || src[i+1] == '"'):
			// A raw string r'...': backslashes are kept as they are.
			s, n, ok := scanRaw(src[i+1:], src[i+1])
			if !ok {
				return nil, errorAt(src, start, "unterminated string literal")
			}
			toks = append(toks, token{kind: tkString, text: s, pos: start})
			i += 1 + n
		case isWordStart(src, i):
			for i < len(src) && isWordByte(src, i) {
				_, w := utf8.DecodeRuneInString(src[i:])
				i += w
			}
			toks = append(toks, token{kind: tkWord, text: src[start:i], pos: start})
		default:
			op := ""
			for _, cand := range []string{"<=>", ">>>", "<<", ">>", "<>", "!=", "<=", ">=", "==", "=>", "||", "::", "->"} {
				if strings.HasPrefix(src[i:], cand) {
					op = cand
					break
				}
			}
			if op == "" && strings.IndexByte("+-*/%=<>(),.;[]&|^~:", c) >= 0 {
				op = string(c)
			}
			if op == "" {
				r, _ := utf8.DecodeRuneInString(src[i:])
				return nil, errorAt(src, start, fmt.Sprintf("unexpected character %q", r))
			}
			toks = append(toks, token{kind: tkOp, text: op, pos: start})
			i += len(op)
		}
	}
}

// scanQuoted reads a literal quoted with q starting at s[0]; a doubled quote
// stands for one quote, and in strings a backslash escapes the next character.
func scanQuoted(s string, q byte) (string, int, bool) {
	var b strings.Builder
	i := 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == q && i+1 < len(s) && s[i+1] == q:
			b.WriteByte(q)
			i += 2
		case c == q:
			return b.String(), i + 1, true
		case c == '\\' && q != '`' && i+1 < len(s):
			switch s[i+1] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '0':
				b.WriteByte(0)
			default:
				b.WriteByte(s[i+1])
			}
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, false
}

// scanRaw reads a raw string literal quoted with q starting at s[0]: a
// backslash keeps the next character from ending the literal but stays in
// the value, as in Spark's r'...' literals.
func scanRaw(s string, q byte) (string, int, bool) {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return s[1:i], i + 1, true
		}
	}
	return "", 0, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordStart(s string, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func isWordByte(s string, i int) bool {
	c := s[i]
	if c < utf8.RuneSelf {
		return c == '_' || c == '$' || isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
