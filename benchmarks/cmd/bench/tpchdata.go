package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/pingcap/go-tpc/tpch/dbgen"
)

// tpchTable describes how one of the six smaller TPC-H tables is generated:
// dbgen's table, the typed read_csv column list of its .tbl file (with the
// trailing dummy column of dbgen's final '|'), the select list and a function
// appending one dbgen item's lines.
type tpchTable struct {
	table   dbgen.Table
	columns string
	selects string
	appendf func(b []byte, item any) ([]byte, error)
}

// tpchTables are the tables besides lineitem and orders (which data.go makes).
// Keys are BIGINT, other integers INTEGER, money DECIMAL(15,2), text VARCHAR.
var tpchTables = map[string]tpchTable{
	"part": {
		table: dbgen.TPart,
		columns: `{'p_partkey': 'BIGINT', 'p_name': 'VARCHAR', 'p_mfgr': 'VARCHAR', 'p_brand': 'VARCHAR',
 'p_type': 'VARCHAR', 'p_size': 'INTEGER', 'p_container': 'VARCHAR', 'p_retailprice': 'DECIMAL(15,2)',
 'p_comment': 'VARCHAR', 'p_trailing': 'VARCHAR'}`,
		selects: `p_partkey, p_name, p_mfgr, p_brand, p_type, p_size, p_container, p_retailprice, p_comment`,
		appendf: func(b []byte, item any) ([]byte, error) {
			p, ok := item.(*dbgen.Part)
			if !ok {
				return b, fmt.Errorf("part loader: unexpected item %T", item)
			}
			b = appendFields(b, strconv.FormatInt(int64(p.PartKey), 10), p.Name, p.Mfgr, p.Brand, p.Type,
				strconv.FormatInt(int64(p.Size), 10), p.Container, string(appendMoney(nil, int64(p.RetailPrice))), p.Comment)
			return b, nil
		},
	},
	"partsupp": {
		table: dbgen.TPsupp,
		columns: `{'ps_partkey': 'BIGINT', 'ps_suppkey': 'BIGINT', 'ps_availqty': 'INTEGER',
 'ps_supplycost': 'DECIMAL(15,2)', 'ps_comment': 'VARCHAR', 'ps_trailing': 'VARCHAR'}`,
		selects: `ps_partkey, ps_suppkey, ps_availqty, ps_supplycost, ps_comment`,
		appendf: func(b []byte, item any) ([]byte, error) {
			p, ok := item.(*dbgen.Part)
			if !ok {
				return b, fmt.Errorf("partsupp loader: unexpected item %T", item)
			}
			for _, s := range p.S {
				b = appendFields(b, strconv.FormatInt(int64(s.PartKey), 10), strconv.FormatInt(int64(s.SuppKey), 10),
					strconv.FormatInt(int64(s.Qty), 10), string(appendMoney(nil, int64(s.SCost))), s.Comment)
			}
			return b, nil
		},
	},
	"supplier": {
		table: dbgen.TSupp,
		columns: `{'s_suppkey': 'BIGINT', 's_name': 'VARCHAR', 's_address': 'VARCHAR', 's_nationkey': 'BIGINT',
 's_phone': 'VARCHAR', 's_acctbal': 'DECIMAL(15,2)', 's_comment': 'VARCHAR', 's_trailing': 'VARCHAR'}`,
		selects: `s_suppkey, s_name, s_address, s_nationkey, s_phone, s_acctbal, s_comment`,
		appendf: func(b []byte, item any) ([]byte, error) {
			s, ok := item.(*dbgen.Supp)
			if !ok {
				return b, fmt.Errorf("supplier loader: unexpected item %T", item)
			}
			return appendFields(b, strconv.FormatInt(int64(s.SuppKey), 10), s.Name, s.Address,
				strconv.FormatInt(int64(s.NationCode), 10), s.Phone, string(appendMoney(nil, int64(s.Acctbal))), s.Comment), nil
		},
	},
	"customer": {
		table: dbgen.TCust,
		columns: `{'c_custkey': 'BIGINT', 'c_name': 'VARCHAR', 'c_address': 'VARCHAR', 'c_nationkey': 'BIGINT',
 'c_phone': 'VARCHAR', 'c_acctbal': 'DECIMAL(15,2)', 'c_mktsegment': 'VARCHAR', 'c_comment': 'VARCHAR',
 'c_trailing': 'VARCHAR'}`,
		selects: `c_custkey, c_name, c_address, c_nationkey, c_phone, c_acctbal, c_mktsegment, c_comment`,
		appendf: func(b []byte, item any) ([]byte, error) {
			c, ok := item.(*dbgen.Cust)
			if !ok {
				return b, fmt.Errorf("customer loader: unexpected item %T", item)
			}
			return appendFields(b, strconv.FormatInt(int64(c.CustKey), 10), c.Name, c.Address,
				strconv.FormatInt(int64(c.NationCode), 10), c.Phone, string(appendMoney(nil, int64(c.Acctbal))),
				c.MktSegment, c.Comment), nil
		},
	},
	"nation": {
		table: dbgen.TNation,
		columns: `{'n_nationkey': 'BIGINT', 'n_name': 'VARCHAR', 'n_regionkey': 'BIGINT', 'n_comment': 'VARCHAR',
 'n_trailing': 'VARCHAR'}`,
		selects: `n_nationkey, n_name, n_regionkey, n_comment`,
		appendf: func(b []byte, item any) ([]byte, error) {
			n, ok := item.(*dbgen.Nation)
			if !ok {
				return b, fmt.Errorf("nation loader: unexpected item %T", item)
			}
			return appendFields(b, strconv.FormatInt(int64(n.Code), 10), n.Text, strconv.FormatInt(int64(n.Join), 10), n.Comment), nil
		},
	},
	"region": {
		table:   dbgen.TRegion,
		columns: `{'r_regionkey': 'BIGINT', 'r_name': 'VARCHAR', 'r_comment': 'VARCHAR', 'r_trailing': 'VARCHAR'}`,
		selects: `r_regionkey, r_name, r_comment`,
		appendf: func(b []byte, item any) ([]byte, error) {
			r, ok := item.(*dbgen.Region)
			if !ok {
				return b, fmt.Errorf("region loader: unexpected item %T", item)
			}
			return appendFields(b, strconv.FormatInt(int64(r.Code), 10), r.Text, r.Comment), nil
		},
	},
}

