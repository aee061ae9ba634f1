package mathfn

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/values"
)

func TestRand(t *testing.T) {
	mem := alloc(t)
	run := func(e expr.Expr, sizes ...int) []float64 {
		var out []float64
		for _, n := range sizes {
			in := build(mem, i32, make([]any, n))
			got, err := eval(mem, e, n, in)
			if err != nil {
				t.Fatal(err)
			}
			if got.NullN() != 0 || got.Len() != n {
				t.Fatalf("%s: %d rows, %d nulls", e, got.Len(), got.NullN())
			}
			for i := 0; i < n; i++ {
				out = append(out, values.Value(got, i).(float64))
			}
			got.Release()
			in.Release()
		}
		return out
	}
	// Spark docs: SELECT rand(0) → 0.7604953758285915 (one partition).
	if got := run(Rand(0), 1); got[0] != 0.7604953758285915 {
		t.Errorf("rand(0) = %v, want 0.7604953758285915", got[0])
	}
	// PySpark docs: spark.range(0, 2, 1, 1).select(randn(seed=42)) →
	// 2.384479054241..., 0.1920934041293...
	g := run(Randn(42), 2)
	if !strings.HasPrefix(fmt.Sprint(g[0]), "2.384479054241") || !strings.HasPrefix(fmt.Sprint(g[1]), "0.1920934041293") {
		t.Errorf("randn(42) = %v", g)
	}
	// the sequence continues across batches and depends only on the seed
	a := run(Rand(7), 0, 3, 100, 1)
	b := run(Rand(7), 104)
	c := run(Rand(8), 104)
	sumSq := 0.0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("rand(7) row %d: %v in batches, %v in one batch", i, a[i], b[i])
		}
		if a[i] < 0 || a[i] >= 1 {
			t.Fatalf("rand(7) row %d = %v out of [0, 1)", i, a[i])
		}
		if a[i] == c[i] {
			t.Fatalf("rand(7) and rand(8) agree at row %d", i)
		}
	}
	// per-partition generators are seeded with seed+partition, as in Spark
	p0 := run(Rand(7).(interface{ ForPartition(int) expr.Expr }).ForPartition(0), 5)
	p2 := run(Rand(7).(interface{ ForPartition(int) expr.Expr }).ForPartition(2), 5)
	want2 := run(Rand(9), 5)
	for i := range p0 {
		if p0[i] != a[i] || p2[i] != want2[i] {
			t.Fatalf("ForPartition row %d: %v, %v; want %v, %v", i, p0[i], p2[i], a[i], want2[i])
		}
	}
	for _, x := range run(Randn(3), 2000) {
		sumSq += x * x
	}
	if v := sumSq / 2000; v < 0.8 || v > 1.2 {
		t.Errorf("randn variance %v, want about 1", v)
	}
}
