// Package tpch holds what the TPC-H tools of the benchmarks module share: the
// names of the 22 queries and their SQL files in ../testdata/tpch, and running
// them in DuckDB. Answers, answer files, the queries' ORDER BY keys
// (testdata/tpch/order_keys.txt) and the rule by which two answers agree are
// the engine's internal/answers.
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
