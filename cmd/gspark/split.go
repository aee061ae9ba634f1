package main

import "strings"

// splitStatements cuts text into the statements a ';' ends and the unfinished
// rest. A ';' inside a string literal ('…' or "…"), a `quoted` identifier, a
// -- line comment or a /* block */ comment ends nothing; quotes follow the SQL
// lexer (a doubled quote stands for one, a backslash escapes inside strings).
// Statements come back without their ';' and trimmed of white space; empty
// ones (";;", or only comments) are dropped. rest is the text after the last ';', untrimmed.
func splitStatements(text string) (stmts []string, rest string) {
	start := 0
	i := 0
	n := len(text)
	for i < n {
		c := text[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(text, i)
		case c == '-' && i+1 < n && text[i+1] == '-':
			for i < n && text[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < n && text[i+1] == '*':
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				i = n
			} else {
				i += 2 + end + 2
			}
		case c == ';':
			if s := strings.TrimSpace(text[start:i]); !isBlankSQL(s) {
				stmts = append(stmts, s)
			}
			i++
			start = i
		default:
			i++
		}
	}
	return stmts, text[start:]
}

// skipQuoted returns the index just past the quoted text that starts at
// text[i], or len(text) when the quote is still open.
func skipQuoted(text string, i int) int {
	q := text[i]
	i++
	for i < len(text) {
		c := text[i]
		switch {
		case c == q && i+1 < len(text) && text[i+1] == q:
			i += 2
		case c == q:
			return i + 1
		case c == '\\' && q != '`' && i+1 < len(text):
			i += 2
		default:
			i++
		}
	}
	return len(text)
}

// isBlankSQL reports whether text holds nothing but white space and complete
// comments, so it has no statement to run.
func isBlankSQL(text string) bool {
	i, n := 0, len(text)
	for i < n {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < n && text[i+1] == '-':
			for i < n && text[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < n && text[i+1] == '*':
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				return false
			}
			i += 2 + end + 2
		default:
			return false
		}
	}
	return true
}

// historyEntry joins the lines of a statement into the one line a history
// file holds: each line trimmed, -- comments dropped (on one line they would
// swallow what follows), line breaks turned into spaces (also inside string
// literals, which a one-line entry cannot hold).
func historyEntry(lines []string) string {
	trimmed := make([]string, 0, len(lines))
	for _, line := range lines {
		if line = strings.TrimSpace(line); line != "" {
			trimmed = append(trimmed, line)
		}
	}
	text := strings.Join(trimmed, "\n")
	var out []byte
	n := len(text)
	for i := 0; i < n; {
		c := text[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			j := skipQuoted(text, i)
			out = append(out, text[i:j]...)
			i = j
		case c == '/' && i+1 < n && text[i+1] == '*':
			j := n
			if end := strings.Index(text[i+2:], "*/"); end >= 0 {
				j = i + 2 + end + 2
			}
			out = append(out, text[i:j]...)
			i = j
		case c == '-' && i+1 < n && text[i+1] == '-':
			out = []byte(strings.TrimRight(string(out), " \t"))
			for i < n && text[i] != '\n' {
				i++
			}
		default:
			out = append(out, c)
			i++
		}
	}
	return strings.TrimSpace(strings.ReplaceAll(string(out), "\n", " "))
}
