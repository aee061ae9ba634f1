package expr_test

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

const benchRows = 8192

// benchBatch builds a batch of decimal64(15,2) columns with no nulls.
func benchBatch(mem memory.Allocator, ncols int) arrow.RecordBatch {
	r := rand.New(rand.NewPCG(1, 1))
	t := dec(15, 2)
	cols := make([]arrow.Array, ncols)
	fields := make([]arrow.Field, ncols)
	for c := range cols {
		vals := make([]any, benchRows)
		for i := range vals {
			if c == 0 {
				vals[i] = big.NewInt(r.Int64N(10_000_000))
			} else {
				vals[i] = big.NewInt(r.Int64N(11))
			}
		}
		cols[c] = build(mem, t, vals)
		fields[c] = arrow.Field{Name: "c", Type: t}
	}
	b := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, benchRows)
	releaseArrs(cols)
	return b
}

func benchEval(b *testing.B, e expr.Expr, batch arrow.RecordBatch, mem memory.Allocator) {
	b.ReportAllocs()
	b.SetBytes(benchRows * 8)
	for b.Loop() {
		out, err := e.Eval(mem, batch)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
}

func BenchmarkDecimal64MulTo128(b *testing.B) {
	mem := memory.NewGoAllocator()
	batch := benchBatch(mem, 2)
	defer batch.Release()
	e := must(expr.Binary(expr.Mul, col(0, dec(15, 2)), col(1, dec(15, 2))))
	benchEval(b, e, batch, mem)
}

func BenchmarkQ1Charge(b *testing.B) {
	mem := memory.NewGoAllocator()
	batch := benchBatch(mem, 3)
	defer batch.Release()
	oneLit := decLit("1", dec(1, 0))
	bin := func(op expr.BinaryOp, l, r expr.Expr) expr.Expr { return must(expr.Binary(op, l, r)) }
	disc := bin(expr.Mul, col(0, dec(15, 2)), bin(expr.Sub, oneLit, col(1, dec(15, 2))))
	e := bin(expr.Mul, disc, bin(expr.Add, oneLit, col(2, dec(15, 2))))
	benchEval(b, e, batch, mem)
}

func BenchmarkDecimalCompareLiteral(b *testing.B) {
	mem := memory.NewGoAllocator()
	batch := benchBatch(mem, 2)
	defer batch.Release()
	e := must(expr.Binary(expr.LtEq, col(1, dec(15, 2)), decLit("0.07", dec(3, 2))))
	benchEval(b, e, batch, mem)
}

func BenchmarkDecimalCompareMixedScale(b *testing.B) {
	mem := memory.NewGoAllocator()
	batch := benchBatch(mem, 2)
	defer batch.Release()
	e := must(expr.Binary(expr.Lt, col(0, dec(15, 2)), decLit("24", dec(2, 0))))
	benchEval(b, e, batch, mem)
}