// appendFields appends one dbgen line: every field followed by '|', then a newline.
func appendFields(b []byte, fields ...string) []byte {
	for _, f := range fields {
		b = append(b, f...)
		b = append(b, '|')
	}
	return append(b, '\n')
}

// tablePath is where table name of scale factor sf lives under dataDir.
func tablePath(dataDir string, sf int, name string) string {
	return filepath.Join(dataDir, fmt.Sprintf("sf%d", sf), name+".parquet")
}

// ensureTPCH makes sure all eight TPC-H tables of scale factor sf exist under
// dataDir, generating the missing ones, and returns their directory.
func ensureTPCH(ctx context.Context, d *duck, dataDir string, sf int, log io.Writer) (string, error) {
	if err := ensureLineitem(ctx, d, lineitemPath(dataDir, sf), sf, log); err != nil {
		return "", err
	}
	if err := ensureOrders(ctx, d, ordersPath(dataDir, sf), sf, log); err != nil {
		return "", err
	}
	for _, name := range []string{"part", "partsupp", "supplier", "customer", "nation", "region"} {
		t := tpchTables[name]
		gen := func(ctx context.Context, path string, sf int) error {
			return writeTbl(ctx, path, sf, t.table, func(w *bufio.Writer) dbgen.Loader {
				return &itemLoader{ctx: ctx, w: w, name: name, appendf: t.appendf}
			})
		}
		if err := ensureTable(ctx, d, tablePath(dataDir, sf, name), sf, name, t.selects, t.columns, gen, log); err != nil {
			return "", err
		}
	}
	return filepath.Dir(lineitemPath(dataDir, sf)), nil
}

// itemLoader receives dbgen items and writes their lines with appendf.
type itemLoader struct {
	ctx     context.Context
	w       *bufio.Writer
	name    string
	appendf func(b []byte, item any) ([]byte, error)
	buf     []byte
	n       int
}

// Load writes the lines of one dbgen item.
func (l *itemLoader) Load(item any) error {
	if l.n++; l.n%65536 == 0 {
		if err := l.ctx.Err(); err != nil {
			return err
		}
	}
	b, err := l.appendf(l.buf[:0], item)
	if err != nil {
		return err
	}
	l.buf = b
	if _, err := l.w.Write(b); err != nil {
		return fmt.Errorf("write %s.tbl: %w", l.name, err)
	}
	return nil
}

// Flush is called by dbgen at the end of the table.
func (l *itemLoader) Flush() error { return nil }
