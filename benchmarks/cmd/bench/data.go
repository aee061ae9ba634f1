package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pingcap/go-tpc/tpch/dbgen"
)

// lineitemColumns is the typed read_csv column list for dbgen's lineitem.tbl
// (each line ends with '|', hence the trailing dummy column).
const lineitemColumns = `{'l_orderkey': 'BIGINT', 'l_partkey': 'BIGINT', 'l_suppkey': 'BIGINT',
 'l_linenumber': 'INTEGER', 'l_quantity': 'DECIMAL(15,2)', 'l_extendedprice': 'DECIMAL(15,2)',
 'l_discount': 'DECIMAL(15,2)', 'l_tax': 'DECIMAL(15,2)', 'l_returnflag': 'VARCHAR',
 'l_linestatus': 'VARCHAR', 'l_shipdate': 'DATE', 'l_commitdate': 'DATE', 'l_receiptdate': 'DATE',
 'l_shipinstruct': 'VARCHAR', 'l_shipmode': 'VARCHAR', 'l_comment': 'VARCHAR', 'l_trailing': 'VARCHAR'}`

// lineitemSelect lists lineitem's sixteen columns in TPC-H order.
const lineitemSelect = `l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice,
 l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate, l_commitdate, l_receiptdate,
 l_shipinstruct, l_shipmode, l_comment`

// parquetOptions are the COPY options of every lineitem file the harness writes.
const parquetOptions = `(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE %d)`

// ordersColumns is the typed read_csv column list for dbgen's orders.tbl.
const ordersColumns = `{'o_orderkey': 'BIGINT', 'o_custkey': 'BIGINT', 'o_orderstatus': 'VARCHAR',
 'o_totalprice': 'DECIMAL(15,2)', 'o_orderdate': 'DATE', 'o_orderpriority': 'VARCHAR',
 'o_clerk': 'VARCHAR', 'o_shippriority': 'INTEGER', 'o_comment': 'VARCHAR', 'o_trailing': 'VARCHAR'}`

// ordersSelect lists orders' nine columns in TPC-H order.
const ordersSelect = `o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate,
 o_orderpriority, o_clerk, o_shippriority, o_comment`

// ordersPath is where the orders file of scale factor sf lives under dataDir.
func ordersPath(dataDir string, sf int) string {
	return filepath.Join(dataDir, fmt.Sprintf("sf%d", sf), "orders.parquet")
}

// lineitemPath is where the lineitem file of scale factor sf lives under dataDir.
func lineitemPath(dataDir string, sf int) string {
	return filepath.Join(dataDir, fmt.Sprintf("sf%d", sf), "lineitem.parquet")
}

// ensureLineitem makes sure path holds TPC-H lineitem at scale factor sf,
// generating it when missing: dbgen writes lineitem.tbl into a temporary
// directory and DuckDB converts it to Parquet, which is renamed into place.
func ensureLineitem(ctx context.Context, d *duck, path string, sf int, log io.Writer) error {
	return ensureTable(ctx, d, path, sf, "lineitem", lineitemSelect, lineitemColumns, writeLineitemTbl, log)
}

// ensureOrders makes sure path holds TPC-H orders at scale factor sf, generated
// when missing the same way as lineitem.
func ensureOrders(ctx context.Context, d *duck, path string, sf int, log io.Writer) error {
	return ensureTable(ctx, d, path, sf, "orders", ordersSelect, ordersColumns, writeOrdersTbl, log)
}

