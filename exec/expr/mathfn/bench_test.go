package mathfn

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

func benchExpr(b *testing.B, typ arrow.DataType, mk func(cols []expr.Expr) (expr.Expr, error), nargs int) {
	mem := memory.NewGoAllocator()
	r := rand.New(rand.NewPCG(1, 2))
	const n = 4096
	arrs := make([]arrow.Array, nargs)
	cols := make([]expr.Expr, nargs)
	for k := range arrs {
		arrs[k] = build(mem, typ, randVals(r, typ, n, 0.1))
		cols[k] = col(k, arrs[k])
	}
	defer expr.ReleaseAll(arrs)
	e, err := mk(cols)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := eval(mem, e, n, arrs...)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
}

func BenchmarkRoundDouble(b *testing.B) {
	benchExpr(b, f64, func(c []expr.Expr) (expr.Expr, error) { return Round(c[0], 2, HalfUp, f64) }, 1)
}

func BenchmarkRoundDecimal(b *testing.B) {
	benchExpr(b, dec(18, 4), func(c []expr.Expr) (expr.Expr, error) { return Round(c[0], 1, HalfUp, dec(16, 1)) }, 1)
}

func BenchmarkGreatestInt64(b *testing.B) {
	benchExpr(b, i64, func(c []expr.Expr) (expr.Expr, error) { return Greatest(c...) }, 3)
}

func BenchmarkHashString(b *testing.B) {
	benchExpr(b, str, func(c []expr.Expr) (expr.Expr, error) { return Hash(c...) }, 2)
}

func BenchmarkSqrt(b *testing.B) {
	benchExpr(b, f64, func(c []expr.Expr) (expr.Expr, error) { return Sqrt(c[0]) }, 1)
}
