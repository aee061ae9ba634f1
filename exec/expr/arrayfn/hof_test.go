package arrayfn_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/expr/arrayfn"
)

// must returns v, panicking (failing the test) on err: the expressions
// built here are valid by construction.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// randInts returns a random array of int64 (nil 1 in 8, null elements 1
// in 6) of at most maxLen elements.
func randInts(r *rand.Rand, maxLen int) any {
	if r.IntN(8) == 0 {
		return nil
	}
	xs := make([]any, r.IntN(maxLen+1))
	for k := range xs {
		if r.IntN(6) > 0 {
			xs[k] = int64(r.IntN(10))
		}
	}
	return xs
}

// TestHigherOrderAgainstReference evaluates each higher-order function
// over random arrays (sliced, with nulls and empty arrays) and compares
// every row with a row-at-a-time reference.
func TestHigherOrderAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	mem := exectest.Alloc(t)
	const rows = 300
	arrs, arrs2, outer := make([]any, rows), make([]any, rows), make([]any, rows)
	for k := range arrs {
		arrs[k], arrs2[k] = randInts(r, 6), randInts(r, 6)
		if r.IntN(8) > 0 {
			outer[k] = int64(r.IntN(10))
		}
	}
	full := batch(t, mem, column{"a", arrow.ListOf(i64), arrs}, column{"b", arrow.ListOf(i64), arrs2}, column{"p", i64, outer})
	defer full.Release()
	b := full.NewSlice(7, rows)
	defer b.Release()
	arrs, arrs2, outer = arrs[7:], arrs2[7:], outer[7:]
	a, a2 := col(b, 0), col(b, 1)
	ten := lit(t, int64(10), i64)
	zero := lit(t, int64(0), i64)
	// Element batches: outer column p (index 0) first, then parameters.
	p := expr.Column(0, "p", i64)
	param := func(k int, name string, dt arrow.DataType) expr.Expr { return expr.Column(1+k, name, dt) }

	add := func(x, y any) any {
		if x == nil || y == nil {
			return nil
		}
		return x.(int64) + y.(int64)
	}
	gt := func(x, y any) any {
		if x == nil || y == nil {
			return nil
		}
		return x.(int64) > y.(int64)
	}
	// x * 10 + i + p over (x, i) with outer p.
	x, i := param(0, "x", i64), param(1, "i", i32)
	body := must(expr.Binary(expr.Add, must(expr.Binary(expr.Add, must(expr.Binary(expr.Mul, x, ten)), must(expr.Cast(i, i64)))), p))
	transform := must(arrayfn.NewLambda(body, []int{2}, []string{"x", "i"}, []arrow.DataType{i64, i32}))
	pred := must(arrayfn.NewLambda(must(expr.Binary(expr.Gt, param(0, "x", i64), p)), []int{2}, []string{"x"}, []arrow.DataType{i64}))
	merge := must(arrayfn.NewLambda(must(expr.Binary(expr.Add, expr.Column(0, "acc", i64), expr.Column(1, "x", i64))), nil, []string{"acc", "x"}, []arrow.DataType{i64, i64}))
	finish := must(arrayfn.NewLambda(must(expr.Binary(expr.Mul, expr.Column(0, "acc", i64), ten)), nil, []string{"acc"}, []arrow.DataType{i64}))
	zip := must(arrayfn.NewLambda(must(expr.Binary(expr.Add, expr.Column(0, "x", i64), expr.Column(1, "y", i64))), nil, []string{"x", "y"}, []arrow.DataType{i64, i64}))

	each := func(k int, f func(xs []any) any) any {
		if arrs[k] == nil {
			return nil
		}
		return f(arrs[k].([]any))
	}
	// quantified is exists (stop true) or forall (stop false) of x > p over
	// row k: stop as soon as a predicate is stop, else null if one was null.
	quantified := func(k int, stop bool) any {
		return each(k, func(xs []any) any {
			var res any = !stop
			for _, x := range xs {
				switch gt(x, outer[k]) {
				case stop:
					return stop
				case nil:
					res = nil
				}
			}
			return res
		})
	}
	cases := []refCase{
		{"transform", func() (expr.Expr, error) { return arrayfn.Transform(a, transform) }, func(k int) any {
			return each(k, func(xs []any) any {
				out := []any{}
				for j, x := range xs {
					out = append(out, add(add(func() any {
						if x == nil {
							return nil
						}
						return x.(int64) * 10
					}(), int64(j)), outer[k]))
				}
				return out
			})
		}},
		{"filter", func() (expr.Expr, error) { return arrayfn.Filter(a, pred) }, func(k int) any {
			return each(k, func(xs []any) any {
				out := []any{}
				for _, x := range xs {
					if gt(x, outer[k]) == true {
						out = append(out, x)
					}
				}
				return out
			})
		}},
		{"exists", func() (expr.Expr, error) { return arrayfn.Exists(a, pred) }, func(k int) any { return quantified(k, true) }},
		{"forall", func() (expr.Expr, error) { return arrayfn.Forall(a, pred) }, func(k int) any { return quantified(k, false) }},
		{"aggregate", func() (expr.Expr, error) { return arrayfn.Aggregate(a, zero, merge, nil) }, func(k int) any {
			return each(k, func(xs []any) any {
				var acc any = int64(0)
				for _, x := range xs {
					acc = add(acc, x)
				}
				return acc
			})
		}},
		{"aggregate_finish", func() (expr.Expr, error) { return arrayfn.Aggregate(a, zero, merge, finish) }, func(k int) any {
			return each(k, func(xs []any) any {
				var acc any = int64(0)
				for _, x := range xs {
					acc = add(acc, x)
				}
				if acc == nil {
					return nil
				}
				return acc.(int64) * 10
			})
		}},
		{"zip_with", func() (expr.Expr, error) { return arrayfn.ZipWith(a, a2, zip) }, func(k int) any {
			if arrs[k] == nil || arrs2[k] == nil {
				return nil
			}
			xs, ys := arrs[k].([]any), arrs2[k].([]any)
			out := []any{}
			for j := 0; j < max(len(xs), len(ys)); j++ {
				var x, y any
				if j < len(xs) {
					x = xs[j]
				}
				if j < len(ys) {
					y = ys[j]
				}
				out = append(out, add(x, y))
			}
			return out
		}},
	}
	checkRefCases(t, mem, b, cases, func(k int) string {
		return fmt.Sprintf("%v, p=%v", arrs[k], outer[k])
	})
}

