package frame_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	"github.com/gspark/gspark/internal/answers"
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

// tpch22OrderKeys reads, for each query with an ORDER BY, the output columns
// it sorts on (testdata/tpch/order_keys.txt): rows with equal keys may come in
// any order. Queries without an ORDER BY are compared as multisets.
func tpch22OrderKeys(t *testing.T) map[string][]int {
	t.Helper()
	keys, err := answers.ReadOrderKeysFile(filepath.Join(tpch22Dir, answers.OrderKeysFile))
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// TestTPCH22 runs the 22 TPC-H queries through the SQL API with 1 and 4
// partitions and compares each answer with DuckDB's (internal/answers: exact
// for integers, decimals, strings and dates).
func TestTPCH22(t *testing.T) {
	orderKeys := tpch22OrderKeys(t)
	for q := 1; q <= 22; q++ {
		name := fmt.Sprintf("q%02d", q)
		text, err := os.ReadFile(filepath.Join(tpch22Dir, name+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := answers.ReadFile(filepath.Join(tpch22Dir, "answers", name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		for _, parts := range exectest.PartitionCounts(1, 4) {
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
				got, err := tpch22Run(ctx, s, string(text))
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
				if err := answers.Compare(got, want, orderKeys[name]); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// tpch22Run runs a query and returns its answer.
func tpch22Run(ctx context.Context, s *frame.Session, query string) (answers.Table, error) {
	df := s.SQL(query)
	if err := df.Err(); err != nil {
		return answers.Table{}, err
	}
	rows, err := df.Collect(ctx)
	if err != nil {
		return answers.Table{}, err
	}
	t := answers.Table{Rows: make([][]answers.Value, len(rows))}
	for _, name := range df.Columns() {
		t.Columns = append(t.Columns, answers.Column{Name: name})
	}
	for i, r := range rows {
		t.Rows[i] = make([]answers.Value, len(r))
		for j, v := range r {
			if t.Rows[i][j], err = answers.FromGo(v); err != nil {
				return answers.Table{}, fmt.Errorf("row %d column %d: %w", i, j, err)
			}
		}
	}
	return t, nil
}
