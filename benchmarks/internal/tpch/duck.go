package tpch

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

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

// DuckQuery runs query and returns its answer in canonical cells.
func DuckQuery(ctx context.Context, q Querier, query string) (Table, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return Table{}, fmt.Errorf("duckdb: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return Table{}, fmt.Errorf("duckdb columns: %w", err)
	}
	t := Table{Cols: cols}
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return Table{}, fmt.Errorf("duckdb scan: %w", err)
		}
		row := make([]Cell, len(cols))
		for i, v := range raw {
			if row[i], err = DuckCell(v); err != nil {
				return Table{}, fmt.Errorf("duckdb column %s: %w", cols[i], err)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return Table{}, fmt.Errorf("duckdb rows: %w", err)
	}
	return t, nil
}

// DuckCell converts a value of the DuckDB driver to a canonical cell.
func DuckCell(v any) (Cell, error) {
	switch x := v.(type) {
	case nil:
		return Cell{Null: true}, nil
	case string:
		return Str(x), nil
	case bool:
		return Str(fmt.Sprint(x)), nil
	case int8:
		return Int(int64(x)), nil
	case int16:
		return Int(int64(x)), nil
	case int32:
		return Int(int64(x)), nil
	case int64:
		return Int(x), nil
	case uint32:
		return Int(int64(x)), nil
	case uint64:
		return BigInt(new(big.Int).SetUint64(x)), nil
	case float32:
		return Float(float64(x)), nil
	case float64:
		return Float(x), nil
	case *big.Int:
		return BigInt(x), nil
	case duckdb.Decimal:
		return Decimal(x.Value, int32(x.Scale)), nil
	case time.Time:
		return Date(x), nil
	default:
		return Cell{}, fmt.Errorf("unsupported DuckDB value type %T", v)
	}
}
