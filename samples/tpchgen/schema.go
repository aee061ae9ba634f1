package tpchgen

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
)

// moneyType is the Arrow type of every monetary column: DECIMAL(15,2).
var moneyType = &arrow.Decimal64Type{Precision: 15, Scale: 2}

func col(name string, t arrow.DataType) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: false}
}

var (
	i64  = arrow.PrimitiveTypes.Int64
	i32  = arrow.PrimitiveTypes.Int32
	str  = arrow.BinaryTypes.String
	date = arrow.FixedWidthTypes.Date32
)

// tableNames lists the tables in the order Tables returns them.
func tableNames() []string {
	return []string{"customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"}
}

// Tables returns the names of the eight TPC-H tables, sorted.
func Tables() []string { return tableNames() }

// Schema returns the Arrow schema of a TPC-H table, or an error for an unknown
// table name.
func Schema(table string) (*arrow.Schema, error) {
	var f []arrow.Field
	switch table {
	case "region":
		f = []arrow.Field{col("r_regionkey", i64), col("r_name", str), col("r_comment", str)}
	case "nation":
		f = []arrow.Field{col("n_nationkey", i64), col("n_name", str), col("n_regionkey", i64), col("n_comment", str)}
	case "supplier":
		f = []arrow.Field{col("s_suppkey", i64), col("s_name", str), col("s_address", str), col("s_nationkey", i64),
			col("s_phone", str), col("s_acctbal", moneyType), col("s_comment", str)}
	case "part":
		f = []arrow.Field{col("p_partkey", i64), col("p_name", str), col("p_mfgr", str), col("p_brand", str),
			col("p_type", str), col("p_size", i32), col("p_container", str), col("p_retailprice", moneyType), col("p_comment", str)}
	case "partsupp":
		f = []arrow.Field{col("ps_partkey", i64), col("ps_suppkey", i64), col("ps_availqty", i32),
			col("ps_supplycost", moneyType), col("ps_comment", str)}
	case "customer":
		f = []arrow.Field{col("c_custkey", i64), col("c_name", str), col("c_address", str), col("c_nationkey", i64),
			col("c_phone", str), col("c_acctbal", moneyType), col("c_mktsegment", str), col("c_comment", str)}
	case "orders":
		f = []arrow.Field{col("o_orderkey", i64), col("o_custkey", i64), col("o_orderstatus", str), col("o_totalprice", moneyType),
			col("o_orderdate", date), col("o_orderpriority", str), col("o_clerk", str), col("o_shippriority", i32), col("o_comment", str)}
	case "lineitem":
		f = []arrow.Field{col("l_orderkey", i64), col("l_partkey", i64), col("l_suppkey", i64), col("l_linenumber", i32),
			col("l_quantity", moneyType), col("l_extendedprice", moneyType), col("l_discount", moneyType), col("l_tax", moneyType),
			col("l_returnflag", str), col("l_linestatus", str), col("l_shipdate", date), col("l_commitdate", date),
			col("l_receiptdate", date), col("l_shipinstruct", str), col("l_shipmode", str), col("l_comment", str)}
	default:
		return nil, fmt.Errorf("tpchgen: unknown table %q", table)
	}
	return arrow.NewSchema(f, nil), nil
}

// scaled returns round(sf*base), at least 1.
func scaled(sf float64, base int64) int64 {
	n := int64(math.Round(sf * float64(base)))
	if n < 1 {
		n = 1
	}
	return n
}

// counts holds the base cardinalities of one scale factor.
type counts struct {
	supplier, part, customer, orders int64
}

func countsFor(sf float64) counts {
	return counts{
		supplier: scaled(sf, 10_000),
		part:     scaled(sf, 200_000),
		customer: scaled(sf, 150_000),
		orders:   scaled(sf, 1_500_000),
	}
}

func checkSF(sf float64) error {
	if !(sf > 0) || math.IsInf(sf, 0) || sf > 100_000 {
		return fmt.Errorf("tpchgen: invalid scale factor %v", sf)
	}
	return nil
}

// RowCount returns the number of rows Generate produces for the table at scale
// factor sf: SF*10,000 suppliers, SF*200,000 parts, 4 partsupp rows per part,
// SF*150,000 customers, SF*1,500,000 orders, 1 to 7 lineitems per order, and
// the fixed 25 nations and 5 regions (scaled counts are rounded, at least 1).
// It returns 0 for an unknown table or an invalid scale factor.
func RowCount(table string, sf float64) int64 {
	if checkSF(sf) != nil {
		return 0
	}
	c := countsFor(sf)
	switch table {
	case "region":
		return 5
	case "nation":
		return 25
	case "supplier":
		return c.supplier
	case "part":
		return c.part
	case "partsupp":
		return 4 * c.part
	case "customer":
		return c.customer
	case "orders":
		return c.orders
	case "lineitem":
		r := newLineCountRand()
		var n int64
		for range c.orders {
			n += int64(lineCount(r))
		}
		return n
	}
	return 0
}
