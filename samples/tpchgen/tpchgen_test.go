package tpchgen

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/gspark/gspark/exec/exectest"
)

const sf = 0.01

// table holds a generated table as Go slices: integer-like columns (ints,
// decimals as unscaled cents, dates as days) and string columns.
type table struct {
	n    int
	ints map[string][]int64
	strs map[string][]string
}

// gen generates a table with a checked allocator and copies it into Go slices.
func gen(t *testing.T, name string, batchRows int) table {
	t.Helper()
	mem := exectest.Alloc(t)
	s, err := Schema(name)
	if err != nil {
		t.Fatal(err)
	}
	tb := table{ints: map[string][]int64{}, strs: map[string][]string{}}
	err = Generate(context.Background(), name, sf, mem, batchRows, func(rec arrow.RecordBatch) error {
		if !rec.Schema().Equal(s) {
			t.Fatalf("%s: batch schema %s, want %s", name, rec.Schema(), s)
		}
		if rec.NumRows() == 0 || rec.NumRows() > int64(batchRows) {
			t.Fatalf("%s: batch of %d rows, limit %d", name, rec.NumRows(), batchRows)
		}
		tb.n += int(rec.NumRows())
		for i, c := range rec.Columns() {
			f := s.Field(i).Name
			if c.NullN() != 0 {
				t.Fatalf("%s.%s has nulls", name, f)
			}
			switch a := c.(type) {
			case *array.Int64:
				tb.ints[f] = append(tb.ints[f], a.Int64Values()...)
			case *array.Int32:
				for _, v := range a.Int32Values() {
					tb.ints[f] = append(tb.ints[f], int64(v))
				}
			case *array.Date32:
				for _, v := range a.Date32Values() {
					tb.ints[f] = append(tb.ints[f], int64(v))
				}
			case *array.Decimal64:
				for j := range a.Len() {
					tb.ints[f] = append(tb.ints[f], int64(a.Value(j)))
				}
			case *array.String:
				for j := range a.Len() {
					tb.strs[f] = append(tb.strs[f], strings.Clone(a.Value(j)))
				}
			default:
				t.Fatalf("%s.%s: unexpected array %T", name, f, c)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func day(s string) int64 {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d.Unix() / 86400
}

func TestDateConstants(t *testing.T) {
	for _, c := range []struct {
		got  int64
		want string
	}{{startDate, "1992-01-01"}, {currentDate, "1995-06-17"}, {endDate, "1998-12-31"}} {
		if c.got != day(c.want) {
			t.Errorf("constant %d, want %s = %d", c.got, c.want, day(c.want))
		}
	}
}

func TestSchemaTypes(t *testing.T) {
	if got := Tables(); strings.Join(got, ",") != "customer,lineitem,nation,orders,part,partsupp,region,supplier" {
		t.Fatalf("Tables() = %v", got)
	}
	money := map[string]bool{"l_quantity": true, "l_extendedprice": true, "l_discount": true, "l_tax": true,
		"s_acctbal": true, "c_acctbal": true, "ps_supplycost": true, "p_retailprice": true, "o_totalprice": true}
	dates := map[string]bool{"o_orderdate": true, "l_shipdate": true, "l_commitdate": true, "l_receiptdate": true}
	int32s := map[string]bool{"l_linenumber": true, "p_size": true, "ps_availqty": true, "o_shippriority": true}
	seen := 0
	for _, name := range Tables() {
		s, err := Schema(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range s.Fields() {
			if f.Nullable {
				t.Errorf("%s.%s is nullable", name, f.Name)
			}
			var want arrow.DataType = arrow.BinaryTypes.String
			switch {
			case money[f.Name]:
				want = &arrow.Decimal64Type{Precision: 15, Scale: 2}
				seen++
			case dates[f.Name]:
				want = arrow.FixedWidthTypes.Date32
				seen++
			case int32s[f.Name]:
				want = arrow.PrimitiveTypes.Int32
				seen++
			case strings.HasSuffix(f.Name, "key"):
				want = arrow.PrimitiveTypes.Int64
			}
			if !arrow.TypeEqual(f.Type, want) {
				t.Errorf("%s.%s: type %s, want %s", name, f.Name, f.Type, want)
			}
		}
	}
	if seen != len(money)+len(dates)+len(int32s) {
		t.Errorf("found %d typed columns, want %d", seen, len(money)+len(dates)+len(int32s))
	}
	if _, err := Schema("nope"); err == nil {
		t.Error("Schema(nope) succeeded")
	}
}

func TestRowCounts(t *testing.T) {
	want := map[string]int64{"region": 5, "nation": 25, "supplier": 100, "part": 2000, "partsupp": 8000,
		"customer": 1500, "orders": 15000}
	for name, n := range want {
		if got := RowCount(name, sf); got != n {
			t.Errorf("RowCount(%s) = %d, want %d", name, got, n)
		}
		if got := gen(t, name, 4096).n; int64(got) != n {
			t.Errorf("%s: generated %d rows, want %d", name, got, n)
		}
	}
	if RowCount("nope", sf) != 0 || RowCount("orders", -1) != 0 {
		t.Error("RowCount of bad input is not 0")
	}
	if got := RowCount("supplier", 1); got != 10000 {
		t.Errorf("RowCount(supplier, 1) = %d", got)
	}
	if got := RowCount("orders", 0.5); got != 750000 {
		t.Errorf("RowCount(orders, 0.5) = %d", got)
	}
}

// TestOrdersLineitem checks that the two tables agree: every line's order
// exists, 1..7 lines per order numbered from 1, o_totalprice and
// o_orderstatus computed from the lines, and the per-line rules of clause 4.2.3.
func TestOrdersLineitem(t *testing.T) {
	o := gen(t, "orders", 1000)
	l := gen(t, "lineitem", 3000)
	type ord struct {
		idx, lines int
		total      int64
		nF, nO     int
	}
	orders := map[int64]*ord{}
	for i, k := range o.ints["o_orderkey"] {
		if (k-1)%32 >= 8 {
			t.Fatalf("order key %d is not among the first 8 of 32", k)
		}
		if orders[k] != nil {
			t.Fatalf("duplicate order key %d", k)
		}
		orders[k] = &ord{idx: i}
		c := o.ints["o_custkey"][i]
		if c < 1 || c > 1500 || c%3 == 0 {
			t.Fatalf("order %d: bad custkey %d", k, c)
		}
		if d := o.ints["o_orderdate"][i]; d < day("1992-01-01") || d > day("1998-08-02") {
			t.Fatalf("order %d: date %d out of range", k, d)
		}
	}
	// The 15000th order (index 14999) is key (14999/8)*32 + 14999%8 + 1.
	if got := o.ints["o_orderkey"][14999]; got != 59976 {
		t.Errorf("last order key %d, want 59976", got)
	}
	var shipOK int
	for i, k := range l.ints["l_orderkey"] {
		od := orders[k]
		if od == nil {
			t.Fatalf("lineitem %d: order %d does not exist", i, k)
		}
		od.lines++
		if ln := l.ints["l_linenumber"][i]; ln != int64(od.lines) {
			t.Fatalf("order %d: line number %d, want %d", k, ln, od.lines)
		}
		qty, price := l.ints["l_quantity"][i], l.ints["l_extendedprice"][i]
		disc, tax := l.ints["l_discount"][i], l.ints["l_tax"][i]
		if qty < 100 || qty > 5000 || qty%100 != 0 || disc < 0 || disc > 10 || tax < 0 || tax > 8 {
			t.Fatalf("lineitem %d: qty %d disc %d tax %d", i, qty, disc, tax)
		}
		if want := qty / 100 * retailPrice(l.ints["l_partkey"][i]); price != want {
			t.Fatalf("lineitem %d: extendedprice %d, want %d", i, price, want)
		}
		od.total += price * (100 - disc) * (100 + tax)
		odate := o.ints["o_orderdate"][od.idx]
		ship, commit, receipt := l.ints["l_shipdate"][i], l.ints["l_commitdate"][i], l.ints["l_receiptdate"][i]
		if ship-odate < 1 || ship-odate > 121 || commit-odate < 30 || commit-odate > 90 || receipt-ship < 1 || receipt-ship > 30 {
			t.Fatalf("lineitem %d: dates %d %d %d for order date %d", i, ship, commit, receipt, odate)
		}
		cur := day("1995-06-17")
		flag, status := l.strs["l_returnflag"][i], l.strs["l_linestatus"][i]
		if (receipt <= cur && flag != "R" && flag != "A") || (receipt > cur && flag != "N") {
			t.Fatalf("lineitem %d: returnflag %s with receipt %d", i, flag, receipt)
		}
		if (ship > cur) != (status == "O") || (status != "O" && status != "F") {
			t.Fatalf("lineitem %d: linestatus %s with ship %d", i, status, ship)
		}
		if status == "F" {
			od.nF++
		} else {
			od.nO++
		}
		if ship <= day("1998-09-02") {
			shipOK++
		}
	}
	sum := 0
	for k, od := range orders {
		if od.lines < 1 || od.lines > 7 {
			t.Fatalf("order %d has %d lines", k, od.lines)
		}
		sum += od.lines
		if got, want := o.ints["o_totalprice"][od.idx], (od.total+5000)/10000; got != want {
			t.Fatalf("order %d: totalprice %d, want %d", k, got, want)
		}
		want := "P"
		if od.nF == od.lines {
			want = "F"
		} else if od.nO == od.lines {
			want = "O"
		}
		if got := o.strs["o_orderstatus"][od.idx]; got != want {
			t.Fatalf("order %d: status %s, want %s", k, got, want)
		}
	}
	if sum != l.n {
		t.Errorf("sum of lines per order %d != lineitem rows %d", sum, l.n)
	}
	if int64(l.n) != RowCount("lineitem", sf) {
		t.Errorf("lineitem: generated %d rows, RowCount %d", l.n, RowCount("lineitem", sf))
	}
	// 1..7 lines per order: 4 on average.
	if l.n < 15000*39/10 || l.n > 15000*41/10 {
		t.Errorf("lineitem: %d rows, want about 60000", l.n)
	}
	// Every (l_partkey, l_suppkey) is a partsupp row.
	ps := gen(t, "partsupp", 8000)
	pairs := map[[2]int64]bool{}
	for i := range ps.n {
		pairs[[2]int64{ps.ints["ps_partkey"][i], ps.ints["ps_suppkey"][i]}] = true
	}
	for i := range l.n {
		if p := [2]int64{l.ints["l_partkey"][i], l.ints["l_suppkey"][i]}; !pairs[p] {
			t.Fatalf("lineitem %d: (partkey, suppkey) %v not in partsupp", i, p)
		}
	}
	// Q1: l_shipdate <= date '1998-12-01' - interval '90' day keeps ~98%.
	if sel := float64(shipOK) / float64(l.n); sel < 0.95 || sel > 0.99 {
		t.Errorf("Q1 selectivity %.4f, want 0.95..0.99", sel)
	}
	// Q6: shipdate in 1994, discount 0.05..0.07, quantity < 24 keeps ~2%.
	q6 := 0
	for i := range l.n {
		s := l.ints["l_shipdate"][i]
		d := l.ints["l_discount"][i]
		if s >= day("1994-01-01") && s < day("1995-01-01") && d >= 5 && d <= 7 && l.ints["l_quantity"][i] < 2400 {
			q6++
		}
	}
	if sel := float64(q6) / float64(l.n); sel < 0.01 || sel > 0.03 {
		t.Errorf("Q6 selectivity %.4f, want about 0.02", sel)
	}
	special := 0
	for _, c := range o.strs["o_comment"] {
		if len(c) < 19 || len(c) > 78 {
			t.Fatalf("o_comment length %d", len(c))
		}
		if i := strings.Index(c, "special"); i >= 0 && strings.Contains(c[i:], "requests") {
			special++
		}
	}
	if special == 0 || special > o.n/10 {
		t.Errorf("%d o_comments match %%special%%requests%%", special)
	}
}

func TestPartsuppSupplierCustomer(t *testing.T) {
	ps := gen(t, "partsupp", 1024)
	pairs := map[[2]int64]bool{}
	for i := range ps.n {
		p, s := ps.ints["ps_partkey"][i], ps.ints["ps_suppkey"][i]
		if s < 1 || s > 100 || p < 1 || p > 2000 {
			t.Fatalf("partsupp (%d, %d) out of range", p, s)
		}
		if pairs[[2]int64{p, s}] {
			t.Fatalf("duplicate partsupp (%d, %d)", p, s)
		}
		pairs[[2]int64{p, s}] = true
		if q := ps.ints["ps_availqty"][i]; q < 1 || q > 9999 {
			t.Fatalf("ps_availqty %d", q)
		}
		if c := ps.ints["ps_supplycost"][i]; c < 100 || c > 100000 {
			t.Fatalf("ps_supplycost %d", c)
		}
	}
	for _, name := range []string{"supplier", "customer"} {
		tb := gen(t, name, 1024)
		prefix := name[:1]
		for i := range tb.n {
			nk := tb.ints[prefix+"_nationkey"][i]
			if nk < 0 || nk > 24 {
				t.Fatalf("%s: nationkey %d", name, nk)
			}
			phone := tb.strs[prefix+"_phone"][i]
			if len(phone) != 15 || phone[:2] != string(rune('0'+(nk+10)/10))+string(rune('0'+(nk+10)%10)) {
				t.Fatalf("%s: phone %q for nation %d", name, phone, nk)
			}
			if b := tb.ints[prefix+"_acctbal"][i]; b < -99999 || b > 999999 {
				t.Fatalf("%s: acctbal %d", name, b)
			}
		}
	}
}

func TestNationRegion(t *testing.T) {
	r := gen(t, "region", 2)
	if got := strings.Join(r.strs["r_name"], ","); got != "AFRICA,AMERICA,ASIA,EUROPE,MIDDLE EAST" {
		t.Errorf("regions %s", got)
	}
	n := gen(t, "nation", 7)
	if n.n != 25 {
		t.Fatalf("%d nations", n.n)
	}
	want := map[string]int64{"ALGERIA": 0, "BRAZIL": 1, "CHINA": 2, "FRANCE": 3, "GERMANY": 3, "SAUDI ARABIA": 4,
		"UNITED STATES": 1, "UNITED KINGDOM": 3, "JAPAN": 2, "EGYPT": 4, "PERU": 1, "KENYA": 0}
	for i, name := range n.strs["n_name"] {
		if n.ints["n_nationkey"][i] != int64(i) {
			t.Errorf("nation %s key %d", name, n.ints["n_nationkey"][i])
		}
		if rk, ok := want[name]; ok && n.ints["n_regionkey"][i] != rk {
			t.Errorf("nation %s region %d, want %d", name, n.ints["n_regionkey"][i], rk)
		}
	}
	if n.strs["n_name"][0] != "ALGERIA" || n.strs["n_name"][24] != "UNITED STATES" {
		t.Errorf("nation names %v", n.strs["n_name"])
	}
}

func TestPart(t *testing.T) {
	p := gen(t, "part", 500)
	// Hand-computed p_retailprice = (90000 + ((key/10) mod 20001) + 100*(key mod 1000)) / 100.
	for key, want := range map[int64]int64{1: 90100, 10: 91001, 999: 189999, 1000: 90100, 1234: 113523, 2000: 90200} {
		if got := p.ints["p_retailprice"][key-1]; got != want {
			t.Errorf("p_retailprice(%d) = %d cents, want %d", key, got, want)
		}
	}
	green := 0
	for i := range p.n {
		words := strings.Split(p.strs["p_name"][i], " ")
		seen := map[string]bool{}
		for _, w := range words {
			seen[w] = true
		}
		if len(words) != 5 || len(seen) != 5 {
			t.Fatalf("p_name %q is not 5 distinct colors", p.strs["p_name"][i])
		}
		if seen["green"] {
			green++
		}
		m, b := p.strs["p_mfgr"][i], p.strs["p_brand"][i]
		if len(m) != 14 || len(b) != 8 || m[13] != b[6] || b[7] < '1' || b[7] > '5' || m[13] < '1' || m[13] > '5' {
			t.Fatalf("mfgr %q brand %q", m, b)
		}
		if s := p.ints["p_size"][i]; s < 1 || s > 50 {
			t.Fatalf("p_size %d", s)
		}
		if len(strings.Fields(p.strs["p_type"][i])) != 3 || len(strings.Fields(p.strs["p_container"][i])) != 2 {
			t.Fatalf("type %q container %q", p.strs["p_type"][i], p.strs["p_container"][i])
		}
	}
	// Q9's '%green%' keeps about 5/92 of parts.
	if green < 60 || green > 160 {
		t.Errorf("%d parts named green", green)
	}
	s := gen(t, "supplier", 64)
	complaints := 0
	for i, c := range s.strs["s_comment"] {
		if i := strings.Index(c, "Customer "); i >= 0 && strings.HasSuffix(c, "Complaints") {
			complaints++
		}
		if len(c) < 25 || len(c) > 100 {
			t.Fatalf("s_comment %q length %d", c, len(c))
		}
		if want := "Supplier#" + strings.Repeat("0", 9-len(itoa(i+1))) + itoa(i+1); s.strs["s_name"][i] != want {
			t.Fatalf("s_name %q, want %q", s.strs["s_name"][i], want)
		}
	}
	if complaints != 1 {
		t.Errorf("%d supplier comments with Customer ... Complaints, want 1", complaints)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestGenerateDeterministic(t *testing.T) {
	mem := exectest.Alloc(t)
	collect := func() []arrow.RecordBatch {
		var out []arrow.RecordBatch
		if err := Generate(context.Background(), "lineitem", 0.002, mem, 1000, func(r arrow.RecordBatch) error {
			r.Retain()
			out = append(out, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := collect(), collect()
	defer func() {
		for _, r := range append(a, b...) {
			r.Release()
		}
	}()
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d vs %d batches", len(a), len(b))
	}
	for i := range a {
		if !array.RecordEqual(a[i], b[i]) {
			t.Fatalf("batch %d differs", i)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	mem := exectest.Alloc(t)
	ok := func(arrow.RecordBatch) error { return nil }
	bg := context.Background()
	if err := Generate(bg, "nope", sf, mem, 10, ok); err == nil {
		t.Error("unknown table accepted")
	}
	for _, s := range []float64{0, -1} {
		if err := Generate(bg, "orders", s, mem, 10, ok); err == nil {
			t.Errorf("sf %v accepted", s)
		}
	}
	if err := Generate(bg, "orders", sf, mem, 0, ok); err == nil {
		t.Error("batchRows 0 accepted")
	}
	ctx, cancel := context.WithCancel(bg)
	calls := 0
	err := Generate(ctx, "lineitem", sf, mem, 100, func(arrow.RecordBatch) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("cancelled: err %v after %d batches", err, calls)
	}
	boom := errors.New("boom")
	if err := Generate(bg, "part", sf, mem, 100, func(arrow.RecordBatch) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("emit error: %v", err)
	}
	if err := WriteParquet(bg, t.TempDir(), sf, 0); err == nil {
		t.Error("row group 0 accepted")
	}
	cctx, c2 := context.WithCancel(bg)
	c2()
	dir := t.TempDir()
	if err := WriteParquet(cctx, dir, sf, 100); !errors.Is(err, context.Canceled) {
		t.Errorf("WriteParquet cancelled: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("cancelled WriteParquet left %d files", len(left))
	}
}

// TestWriteParquet checks the layout of the written files and that two runs
// produce the same bytes. (The embedded SF 0.01 files, with 4 lineitem row
// groups, are checked by package samples.)
func TestWriteParquet(t *testing.T) {
	const small, groupRows = 0.002, 4096
	d1, d2 := t.TempDir(), t.TempDir()
	ctx := context.Background()
	if err := WriteParquet(ctx, d1, small, groupRows); err != nil {
		t.Fatal(err)
	}
	if err := WriteParquet(ctx, d2, small, groupRows); err != nil {
		t.Fatal(err)
	}
	for _, name := range Tables() {
		b1, err := os.ReadFile(filepath.Join(d1, name+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		b2, err := os.ReadFile(filepath.Join(d2, name+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1, b2) {
			t.Errorf("%s: two runs differ", name)
		}
		checkParquet(t, name, b1, small, groupRows)
	}
	if left, _ := filepath.Glob(filepath.Join(d1, "*.tmp")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func checkParquet(t *testing.T, name string, data []byte, sf float64, groupRows int64) {
	t.Helper()
	rd, err := file.NewParquetReader(bytes.NewReader(data), file.WithReadProps(parquet.NewReaderProperties(memory.DefaultAllocator)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer rd.Close()
	md := rd.MetaData()
	if md.NumRows != RowCount(name, sf) {
		t.Errorf("%s: %d rows, want %d", name, md.NumRows, RowCount(name, sf))
	}
	wantGroups := int((md.NumRows + groupRows - 1) / groupRows)
	if rd.NumRowGroups() != wantGroups {
		t.Errorf("%s: %d row groups, want %d", name, rd.NumRowGroups(), wantGroups)
	}
	if name == "lineitem" && rd.NumRowGroups() < 2 {
		t.Errorf("lineitem: only %d row groups", rd.NumRowGroups())
	}
	as, _ := Schema(name)
	for c := range md.Schema.NumColumns() {
		col := md.Schema.Column(c)
		at := as.Field(c).Type
		switch at.ID() {
		case arrow.DECIMAL64:
			dl, ok := col.LogicalType().(schema.DecimalLogicalType)
			if col.PhysicalType() != parquet.Types.Int64 || !ok || dl.Precision() != 15 || dl.Scale() != 2 {
				t.Errorf("%s.%s: %s %s, want INT64 DECIMAL(15,2)", name, col.Name(), col.PhysicalType(), col.LogicalType())
			}
		case arrow.DATE32:
			if _, ok := col.LogicalType().(schema.DateLogicalType); !ok || col.PhysicalType() != parquet.Types.Int32 {
				t.Errorf("%s.%s: %s %s, want INT32 DATE", name, col.Name(), col.PhysicalType(), col.LogicalType())
			}
		case arrow.STRING:
			if _, ok := col.LogicalType().(schema.StringLogicalType); !ok || col.PhysicalType() != parquet.Types.ByteArray {
				t.Errorf("%s.%s: %s %s, want BYTE_ARRAY STRING", name, col.Name(), col.PhysicalType(), col.LogicalType())
			}
		}
		for g := range rd.NumRowGroups() {
			cc, err := md.RowGroup(g).ColumnChunk(c)
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := cc.StatsSet(); !ok || err != nil {
				t.Errorf("%s.%s row group %d: no statistics (%v)", name, col.Name(), g, err)
			}
			if at.ID() == arrow.STRING && !cc.HasDictionaryPage() {
				t.Errorf("%s.%s row group %d: not dictionary-encoded", name, col.Name(), g)
			}
		}
	}
}

func TestGenerateCancelLargeBatch(t *testing.T) {
	mem := exectest.Alloc(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Generate(ctx, "lineitem", sf, mem, 1<<20, func(arrow.RecordBatch) error {
		t.Error("emit called after cancel")
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
}
