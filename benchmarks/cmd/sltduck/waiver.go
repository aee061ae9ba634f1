package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// waiver is what the "# spark:" notes of a record allow DuckDB's answer to
// differ in. A note starts with a scope and a colon:
//
//	# spark: col 2: ...        the values of result column 2 (cols 2, 4 / cols 2-3)
//	# spark: row 3: ...        result line 3 of the block (rows 3-4 / rows 1, 5)
//	# spark: error: ...        Spark raises an error where DuckDB answers
//	# spark: unchecked: ...    DuckDB cannot run the query; the note cites a source
//
// Lines and columns count from 1, in the block as written (after the sort
// mode). A note without a scope documents a rule and waives nothing; further
// "# spark:" lines without a scope continue the explanation.
type waiver struct {
	cols, rows []int // 1-based, sorted, without duplicates
	err        bool  // Spark fails; DuckDB answers
	unchecked  bool  // DuckDB does not run the query
}

func (w waiver) empty() bool {
	return len(w.cols) == 0 && len(w.rows) == 0 && !w.err && !w.unchecked
}

// scopeRE matches the scope at the start of a note: a keyword, for col(s) and
// row(s) a list of numbers and ranges, then a colon.
var scopeRE = regexp.MustCompile(`^(cols?|rows?|error|unchecked)\b\s*([0-9][0-9,\s-]*)?:\s*(.*)$`)

// citationRE is what the notes of an unchecked record must contain: a link to
// the source (Spark's documentation) that the expected answer rests on.
var citationRE = regexp.MustCompile(`https?://\S+`)

// addNote parses one "# spark:" line into w. It returns the explanation (the
// text after the scope), or an error for a malformed scope.
func (w *waiver) addNote(note string) (string, error) {
	m := scopeRE.FindStringSubmatch(note)
	if m == nil {
		return note, nil
	}
	kind, list, text := m[1], strings.TrimSpace(m[2]), strings.TrimSpace(m[3])
	if text == "" {
		return "", fmt.Errorf("%q: the scope needs an explanation after the colon", note)
	}
	switch kind {
	case "error", "unchecked":
		if list != "" {
			return "", fmt.Errorf("%q: %s takes no numbers", note, kind)
		}
		if kind == "error" {
			w.err = true
		} else {
			w.unchecked = true
		}
		return text, nil
	}
	if list == "" {
		return "", fmt.Errorf("%q: %s needs numbers, as in '%s 2' or '%s 2-3'", note, kind, kind, kind)
	}
	nums, err := parseNumbers(list)
	if err != nil {
		return "", fmt.Errorf("%q: %v", note, err)
	}
	if strings.HasPrefix(kind, "col") {
		w.cols = merge(w.cols, nums)
	} else {
		w.rows = merge(w.rows, nums)
	}
	return text, nil
}

// parseNumbers reads "2", "2, 4" or "2-3, 5" as a list of positive numbers.
func parseNumbers(list string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(strings.TrimSpace(lo))
		if err != nil || a < 1 {
			return nil, fmt.Errorf("bad number %q", part)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil || b < a {
				return nil, fmt.Errorf("bad range %q", part)
			}
		}
		for n := a; n <= b; n++ {
			out = append(out, n)
		}
	}
	return out, nil
}

func merge(a, b []int) []int {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// compare checks DuckDB's lines against the expected ones under the waiver
// of cols and rows. It returns "" when they are equal, and otherwise whether
// the waiver covers every difference (waived) and a description of what
// differs outside it or of a named column or row that does not differ (an
// over-broad note is an error too).
func (w waiver) compare(expected, got []string, sortMode string) (problem string, waived bool) {
	if slices.Equal(expected, got) {
		if len(w.cols) > 0 || len(w.rows) > 0 {
			return "the note waives differences but DuckDB agrees", false
		}
		return "", false
	}
	if len(w.cols) == 0 && len(w.rows) == 0 {
		return "answers differ", false
	}
	var problems []string
	exp, dk := expected, got
	if len(w.rows) > 0 {
		for _, r := range w.rows {
			if r > max(len(expected), len(got)) {
				problems = append(problems, fmt.Sprintf("row %d is past the end of both answers", r))
			} else if line(expected, r) == line(got, r) && r <= len(expected) && r <= len(got) {
				problems = append(problems, fmt.Sprintf("row %d is waived but does not differ", r))
			}
		}
		exp, dk = dropRows(expected, w.rows), dropRows(got, w.rows)
	}
	if len(w.cols) > 0 {
		if sortMode == "valuesort" {
			return "a column waiver does not apply under valuesort", false
		}
		if len(exp) != len(dk) {
			problems = append(problems, fmt.Sprintf("%d rows expected, DuckDB has %d (outside the waived rows)", len(exp), len(dk)))
		} else {
			differs := map[int]bool{}
			for i := range exp {
				e, g := strings.Split(exp[i], "\t"), strings.Split(dk[i], "\t")
				if len(e) != len(g) {
					problems = append(problems, fmt.Sprintf("row %d: %d columns expected, DuckDB has %d", i+1, len(e), len(g)))
					continue
				}
				for c := range e {
					if e[c] == g[c] {
						continue
					}
					if slices.Contains(w.cols, c+1) {
						differs[c+1] = true
					} else {
						problems = append(problems, fmt.Sprintf("row %d, column %d differs and is not waived: %s vs DuckDB %s", i+1, c+1, e[c], g[c]))
					}
				}
			}
			for _, c := range w.cols {
				if !differs[c] {
					problems = append(problems, fmt.Sprintf("column %d is waived but does not differ", c))
				}
			}
		}
	} else if !slices.Equal(exp, dk) {
		problems = append(problems, "rows outside the waived ones differ")
	}
	if len(problems) > 0 {
		return strings.Join(problems, "; "), false
	}
	return "", true
}

func line(lines []string, n int) string {
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// dropRows returns lines without the 1-based rows.
func dropRows(lines []string, rows []int) []string {
	var out []string
	for i, l := range lines {
		if !slices.Contains(rows, i+1) {
			out = append(out, l)
		}
	}
	return out
}