// descNullsFirst is the comparator CASE WHEN l IS NULL AND r IS NULL THEN 0
// WHEN l IS NULL THEN -1 WHEN r IS NULL THEN 1 ELSE r - l END, as an int.
func descNullsFirst(t *testing.T) *arrayfn.Lambda {
	l, r := expr.Column(0, "l", i64), expr.Column(1, "r", i64)
	both := must(expr.Binary(expr.And, expr.IsNull(l), expr.IsNull(r)))
	diff := must(expr.Binary(expr.Sub, r, l))
	body := must(expr.CaseWhen([]expr.Expr{both, expr.IsNull(l), expr.IsNull(r)},
		[]expr.Expr{lit(t, int64(0), i64), lit(t, int64(-1), i64), lit(t, int64(1), i64)}, diff))
	return must(arrayfn.NewLambda(must(expr.Cast(body, i32)), nil, []string{"l", "r"}, []arrow.DataType{i64, i64}))
}

// TestArraySortAgainstReference sorts random arrays, short ones (all pairs
// compared at once) and long ones (compared a pair at a time), with a
// comparator and without.
func TestArraySortAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	mem := exectest.Alloc(t)
	for _, maxLen := range []int{8, 90, 300} {
		const rows = 40
		arrs := make([]any, rows)
		for k := range arrs {
			arrs[k] = randInts(r, maxLen)
		}
		full := batch(t, mem, column{"a", arrow.ListOf(i64), arrs})
		b := full.NewSlice(3, rows)
		arrs = arrs[3:]
		cmpDesc := func(x, y any) int {
			switch {
			case x == nil && y == nil:
				return 0
			case x == nil:
				return -1
			case y == nil:
				return 1
			}
			return int(y.(int64) - x.(int64))
		}
		cmpAscNullsLast := func(x, y any) int {
			switch {
			case x == nil && y == nil:
				return 0
			case x == nil:
				return 1
			case y == nil:
				return -1
			}
			return int(x.(int64) - y.(int64))
		}
		for _, c := range []struct {
			name string
			e    func() (expr.Expr, error)
			cmp  func(x, y any) int
		}{
			{"comparator", func() (expr.Expr, error) { return arrayfn.ArraySort(col(b, 0), descNullsFirst(t)) }, cmpDesc},
			{"default", func() (expr.Expr, error) { return arrayfn.ArraySortDefault(col(b, 0)) }, cmpAscNullsLast},
		} {
			e, err := c.e()
			vs, err := eval(t, mem, e, err, b)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			for k, v := range vs {
				var want any
				if arrs[k] != nil {
					xs := slices.Clone(arrs[k].([]any))
					slices.SortStableFunc(xs, c.cmp)
					want = xs
				}
				if !reflect.DeepEqual(v, want) {
					t.Fatalf("%s (max %d) row %d: got %v, want %v", c.name, maxLen, k, v, want)
				}
			}
		}
		b.Release()
		full.Release()
	}
}

