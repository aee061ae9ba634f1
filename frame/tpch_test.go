package frame_test

import (
	"context"
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
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/values"
)

// tpch22Dir holds q01.sql ... q22.sql and answers/qNN.csv, DuckDB's answers
// over the embedded SF 0.01 sample tables (see testdata/tpch/README.md).
const tpch22Dir = "../testdata/tpch"

// tpch22Unsupported lists the queries gspark cannot run yet, with the reason
// (e.g. "q02": "correlated scalar subquery"); it is empty now that all 22 run.
// The test requires each listed query to fail with an error (or to pass
// tpch22Timeout), so a query that starts working must be removed from this map
// and is then checked against its answer.
var tpch22Unsupported = map[string]string{}

// tpch22Timeout bounds one run of a query: the supported ones take well under
// a second at SF 0.01, so a query over it counts as failing.
const tpch22Timeout = 15 * time.Second

// tpch22OrderKeys gives, for each query with an ORDER BY, the output columns it
// sorts on: rows with equal keys may come in any order. Queries without an
// ORDER BY are compared as multisets.
var tpch22OrderKeys = map[string][]int{
	"q01": {0, 1}, "q02": {0, 1, 2, 3}, "q03": {1, 2}, "q04": {0}, "q05": {1}, "q07": {0, 1, 2},
	"q08": {0}, "q09": {0, 1}, "q10": {2}, "q11": {1}, "q12": {0}, "q13": {0, 1}, "q15": {0},
	"q16": {0, 1, 2, 3}, "q18": {3, 4}, "q20": {0}, "q21": {0, 1}, "q22": {0},
}

// tpch22Cell is an answer cell in the canonical text of the answer files.
type tpch22Cell struct {
	null bool
	text string
	num  bool
	f    float64
	ulp  float64 // 10^-scale of a decimal: it may have been rounded by half of it
}

