package main

import (
	"fmt"
	"strings"
)

// record is one statement or query of a sqllogictest file.
type record struct {
	line      int // 1-based line of the header
	query     bool
	wantErr   bool
	errSubstr string
	sortMode  string
	sqlLines  []string
	expected  []string
	note      string // the text of the "# spark:" comments before the record
	duckSQL   string // the SQL of the "# duckdb:" comments, run instead of the record's
}

func (r *record) sql() string { return strings.Join(r.sqlLines, "\n") }

// parse splits a file into records, attaching the comments that precede each
// record (since the previous one) to it.
func parse(name string, lines []string) ([]*record, error) {
	var recs []*record
	var notes, duck []string
	for i := 0; i < len(lines); {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			i++
			continue
		}
		if strings.HasPrefix(l, "#") {
			c := strings.TrimSpace(strings.TrimPrefix(l, "#"))
			if s, ok := strings.CutPrefix(c, "spark:"); ok {
				notes = append(notes, strings.TrimSpace(s))
			} else if s, ok := strings.CutPrefix(c, "duckdb:"); ok {
				duck = append(duck, strings.TrimSpace(s))
			}
			i++
			continue
		}
		r := &record{line: i + 1, sortMode: "nosort", note: strings.Join(notes, " "), duckSQL: strings.Join(duck, "\n")}
		notes, duck = nil, nil
		f := strings.Fields(l)
		switch {
		case f[0] == "statement" && len(f) == 2 && f[1] == "ok":
		case f[0] == "statement" && len(f) >= 2 && f[1] == "error":
			r.wantErr = true
		case f[0] == "query" && len(f) >= 2 && f[1] == "error":
			r.query, r.wantErr = true, true
		case f[0] == "query" && len(f) >= 2 && len(f) <= 3:
			r.query = true
			if len(f) == 3 {
				r.sortMode = f[2]
			}
		default:
			return nil, fmt.Errorf("%s:%d: unrecognized record header %q", name, i+1, l)
		}
		i++
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" && strings.TrimSpace(lines[i]) != "----" {
			r.sqlLines = append(r.sqlLines, lines[i])
			i++
		}
		if i < len(lines) && strings.TrimSpace(lines[i]) == "----" {
			i++
			for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
				r.expected = append(r.expected, strings.TrimRight(lines[i], "\r"))
				i++
			}
		}
		recs = append(recs, r)
	}
	return recs, nil
}
