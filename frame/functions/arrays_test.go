package functions_test

import (
	"context"
	"testing"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
	"github.com/gspark/gspark/values"
)

// TestSparkArrayFunctions checks the Go API of the higher-order and
// collection functions against Spark's documented examples (the lambdas
// of SQL as Go functions).
func TestSparkArrayFunctions(t *testing.T) {
	s := frame.NewSession()
	df := s.SQL("SELECT array(1, 2, 3) AS xs, array(0, 2, 3) AS ys, map(1, 0, 2, 2, 3, -1) AS m, map('a', 1, 'b', 2) AS m1, map('b', 3, 'c', 4) AS m2, array(array(1, 2), array(3, 4)) AS nested, 10 AS k")
	if err := df.Err(); err != nil {
		t.Fatal(err)
	}
	xs, ys, m, nested, k := F.Col("xs"), F.Col("ys"), F.Col("m"), F.Col("nested"), F.Col("k")
	cases := []struct {
		col  frame.Column
		want string
	}{
		{F.Transform(xs, func(x frame.Column) frame.Column { return x.Add(1) }), "[2, 3, 4]"},
		{F.TransformWithIndex(xs, func(x, i frame.Column) frame.Column { return x.Add(i) }), "[1, 3, 5]"},
		// The body reads the column k too.
		{F.Transform(xs, func(x frame.Column) frame.Column { return x.Mul(k) }), "[10, 20, 30]"},
		// Nested lambdas: the inner one reads the outer's parameter.
		{F.Transform(xs, func(x frame.Column) frame.Column {
			return F.Aggregate(ys, 0, func(acc, y frame.Column) frame.Column { return acc.Add(y).Add(x) })
		}), "[8, 11, 14]"},
		{F.Filter(xs, func(x frame.Column) frame.Column { return x.Mod(2).Eq(1) }), "[1, 3]"},
		{F.FilterWithIndex(ys, func(x, i frame.Column) frame.Column { return x.Gt(i) }), "[2, 3]"},
		{F.Exists(xs, func(x frame.Column) frame.Column { return x.Mod(2).Eq(0) }), "true"},
		{F.Forall(xs, func(x frame.Column) frame.Column { return x.Mod(2).Eq(0) }), "false"},
		{F.Aggregate(xs, 0, func(acc, x frame.Column) frame.Column { return acc.Add(x) }), "6"},
		{F.AggregateFinish(xs, 0, func(acc, x frame.Column) frame.Column { return acc.Add(x) }, func(acc frame.Column) frame.Column { return acc.Mul(10) }), "60"},
		{F.ZipWith(F.Lit(nil), xs, func(x, y frame.Column) frame.Column { return y }), "NULL"},
		{F.ZipWith(xs, ys, func(x, y frame.Column) frame.Column { return x.Add(y) }), "[1, 4, 6]"},
		{F.ArraySortBy(xs, func(l, r frame.Column) frame.Column { return r.Sub(l) }), "[3, 2, 1]"},
		{F.ArraySort(F.ArrayInsert(xs, 2, nil)), "[1, 2, 3, null]"},
		{F.MapFilter(m, func(k, v frame.Column) frame.Column { return k.Gt(v) }), "{1 -> 0, 3 -> -1}"},
		{F.TransformKeys(m, func(k, v frame.Column) frame.Column { return k.Add(1) }), "{2 -> 0, 3 -> 2, 4 -> -1}"},
		{F.TransformValues(m, func(k, v frame.Column) frame.Column { return k.Add(v) }), "{1 -> 1, 2 -> 4, 3 -> 2}"},
		{F.MapZipWith(F.Col("m1"), F.Col("m2"), func(_, v1, v2 frame.Column) frame.Column {
			return F.Coalesce(v1, F.Lit(0)).Add(F.Coalesce(v2, F.Lit(0)))
		}), "{a -> 1, b -> 5, c -> 4}"},
		{F.ArrayPosition(F.Lit(nil), 1), "NULL"},
		{F.ArrayPosition(xs, 2), "2"},
		{F.Slice(xs, -2, 2), "[2, 3]"},
		{F.Flatten(nested), "[1, 2, 3, 4]"},
		{F.Sequence(1, 5), "[1, 2, 3, 4, 5]"},
		{F.SequenceStep(5, 1, -2), "[5, 3, 1]"},
		{F.ArrayRepeat(F.Lit("123"), 2), "[123, 123]"},
		{F.ArrayInsert(xs, -1, 4), "[1, 2, 3, 4]"},
		{F.ArrayPrepend(xs, 0), "[0, 1, 2, 3]"},
		{F.ArrayAppend(xs, 4), "[1, 2, 3, 4]"},
		{F.ArraysOverlap(xs, ys), "true"},
		{F.ArraysZip(xs, ys), "[{1, 0}, {2, 2}, {3, 3}]"},
		{F.ArrayRemove(ys, 2), "[0, 3]"},
		{F.ArrayCompact(F.ArrayAppend(xs, nil)), "[1, 2, 3]"},
		{F.Concat(xs, ys), "[1, 2, 3, 0, 2, 3]"},
		{F.Reverse(xs), "[3, 2, 1]"},
		{F.MapConcat(F.Col("m1"), F.Col("m2")), "{a -> 1, b -> 2, b -> 3, c -> 4}"},
		{F.MapFromArrays(xs, ys), "{1 -> 0, 2 -> 2, 3 -> 3}"},
		{F.MapFromEntries(F.MapEntries(m)), "{1 -> 0, 2 -> 2, 3 -> -1}"},
		{F.StrToMap(F.Lit("a:1,b:2,c:3"), ",", ":"), "{a -> 1, b -> 2, c -> 3}"},
		{F.ArrayUnion(xs, ys), "[1, 2, 3, 0]"},
		{F.ArrayIntersect(xs, ys), "[2, 3]"},
		{F.ArrayExcept(xs, ys), "[1]"},
		{F.ArraySize(xs), "3"},
		{F.MapContainsKey(m, 2), "true"},
	}
	for _, c := range cases {
		rows, err := df.Select(c.col).Collect(context.Background())
		if c.want == "{a -> 1, b -> 2, b -> 3, c -> 4}" {
			// map_concat of maps sharing a key is an error (Spark's
			// default mapKeyDedupPolicy EXCEPTION).
			if err == nil {
				t.Errorf("%s: want a duplicate key error, got %v", c.col, rows)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.col, err)
			continue
		}
		if got := values.FormatValue(rows[0][0]); got != c.want {
			t.Errorf("%s = %s, want %s", c.col, got, c.want)
		}
	}
}
