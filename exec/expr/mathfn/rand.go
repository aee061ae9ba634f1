package mathfn

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// xorShift is Spark's XORShiftRandom: a Java Random whose next(bits) is an
// xorshift generator seeded by a Murmur3 hash of the seed.
type xorShift struct {
	seed         int64
	haveGaussian bool
	nextGaussian float64
}

func newXorShift(seed int64) *xorShift {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(seed))
	// Scala's MurmurHash3.bytesHash with its arraySeed, then again seeded
	// with the low half.
	lo := murmur3Bytes(b[:], 0x3c074a61)
	hi := murmur3Bytes(b[:], lo)
	return &xorShift{seed: int64(uint64(hi)<<32 | uint64(lo))}
}

func (r *xorShift) next(bits uint) int32 {
	s := r.seed
	s ^= s << 21
	s ^= int64(uint64(s) >> 35)
	s ^= s << 4
	r.seed = s
	return int32(s & (1<<bits - 1))
}

// nextDouble is java.util.Random.nextDouble.
func (r *xorShift) nextDouble() float64 {
	return float64(int64(r.next(26))<<27+int64(r.next(27))) * (1.0 / (1 << 53))
}

// nextGaussianValue is java.util.Random.nextGaussian (polar method, the
// second value of each pair cached).
func (r *xorShift) nextGaussianValue() float64 {
	if r.haveGaussian {
		r.haveGaussian = false
		return r.nextGaussian
	}
	for {
		v1 := 2*r.nextDouble() - 1
		v2 := 2*r.nextDouble() - 1
		s := v1*v1 + v2*v2
		if s < 1 && s != 0 {
			m := math.Sqrt(-2 * math.Log(s) / s)
			r.nextGaussian = v2 * m
			r.haveGaussian = true
			return v1 * m
		}
	}
}

// murmur3Bytes is standard Murmur3 x86_32 of data (Scala's bytesHash).
func murmur3Bytes(data []byte, seed int32) int32 {
	h := uint32(seed)
	n := len(data)
	i := 0
	for ; i+4 <= n; i += 4 {
		h = mixH1(h, mixK1(binary.LittleEndian.Uint32(data[i:])))
	}
	var k uint32
	switch n - i {
	case 3:
		k ^= uint32(data[i+2]) << 16
		fallthrough
	case 2:
		k ^= uint32(data[i+1]) << 8
		fallthrough
	case 1:
		k ^= uint32(data[i])
		h ^= mixK1(k)
	}
	return int32(fmix(h, uint32(n)))
}

type randExpr struct {
	seed     int64
	gaussian bool
	mu       sync.Mutex
	rng      *xorShift
}

// Rand is rand(seed): uniform doubles in [0, 1) from Spark's XORShiftRandom
// seeded with seed. Spark seeds each partition with seed+partitionIndex;
// expressions do not see the partition index, so this generator is seeded
// once with seed (Spark's partition 0) and continues across the batches it
// is evaluated on, in evaluation order.
func Rand(seed int64) expr.Expr { return &randExpr{seed: seed} }

// Randn is randn(seed): standard normal doubles, seeded as Rand.
func Randn(seed int64) expr.Expr { return &randExpr{seed: seed, gaussian: true} }

func (e *randExpr) DataType() arrow.DataType { return arrow.PrimitiveTypes.Float64 }

func (e *randExpr) String() string {
	if e.gaussian {
		return fmt.Sprintf("randn(%d)", e.seed)
	}
	return fmt.Sprintf("rand(%d)", e.seed)
}

func (e *randExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	buf, out := newFixed[float64](mem, n)
	e.mu.Lock()
	if e.rng == nil {
		e.rng = newXorShift(e.seed)
	}
	for i := range out {
		if e.gaussian {
			out[i] = e.rng.nextGaussianValue()
		} else {
			out[i] = e.rng.nextDouble()
		}
	}
	e.mu.Unlock()
	v := &validity{mem: mem, n: n}
	return v.finish(arrow.PrimitiveTypes.Float64, buf), nil
}

// ForPartition returns a fresh generator for partition p, seeded with
// seed+p as Spark seeds each partition. Operators that know their
// partition index may call it to reproduce Spark's per-partition streams;
// nothing in the engine does yet.
func (e *randExpr) ForPartition(p int) expr.Expr {
	return &randExpr{seed: e.seed + int64(p), gaussian: e.gaussian}
}
