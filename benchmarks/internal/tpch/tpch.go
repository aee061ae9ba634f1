// Package tpch holds what the TPC-H tools of the benchmarks module share: the
// names of the 22 queries and their SQL files in ../testdata/tpch, their
// ORDER BY keys, and running them in DuckDB. Answers, answer files and the
// rule by which two answers agree are the engine's internal/answers.
package tpch

import (
	"fmt"
	"os"
	"path/filepath"
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
