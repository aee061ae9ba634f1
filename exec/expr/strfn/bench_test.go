package strfn

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

func benchKernel(b *testing.B, kinds string, build func(c []expr.Expr) (expr.Expr, error)) {
	mem := memory.NewGoAllocator()
	sc := schemaFor(kinds)
	e, err := build(columns(sc))
	if err != nil {
		b.Fatal(err)
	}
	batch := exectest.Batch(mem, sc, randRows(rand.New(rand.NewPCG(1, 2)), kinds, 8192))
	defer batch.Release()
	b.ResetTimer()
	for range b.N {
		a, err := e.Eval(mem, batch)
		if err != nil {
			b.Fatal(err)
		}
		a.Release()
	}
}

func BenchmarkLength(b *testing.B) {
	benchKernel(b, "s", func(c []expr.Expr) (expr.Expr, error) { return Length(c[0]) })
}

func BenchmarkLpadConst(b *testing.B) {
	benchKernel(b, "s", func(c []expr.Expr) (expr.Expr, error) {
		n, _ := IntConst(12)
		p, _ := StringConst("ab")
		return Lpad(c[0], n, p)
	})
}

func BenchmarkConcatWs(b *testing.B) {
	benchKernel(b, "sss", func(c []expr.Expr) (expr.Expr, error) { return ConcatWs(c[0], c[1:]...) })
}

func BenchmarkRegexpReplace(b *testing.B) {
	benchKernel(b, "s", func(c []expr.Expr) (expr.Expr, error) { return RegexpReplace(c[0], `[ab]+`, "<$0>", 1) })
}
