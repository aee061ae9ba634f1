package answers

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Tolerance of a comparison where a side is floating point: relative, and
// absolute for values near zero. A decimal side adds half a unit in its last
// place (it may have been rounded to its scale, e.g. Spark's avg of a decimal
// against DuckDB's double).
const (
	RelTol = 1e-9
	AbsTol = 1e-12
)

// Same reports whether two values agree. NULL agrees only with NULL. When a
// side is floating point and the other a number, they agree within RelTol
// relative or AbsTol absolute, plus half a unit in the last place of a decimal
// side; NaN agrees with NaN and an infinity with itself. Two exact numbers
// (integers, decimals) agree only when equal in value (1.50 and 1.5 agree,
// 1.50 and 1.51 do not). Strings, booleans, dates and timestamps agree with a
// value of the same kind and the same text. Other pairs disagree.
func Same(a, b Value) bool {
	switch {
	case a.null || b.null:
		return a.null && b.null
	case a.kind == KindFloat || b.kind == KindFloat:
		return a.kind.numeric() && b.kind.numeric() && closeFloat(a, b)
	case a.kind.exact() && b.kind.exact():
		return a.num.Cmp(b.num) == 0
	}
	return a.kind == b.kind && a.text == b.text
}

func closeFloat(a, b Value) bool {
	x, y := a.float(), b.float()
	switch {
	case math.IsNaN(x) || math.IsNaN(y):
		return math.IsNaN(x) && math.IsNaN(y)
	case math.IsInf(x, 0) || math.IsInf(y, 0):
		return x == y
	}
	tol := max(RelTol*max(math.Abs(x), math.Abs(y)), AbsTol) + a.halfUnit() + b.halfUnit()
	return math.Abs(x-y) <= tol
}

// identical reports whether two values are the same without any tolerance
// (used to find runs of equal ORDER BY keys within one answer).
func identical(a, b Value) bool {
	switch {
	case a.null || b.null:
		return a.null && b.null
	case a.kind.exact() && b.kind.exact():
		return a.num.Cmp(b.num) == 0
	case a.kind == KindFloat && b.kind == KindFloat:
		return a.f == b.f || (math.IsNaN(a.f) && math.IsNaN(b.f))
	}
	return a.kind == b.kind && a.text == b.text
}

// Column is a column of an answer: its name and its SQL type as the engine
// that produced it names it ("" when unknown; answer files always have one).
type Column struct {
	Name string
	Type string
}

// Table is an answer: columns and rows, in the order the engine returned them.
type Table struct {
	Columns []Column
	Rows    [][]Value
}

// Names returns the column names.
func (t Table) Names() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

func sameRow(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Same(a[i], b[i]) {
			return false
		}
	}
	return true
}

// RowString formats a row for messages: strings quoted, NULL bare.
func RowString(r []Value) string {
	parts := make([]string, len(r))
	for i, v := range r {
		switch {
		case v.null:
			parts[i] = NullText
		case v.kind == KindString:
			parts[i] = strconv.Quote(v.text)
		default:
			parts[i] = v.String()
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// maxErrors bounds the differences Compare lists.
const maxErrors = 10

// Compare returns nil when got agrees with want: the same number of columns
// and of rows, and the rows matched one to one with Same on every cell
// (column names are not compared). keys are the columns the query's ORDER BY
// sorts on: rows are compared in order, except that within a run of want rows
// whose key values are identical the rows may come in any order. With nil
// keys the whole answer is one run (a multiset: the query has no ORDER BY).
func Compare(got, want Table, keys []int) error {
	if len(got.Columns) != len(want.Columns) {
		return fmt.Errorf("got %d columns %v, want %d %v", len(got.Columns), got.Names(), len(want.Columns), want.Names())
	}
	for _, k := range keys {
		if k < 0 || k >= len(want.Columns) {
			return fmt.Errorf("order key %d out of range of %d columns", k, len(want.Columns))
		}
	}
	if len(got.Rows) != len(want.Rows) {
		return fmt.Errorf("got %d rows, want %d", len(got.Rows), len(want.Rows))
	}
	var errs []error
	for start := 0; start < len(want.Rows); {
		end := start + 1
		if keys == nil {
			end = len(want.Rows)
		}
		for end < len(want.Rows) && sameKeys(want.Rows[start], want.Rows[end], keys) {
			end++
		}
		used := make([]bool, end-start)
		for i := start; i < end; i++ {
			// The row at the same position first: the common, ordered case.
			match := -1
			if j := i - start; !used[j] && sameRow(got.Rows[i], want.Rows[i]) {
				match = j
			}
			for j := 0; match < 0 && j < len(used); j++ {
				if !used[j] && sameRow(got.Rows[start+j], want.Rows[i]) {
					match = j
				}
			}
			if match < 0 {
				errs = append(errs, fmt.Errorf("row %d: want %s, got %s", i, RowString(want.Rows[i]), RowString(got.Rows[i])))
				if len(errs) == maxErrors {
					return errors.Join(append(errs, errors.New("..."))...)
				}
				continue
			}
			used[match] = true
		}
		start = end
	}
	return errors.Join(errs...)
}

func sameKeys(a, b []Value, keys []int) bool {
	return !slices.ContainsFunc(keys, func(k int) bool { return !identical(a[k], b[k]) })
}
