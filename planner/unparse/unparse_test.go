package unparse

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/window"
	"github.com/gspark/gspark/planner/logical"
	"github.com/gspark/gspark/values"
)

func dec(unscaled int64, scale int32) values.Decimal {
	return values.Decimal{Unscaled: decimal128.FromI64(unscaled), Scale: scale}
}

// TestLiteralSQL checks the literal syntax against Spark's SQL reference
// (Literals: integral suffixes Y/S/L, fractional D/F and BD, DATE and
// TIMESTAMP literals, X'..' binary, ANSI interval literals, backslash
// escapes in strings) and its functions array, map and named_struct.
func TestLiteralSQL(t *testing.T) {
	ts := &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	ntz := &arrow.TimestampType{Unit: arrow.Microsecond}
	for _, c := range []struct {
		v    any
		t    arrow.DataType
		want string
	}{
		{nil, arrow.Null, "NULL"},
		{nil, arrow.PrimitiveTypes.Int32, "CAST(NULL AS INT)"},
		{true, arrow.FixedWidthTypes.Boolean, "TRUE"},
		{int8(5), arrow.PrimitiveTypes.Int8, "5Y"},
		{int16(-7), arrow.PrimitiveTypes.Int16, "(-7S)"},
		{int32(42), arrow.PrimitiveTypes.Int32, "42"},
		{int32(math.MinInt32), arrow.PrimitiveTypes.Int32, "CAST('-2147483648' AS INT)"},
		{int64(12345678901), arrow.PrimitiveTypes.Int64, "12345678901L"},
		{1.5, arrow.PrimitiveTypes.Float64, "1.5D"},
		{1e300, arrow.PrimitiveTypes.Float64, "1E+300D"},
		{-0.25, arrow.PrimitiveTypes.Float64, "(-0.25D)"},
		{math.NaN(), arrow.PrimitiveTypes.Float64, "CAST('NaN' AS DOUBLE)"},
		{math.Inf(-1), arrow.PrimitiveTypes.Float64, "CAST('-Infinity' AS DOUBLE)"},
		{float32(2.5), arrow.PrimitiveTypes.Float32, "2.5F"},
		{dec(110, 2), &arrow.Decimal64Type{Precision: 3, Scale: 2}, "1.10BD"},
		{dec(5, 2), &arrow.Decimal64Type{Precision: 2, Scale: 2}, "0.05BD"},
		{dec(110, 2), &arrow.Decimal64Type{Precision: 10, Scale: 2}, "CAST(1.10BD AS DECIMAL(10,2))"},
		{dec(-1234, 1), &arrow.Decimal64Type{Precision: 4, Scale: 1}, "(-123.4BD)"},
		{dec(100, 0), &arrow.Decimal64Type{Precision: 3, Scale: 0}, "100BD"},
		{"it's a \\ test\n", arrow.BinaryTypes.String, `'it\'s a \\ test\n'`},
		{[]byte{0xca, 0xfe}, arrow.BinaryTypes.Binary, "X'CAFE'"},
		{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), arrow.FixedWidthTypes.Date32, "DATE '2020-01-01'"},
		{time.Date(2020, 1, 1, 10, 20, 30, 500000000, time.UTC), ts, "TIMESTAMP '2020-01-01 10:20:30.5Z'"},
		{time.Date(2020, 1, 1, 10, 20, 30, 0, time.UTC), ntz, "TIMESTAMP_NTZ '2020-01-01 10:20:30'"},
		{values.YearMonthInterval(14), arrow.FixedWidthTypes.MonthInterval, "INTERVAL '1-2' YEAR TO MONTH"},
		{values.DayTimeInterval(((24+2)*3600+3*60+4)*1e6 + 500000), &arrow.DurationType{Unit: arrow.Microsecond},
			"INTERVAL '1 02:03:04.5' DAY TO SECOND"},
		{[]any{int32(1), nil}, arrow.ListOf(arrow.PrimitiveTypes.Int32), "array(1, CAST(NULL AS INT))"},
		{[]any{}, arrow.ListOf(arrow.PrimitiveTypes.Int64), "CAST(array() AS ARRAY<BIGINT>)"},
		{values.Map{Keys: []any{"a"}, Values: []any{int32(1)}}, arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32), "map('a', 1)"},
		{values.Struct{Names: []string{"x", "y"}, Values: []any{int32(1), "b"}},
			arrow.StructOf(arrow.Field{Name: "x", Type: arrow.PrimitiveTypes.Int32}, arrow.Field{Name: "y", Type: arrow.BinaryTypes.String}),
			"named_struct('x', 1, 'y', 'b')"},
	} {
		got, err := literalSQL(&logical.Literal{Value: c.v, Type: c.t})
		if err != nil {
			t.Errorf("%v (%s): %v", c.v, logical.TypeName(c.t), err)
			continue
		}
		if got != c.want {
			t.Errorf("%v (%s): got %s, want %s", c.v, logical.TypeName(c.t), got, c.want)
		}
	}
}

