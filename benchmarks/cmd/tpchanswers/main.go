// Command tpchanswers writes the golden answers of the 22 TPC-H queries: it
// runs each ../testdata/tpch/qNN.sql in DuckDB over the engine's embedded SF
// 0.01 sample tables (../samples/data/<table>.parquet) and writes
// ../testdata/tpch/answers/qNN.csv (see ../testdata/tpch/README.md).
//
// Run from the benchmarks directory:
//
//	go run ./cmd/tpchanswers
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/gspark/gspark/benchmarks/internal/tpch"
	"github.com/gspark/gspark/internal/answers"
)

func main() {
	data := flag.String("data", "../samples/data", "directory of the tables' Parquet files")
	queries := flag.String("queries", "../testdata/tpch", "directory of qNN.sql")
	out := flag.String("out", "../testdata/tpch/answers", "directory the answers are written to")
	flag.Parse()
	if err := run(context.Background(), *data, *queries, *out); err != nil {
		fmt.Fprintln(os.Stderr, "tpchanswers:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, data, queries, out string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("open duckdb: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("duckdb connection: %w", err)
	}
	defer conn.Close()
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
	for _, name := range tpch.QueryNames() {
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
