// Command tpchanswers writes the golden answers of the TPC-H queries: it runs
// each ../testdata/tpch/qNN.sql in DuckDB and writes qNN.csv, an answer file
// of package internal/answers (see ../testdata/tpch/README.md).
//
// By default the tables are the engine's embedded SF 0.01 sample tables
// (../samples/data/<table>.parquet) and the answers go to
// ../testdata/tpch/answers. With -sf the tables are generated at that scale
// factor by samples/tpchgen (as the tests generate them) into a temporary
// directory. Run from the benchmarks directory:
//
//	go run ./cmd/tpchanswers
//	go run ./cmd/tpchanswers -sf 0.1 -skip q11,q16 -out ../testdata/tpch/answers_sf0.1
package main

import (
	"context"

	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/gspark/gspark/benchmarks/internal/tpch"
	"github.com/gspark/gspark/internal/answers"
	"github.com/gspark/gspark/samples/tpchgen"
)

// rowGroupRows is the Parquet row group size of generated tables (that of
// samples/gen and of the tests; it does not change the rows).
const rowGroupRows = 16384

func main() {
	data := flag.String("data", "../samples/data", "directory of the tables' Parquet files (without -sf)")
	sf := flag.Float64("sf", 0, "generate the tables at this scale factor with samples/tpchgen instead of reading -data")
	only := flag.String("only", "", "comma-separated queries to answer (e.g. q17,q18); all 22 when empty")
	skip := flag.String("skip", "", "comma-separated queries not to answer")
	queries := flag.String("queries", "../testdata/tpch", "directory of qNN.sql")
	out := flag.String("out", "../testdata/tpch/answers", "directory the answers are written to")
	flag.Parse()
	names, err := selectQueries(*only, *skip)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tpchanswers:", err)
		os.Exit(2)
	}
	if err := run(context.Background(), *data, *sf, names, *queries, *out); err != nil {
		fmt.Fprintln(os.Stderr, "tpchanswers:", err)
		os.Exit(1)
	}
}

// selectQueries returns the queries listed in only (all 22 when empty) minus
// those listed in skip; both are comma-separated names q01..q22.
func selectQueries(only, skip string) ([]string, error) {
	all := tpch.QueryNames()
	split := func(list string) ([]string, error) {
		if list == "" {
			return nil, nil
		}
		names := strings.Split(list, ",")
		for _, n := range names {
			if !slices.Contains(all, n) {
				return nil, fmt.Errorf("unknown query %q (want q01..q22)", n)
			}
		}
		return names, nil
	}
	names, err := split(only)
	if err != nil {
		return nil, err
	}
	if names == nil {
		names = all
	}
	skipped, err := split(skip)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(names, func(n string) bool { return slices.Contains(skipped, n) }), nil
}

func run(ctx context.Context, data string, sf float64, names []string, queries, out string) error {
	if sf > 0 {
		tmp, err := os.MkdirTemp("", "tpchanswers-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		if err := tpchgen.WriteParquet(ctx, tmp, sf, rowGroupRows); err != nil {
			return err
		}
		data = tmp
		fmt.Printf("generated SF %g with samples/tpchgen\n", sf)
	}
	conn, closeDuck, err := tpch.OpenDuck(ctx)
	if err != nil {
		return err
	}
	defer closeDuck()
	if err := tpch.DuckViews(ctx, conn, data); err != nil {
		return err
	}
	version, err := tpch.DuckVersion(ctx, conn)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("answers directory: %w", err)
	}
	for _, name := range names {
		q, err := tpch.LoadQuery(queries, name)
		if err != nil {
			return err
		}
		t, err := tpch.DuckQuery(ctx, conn, q)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		path := filepath.Join(out, name+".csv")
		if err := answers.WriteFile(path, t); err != nil {
			return err
		}
		fmt.Printf("%s: %d rows -> %s\n", name, len(t.Rows), path)
	}
	fmt.Printf("DuckDB %s\n", version)
	return nil
}
