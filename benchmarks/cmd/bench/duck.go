package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/gspark/gspark/benchmarks/internal/tpch"
	"github.com/gspark/gspark/internal/answers"
)

// q1SQL and q6SQL are TPC-H Q1 and Q6 over one lineitem Parquet file (%s is the quoted path).
const (
	q1SQL = `SELECT l_returnflag, l_linestatus,
  sum(l_quantity) AS sum_qty,
  sum(l_extendedprice) AS sum_base_price,
  sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
  sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
  avg(l_quantity) AS avg_qty,
  avg(l_extendedprice) AS avg_price,
  avg(l_discount) AS avg_disc,
  count(*) AS count_order
FROM read_parquet(%s)
WHERE l_shipdate <= DATE '1998-09-02'
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus`

	q6SQL = `SELECT sum(l_extendedprice * l_discount) AS revenue
FROM read_parquet(%s)
WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01'
  AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24`
)

// The group-by and join queries over lineitem (%[1]s) and orders (%[2]s), each
// ordered so that the answers can be compared row by row. groupby-high reduces
// its 1.5M groups to one row; sum(c) keeps the inner count(*) live.
const (
	groupbyLowSQL = `SELECT l_returnflag, l_linestatus, l_shipmode,
  count(*) AS count_order, sum(l_quantity) AS sum_qty, avg(l_extendedprice) AS avg_price
FROM read_parquet(%[1]s)
GROUP BY l_returnflag, l_linestatus, l_shipmode
ORDER BY l_returnflag, l_linestatus, l_shipmode`

	groupbyHighSQL = `SELECT count(*) AS groups, sum(s) AS sum_qty, max(s) AS max_qty, sum(c) AS sum_count
FROM (SELECT l_orderkey, sum(l_quantity) AS s, count(*) AS c
  FROM read_parquet(%[1]s)
  GROUP BY l_orderkey)`

	joinSQL = `SELECT o_orderpriority, count(*) AS count_lines, sum(l_extendedprice) AS sum_price
FROM read_parquet(%[1]s) JOIN read_parquet(%[2]s) ON l_orderkey = o_orderkey
GROUP BY o_orderpriority
ORDER BY o_orderpriority`
)

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// duck is an in-memory DuckDB connection with a fixed thread count.
type duck struct {
	db   *sql.DB
	conn *sql.Conn
}

// openDuck opens an in-memory DuckDB database on one connection using threads threads.
func openDuck(ctx context.Context, threads int) (*duck, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("duckdb connection: %w", err)
	}
	d := &duck{db: db, conn: conn}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET threads=%d", threads)); err != nil {
		d.close()
		return nil, fmt.Errorf("duckdb SET threads=%d: %w", threads, err)
	}
	return d, nil
}

func (d *duck) close() error {
	err := d.conn.Close()
	if err2 := d.db.Close(); err == nil {
		err = err2
	}
	return err
}

func (d *duck) exec(ctx context.Context, stmt string) error {
	if _, err := d.conn.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("duckdb: %w\nstatement: %s", err, stmt)
	}
	return nil
}

// query runs a query and returns its answer.
func (d *duck) query(ctx context.Context, q string) (answers.Table, error) {
	t, err := tpch.DuckQuery(ctx, d.conn, q)
	if err != nil {
		return answers.Table{}, fmt.Errorf("%w\n%s", err, q)
	}
	return t, nil
}

// duckRunner returns a function that runs the named query on DuckDB over the
// files of in.
func duckRunner(d *duck, in inputs, name string) (func(ctx context.Context) (answers.Table, error), error) {
	var q string
	li, ord := sqlString(in.lineitem), sqlString(in.orders)
	switch name {
	case "q1":
		q = fmt.Sprintf(q1SQL, li)
	case "q6":
		q = fmt.Sprintf(q6SQL, li)
	case "groupby-low":
		q = fmt.Sprintf(groupbyLowSQL, li)
	case "groupby-high":
		q = fmt.Sprintf(groupbyHighSQL, li)
	case "join":
		q = fmt.Sprintf(joinSQL, li, ord)
	default:
		return nil, fmt.Errorf("unknown query %q", name)
	}
	return func(ctx context.Context) (answers.Table, error) { return d.query(ctx, q) }, nil
}
