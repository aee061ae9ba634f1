package functions_test

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/values"
)

// TestSparkAggregateFunctions checks the Go API of the aggregates against
// Spark's documented examples (the rows of linear-regression.sql in Spark's
// own tests for the regr_* family).
func TestSparkAggregateFunctions(t *testing.T) {
	s := frame.NewSession()
	s.SQL("SELECT * FROM VALUES (1, 10, NULL, 'b'), (2, 10, 11, 'a'), (2, 20, 22, 'c'), (2, 25, NULL, NULL), (2, 30, 35, 'a'), (2, NULL, 40, 'd') AS t(k, y, x, s)").
		CreateOrReplaceTempView("reg")
	y, x, str := frame.Col("y"), frame.Col("x"), frame.Col("s")
	cols := []frame.Column{
		F.RegrCount(y, x), F.RegrAvgX(y, x), F.RegrAvgY(y, x), F.RegrSXX(y, x), F.RegrSYY(y, x), F.RegrSXY(y, x),
		F.RegrSlope(y, x), F.RegrIntercept(y, x), F.RegrR2(y, x),
		F.Mode(str), F.ModeWithinGroup(y, true),
		F.ListAgg(str, ","), F.StringAgg(str, "-", x.Desc()), F.ListAggDistinct(str, ""),
		F.ListAgg(str, "", frame.Col("k").Desc(), x),
		F.PercentileCont(x, 0.25, false), F.PercentileDisc(x, 0.25, true),
		F.TrySum(y), F.TryAvg(y),
	}
	rows, err := s.Table("reg").Agg(cols...).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{int64(3), 22.666666666666668, 20.0, 288.6666666666667, 200.0, 240.0,
		0.8314087759815242, 1.1547344110854496, 0.997690531177829,
		"a", int32(10),
		"b,a,c,a,d", "d-a-c-a-b", "abcd", "acadb",
		19.25, 40.0,
		int64(95), 19.0}
	got := []any(rows[0])
	if len(got) != len(want) {
		t.Fatalf("got %d values, want %d", len(got), len(want))
	}
	for i := range want {
		if w, ok := want[i].(float64); ok {
			if g, ok := got[i].(float64); !ok || math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
				t.Errorf("column %d (%s): got %#v, want %v", i, cols[i], got[i], w)
			}
			continue
		}
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("column %d (%s): got %#v, want %#v", i, cols[i], got[i], want[i])
		}
	}
}

// TestSparkMomentsAndHistogram checks skewness, kurtosis and
// histogram_numeric against Spark's documented examples.
func TestSparkMomentsAndHistogram(t *testing.T) {
	s := frame.NewSession()
	df := s.SQL("SELECT * FROM VALUES (-10), (-20), (100), (1000) AS tab(col)")
	c := frame.Col("col")
	rows, err := df.Agg(F.Skewness(c), F.Kurtosis(c), F.HistogramNumeric(c, 5)).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := rows[0]
	if g := r[0].(float64); math.Abs(g-1.1135657469022011) > 1e-12 {
		t.Errorf("skewness %v, want 1.1135657469022011", g)
	}
	if g := r[1].(float64); math.Abs(g-(-0.7014368047529627)) > 1e-12 {
		t.Errorf("kurtosis %v, want -0.7014368047529627", g)
	}
	var want []any
	for _, v := range []int32{-20, -10, 100, 1000} {
		want = append(want, values.Struct{Names: []string{"x", "y"}, Values: []any{v, 1.0}})
	}
	if !reflect.DeepEqual(r[2], want) {
		t.Errorf("histogram_numeric %#v, want %#v", r[2], want)
	}
}

// TestSparkMiscFunctions checks the Go API of the miscellaneous functions
// against Spark's documented examples.
func TestSparkMiscFunctions(t *testing.T) {
	s := strOneRow(t)
	df := s.Table("one")
	null := frame.Lit(nil)
	cols := []frame.Column{
		F.TypeOf(frame.Lit(1)), F.TypeOf(frame.Call("array", frame.Lit(1))),
		F.IsNull(frame.Lit(1)), F.IsNotNull(frame.Lit(1)),
		F.EqualNull(frame.Lit(3), frame.Lit(3)), F.EqualNull(null, null), F.EqualNull(frame.Lit(true), null),
		F.NullIfZero(frame.Lit(0)), F.NullIfZero(frame.Lit(2)), F.ZeroIfNull(null), F.ZeroIfNull(frame.Lit(2)),
		F.TypeOf(F.NamedStruct(frame.Lit("a"), frame.Lit(1), frame.Lit("b"), frame.Lit("x"))),
		F.TypeOf(F.Struct(frame.Lit(1).Alias("a"), frame.Col("x"))),
		F.SparkPartitionID(), F.MonotonicallyIncreasingID(),
	}
	rows, err := df.Select(cols...).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"int", "array<int>", false, true, true, true, false, nil, int32(2), int32(0), int32(2),
		"struct<a:int,b:string>", "struct<a:int,x:string>", int32(0), int64(0)}
	if got := []any(rows[0]); !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}

// TestRewrittenAggregateNames checks that the aggregates gspark rewrites
// into others (regr_count, regr_avgx, regr_avgy, try_sum, try_avg) or
// whose arguments it casts keep the column names Spark gives them.
func TestRewrittenAggregateNames(t *testing.T) {
	s := frame.NewSession()
	df := s.SQL("SELECT regr_count(y, x), regr_avgx(y, x), regr_avgy(y, x), try_sum(y), try_avg(DISTINCT y), " +
		"regr_slope(y, x), skewness(y), percentile_disc(0.25) WITHIN GROUP (ORDER BY y), mode() WITHIN GROUP (ORDER BY y DESC), " +
		"percentile_cont(0.5) WITHIN GROUP (ORDER BY x DESC) " +
		"FROM VALUES (1, 2.5BD) AS t(y, x)")
	want := []string{"regr_count(y, x)", "regr_avgx(y, x)", "regr_avgy(y, x)", "try_sum(y)", "try_avg(DISTINCT y)",
		"regr_slope(y, x)", "skewness(y)", "percentile_disc(0.25) WITHIN GROUP (ORDER BY y)", "mode() WITHIN GROUP (ORDER BY y DESC)",
		"percentile_cont(0.5) WITHIN GROUP (ORDER BY x DESC)"}
	if got := df.Columns(); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