// TestCollectionAgainstReference checks the collection functions over
// random arrays against row-at-a-time references.
func TestCollectionAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	mem := exectest.Alloc(t)
	const rows = 300
	arrs, arrs2, ints, ints2, probes := make([]any, rows), make([]any, rows), make([]any, rows), make([]any, rows), make([]any, rows)
	for k := range arrs {
		arrs[k], arrs2[k] = randInts(r, 6), randInts(r, 6)
		if r.IntN(8) > 0 {
			ints[k] = int32(r.IntN(17) - 8)
			if ints[k] == int32(0) {
				ints[k] = int32(2)
			}
		}
		if r.IntN(8) > 0 {
			ints2[k] = int32(r.IntN(5))
		}
		if r.IntN(8) > 0 {
			probes[k] = int64(r.IntN(10))
		}
	}
	full := batch(t, mem, column{"a", arrow.ListOf(i64), arrs}, column{"b", arrow.ListOf(i64), arrs2},
		column{"i", i32, ints}, column{"j", i32, ints2}, column{"p", i64, probes})
	defer full.Release()
	b := full.NewSlice(5, rows)
	defer b.Release()
	arrs, arrs2, ints, ints2, probes = arrs[5:], arrs2[5:], ints[5:], ints2[5:], probes[5:]
	a, a2, ci, cj, cp := col(b, 0), col(b, 1), col(b, 2), col(b, 3), col(b, 4)
	cases := []refCase{
		{"array_position", func() (expr.Expr, error) { return arrayfn.ArrayPosition(a, cp) }, func(k int) any {
			if arrs[k] == nil || probes[k] == nil {
				return nil
			}
			for j, x := range arrs[k].([]any) {
				if x == probes[k] {
					return int64(j + 1)
				}
			}
			return int64(0)
		}},
		{"array_remove", func() (expr.Expr, error) { return arrayfn.ArrayRemove(a, cp) }, func(k int) any {
			if arrs[k] == nil || probes[k] == nil {
				return nil
			}
			out := []any{}
			for _, x := range arrs[k].([]any) {
				if x != probes[k] {
					out = append(out, x)
				}
			}
			return out
		}},
		{"array_compact", func() (expr.Expr, error) { return arrayfn.ArrayCompact(a) }, func(k int) any {
			if arrs[k] == nil {
				return nil
			}
			out := []any{}
			for _, x := range arrs[k].([]any) {
				if x != nil {
					out = append(out, x)
				}
			}
			return out
		}},
		{"reverse", func() (expr.Expr, error) { return arrayfn.ReverseArray(a) }, func(k int) any {
			if arrs[k] == nil {
				return nil
			}
			out := slices.Clone(arrs[k].([]any))
			slices.Reverse(out)
			return out
		}},
		{"array_append", func() (expr.Expr, error) { return arrayfn.ArrayAppend(a, cp, false) }, func(k int) any {
			if arrs[k] == nil {
				return nil
			}
			return append(slices.Clone(arrs[k].([]any)), probes[k])
		}},
		{"slice", func() (expr.Expr, error) { return arrayfn.Slice(a, ci, cj) }, func(k int) any {
			if arrs[k] == nil || ints[k] == nil || ints2[k] == nil {
				return nil
			}
			xs, s, l := arrs[k].([]any), int(ints[k].(int32)), int(ints2[k].(int32))
			from := s - 1
			if s < 0 {
				from = len(xs) + s
			}
			out := []any{}
			for j := from; from >= 0 && j < len(xs) && j < from+l; j++ {
				out = append(out, xs[j])
			}
			return out
		}},
		{"array_insert", func() (expr.Expr, error) { return arrayfn.ArrayInsert(a, ci, cp) }, func(k int) any {
			if arrs[k] == nil || ints[k] == nil {
				return nil
			}
			xs, pos := arrs[k].([]any), int(ints[k].(int32))
			// Position pos from the start (1-based) or from the end (-1:
			// the last), padding with nulls.
			if pos > 0 {
				for len(xs) < pos-1 {
					xs = append(xs, nil)
				}
				return slices.Insert(slices.Clone(xs), pos-1, probes[k])
			}
			out := slices.Clone(xs)
			at := len(out) + pos + 1
			for at < 0 {
				out = slices.Insert(out, 0, nil)
				at++
			}
			return slices.Insert(out, at, probes[k])
		}},
		{"array_union", func() (expr.Expr, error) { return arrayfn.ArrayUnion(a, a2) }, func(k int) any {
			if arrs[k] == nil || arrs2[k] == nil {
				return nil
			}
			out := []any{}
			for _, x := range append(slices.Clone(arrs[k].([]any)), arrs2[k].([]any)...) {
				if !slices.Contains(out, x) {
					out = append(out, x)
				}
			}
			return out
		}},
		{"array_intersect", func() (expr.Expr, error) { return arrayfn.ArrayIntersect(a, a2) }, func(k int) any {
			if arrs[k] == nil || arrs2[k] == nil {
				return nil
			}
			out := []any{}
			for _, x := range arrs[k].([]any) {
				if slices.Contains(arrs2[k].([]any), x) && !slices.Contains(out, x) {
					out = append(out, x)
				}
			}
			return out
		}},
		{"array_except", func() (expr.Expr, error) { return arrayfn.ArrayExcept(a, a2) }, func(k int) any {
			if arrs[k] == nil || arrs2[k] == nil {
				return nil
			}
			out := []any{}
			for _, x := range arrs[k].([]any) {
				if !slices.Contains(arrs2[k].([]any), x) && !slices.Contains(out, x) {
					out = append(out, x)
				}
			}
			return out
		}},
		{"arrays_overlap", func() (expr.Expr, error) { return arrayfn.ArraysOverlap(a, a2) }, func(k int) any {
			if arrs[k] == nil || arrs2[k] == nil {
				return nil
			}
			xs, ys := arrs[k].([]any), arrs2[k].([]any)
			for _, x := range xs {
				if x != nil && slices.Contains(ys, x) {
					return true
				}
			}
			if len(xs) > 0 && len(ys) > 0 && (slices.Contains(xs, nil) || slices.Contains(ys, nil)) {
				return nil
			}
			return false
		}},
	}
	checkRefCases(t, mem, b, cases, func(k int) string {
		return fmt.Sprintf("%v, %v, %v, %v", arrs[k], ints[k], ints2[k], probes[k])
	})
}