// TestQuote checks identifier quoting: backticks, an embedded backtick doubled.
func TestQuote(t *testing.T) {
	for in, want := range map[string]string{"a": "`a`", "a`b": "`a``b`", "sum(x)": "`sum(x)`", "": "``"} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

// fakeSource is a source described as a sample table or in-memory data.
type fakeSource struct {
	desc   string
	schema *arrow.Schema
}

func (f *fakeSource) Describe() string      { return f.desc }
func (f *fakeSource) Schema() *arrow.Schema { return f.schema }
func (f *fakeSource) EstimatedRows() int64  { return -1 }
func (f *fakeSource) Operator(*exec.Env, logical.ScanRequest) (exec.Operator, error) {
	return nil, nil
}

func scanOf(desc string, firstID int64, names ...string) *logical.Scan {
	fields := make([]arrow.Field, len(names))
	attrs := make([]*logical.Attribute, len(names))
	for i, n := range names {
		fields[i] = arrow.Field{Name: n, Type: arrow.PrimitiveTypes.Int64}
		attrs[i] = &logical.Attribute{ID: firstID + int64(i), Name: n, Type: arrow.PrimitiveTypes.Int64}
	}
	return &logical.Scan{Source: &fakeSource{desc: desc, schema: arrow.NewSchema(fields, nil)}, Attrs: attrs, Limit: -1}
}

func i64(v int64) *logical.Literal {
	return &logical.Literal{Value: v, Type: arrow.PrimitiveTypes.Int64}
}

// TestPlanSQL checks the text of small analyzed plans, written by hand.
func TestPlanSQL(t *testing.T) {
	nation := scanOf("parquet samples.nation", 1, "n_nationkey", "n_regionkey")
	region := scanOf("parquet samples.region", 10, "r_regionkey", "r_name")
	nk, nr := nation.Attrs[0], nation.Attrs[1]
	rk := region.Attrs[0]
	plus := &logical.Binary{Op: logical.OpAdd, L: nk, R: i64(1), Type: arrow.PrimitiveTypes.Int64}
	cases := []struct {
		name string
		p    logical.Plan
		want string
	}{
		{"project filter sort limit", &logical.Limit{N: 5, Child: &logical.Sort{
			Orders: []*logical.SortOrder{{E: &logical.Attribute{ID: 20, Name: "k", Type: arrow.PrimitiveTypes.Int64}, Desc: true, NullsFirst: true}},
			Child: &logical.Project{List: []logical.Expr{&logical.Alias{E: plus, Name: "k", ID: 20}, nr},
				Child: &logical.Filter{Cond: &logical.Binary{Op: logical.OpGt, L: nk, R: i64(3)}, Child: nation}}}},
			"SELECT (`t1`.`n_nationkey` + 1L) AS `k`, `t1`.`n_regionkey` AS `n_regionkey` FROM `samples`.`nation` AS `t1` " +
				"WHERE ((`t1`.`n_nationkey` > 3L)) ORDER BY `k` DESC NULLS FIRST LIMIT 5"},
		{"semi join", &logical.Join{Left: nation, Right: region, Kind: logical.LeftSemiJoin,
			Cond: &logical.Binary{Op: logical.OpEq, L: nr, R: rk}},
			"SELECT `t1`.`n_nationkey` AS `n_nationkey`, `t1`.`n_regionkey` AS `n_regionkey` FROM `samples`.`nation` AS `t1` " +
				"LEFT SEMI JOIN `samples`.`region` AS `t2` ON (`t1`.`n_regionkey` = `t2`.`r_regionkey`)"},
		{"aggregate", &logical.Aggregate{Groups: []logical.Expr{nr},
			List:  []logical.Expr{nr, &logical.Alias{E: &logical.AggregateCall{Func: logical.AggCount}, Name: "n", ID: 30}},
			Child: nation},
			"SELECT `t1`.`n_regionkey` AS `n_regionkey`, count(*) AS `n` FROM `samples`.`nation` AS `t1` GROUP BY `t1`.`n_regionkey`"},
		{"self join renames repeated names", &logical.Join{Left: nation, Right: scanOf("parquet samples.nation", 40, "n_nationkey", "n_regionkey"), Kind: logical.InnerJoin},
			"SELECT `t1`.`n_nationkey` AS `n_nationkey`, `t1`.`n_regionkey` AS `n_regionkey`, `t2`.`n_nationkey` AS `n_nationkey`, " +
				"`t2`.`n_regionkey` AS `n_regionkey` FROM `samples`.`nation` AS `t1` CROSS JOIN `samples`.`nation` AS `t2`"},
	}
	for _, c := range cases {
		got, err := SQL(c.p)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s:\ngot  %s\nwant %s", c.name, got, c.want)
		}
	}
}

