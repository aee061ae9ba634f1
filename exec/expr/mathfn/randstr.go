package mathfn

import (
	"fmt"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// randStrChar maps a draw in [0, 62) to Spark's randstr alphabet: 0-9,
// then a-z, then A-Z.
func randStrChar(v int32) byte {
	switch {
	case v < 10:
		return byte('0' + v)
	case v < 36:
		return byte('a' + v - 10)
	}
	return byte('A' + v - 36)
}

// appendRandStr appends n characters drawn as Spark's randstr draws them:
// |nextInt() % 62| of its XORShiftRandom per character.
func (r *xorShift) appendRandStr(dst []byte, n int) []byte {
	for range n {
		v := r.next(32) % 62
		if v < 0 {
			v = -v
		}
		dst = append(dst, randStrChar(v))
	}
	return dst
}

type randStrExpr struct {
	length int32
	seed   int64
	mu     sync.Mutex
	rng    *xorShift
}

// RandStr is randstr(length, seed): a string of length characters from
// 0-9, a-z and A-Z per row, drawn from Spark's XORShiftRandom seeded with
// seed. As Rand, the generator is seeded once (Spark's partition 0) and
// continues across the batches in evaluation order. A negative length is
// an error.
func RandStr(length int32, seed int64) (expr.Expr, error) {
	if length < 0 {
		return nil, fmt.Errorf("randstr: [INVALID_PARAMETER_VALUE.LENGTH] the length must be at least 0, got %d: %w", length, expr.ErrInvalidCast)
	}
	return &randStrExpr{length: length, seed: seed}, nil
}

func (e *randStrExpr) DataType() arrow.DataType { return arrow.BinaryTypes.String }
func (e *randStrExpr) String() string           { return fmt.Sprintf("randstr(%d, %d)", e.length, e.seed) }

func (e *randStrExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	b.ReserveData(n * int(e.length))
	var buf []byte
	e.mu.Lock()
	if e.rng == nil {
		e.rng = newXorShift(e.seed)
	}
	for range n {
		buf = e.rng.appendRandStr(buf[:0], int(e.length))
		b.BinaryBuilder.Append(buf)
	}
	e.mu.Unlock()
	return b.NewArray(), nil
}