// TestSequenceAgainstReference checks sequence over integers and over
// dates with month and day steps against references built with Go's time
// package.
func TestSequenceAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	mem := exectest.Alloc(t)
	const rows = 200
	los, his, steps, dlo, dhi := make([]any, rows), make([]any, rows), make([]any, rows), make([]any, rows), make([]any, rows)
	for k := range los {
		lo, hi := int64(r.IntN(40)-20), int64(r.IntN(40)-20)
		step := int64(r.IntN(5) + 1)
		if hi < lo {
			step = -step
		}
		los[k], his[k], steps[k] = lo, hi, step
		if r.IntN(10) == 0 {
			los[k] = nil
		}
		d := int32(r.IntN(3000) + 10000)
		dlo[k], dhi[k] = d, d+int32(r.IntN(400))
	}
	b := batch(t, mem, column{"lo", i64, los}, column{"hi", i64, his}, column{"step", i64, steps},
		column{"dlo", arrow.FixedWidthTypes.Date32, toDates(dlo)}, column{"dhi", arrow.FixedWidthTypes.Date32, toDates(dhi)})
	defer b.Release()
	vs, err := eval(t, mem, must(arrayfn.Sequence(col(b, 0), col(b, 1), col(b, 2))), nil, b)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range vs {
		var want any
		if los[k] != nil {
			xs := []any{}
			lo, hi, st := los[k].(int64), his[k].(int64), steps[k].(int64)
			for x := lo; st > 0 && x <= hi || st < 0 && x >= hi; x += st {
				xs = append(xs, x)
			}
			want = xs
		}
		if !reflect.DeepEqual(v, want) {
			t.Fatalf("sequence(%v, %v, %v) = %v, want %v", los[k], his[k], steps[k], v, want)
		}
	}
	for _, months := range []int64{1, 2, 5} {
		vs, err := eval(t, mem, must(arrayfn.SequenceTime(col(b, 3), col(b, 4), months, 86400e6, false)), nil, b)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range vs {
			lo, hi := epochDay(dlo[k].(int32)), epochDay(dhi[k].(int32))
			want := []any{}
			for i := 0; ; i++ {
				// add_months from the start, clamped to the month's end,
				// then i days.
				y, m, d := lo.Date()
				first := time.Date(y, m+time.Month(i*int(months)), 1, 0, 0, 0, 0, time.UTC)
				last := first.AddDate(0, 1, -1).Day()
				x := first.AddDate(0, 0, min(d, last)-1+i)
				if x.After(hi) {
					break
				}
				want = append(want, x)
			}
			if !reflect.DeepEqual(v, want) {
				t.Fatalf("sequence(%v, %v, %d months 1 day) = %v, want %v", lo, hi, months, v, want)
			}
		}
	}
}