// TestErrors checks that parts of a plan without a SQL form are reported by name.
func TestErrors(t *testing.T) {
	nation := scanOf("parquet samples.nation", 1, "n_nationkey")
	udf := &logical.UDF{Name: "f", Args: []logical.Expr{nation.Attrs[0]}, Type: arrow.PrimitiveTypes.Int64,
		Fn: func(memory.Allocator, []arrow.Array) (arrow.Array, error) { return nil, nil }}
	for _, c := range []struct {
		p    logical.Plan
		want string
	}{
		{&logical.Project{List: []logical.Expr{&logical.Alias{E: udf, Name: "y", ID: 9}}, Child: nation}, `unparse: Go UDF "f" cannot run remotely`},
		{scanOf("memory people", 1, "age"), "in-memory table people"},
		{&logical.Sample{Upper: 0.5, Child: nation}, "sample"},
		{&logical.UnresolvedRelation{Name: "t"}, "not resolved"},
	} {
		_, err := SQL(c.p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.p, err, c.want)
		}
	}
}

// TestPlanSQLMore checks the text of windows, generators, correlated
// subqueries and set operations, written by hand after Spark's SQL
// reference (window frames, LATERAL VIEW, EXISTS, EXCEPT ALL).
func TestPlanSQLMore(t *testing.T) {
	nation := scanOf("parquet samples.nation", 1, "n_nationkey", "n_regionkey")
	region := scanOf("parquet samples.region", 10, "r_regionkey")
	nk, nr := nation.Attrs[0], nation.Attrs[1]
	rk := region.Attrs[0]
	frame := window.Frame{Start: window.Bound{Kind: window.Preceding, Offset: 2}, End: window.Bound{Kind: window.CurrentRow}}
	sum := &logical.WindowExpr{Func: &logical.AggregateCall{Func: logical.AggSum, Arg: nk, Type: arrow.PrimitiveTypes.Int64},
		PartitionBy: []logical.Expr{nr}, OrderBy: []*logical.SortOrder{{E: nk}}, Frame: &frame}
	arr := &logical.Func{Name: "array", Args: []logical.Expr{nk, nr}, Type: arrow.ListOf(arrow.PrimitiveTypes.Int64)}
	elem := &logical.Attribute{ID: 30, Name: "col", Type: arrow.PrimitiveTypes.Int64}
	exists := &logical.Subquery{Kind: logical.ExistsSubquery, ID: 1, Plan: &logical.Filter{
		Cond: &logical.Binary{Op: logical.OpEq, L: rk, R: &logical.OuterRef{Attr: nr}}, Child: region}}
	cases := []struct {
		name string
		p    logical.Plan
		want string
	}{
		{"window", &logical.Window{Exprs: []logical.Expr{&logical.Alias{E: sum, Name: "s", ID: 20}}, Child: nation},
			"SELECT `t1`.`n_nationkey` AS `n_nationkey`, `t1`.`n_regionkey` AS `n_regionkey`, sum(`t1`.`n_nationkey`) OVER " +
				"(PARTITION BY `t1`.`n_regionkey` ORDER BY `t1`.`n_nationkey` ASC NULLS LAST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS `s` " +
				"FROM `samples`.`nation` AS `t1`"},
		{"explode", &logical.Generate{Input: arr, Outer: true, Attrs: []*logical.Attribute{elem}, Child: nation},
			"SELECT `t1`.`n_nationkey` AS `n_nationkey`, `t1`.`n_regionkey` AS `n_regionkey`, `g2`.`col` AS `col` FROM `samples`.`nation` AS `t1` " +
				"LATERAL VIEW OUTER explode(array(`t1`.`n_nationkey`, `t1`.`n_regionkey`)) `g2` AS `col`"},
		{"exists", &logical.Filter{Cond: exists, Child: nation},
			"SELECT `t1`.`n_nationkey` AS `n_nationkey`, `t1`.`n_regionkey` AS `n_regionkey` FROM `samples`.`nation` AS `t1` " +
				"WHERE (EXISTS (SELECT `t2`.`r_regionkey` AS `r_regionkey` FROM `samples`.`region` AS `t2` WHERE ((`t2`.`r_regionkey` = `t1`.`n_regionkey`))))"},
		{"except all", &logical.SetOp{All: true, Left: &logical.Project{List: []logical.Expr{nr}, Child: nation}, Right: region},
			"SELECT `t3`.`n_regionkey` AS `n_regionkey` FROM (SELECT `t1`.`n_regionkey` AS `n_regionkey` FROM `samples`.`nation` AS `t1` " +
				"EXCEPT ALL SELECT `t2`.`r_regionkey` AS `r_regionkey` FROM `samples`.`region` AS `t2`) AS `t3`"},
	}
	for _, c := range cases {
		got, err := SQL(c.p)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s:\ngot  %s\nwant %s", c.name, got, c.want)
		}
	}
}
