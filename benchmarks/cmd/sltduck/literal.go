package main

import (
	"strings"
	"unicode"
)

// A "# duckdb:" replacement must make DuckDB compute the answer. It is
// literal-only, and rejected, when it
//   - reads no table: every FROM or JOIN is followed by VALUES or by a
//     parenthesised subquery or VALUES list that is literal-only as well,
//   - calls no function: no name directly followed by "(", except CAST, type
//     names (DECIMAL(5, 2)) and column-alias lists (AS t(a, b)),
//   - applies no operator: no arithmetic, comparison, concatenation,
//     subscript, lambda or logical operator, and none of the keywords CASE,
//     IS, IN, BETWEEN, LIKE, ILIKE, SIMILAR, NOT, AND, OR, EXISTS, OVER,
//     FILTER, INTERSECT, EXCEPT,
//
// so that it can only restate values: literals, casts of literals, typed
// literals (DATE '...', INTERVAL 1 DAY), list, struct and MAP literals, signs,
// VALUES lists, UNION ALL, WHERE/ORDER BY/LIMIT over those. Such a
// replacement is allowed only when the record's own query is literal-only
// too (the replacement then restates the query, not its answer).

// literalOnly reports whether q neither reads a table nor computes anything.
func literalOnly(q string) bool {
	toks := tokenize(q)
	for i, t := range toks {
		prev := token{}
		if i > 0 {
			prev = toks[i-1]
		}
		next := token{}
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		switch t.kind {
		case tokWord:
			w := strings.ToUpper(t.text)
			if computingKeywords[w] {
				return false
			}
			if (w == "FROM" || w == "JOIN") && (next.kind == tokWord || next.kind == tokQuoted) && !strings.EqualFold(next.text, "VALUES") &&
				!strings.EqualFold(prev.text, "DISTINCT") {
				return false // reads a table
			}
			if next.text == "(" && !nonCalls[w] && prev.text != ")" && !strings.EqualFold(prev.text, "AS") {
				return false // a function call
			}
		case tokPunct:
			switch t.text {
			case "+", "-", "*", "/":
				if endsOperand(prev) {
					return false // binary arithmetic, not a sign or SELECT *
				}
			case "[":
				if endsOperand(prev) {
					return false // a subscript
				}
			case "(", ")", ",", ".", "::", "]", "{", "}", ":", ";":
			default:
				return false // %, ||, comparisons, ->, ...
			}
		}
	}
	return true
}

// computingKeywords are the keywords that compute a value from their operands.
var computingKeywords = map[string]bool{
	"CASE": true, "IS": true, "IN": true, "BETWEEN": true, "LIKE": true, "ILIKE": true, "SIMILAR": true, "GLOB": true,
	"NOT": true, "AND": true, "OR": true, "EXISTS": true, "OVER": true, "FILTER": true, "INTERSECT": true, "EXCEPT": true,
	"MINUS": true, "RLIKE": true, "REGEXP": true, "DIV": true, "MOD": true,
}

// nonCalls are the words a "(" may follow without calling a function.
var nonCalls = map[string]bool{
	"CAST": true, "VALUES": true, "DECIMAL": true, "NUMERIC": true, "DEC": true, "VARCHAR": true, "CHAR": true,
	"STRING": true, "SELECT": true, "FROM": true, "JOIN": true, "AS": true, "ALL": true, "DISTINCT": true,
	"UNION": true, "WHERE": true, "BY": true, "LIMIT": true, "OFFSET": true, "ON": true, "THEN": true, "ELSE": true,
	"WITH": true,
}

// clauseWords end no operand: an operator after them is a sign or a star.
var clauseWords = map[string]bool{
	"SELECT": true, "ALL": true, "DISTINCT": true, "WHERE": true, "BY": true, "LIMIT": true, "OFFSET": true,
	"UNION": true, "FROM": true, "VALUES": true, "AS": true, "THEN": true, "ELSE": true, "WHEN": true, "ON": true,
	"AND": true, "OR": true, "NOT": true, "IN": true, "IS": true, "HAVING": true, "RETURN": true,
}

func endsOperand(t token) bool {
	switch t.kind {
	case tokNumber, tokString, tokQuoted:
		return true
	case tokWord:
		return !clauseWords[strings.ToUpper(t.text)]
	case tokPunct:
		return t.text == ")" || t.text == "]" || t.text == "}"
	}
	return false
}

type tokKind int

const (
	tokNone tokKind = iota
	tokWord
	tokNumber
	tokString
	tokQuoted // "identifier" or `identifier`
	tokPunct
)

type token struct {
	kind tokKind
	text string
}

// multiPunct are the operators of more than one character, longest first.
var multiPunct = []string{"<=>", "::", "||", "<=", ">=", "<>", "!=", "==", "->", ":=", "**", ">>", "<<"}

// tokenize splits SQL into words, numbers, strings, quoted names and
// punctuation, skipping spaces and comments. It is only as precise as
// literalOnly needs.
func tokenize(q string) []token {
	var out []token
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(q[i:], "--"):
			for i < len(q) && q[i] != '\n' {
				i++
			}
		case strings.HasPrefix(q[i:], "/*"):
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				i = len(q)
			} else {
				i += end + 4
			}
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c {
						j += 2
						continue
					}
					break
				}
				if q[j] == '\\' && c == '\'' {
					j++
				}
				j++
			}
			end := min(j+1, len(q))
			kind := tokString
			if c != '\'' {
				kind = tokQuoted
			}
			out = append(out, token{kind, q[i:end]})
			i = end
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			j := i
			for j < len(q) && (isWordByte(q[j]) || q[j] == '.' || (q[j] == '+' || q[j] == '-') && (q[j-1] == 'e' || q[j-1] == 'E')) {
				j++
			}
			out = append(out, token{tokNumber, q[i:j]})
			i = j
		case isWordByte(c) || c >= 0x80:
			j := i
			for j < len(q) && (isWordByte(q[j]) || q[j] >= 0x80) {
				j++
			}
			out = append(out, token{tokWord, q[i:j]})
			i = j
		default:
			p := string(c)
			for _, m := range multiPunct {
				if strings.HasPrefix(q[i:], m) {
					p = m
					break
				}
			}
			out = append(out, token{tokPunct, p})
			i += len(p)
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || unicode.IsLetter(rune(c)) || c >= '0' && c <= '9'
}
