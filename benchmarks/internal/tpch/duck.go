package tpch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/gspark/gspark/internal/answers"
)

// OpenDuck opens an in-memory DuckDB database and one connection to it;
// closeDB closes the connection and then the database.
func OpenDuck(ctx context.Context) (conn *sql.Conn, closeDB func() error, err error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, nil, fmt.Errorf("open duckdb: %w", err)
	}
	conn, err = db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("duckdb connection: %w", err)
	}
	return conn, func() error { return errors.Join(conn.Close(), db.Close()) }, nil
}

// Querier is what DuckQuery needs of a DuckDB connection (*sql.Conn or *sql.DB).
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// DuckViews creates (or replaces) one DuckDB view per TPC-H table over
// dir/<table>.parquet, so that the queries' plain table names resolve.
func DuckViews(ctx context.Context, q Querier, dir string) error {
	for _, t := range Tables {
		stmt := fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT * FROM read_parquet(%s)", t, sqlString(filepath.Join(dir, t+".parquet")))
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("duckdb view %s: %w", t, err)
		}
	}
	return nil
}

// DuckVersion returns DuckDB's version string.
func DuckVersion(ctx context.Context, q Querier) (string, error) {
	rows, err := q.QueryContext(ctx, "SELECT version()")
	if err != nil {
		return "", fmt.Errorf("duckdb version: %w", err)
	}
	defer rows.Close()
	var v string
	if rows.Next() {
		if err := rows.Scan(&v); err != nil {
			return "", fmt.Errorf("duckdb version: %w", err)
		}
	}
	return v, rows.Err()
}

// DuckQuery runs query and returns its answer, each column typed with
// DuckDB's name of its type (e.g. DECIMAL(38,2), DOUBLE, VARCHAR).
func DuckQuery(ctx context.Context, q Querier, query string) (answers.Table, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return answers.Table{}, fmt.Errorf("duckdb: %w", err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return answers.Table{}, fmt.Errorf("duckdb columns: %w", err)
	}
	t := answers.Table{Columns: make([]answers.Column, len(types))}
	kinds := make([]answers.Kind, len(types))
	for i, ct := range types {
		t.Columns[i] = answers.Column{Name: ct.Name(), Type: ct.DatabaseTypeName()}
		if kinds[i], err = answers.KindOf(ct.DatabaseTypeName()); err != nil {
			return answers.Table{}, fmt.Errorf("duckdb column %s: %w", ct.Name(), err)
		}
	}
	raw := make([]any, len(types))
	ptrs := make([]any, len(types))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return answers.Table{}, fmt.Errorf("duckdb scan: %w", err)
		}
		row := make([]answers.Value, len(types))
		for i, v := range raw {
			if row[i], err = DuckValue(v, kinds[i]); err != nil {
				return answers.Table{}, fmt.Errorf("duckdb column %s: %w", t.Columns[i].Name, err)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return answers.Table{}, fmt.Errorf("duckdb rows: %w", err)
	}
	return t, nil
}

// DuckValue converts a value of the DuckDB driver in a column of the given
// kind to an answer value: DuckDB's decimals exactly, a time in a DATE or
// TIMESTAMP column as a date or timestamp, everything else as answers.FromGo does.
func DuckValue(v any, kind answers.Kind) (answers.Value, error) {
	switch x := v.(type) {
	case duckdb.Decimal:
		if x.Value == nil {
			return answers.Value{}, errors.New("DuckDB decimal without a value")
		}
		return answers.Decimal(x.Value, int32(x.Scale)), nil
	case time.Time:
		switch kind {
		case answers.KindDate:
			return answers.Date(x), nil
		case answers.KindTimestamp:
			return answers.Timestamp(x), nil
		}
	}
	return answers.FromGo(v)
}