// ensureTable makes sure path holds the TPC-H table name at scale factor sf:
// when missing, gen writes name.tbl into a temporary directory, DuckDB reads it
// with the typed column list columns, writes selectList to Parquet, and the file
// is renamed into place.
func ensureTable(ctx context.Context, d *duck, path string, sf int, name, selectList, columns string,
	gen func(ctx context.Context, path string, sf int) error, log io.Writer) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	if sf < 1 {
		return fmt.Errorf("scale factor %d: dbgen generates whole scale factors only (>= 1)", sf)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(dir, "gen-")
	if err != nil {
		return fmt.Errorf("temp dir in %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)
	tbl := filepath.Join(tmp, name+".tbl")
	fmt.Fprintf(log, "generating TPC-H %s SF %d into %s\n", name, sf, tbl)
	if err := gen(ctx, tbl, sf); err != nil {
		return err
	}
	fmt.Fprintf(log, "converting %s to Parquet\n", tbl)
	part := filepath.Join(tmp, name+".parquet")
	stmt := fmt.Sprintf(`COPY (SELECT %s FROM read_csv(%s, delim='|', header=false, auto_detect=false, columns=%s))
TO %s `+parquetOptions, selectList, sqlString(tbl), columns, sqlString(part), 122880)
	if err := d.exec(ctx, stmt); err != nil {
		return fmt.Errorf("convert %s: %w", tbl, err)
	}
	if err := os.Rename(part, path); err != nil {
		return fmt.Errorf("move %s into place: %w", part, err)
	}
	return nil
}

// writeLineitemTbl runs dbgen for lineitem at scale factor sf into the file path.
func writeLineitemTbl(ctx context.Context, path string, sf int) error {
	return writeTbl(ctx, path, sf, dbgen.TLine, func(w *bufio.Writer) dbgen.Loader { return &tblLoader{ctx: ctx, w: w} })
}

// writeOrdersTbl runs dbgen for orders at scale factor sf into the file path.
func writeOrdersTbl(ctx context.Context, path string, sf int) error {
	return writeTbl(ctx, path, sf, dbgen.TOrder, func(w *bufio.Writer) dbgen.Loader { return &ordersTblLoader{ctx: ctx, w: w} })
}

// writeTbl runs dbgen for table t at scale factor sf, writing through the loader
// that newLoader makes into the file path.
func writeTbl(ctx context.Context, path string, sf int, t dbgen.Table, newLoader func(w *bufio.Writer) dbgen.Loader) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", path, cerr)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	dbgen.InitDbGen(int64(sf))
	if err := dbgen.DbGen(map[dbgen.Table]dbgen.Loader{t: newLoader(w)}, []dbgen.Table{t}); err != nil {
		return fmt.Errorf("dbgen %s SF %d: %w", filepath.Base(path), sf, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// tblLoader receives dbgen orders and writes their lines in dbgen's '|' format.
type tblLoader struct {
	ctx context.Context
	w   *bufio.Writer
	buf []byte
	n   int
}

// Load writes the lines of one *dbgen.Order.
func (l *tblLoader) Load(item any) error {
	o, ok := item.(*dbgen.Order)
	if !ok {
		return fmt.Errorf("lineitem loader: unexpected item %T", item)
	}
	if l.n++; l.n%65536 == 0 {
		if err := l.ctx.Err(); err != nil {
			return err
		}
	}
	for i := range o.Lines {
		li := &o.Lines[i]
		b := l.buf[:0]
		b = strconv.AppendInt(b, int64(li.OKey), 10)
		b = append(b, '|')
		b = strconv.AppendInt(b, int64(li.PartKey), 10)
		b = append(b, '|')
		b = strconv.AppendInt(b, int64(li.SuppKey), 10)
		b = append(b, '|')
		b = strconv.AppendInt(b, int64(li.LCnt), 10)
		b = append(b, '|')
		b = strconv.AppendInt(b, int64(li.Quantity), 10)
		b = append(b, '|')
		b = appendMoney(b, int64(li.EPrice))
		b = append(b, '|')
		b = appendMoney(b, int64(li.Discount))
		b = append(b, '|')
		b = appendMoney(b, int64(li.Tax))
		b = append(b, '|', li.RFlag, '|', li.LStatus, '|')
		for _, s := range [...]string{li.SDate, li.CDate, li.RDate, li.ShipInstruct, li.ShipMode, li.Comment} {
			b = append(b, s...)
			b = append(b, '|')
		}
		b = append(b, '\n')
		l.buf = b
		if _, err := l.w.Write(b); err != nil {
			return fmt.Errorf("write lineitem.tbl: %w", err)
		}
	}
	return nil
}

// Flush is called by dbgen at the end of the table.
func (l *tblLoader) Flush() error { return nil }

// ordersTblLoader receives dbgen orders and writes orders lines in dbgen's '|' format.
type ordersTblLoader struct {
	ctx context.Context
	w   *bufio.Writer
	buf []byte
	n   int
}

// Load writes the orders line of one *dbgen.Order.
func (l *ordersTblLoader) Load(item any) error {
	o, ok := item.(*dbgen.Order)
	if !ok {
		return fmt.Errorf("orders loader: unexpected item %T", item)
	}
	if l.n++; l.n%65536 == 0 {
		if err := l.ctx.Err(); err != nil {
			return err
		}
	}
	b := l.buf[:0]
	b = strconv.AppendInt(b, int64(o.OKey), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(o.CustKey), 10)
	b = append(b, '|', o.Status, '|')
	b = appendMoney(b, int64(o.TotalPrice))
	b = append(b, '|')
	for _, s := range [...]string{o.Date, o.OrderPriority, o.Clerk} {
		b = append(b, s...)
		b = append(b, '|')
	}
	b = strconv.AppendInt(b, o.ShipPriority, 10)
	b = append(b, '|')
	b = append(b, o.Comment...)
	b = append(b, '|', '\n')
	l.buf = b
	if _, err := l.w.Write(b); err != nil {
		return fmt.Errorf("write orders.tbl: %w", err)
	}
	return nil
}

// Flush is called by dbgen at the end of the table.
func (l *ordersTblLoader) Flush() error { return nil }

// appendMoney appends cents as a decimal with two fractional digits.
func appendMoney(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents
	}
	b = strconv.AppendInt(b, cents/100, 10)
	c := cents % 100
	return append(b, '.', byte('0'+c/10), byte('0'+c%10))
}

// writeTinyLineitem has DuckDB write a small lineitem-like Parquet file of rows
// rows (same column names and types as TPC-H lineitem, deterministic values in
// TPC-H's ranges) with small row groups, for quick cross-checks.
func writeTinyLineitem(ctx context.Context, d *duck, path string, rows, rowGroup int) error {
	stmt := fmt.Sprintf(`COPY (SELECT
  (i // 4 + 1)::BIGINT AS l_orderkey,
  (i * 7 %% 200000 + 1)::BIGINT AS l_partkey,
  (i * 3 %% 10000 + 1)::BIGINT AS l_suppkey,
  (i %% 4 + 1)::INTEGER AS l_linenumber,
  ((i * 13 %% 50) + 1)::DECIMAL(15,2) AS l_quantity,
  ((i * 7919 %% 10000000) * 0.01 + 900)::DECIMAL(15,2) AS l_extendedprice,
  ((i * 17 %% 11) * 0.01)::DECIMAL(15,2) AS l_discount,
  ((i * 31 %% 9) * 0.01)::DECIMAL(15,2) AS l_tax,
  ['A', 'N', 'R'][i %% 3 + 1] AS l_returnflag,
  ['F', 'O'][(i // 5) %% 2 + 1] AS l_linestatus,
  DATE '1992-01-02' + (i * 37 %% 2500)::INTEGER AS l_shipdate,
  DATE '1992-01-31' + (i * 41 %% 2500)::INTEGER AS l_commitdate,
  DATE '1992-01-03' + (i * 43 %% 2500)::INTEGER AS l_receiptdate,
  ['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'][i %% 4 + 1] AS l_shipinstruct,
  ['TRUCK', 'MAIL', 'REG AIR', 'AIR', 'FOB', 'RAIL', 'SHIP'][i %% 7 + 1] AS l_shipmode,
  'comment ' || i::VARCHAR AS l_comment
FROM range(%d) t(i)) TO %s `+parquetOptions, rows, sqlString(path), rowGroup)
	if err := d.exec(ctx, stmt); err != nil {
		return fmt.Errorf("write tiny lineitem %s: %w", path, err)
	}
	return nil
}

// writeTinyOrders has DuckDB write a small orders-like Parquet file of rows rows
// (TPC-H orders' column names and types, o_orderkey 1..rows, so it joins with
// writeTinyLineitem's l_orderkey = i/4+1) with small row groups.
func writeTinyOrders(ctx context.Context, d *duck, path string, rows, rowGroup int) error {
	stmt := fmt.Sprintf(`COPY (SELECT
  (i + 1)::BIGINT AS o_orderkey,
  (i * 7 %% 150000 + 1)::BIGINT AS o_custkey,
  ['F', 'O', 'P'][i %% 3 + 1] AS o_orderstatus,
  ((i * 7919 %% 50000000) * 0.01 + 850)::DECIMAL(15,2) AS o_totalprice,
  DATE '1992-01-01' + (i * 37 %% 2400)::INTEGER AS o_orderdate,
  ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'][i * 3 %% 5 + 1] AS o_orderpriority,
  'Clerk#' || lpad((i %% 1000 + 1)::VARCHAR, 9, '0') AS o_clerk,
  0::INTEGER AS o_shippriority,
  'comment ' || i::VARCHAR AS o_comment
FROM range(%d) t(i)) TO %s `+parquetOptions, rows, sqlString(path), rowGroup)
	if err := d.exec(ctx, stmt); err != nil {
		return fmt.Errorf("write tiny orders %s: %w", path, err)
	}
	return nil
}
