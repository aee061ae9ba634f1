// Package plantest holds what the planner's tests share: a catalog of
// TPC-H-shaped tables that are never executed, and helpers that build
// unresolved expressions.
package plantest

import (
	"errors"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/logical"
)

// Source is a table with a schema and a row count, never executed.
type Source struct {
	Sch  *arrow.Schema
	Rows int64
}

// Describe implements logical.Source.
func (f *Source) Describe() string { return "fake" }

// Schema implements logical.Source.
func (f *Source) Schema() *arrow.Schema { return f.Sch }

// EstimatedRows implements logical.Source.
func (f *Source) EstimatedRows() int64 { return f.Rows }

// Operator implements logical.Source; it always fails.
func (f *Source) Operator(*exec.Env, logical.ScanRequest) (exec.Operator, error) {
	return nil, errors.New("fake source")
}

// Catalog maps lower-case table names to sources.
type Catalog map[string]logical.Source

// LookupTable implements the analyzer's catalog.
func (c Catalog) LookupTable(name string) (logical.Source, logical.Plan, bool) {
	s, ok := c[strings.ToLower(name)]
	return s, nil, ok
}

// TableNames implements the analyzer's catalog.
func (c Catalog) TableNames() []string {
	var out []string
	for k := range c {
		out = append(out, k)
	}
	return out
}

// Dec is DECIMAL(p, s).
func Dec(p, s int32) arrow.DataType { return logical.DecimalType(p, s) }

// TPCH returns a catalog of lineitem, orders and customer with a few of
// their TPC-H columns and SF 0.01-like row counts.
func TPCH() Catalog {
	li := arrow.NewSchema([]arrow.Field{
		{Name: "l_orderkey", Type: arrow.PrimitiveTypes.Int64},
		{Name: "l_quantity", Type: Dec(15, 2)},
		{Name: "l_extendedprice", Type: Dec(15, 2)},
		{Name: "l_discount", Type: Dec(15, 2)},
		{Name: "l_tax", Type: Dec(15, 2)},
		{Name: "l_returnflag", Type: arrow.BinaryTypes.String},
		{Name: "l_shipdate", Type: arrow.FixedWidthTypes.Date32},
		{Name: "l_linenumber", Type: arrow.PrimitiveTypes.Int32},
	}, nil)
	ord := arrow.NewSchema([]arrow.Field{
		{Name: "o_orderkey", Type: arrow.PrimitiveTypes.Int64},
		{Name: "o_custkey", Type: arrow.PrimitiveTypes.Int64},
		{Name: "o_orderdate", Type: arrow.FixedWidthTypes.Date32},
		{Name: "o_comment", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	cust := arrow.NewSchema([]arrow.Field{
		{Name: "c_custkey", Type: arrow.PrimitiveTypes.Int64},
		{Name: "c_name", Type: arrow.BinaryTypes.String},
	}, nil)
	return Catalog{"lineitem": &Source{li, 60000}, "orders": &Source{ord, 15000}, "customer": &Source{cust, 1500}}
}

// Col is an unresolved column reference.
func Col(n string) logical.Expr { return &logical.UnresolvedColumn{Name: n} }

// Lit is a literal of type t.
func Lit(v any, t arrow.DataType) logical.Expr { return &logical.Literal{Value: v, Type: t} }
