package main

import (
	"sort"
	"strings"
	"unicode"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// sqlKeywords are the keywords the shell completes. Two-word entries complete
// as a whole ("gro" becomes "group by").
var sqlKeywords = []string{
	"ALL", "ANALYZE", "AND", "ANTI", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "CREATE",
	"CROSS", "DESC", "DESCRIBE", "DISTINCT", "DROP", "ELSE", "END", "EXCEPT", "EXISTS",
	"EXPLAIN", "EXTENDED", "FALSE", "FIRST", "FOLLOWING", "FROM", "FULL", "GROUP BY", "HAVING",
	"IF", "IN", "INNER", "INTERSECT", "INTERVAL", "IS", "JOIN", "LAST", "LEFT", "LIKE", "LIMIT",
	"NOT", "NULL", "NULLS", "ON", "OR", "ORDER BY", "OUTER", "OVER", "PARTITION BY", "PRECEDING",
	"RANGE", "REPLACE", "RIGHT", "RLIKE", "ROWS", "SELECT", "SEMI", "SHOW", "TABLES", "TEMP",
	"TEMPORARY", "THEN", "TRUE", "UNBOUNDED", "UNION", "USING", "VIEW", "WHEN", "WHERE", "WITH",
	"CURRENT ROW",
}

// namesTable reports whether a word after the (lower-case) keyword kw names a table.
func namesTable(kw string) bool {
	switch kw {
	case "from", "join", "describe", "desc", "table":
		return true
	}
	return false
}

// windowFunctions are the ranking, offset and value window functions of SQL.
var windowFunctions = []string{"cume_dist", "dense_rank", "lag", "lead", "nth_value", "ntile", "percent_rank", "rank", "row_number"}

// functionNames lists the functions SQL can call: scalar, aggregate and window.
func functionNames() []string {
	names := functions.Builtins().Names()
	names = append(names, logical.AggregateNames()...)
	return append(names, windowFunctions...)
}

// completer completes the word under the cursor from SQL keywords, function
// names, the session's tables and the columns of the tables the statement
// names. It implements readline.AutoCompleter.
type completer struct {
	s *frame.Session
	// pending returns the earlier lines of the statement being typed, so a
	// table named on them lends its columns; nil for none.
	pending func() string
}

// Do returns the completions of the word that ends at pos in line, as the
// text to add after it, and the word's length.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	pos = min(max(pos, 0), len(line))
	start := pos
	for start > 0 && isCompletionRune(line[start-1]) {
		start--
	}
	word := string(line[start:pos])
	stmt := string(line)
	if c.pending != nil {
		stmt = c.pending() + "\n" + stmt
	}
	prev := previousWord(string(line[:start]))
	if prev == "" && c.pending != nil {
		prev = previousWord(c.pending())
	}
	cands := c.candidates(stmt, prev, word)
	n := len([]rune(word))
	out := make([][]rune, len(cands))
	for i, s := range cands {
		out[i] = []rune(s)[n:]
	}
	return out, n
}

// isCompletionRune reports whether r can be part of a completed word.
func isCompletionRune(r rune) bool {
	return r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// previousWord returns the last complete word of text, lower-cased.
func previousWord(text string) string {
	f := strings.FieldsFunc(text, func(r rune) bool { return !isCompletionRune(r) })
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(f[len(f)-1])
}

// candidates returns the completions of word, whole and sorted: prev is the
// word before it and stmt the statement it is part of. An empty word
// completes to tables after FROM or JOIN and to the statement's columns
// elsewhere.
func (c *completer) candidates(stmt, prev, word string) []string {
	lw := strings.ToLower(word)
	set := map[string]bool{}
	add := func(s string) {
		if strings.HasPrefix(strings.ToLower(s), lw) {
			set[s] = true
		}
	}
	tables := c.s.Tables()
	if namesTable(prev) {
		for _, t := range tables {
			add(t)
			if short, ok := strings.CutPrefix(t, "samples."); ok {
				add(short)
			}
		}
		if prev == "from" || prev == "join" {
			for _, f := range c.s.TableFunctions() {
				add(f + "(")
			}
		}
		return sortedKeys(set)
	}
	refs := referencedTables(stmt, tables)
	if i := strings.LastIndex(word, "."); i >= 0 {
		if t, found := refs[strings.ToLower(word[:i])]; found {
			for _, col := range c.columns(t) {
				add(word[:i] + "." + col)
			}
		}
	}
	seen := map[string]bool{}
	for _, t := range refs {
		if !seen[t] {
			seen[t] = true
			for _, col := range c.columns(t) {
				add(col)
			}
		}
	}
	if lw == "" {
		return sortedKeys(set)
	}
	upper := strings.ToUpper(word) == word && strings.ToLower(word) != word
	for _, k := range sqlKeywords {
		if !upper {
			k = strings.ToLower(k)
		}
		add(k + " ")
	}
	for _, f := range functionNames() {
		if upper {
			f = strings.ToUpper(f)
		}
		add(f + "(")
	}
	for _, t := range tables {
		add(t)
		if short, ok := strings.CutPrefix(t, "samples."); ok {
			add(short)
		}
	}
	return sortedKeys(set)
}

// columns returns the column names of table t, or none if it cannot be read.
func (c *completer) columns(t string) []string {
	return c.s.Table(t).Columns()
}

// referencedTables finds the tables the statement names, keyed by every name
// that refers to them in it: the full name, the short name of a sample
// table, and an alias (t AS a, or t a). Values are catalog names.
func referencedTables(stmt string, tables []string) map[string]string {
	known := map[string]string{}
	for _, t := range tables {
		known[strings.ToLower(t)] = t
		if short, ok := strings.CutPrefix(t, "samples."); ok {
			if _, dup := known[strings.ToLower(short)]; !dup {
				known[strings.ToLower(short)] = t
			}
		}
	}
	words := strings.FieldsFunc(stmt, func(r rune) bool { return !isCompletionRune(r) })
	refs := map[string]string{}
	for i, w := range words {
		t, ok := known[strings.ToLower(w)]
		if !ok {
			continue
		}
		refs[strings.ToLower(w)] = t
		j := i + 1
		if j < len(words) && strings.EqualFold(words[j], "as") {
			j++
		}
		if j < len(words) && !isKeyword(words[j]) && !strings.Contains(words[j], ".") {
			if _, isTable := known[strings.ToLower(words[j])]; !isTable {
				refs[strings.ToLower(words[j])] = t
			}
		}
	}
	return refs
}

// isKeyword reports whether w is one of the completed keywords (or a word of
// a two-word one), which cannot be an alias.
func isKeyword(w string) bool {
	for _, k := range sqlKeywords {
		for _, part := range strings.Fields(k) {
			if strings.EqualFold(part, w) {
				return true
			}
		}
	}
	return false
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
