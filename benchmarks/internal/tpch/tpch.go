// Package tpch holds what the TPC-H tools of the benchmarks module share: the
// names of the 22 queries and their SQL files in ../testdata/tpch, the
// canonical text form of answer cells, the answer CSV files and the rule by
// which two answers agree.
package tpch

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Tables are the eight TPC-H tables, in the order the spec lists them.
var Tables = []string{"part", "supplier", "partsupp", "customer", "orders", "lineitem", "nation", "region"}

// QueryNames returns the names of the 22 queries, q01 to q22.
func QueryNames() []string {
	names := make([]string, 22)
	for i := range names {
		names[i] = fmt.Sprintf("q%02d", i+1)
	}
	return names
}

// LoadQuery reads the SQL text of query name (e.g. "q01") from dir.
func LoadQuery(dir, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, name+".sql"))
	if err != nil {
		return "", fmt.Errorf("query %s: %w", name, err)
	}
	return string(b), nil
}

// OrderKeys returns, for each query with an ORDER BY, the output columns its
// ORDER BY sorts on; rows whose key cells are equal may come in any order.
// A query missing from the map has no ORDER BY and is compared as a multiset.
func OrderKeys() map[string][]int {
	return map[string][]int{
		"q01": {0, 1}, "q02": {0, 1, 2, 3}, "q03": {1, 2}, "q04": {0}, "q05": {1}, "q07": {0, 1, 2},
		"q08": {0}, "q09": {0, 1}, "q10": {2}, "q11": {1}, "q12": {0}, "q13": {0, 1}, "q15": {0},
		"q16": {0, 1, 2, 3}, "q18": {3, 4}, "q20": {0}, "q21": {0, 1}, "q22": {0},
	}
}

// Cell is one value of an answer in canonical form.
type Cell struct {
	// Null marks SQL NULL; Text is then empty.
	Null bool
	// Text is the canonical text: integers plain, decimals with exactly their
	// scale's digits, floats in the shortest form that round-trips, dates
	// YYYY-MM-DD, strings as they are.
	Text string
	// Num marks a number; F is then its value as a float64.
	Num bool
	F   float64
	// Ulp is the unit in the last place of a decimal (10^-scale), 0 for
	// integers, floats and non-numbers; a decimal may have been rounded by half of it.
	Ulp float64
}

// Str makes a string (or date) cell.
func Str(s string) Cell { return Cell{Text: s} }

// Int makes an integer cell.
func Int(v int64) Cell { return Cell{Text: strconv.FormatInt(v, 10), Num: true, F: float64(v)} }

// BigInt makes an integer cell from a big integer.
func BigInt(v *big.Int) Cell {
	f, _ := new(big.Float).SetInt(v).Float64()
	return Cell{Text: v.String(), Num: true, F: f}
}

// Float makes a floating-point cell.
func Float(f float64) Cell {
	return Cell{Text: strconv.FormatFloat(f, 'g', -1, 64), Num: true, F: f}
}

// Decimal makes a cell for the decimal unscaled * 10^-scale, printed exactly.
func Decimal(unscaled *big.Int, scale int32) Cell {
	r := new(big.Rat).SetFrac(unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	f, _ := r.Float64()
	return Cell{Text: r.FloatString(int(scale)), Num: true, F: f, Ulp: math.Pow10(-int(scale))}
}

// Date makes a date cell.
func Date(t time.Time) Cell { return Cell{Text: t.Format(time.DateOnly)} }

// Table is an answer: column names and rows of cells.
type Table struct {
	Cols []string
	Rows [][]Cell
}

// NullText is how an answer file writes SQL NULL (no TPC-H answer holds this
// string; an empty field would make a one-column row a blank line, which CSV
// readers skip).
const NullText = "NULL"

// WriteCSV writes t to path as CSV: a header row, then one line per row with
// each cell's canonical text and NULL as NullText.
func WriteCSV(path string, t Table) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("answer %s: %w", path, err)
	}
	w := csv.NewWriter(f)
	err = w.Write(t.Cols)
	for _, r := range t.Rows {
		if err != nil {
			break
		}
		rec := make([]string, len(r))
		for i, c := range r {
			rec[i] = c.Text
			if c.Null {
				rec[i] = NullText
			}
		}
		err = w.Write(rec)
	}
	if err == nil {
		w.Flush()
		err = w.Error()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("answer %s: %w", path, err)
	}
	return nil
}

// Tolerance of numeric comparisons: relative, and absolute for values near 0.
const (
	RelTol = 1e-6
	AbsTol = 1e-9
)

// SameCell reports whether two cells agree: text equal, or both numbers within
// RelTol relative or AbsTol absolute, widened by half the last unit of a
// decimal side (which may have been rounded to its scale).
func SameCell(a, b Cell) bool {
	if a.Null || b.Null {
		return a.Null == b.Null
	}
	if a.Text == b.Text {
		return true
	}
	if !a.Num || !b.Num {
		return false
	}
	diff := math.Abs(a.F - b.F)
	tol := max(RelTol*max(math.Abs(a.F), math.Abs(b.F)), AbsTol) + 0.5*(a.Ulp+b.Ulp)
	return diff <= tol
}

func sameRow(a, b []Cell) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !SameCell(a[i], b[i]) {
			return false
		}
	}
	return true
}

func rowText(r []Cell) string {
	parts := make([]string, len(r))
	for i, c := range r {
		if c.Null {
			parts[i] = "NULL"
		} else {
			parts[i] = strconv.Quote(c.Text)
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// Compare returns nil when got agrees with want: same number of rows and
// columns, and the rows matched one to one (SameCell on every cell). With keys
// (the ORDER BY columns) rows are compared in order, except that within a run
// of want rows with equal key cells the rows may come in any order; with nil
// keys the whole answer is one run (a multiset).
func Compare(got, want Table, keys []int) error {
	if len(got.Rows) != len(want.Rows) {
		return fmt.Errorf("got %d rows, want %d", len(got.Rows), len(want.Rows))
	}
	if len(got.Cols) != len(want.Cols) {
		return fmt.Errorf("got %d columns %v, want %d %v", len(got.Cols), got.Cols, len(want.Cols), want.Cols)
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
			found := false
			// The row at the same position first: the common, ordered case.
			if j := i - start; !used[j] && sameRow(got.Rows[i], want.Rows[i]) {
				used[j], found = true, true
			}
			for j := range used {
				if found {
					break
				}
				if !used[j] && sameRow(got.Rows[start+j], want.Rows[i]) {
					used[j], found = true, true
				}
			}
			if !found {
				errs = append(errs, fmt.Errorf("row %d: want %s, got %s", i, rowText(want.Rows[i]), rowText(got.Rows[i])))
				if len(errs) == 10 {
					return errors.Join(append(errs, errors.New("..."))...)
				}
			}
		}
		start = end
	}
	return errors.Join(errs...)
}

func sameKeys(a, b []Cell, keys []int) bool {
	return !slices.ContainsFunc(keys, func(k int) bool { return a[k].Null != b[k].Null || a[k].Text != b[k].Text })
}