func epochDay(d int32) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func toDates(ds []any) []any {
	out := make([]any, len(ds))
	for k, d := range ds {
		out[k] = epochDay(d.(int32))
	}
	return out
}

// TestHigherOrderErrors checks the errors of the higher-order kernels and
// that their error paths release every buffer (the checked allocator).
func TestHigherOrderErrors(t *testing.T) {
	mem := exectest.Alloc(t)
	b := batch(t, mem, column{"a", arrow.ListOf(i64), []any{[]any{int64(1), int64(2)}, []any{int64(3)}}},
		column{"m", arrow.MapOf(i64, str), []any{nil, nil}})
	defer b.Release()
	nullCmp := must(arrayfn.NewLambda(lit(t, nil, i32), nil, []string{"l", "r"}, []arrow.DataType{i64, i64}))
	if _, err := eval(t, mem, must(arrayfn.ArraySort(col(b, 0), nullCmp)), nil, b); !errors.Is(err, arrayfn.ErrNullComparatorResult) {
		t.Errorf("array_sort with a null comparator: got %v", err)
	}
	// x % 0 fails inside the body (ANSI division by zero).
	div := must(arrayfn.NewLambda(must(expr.Binary(expr.Mod, expr.Column(0, "x", i64), lit(t, int64(0), i64))), nil, []string{"x"}, []arrow.DataType{i64}))
	if _, err := eval(t, mem, must(arrayfn.Transform(col(b, 0), div)), nil, b); err == nil {
		t.Errorf("transform with x %% 0: no error")
	}
	merge := must(arrayfn.NewLambda(must(expr.Binary(expr.Mod, expr.Column(0, "acc", i64), expr.Column(1, "x", i64))), nil, []string{"acc", "x"}, []arrow.DataType{i64, i64}))
	if _, err := eval(t, mem, must(arrayfn.Aggregate(col(b, 0), lit(t, int64(0), i64), merge, nil)), nil, b); err != nil {
		t.Errorf("aggregate 0 %% x: %v", err)
	}
	zeroMerge := must(arrayfn.NewLambda(must(expr.Binary(expr.Mod, expr.Column(1, "x", i64), expr.Column(0, "acc", i64))), nil, []string{"acc", "x"}, []arrow.DataType{i64, i64}))
	if _, err := eval(t, mem, must(arrayfn.Aggregate(col(b, 0), lit(t, int64(0), i64), zeroMerge, nil)), nil, b); err == nil {
		t.Errorf("aggregate x %% 0: no error")
	}
	if _, err := arrayfn.Transform(col(b, 0), nullCmp); err == nil {
		t.Errorf("transform with a 2-parameter lambda of the wrong types: no error")
	}
	if _, err := arrayfn.Exists(col(b, 0), div); err == nil {
		t.Errorf("exists with a non-boolean lambda: no error")
	}
	if _, err := arrayfn.MapFilter(col(b, 0), nullCmp); err == nil {
		t.Errorf("map_filter over an array: no error")
	}
	if _, err := (&arrayfn.Lambda{}).Eval(mem, b); err == nil {
		t.Errorf("a lambda evaluated alone: no error")
	}
}

