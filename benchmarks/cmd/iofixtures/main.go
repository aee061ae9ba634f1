// Command iofixtures writes the reader regression files under testdata/io
// with DuckDB, checks that DuckDB chose the encodings and codecs each file is
// meant to exercise, and prints what DuckDB reads back from each file (the
// values the gspark tests expect).
//
//	go run ./cmd/iofixtures -out ../testdata/io
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2"
)

// fixture is one file: the statement that writes it ({path} for the path)
// and, for Parquet files, the encoding and codec its columns must use.
type fixture struct {
	name     string
	sql      string
	encoding string // substring every column chunk's encodings must contain
	codec    string
}

// lz4Rows are poorly compressible rows (md5 hex digests) so that LZ4_RAW
// pages compress by less than 3x, with nulls in the nullable columns.
const lz4Rows = `SELECT i::INTEGER AS id,
       md5(i::VARCHAR) AS s,
       CASE WHEN i % 5 = 0 THEN NULL ELSE md5((i * 31)::VARCHAR) END AS sn,
       CASE WHEN i % 3 = 0 THEN NULL ELSE i::BIGINT * 1000003 - 500000000 END AS n
FROM range(1000) r(i)`

// typeRows are the rows of the conformance corpus's DuckDB files: every flat
// type gspark reads, a null in every seventh row of the nullable columns, a
// low-cardinality string column (dictionary encoded) and a high one.
const typeRows = `SELECT i::INTEGER AS id,
       CASE WHEN i % 7 = 1 THEN NULL ELSE i % 3 = 1 END AS b,
       (i % 200 - 100)::TINYINT AS i8,
       (i * 37 % 60000 - 30000)::SMALLINT AS i16,
       CASE WHEN i % 7 = 2 THEN NULL ELSE (i * 1000003 % 2000000000 - 1000000000)::INTEGER END AS i32,
       (i::BIGINT * 4611686018427 - 4611686018427387)::BIGINT AS i64,
       (i % 256)::UTINYINT AS u8,
       (i * 37 % 65536)::USMALLINT AS u16,
       (i::BIGINT * 2147483 % 4294967296)::UINTEGER AS u32,
       (i::HUGEINT * 9223372036854775 % 18446744073709551616)::UBIGINT AS u64,
       CASE WHEN i % 7 = 3 THEN NULL ELSE (i / 7.0)::FLOAT END AS f32,
       (i / 13.0 - 50)::DOUBLE AS f64,
       CASE WHEN i % 7 = 4 THEN NULL ELSE (i * 1.25 - 100)::DECIMAL(9,2) END AS d9,
       (i * 1000.125 - 7)::DECIMAL(18,3) AS d18,
       (i * 123456789.1234 - 99999)::DECIMAL(38,4) AS d38,
       'group ' || (i % 17) AS s_dict,
       CASE WHEN i % 7 = 5 THEN NULL ELSE md5(i::VARCHAR) END AS s,
       CASE WHEN i % 7 = 6 THEN NULL ELSE md5(i::VARCHAR)::BLOB END AS bl,
       DATE '1969-12-01' + i::INTEGER AS d,
       TIME '00:00:01' + INTERVAL (i * 997) SECOND AS t,
       TIMESTAMP '1969-12-31 12:00:00' + INTERVAL (i * 123457) SECOND AS ts,
       (TIMESTAMP_NS '2020-01-01 00:00:00' + INTERVAL (i * 1000003) MICROSECOND) AS ts_ns,
       CASE WHEN i % 7 = 0 THEN NULL ELSE TIMESTAMPTZ '2000-01-01 00:00:00+00' + INTERVAL (i * 3) HOUR END AS tstz
FROM range(2000) r(i)`

// csvRows are the rows of the compressed CSV and JSON lines files.
const csvRows = `SELECT i::INTEGER AS id, 'name ' || i AS name, i * 0.5 AS score
FROM range(100) r(i)`