// TestTPCH22 runs the 22 TPC-H queries through the SQL API with 1 and 4
// partitions and compares each answer with DuckDB's.
func TestTPCH22(t *testing.T) {
	for q := 1; q <= 22; q++ {
		name := fmt.Sprintf("q%02d", q)
		text, err := os.ReadFile(filepath.Join(tpch22Dir, name+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := tpch22ReadAnswer(filepath.Join(tpch22Dir, "answers", name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		for _, parts := range []int{1, 4} {
			t.Run(fmt.Sprintf("%s/partitions=%d", name, parts), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer func() {
					if n := mem.CurrentAlloc(); n != 0 {
						t.Errorf("%d bytes still allocated after the query", n)
					}
				}()
				s := frame.NewSession(frame.WithPartitions(parts), frame.WithAllocator(mem))
				ctx, cancel := context.WithTimeout(context.Background(), tpch22Timeout)
				defer cancel()
				got, cols, err := tpch22Run(ctx, s, string(text))
				if reason, ok := tpch22Unsupported[name]; ok {
					if err == nil {
						t.Fatalf("listed as unsupported (%s) but ran: remove it from tpch22Unsupported", reason)
					}
					t.Logf("unsupported as expected (%s): %v", reason, err)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if cols != len(want[0]) {
					t.Fatalf("got %d columns, want %d (%v)", cols, len(want[0]), want[0])
				}
				if err := tpch22Compare(got, want[1:], tpch22OrderKeys[name]); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// tpch22Run runs a query and returns its rows as canonical cells and its number of columns.
func tpch22Run(ctx context.Context, s *frame.Session, query string) ([][]tpch22Cell, int, error) {
	df := s.SQL(query)
	if err := df.Err(); err != nil {
		return nil, 0, err
	}
	rows, err := df.Collect(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := make([][]tpch22Cell, len(rows))
	for i, r := range rows {
		out[i] = make([]tpch22Cell, len(r))
		for j, v := range r {
			if out[i][j], err = tpch22Value(v); err != nil {
				return nil, 0, fmt.Errorf("row %d column %d: %w", i, j, err)
			}
		}
	}
	return out, len(df.Columns()), nil
}

// tpch22Value converts a collected value to a canonical cell.
func tpch22Value(v any) (tpch22Cell, error) {
	switch x := v.(type) {
	case nil:
		return tpch22Cell{null: true}, nil
	case string:
		return tpch22Cell{text: x}, nil
	case int8, int16, int32, int64:
		n := tpch22Int(x)
		return tpch22Cell{text: strconv.FormatInt(n, 10), num: true, f: float64(n)}, nil
	case float32:
		return tpch22Float(float64(x)), nil
	case float64:
		return tpch22Float(x), nil
	case values.Decimal:
		return tpch22Cell{text: x.String(), num: true, f: x.Float64(), ulp: math.Pow10(-int(x.Scale))}, nil
	case time.Time:
		return tpch22Cell{text: x.Format(time.DateOnly)}, nil
	case bool:
		return tpch22Cell{text: strconv.FormatBool(x)}, nil
	}
	return tpch22Cell{}, fmt.Errorf("unexpected value type %T", v)
}

func tpch22Int(v any) int64 {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	}
	return v.(int64)
}

func tpch22Float(f float64) tpch22Cell {
	return tpch22Cell{text: strconv.FormatFloat(f, 'g', -1, 64), num: true, f: f}
}

// tpch22ReadAnswer reads an answer file: the header, then rows of cells; a
// NULL field is SQL NULL and a field that parses as a number is also a number.
func tpch22ReadAnswer(path string) ([][]tpch22Cell, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: no header", path)
	}
	out := make([][]tpch22Cell, len(recs))
	for i, r := range recs {
		out[i] = make([]tpch22Cell, len(r))
		for j, s := range r {
			c := tpch22Cell{text: s}
			if i > 0 && s == "NULL" {
				c = tpch22Cell{null: true}
			} else if i > 0 {
				if v, ok := new(big.Rat).SetString(s); ok && !strings.ContainsAny(s, "/") {
					c.num = true
					c.f, _ = v.Float64()
				}
			}
			out[i][j] = c
		}
	}
	return out, nil
}

func tpch22SameCell(a, b tpch22Cell) bool {
	if a.null || b.null {
		return a.null == b.null
	}
	if a.text == b.text {
		return true
	}
	if !a.num || !b.num {
		return false
	}
	tol := max(1e-6*max(math.Abs(a.f), math.Abs(b.f)), 1e-9) + 0.5*(a.ulp+b.ulp)
	return math.Abs(a.f-b.f) <= tol
}

func tpch22SameRow(a, b []tpch22Cell) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !tpch22SameCell(a[i], b[i]) {
			return false
		}
	}
	return true
}

func tpch22RowText(r []tpch22Cell) string {
	parts := make([]string, len(r))
	for i, c := range r {
		parts[i] = strconv.Quote(c.text)
		if c.null {
			parts[i] = "NULL"
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// tpch22Compare matches got against want row by row; within a run of want
// rows with equal ORDER BY keys (the whole answer when keys is nil) the rows
// may come in any order.
func tpch22Compare(got, want [][]tpch22Cell, keys []int) error {
	if len(got) != len(want) {
		return fmt.Errorf("got %d rows, want %d", len(got), len(want))
	}
	var errs []error
	for start := 0; start < len(want); {
		end := start + 1
		if keys == nil {
			end = len(want)
		}
		for end < len(want) && !slices.ContainsFunc(keys, func(k int) bool {
			return want[start][k].null != want[end][k].null || want[start][k].text != want[end][k].text
		}) {
			end++
		}
		used := make([]bool, end-start)
		for i := start; i < end; i++ {
			match := -1
			if !used[i-start] && tpch22SameRow(got[i], want[i]) {
				match = i - start
			}
			for j := 0; match < 0 && j < len(used); j++ {
				if !used[j] && tpch22SameRow(got[start+j], want[i]) {
					match = j
				}
			}
			if match < 0 {
				errs = append(errs, fmt.Errorf("row %d: want %s, got %s", i, tpch22RowText(want[i]), tpch22RowText(got[i])))
				if len(errs) == 10 {
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

// TestTPCH22CompareRules checks the comparison itself: ties in the ORDER BY
// keys may be permuted, other reorderings, changed values and rounding beyond
// a decimal's half unit are caught.
func TestTPCH22CompareRules(t *testing.T) {
	str := func(s string) tpch22Cell { return tpch22Cell{text: s} }
	num := func(s string, f, ulp float64) tpch22Cell { return tpch22Cell{text: s, num: true, f: f, ulp: ulp} }
	want := [][]tpch22Cell{
		{str("a"), num("1", 1, 0)},
		{str("b"), num("0.049728783", 0.049728783, 0)},
		{str("b"), num("7", 7, 0)},
		{str("c"), {null: true}},
	}
	keys := []int{0}
	swapped := [][]tpch22Cell{want[0], want[2], want[1], want[3]}
	rounded := [][]tpch22Cell{want[0], {str("b"), num("0.049729", 0.049729, 1e-6)}, want[2], want[3]}
	if err := tpch22Compare(swapped, want, keys); err != nil {
		t.Errorf("tie permuted: %v", err)
	}
	if err := tpch22Compare(rounded, want, keys); err != nil {
		t.Errorf("decimal rounded to its scale: %v", err)
	}
	bad := map[string][][]tpch22Cell{
		"order across keys": {want[1], want[0], want[2], want[3]},
		"value":             {want[0], want[1], {str("b"), num("7.01", 7.01, 0)}, want[3]},
		"null":              {want[0], want[1], want[2], {str("c"), num("0", 0, 0)}},
		"rounded too far":   {want[0], {str("b"), num("0.04975", 0.04975, 1e-5)}, want[2], want[3]},
		"rows":              want[:3],
		"duplicate":         {want[0], want[1], want[1], want[3]},
	}
	for name, got := range bad {
		if err := tpch22Compare(got, want, keys); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := tpch22Compare([][]tpch22Cell{want[3], want[1], want[0], want[2]}, want, nil); err != nil {
		t.Errorf("multiset without ORDER BY: %v", err)
	}
}
