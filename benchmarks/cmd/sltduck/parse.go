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
	note      string // the text of the "# spark:" comments before the record, without scopes
	waiver    waiver // what the "# spark:" comments allow DuckDB's answer to differ in
	duckSQL   string // the SQL of the "# duckdb:" comments, run instead of the record's
	duckLine  int    // 1-based line of the first "# duckdb:" comment
}

func (r *record) sql() string { return strings.Join(r.sqlLines, "\n") }

// parse splits a file into records, attaching the comments that precede each
// record (since the previous one) to it.
func parse(name string, lines []string) ([]*record, error) {
	var recs []*record
	var notes, duck []string
	var w waiver
	duckLine := 0
	for i := 0; i < len(lines); {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			i++
			continue
		}
		if strings.HasPrefix(l, "#") {
			c := strings.TrimSpace(strings.TrimPrefix(l, "#"))
			if s, ok := strings.CutPrefix(c, "spark:"); ok {
				text, err := w.addNote(strings.TrimSpace(s))
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %v", name, i+1, err)
				}
				notes = append(notes, text)
			} else if s, ok := strings.CutPrefix(c, "duckdb:"); ok {
				if len(duck) == 0 {
					duckLine = i + 1
				}
				duck = append(duck, strings.TrimSpace(s))
			}
			i++
			continue
		}
		r := &record{line: i + 1, sortMode: "nosort", note: strings.Join(notes, " "), waiver: w,
			duckSQL: strings.Join(duck, "\n"), duckLine: duckLine}
		notes, duck, w, duckLine = nil, nil, waiver{}, 0
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
		if err := r.checkWaiver(); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, r.line, err)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// checkWaiver rejects a scope that cannot apply to the record.
func (r *record) checkWaiver() error {
	w := r.waiver
	switch {
	case w.err && !r.wantErr:
		return fmt.Errorf("an 'error' note on a record that expects no error")
	case r.wantErr && (len(w.cols) > 0 || len(w.rows) > 0):
		return fmt.Errorf("a col or row note on a record that expects an error")
	case w.unchecked && !r.query:
		return fmt.Errorf("an 'unchecked' note on a statement")
	case w.unchecked && (w.err || len(w.cols) > 0 || len(w.rows) > 0):
		return fmt.Errorf("an 'unchecked' note with other scopes")
	case w.unchecked && !citationRE.MatchString(r.note):
		return fmt.Errorf("an 'unchecked' note must cite its source (an https:// link)")
	case w.unchecked && r.duckSQL != "":
		return fmt.Errorf("an 'unchecked' record with '# duckdb:' SQL")
	}
	return nil
}
