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

// lineitemPath is where the lineitem file of scale factor sf lives under dataDir.
func lineitemPath(dataDir string, sf int) string {
	return filepath.Join(dataDir, fmt.Sprintf("sf%d", sf), "lineitem.parquet")
}

// ensureLineitem makes sure path holds TPC-H lineitem at scale factor sf,
// generating it when missing: dbgen writes lineitem.tbl into a temporary
// directory and DuckDB converts it to Parquet, which is renamed into place.
func ensureLineitem(ctx context.Context, d *duck, path string, sf int, log io.Writer) error {
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
	tbl := filepath.Join(tmp, "lineitem.tbl")
	fmt.Fprintf(log, "generating TPC-H lineitem SF %d into %s\n", sf, tbl)
	if err := writeLineitemTbl(ctx, tbl, sf); err != nil {
		return err
	}
	fmt.Fprintf(log, "converting %s to Parquet\n", tbl)
	part := filepath.Join(tmp, "lineitem.parquet")
	stmt := fmt.Sprintf(`COPY (SELECT %s FROM read_csv(%s, delim='|', header=false, auto_detect=false, columns=%s))
TO %s `+parquetOptions, lineitemSelect, sqlString(tbl), lineitemColumns, sqlString(part), 122880)
	if err := d.exec(ctx, stmt); err != nil {
		return fmt.Errorf("convert %s: %w", tbl, err)
	}
	if err := os.Rename(part, path); err != nil {
		return fmt.Errorf("move %s into place: %w", part, err)
	}
	return nil
}

// writeLineitemTbl runs dbgen for lineitem at scale factor sf into the file path.
func writeLineitemTbl(ctx context.Context, path string, sf int) (err error) {
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
	l := &tblLoader{ctx: ctx, w: w}
	dbgen.InitDbGen(int64(sf))
	if err := dbgen.DbGen(map[dbgen.Table]dbgen.Loader{dbgen.TLine: l}, []dbgen.Table{dbgen.TLine}); err != nil {
		return fmt.Errorf("dbgen lineitem SF %d: %w", sf, err)
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