var fixtures = []fixture{
	{
		name:     "parquet/delta_int32_v2.parquet",
		sql:      `COPY (SELECT * FROM (VALUES (2147483647), (-2147483648), (0), (5)) t(x)) TO '{path}' (FORMAT parquet, PARQUET_VERSION V2)`,
		encoding: "DELTA_BINARY_PACKED",
	},
	{
		name: "parquet/delta_extremes_v2.parquet",
		sql: `COPY (SELECT
    (CASE WHEN i % 2 = 0 THEN 2147483647 - i ELSE -2147483648 + i END)::INTEGER AS i32,
    CASE WHEN i % 7 = 3 THEN NULL ELSE
        (CASE WHEN i % 2 = 0 THEN 9223372036854775807 - i ELSE -9223372036854775808 + i END)::BIGINT END AS i64
FROM range(300) r(i)) TO '{path}' (FORMAT parquet, PARQUET_VERSION V2)`,
		encoding: "DELTA_BINARY_PACKED",
	},
	{
		name:  "parquet/lz4_v1.parquet",
		sql:   `COPY (` + lz4Rows + `) TO '{path}' (FORMAT parquet, COMPRESSION lz4)`,
		codec: "LZ4_RAW",
	},
	{
		name:  "parquet/lz4_v2.parquet",
		sql:   `COPY (SELECT *, NULL::VARCHAR AS allnull FROM (` + lz4Rows + `)) TO '{path}' (FORMAT parquet, COMPRESSION lz4, PARQUET_VERSION V2)`,
		codec: "LZ4_RAW",
	},
	{name: "parquet/duckdb_types_snappy_v1.parquet", sql: `COPY (` + typeRows + `) TO '{path}' (FORMAT parquet, COMPRESSION snappy)`, codec: "SNAPPY"},
	{name: "parquet/duckdb_types_gzip_v2.parquet", sql: `COPY (` + typeRows + `) TO '{path}' (FORMAT parquet, COMPRESSION gzip, PARQUET_VERSION V2)`, codec: "GZIP"},
	{name: "parquet/duckdb_types_zstd_v2.parquet", sql: `COPY (` + typeRows + `) TO '{path}' (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION V2)`, codec: "ZSTD"},
	{name: "parquet/duckdb_types_brotli_v1.parquet", sql: `COPY (` + typeRows + `) TO '{path}' (FORMAT parquet, COMPRESSION brotli)`, codec: "BROTLI"},
	{name: "parquet/duckdb_types_lz4_v2.parquet", sql: `COPY (` + typeRows + `) TO '{path}' (FORMAT parquet, COMPRESSION lz4, PARQUET_VERSION V2)`, codec: "LZ4_RAW"},
	{name: "parquet/duckdb_types_uncompressed_v1.parquet", sql: `COPY (` + typeRows + `) TO '{path}' (FORMAT parquet, COMPRESSION uncompressed)`, codec: "UNCOMPRESSED"},
	{name: "csv/rows.csv.gz", sql: `COPY (` + csvRows + `) TO '{path}' (FORMAT csv, HEADER, COMPRESSION gzip)`},
	{name: "csv/rows.csv.zst", sql: `COPY (` + csvRows + `) TO '{path}' (FORMAT csv, HEADER, COMPRESSION zstd)`},
	{name: "json/rows.json.gz", sql: `COPY (` + csvRows + `) TO '{path}' (FORMAT json, COMPRESSION gzip)`},
	{name: "json/rows.json.zst", sql: `COPY (` + csvRows + `) TO '{path}' (FORMAT json, COMPRESSION zstd)`},
}

func main() {
	out := flag.String("out", "../testdata/io", "directory to write the files into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "iofixtures:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("open duckdb: %w", err)
	}
	defer db.Close()
	var version string
	if err := db.QueryRow("SELECT version()").Scan(&version); err != nil {
		return fmt.Errorf("duckdb version: %w", err)
	}
	fmt.Println("DuckDB", version)
	for _, f := range fixtures {
		path := filepath.Join(out, f.name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return err
		}
		if _, err := db.Exec(strings.ReplaceAll(f.sql, "{path}", path)); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if strings.HasSuffix(f.name, ".parquet") {
			if err := checkParquet(db, path, f); err != nil {
				return fmt.Errorf("%s: %w", f.name, err)
			}
		}
		fmt.Println("wrote", path)
	}
	// A gzip file under a name that says nothing of the compression.
	gz, err := os.ReadFile(filepath.Join(out, "csv/rows.csv.gz"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "csv/gzip_named.csv"), gz, 0o644); err != nil {
		return err
	}
	fmt.Println("wrote", filepath.Join(out, "csv/gzip_named.csv"), "(a copy of csv/rows.csv.gz)")
	// Files copied from apache/parquet-testing: only DuckDB's reading.
	for _, name := range []string{"parquet/lz4_raw_compressed.parquet", "parquet/lz4_raw_compressed_larger.parquet"} {
		path := filepath.Join(out, name)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		fmt.Println("copied", path)
		if err := printDigest(db, path); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// checkParquet fails unless every column chunk uses f's encoding and codec,
// then prints DuckDB's reading of the file.
func checkParquet(db *sql.DB, path string, f fixture) error {
	rows, err := db.Query(`SELECT path_in_schema, type, encodings, compression FROM parquet_metadata(?)`, path)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var col, typ, enc, codec string
		if err := rows.Scan(&col, &typ, &enc, &codec); err != nil {
			return err
		}
		fmt.Printf("  column %s %s encodings %s codec %s\n", col, typ, enc, codec)
		if f.encoding != "" && !strings.Contains(enc, f.encoding) {
			return fmt.Errorf("column %s: DuckDB chose %s, not %s", col, enc, f.encoding)
		}
		if f.codec != "" && codec != f.codec {
			return fmt.Errorf("column %s: DuckDB chose %s, not %s", col, codec, f.codec)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return printDigest(db, path)
}

// printDigest prints DuckDB's row count and the md5 of the file's rows in
// file order, each row's values cast to VARCHAR (NULL as \N) joined by '|',
// rows joined by '\n'.
func printDigest(db *sql.DB, path string) error {
	cols, err := db.Query(`SELECT name FROM parquet_schema(?) WHERE num_children IS NULL`, path)
	if err != nil {
		return err
	}
	var parts []string
	for cols.Next() {
		var name string
		if err := cols.Scan(&name); err != nil {
			cols.Close()
			return err
		}
		parts = append(parts, fmt.Sprintf(`coalesce(CAST("%s" AS VARCHAR), '\N')`, name))
	}
	cols.Close()
	q := fmt.Sprintf(`SELECT count(*), md5(string_agg(%s, chr(10) ORDER BY file_row_number))
FROM read_parquet(?, file_row_number = true)`, strings.Join(parts, ` || '|' || `))
	var n int64
	var sum string
	if err := db.QueryRow(q, path).Scan(&n, &sum); err != nil {
		return err
	}
	fmt.Printf("  DuckDB reads %d rows, md5 %s\n", n, sum)
	return nil
}