// BenchmarkTransform measures transform(a, x -> x * 10 + p) over 64Ki rows
// of 8 elements, the body reading an outer column.
func BenchmarkTransform(b *testing.B) {
	mem := memory.NewGoAllocator()
	const rows = 1 << 16
	lb := array.NewListBuilder(mem, i64)
	vb := lb.ValueBuilder().(*array.Int64Builder)
	pb := array.NewInt64Builder(mem)
	for i := 0; i < rows; i++ {
		lb.Append(true)
		for k := 0; k < 8; k++ {
			vb.Append(int64(i + k))
		}
		pb.Append(int64(i))
	}
	la, pa := lb.NewArray(), pb.NewArray()
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: la.DataType(), Nullable: true}, {Name: "p", Type: i64, Nullable: true}}, nil)
	batch := array.NewRecordBatch(schema, []arrow.Array{la, pa}, rows)
	defer batch.Release()
	la.Release()
	pa.Release()
	ten, _ := expr.Literal(int64(10), i64)
	body := must(expr.Binary(expr.Add, must(expr.Binary(expr.Mul, expr.Column(1, "x", i64), ten)), expr.Column(0, "p", i64)))
	f := must(arrayfn.NewLambda(body, []int{1}, []string{"x"}, []arrow.DataType{i64}))
	e := must(arrayfn.Transform(expr.Column(0, "a", la.DataType()), f))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := e.Eval(mem, batch)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
	b.ReportMetric(float64(rows*8*b.N)/b.Elapsed().Seconds()/1e6, "Melem/s")
}
