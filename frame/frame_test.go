package frame_test

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"go.uber.org/goleak"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/samples"
	"github.com/gspark/gspark/values"
)

// table is a sample table read with arrow-go's own Parquet reader: an
// independent path to the data the engine's answers are checked against.
type table struct {
	cols []string
	rows [][]any
}

func (t table) idx(name string) int {
	for i, c := range t.cols {
		if c == name {
			return i
		}
	}
	panic("no column " + name)
}

func readSample(t testing.TB, name string) table {
	t.Helper()
	tb, ok := samples.Lookup(name)
	if !ok {
		t.Fatalf("no sample %s", name)
	}
	rdr, err := file.NewParquetReader(bytes.NewReader(tb.Data))
	if err != nil {
		t.Fatal(err)
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 1 << 16}, memory.NewGoAllocator())
	if err != nil {
		t.Fatal(err)
	}
	arrowTable, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer arrowTable.Release()
	tr := arrowTableReader(arrowTable)
	defer tr.Release()
	var out table
	for _, f := range arrowTable.Schema().Fields() {
		out.cols = append(out.cols, f.Name)
	}
	for tr.Next() {
		out.rows = append(out.rows, values.Rows([]arrow.RecordBatch{tr.RecordBatch()})...)
	}
	return out
}

// sessions returns sessions with 1, 2 and 7 partitions (7 only under -short),
// optimizer on and off.
func sessions() map[string]*frame.Session {
	out := map[string]*frame.Session{}
	for _, p := range exectest.PartitionCounts(1, 2, 7) {
		for _, opt := range []bool{true, false} {
			out[fmt.Sprintf("partitions=%d/optimizer=%v", p, opt)] = frame.NewSession(frame.WithPartitions(p), frame.WithOptimizer(opt))
		}
	}
	return out
}

func collect(t *testing.T, df *frame.DataFrame) []frame.Row {
	t.Helper()
	rows, err := df.Collect(context.Background())
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	return rows
}

func rat(v any) *big.Rat {
	switch x := v.(type) {
	case values.Decimal:
		return x.Rat()
	case int32:
		return new(big.Rat).SetInt64(int64(x))
	case int64:
		return new(big.Rat).SetInt64(x)
	case float64:
		return new(big.Rat).SetFloat64(x)
	}
	panic(fmt.Sprintf("rat of %T", v))
}

// roundHalfUp rounds r to scale digits, half away from zero (Spark's HALF_UP).
func roundHalfUp(r *big.Rat, scale int) string {
	s := r.FloatString(scale + 1)
	neg := s[0] == '-'
	d, _ := new(big.Rat).SetString(s)
	unit := new(big.Rat).SetFrac64(5, pow10(scale+1))
	if neg {
		d.Sub(d, unit)
	} else {
		d.Add(d, unit)
	}
	// Truncate toward zero at scale digits.
	t := d.FloatString(scale + 1)
	return t[:len(t)-1]
}

func pow10(n int) int64 {
	p := int64(1)
	for i := 0; i < n; i++ {
		p *= 10
	}
	return p
}

// q1 is TPC-H Q1 over samples.lineitem.
func q1(s *frame.Session) *frame.DataFrame {
	discPrice := F.Col("l_extendedprice").Mul(F.Lit(1).Sub(F.Col("l_discount")))
	return s.Table("samples.lineitem").
		Filter(F.Col("l_shipdate").Leq(F.Date("1998-09-02"))).
		GroupBy(F.Col("l_returnflag"), F.Col("l_linestatus")).
		Agg(
			F.Sum(F.Col("l_quantity")).Alias("sum_qty"),
			F.Sum(F.Col("l_extendedprice")).Alias("sum_base_price"),
			F.Sum(discPrice).Alias("sum_disc_price"),
			F.Sum(discPrice.Mul(F.Lit(1).Add(F.Col("l_tax")))).Alias("sum_charge"),
			F.Avg(F.Col("l_quantity")).Alias("avg_qty"),
			F.Avg(F.Col("l_discount")).Alias("avg_disc"),
			F.CountStar().Alias("count_order"),
		).
		OrderBy(F.Col("l_returnflag"), F.Col("l_linestatus"))
}

// TestQ1AgainstNaive checks Q1 against exact rational arithmetic over the rows
// read by arrow-go's reader, for every partitioning and with the optimizer on and off.
func TestQ1AgainstNaive(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	li := readSample(t, "lineitem")
	type acc struct {
		qty, base, disc, charge, discount *big.Rat
		n                                 int64
	}
	groups := map[string]*acc{}
	cutoff := mustDate("1998-09-02")
	one := big.NewRat(1, 1)
	for _, r := range li.rows {
		if r[li.idx("l_shipdate")].(time.Time).After(cutoff) {
			continue
		}
		k := r[li.idx("l_returnflag")].(string) + "|" + r[li.idx("l_linestatus")].(string)
		a := groups[k]
		if a == nil {
			a = &acc{new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat), 0}
			groups[k] = a
		}
		price, discount, tax := rat(r[li.idx("l_extendedprice")]), rat(r[li.idx("l_discount")]), rat(r[li.idx("l_tax")])
		dp := new(big.Rat).Mul(price, new(big.Rat).Sub(one, discount))
		a.qty.Add(a.qty, rat(r[li.idx("l_quantity")]))
		a.base.Add(a.base, price)
		a.disc.Add(a.disc, dp)
		a.charge.Add(a.charge, new(big.Rat).Mul(dp, new(big.Rat).Add(one, tax)))
		a.discount.Add(a.discount, discount)
		a.n++
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var want [][]string
	for _, k := range keys {
		a := groups[k]
		n := new(big.Rat).SetInt64(a.n)
		want = append(want, []string{k[:1], k[2:],
			a.qty.FloatString(2), a.base.FloatString(2), a.disc.FloatString(4), a.charge.FloatString(6),
			roundHalfUp(new(big.Rat).Quo(a.qty, n), 6), roundHalfUp(new(big.Rat).Quo(a.discount, n), 6), fmt.Sprint(a.n)})
	}
	if len(want) != 4 {
		t.Fatalf("reference has %d groups, want 4", len(want))
	}
	for name, s := range sessions() {
		t.Run(name, func(t *testing.T) {
			rows := collect(t, q1(s))
			got := make([][]string, len(rows))
			for i, r := range rows {
				for _, v := range r {
					got[i] = append(got[i], values.FormatValue(v))
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Q1:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func mustDate(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func arrowTableReader(t arrow.Table) *array.TableReader { return array.NewTableReader(t, 1<<16) }
