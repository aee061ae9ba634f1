package aggregate

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/kernels"
)

// HLLPrecision is the number of index bits of approx_count_distinct's
// sketch: Spark's default relative error 0.05 gives
// ceil(2*log2(1.106/0.05)) = 9, that is 512 registers.
const HLLPrecision = 9

const (
	hllRegisters = 1 << HLLPrecision
	hllQ         = 64 - HLLPrecision // hash bits left after the index
	hllSeed      = 0x5851F42D4C957F2D
)

// hllStateType returns the type of approx_count_distinct's partial state:
// one byte per register.
func hllStateType() arrow.DataType { return &arrow.FixedSizeBinaryType{ByteWidth: hllRegisters} }

// hashWord hashes a 64-bit value.
func hashWord(v uint64) uint64 { return kernels.Mix64((v ^ hllSeed) * prime1) }

// hllAcc keeps a HyperLogLog sketch of 8-bit registers per group.
type hllAcc struct {
	merge bool
	regs  []byte
	hs    []uint64
}

func (a *hllAcc) grow(n int) { a.regs = growTo(a.regs, n*hllRegisters) }

// hashes fills a.hs with the hash of every row of c (nulls hash arbitrarily).
func (a *hllAcc) hashes(c arrow.Array) error {
	n := c.Len()
	a.hs = growTo(a.hs[:0], n)
	hs := a.hs[:n]
	switch c := c.(type) {
	case *array.Int8:
		hashInts(hs, kernels.FixedValues[int8](c))
	case *array.Int16:
		hashInts(hs, kernels.FixedValues[int16](c))
	case *array.Int32:
		hashInts(hs, kernels.FixedValues[int32](c))
	case *array.Date32:
		hashInts(hs, kernels.FixedValues[int32](c))
	case *array.Int64, *array.Timestamp, *array.Decimal64:
		hashInts(hs, kernels.FixedValues[int64](c))
	case *array.Float32:
		for i, v := range kernels.FixedValues[float32](c)[:n] {
			hs[i] = hashWord(kernels.FloatKeyBits(float64(v)))
		}
	case *array.Float64:
		for i, v := range kernels.FixedValues[float64](c)[:n] {
			hs[i] = hashWord(kernels.FloatKeyBits(v))
		}
	case *array.Decimal128:
		for i, v := range kernels.FixedValues[decimal128.Num](c)[:n] {
			hs[i] = hashWord(v.LowBits() ^ hashWord(uint64(v.HighBits())))
		}
	case *array.Boolean:
		for i := range hs {
			if c.Value(i) {
				hs[i] = hashWord(1)
			} else {
				hs[i] = hashWord(0)
			}
		}
	case *array.String:
		offs, data := c.ValueOffsets(), c.ValueBytes()
		base := offs[0]
		for i := range hs {
			hs[i] = hashWord(hashLong(data[offs[i]-base : offs[i+1]-base]))
		}
	case *array.Dictionary:
		d, ok := c.Dictionary().(*array.String)
		if !ok {
			return fmt.Errorf("approx_count_distinct: unsupported input type %s", c.DataType())
		}
		dh := make([]uint64, d.Len())
		for j := range dh {
			dh[j] = hashWord(hashLong([]byte(d.Value(j))))
		}
		for i := range hs {
			if c.IsValid(i) {
				hs[i] = dh[c.GetValueIndex(i)]
			}
		}
	default:
		return fmt.Errorf("approx_count_distinct: unsupported input type %s", c.DataType())
	}
	return nil
}

func hashInts[T int8 | int16 | int32 | int64](hs []uint64, vals []T) {
	vals = vals[:len(hs)]
	for i, v := range vals {
		hs[i] = hashWord(uint64(int64(v)))
	}
}

func (a *hllAcc) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	regs := a.regs
	if a.merge {
		st, ok := c.(*array.FixedSizeBinary)
		if !ok || st.DataType().(*arrow.FixedSizeBinaryType).ByteWidth != hllRegisters {
			return fmt.Errorf("approx_count_distinct: state type %s, expected %s", c.DataType(), hllStateType())
		}
		for i, g := range gids {
			if !c.IsValid(i) {
				continue
			}
			dst := regs[int(g)*hllRegisters : (int(g)+1)*hllRegisters]
			for j, r := range st.Value(i)[:hllRegisters] {
				dst[j] = max(dst[j], r)
			}
		}
		return nil
	}
	if err := a.hashes(c); err != nil {
		return err
	}
	hs := a.hs
	noNulls := c.NullN() == 0
	for i, g := range gids {
		if noNulls || c.IsValid(i) {
			h := hs[i]
			j := int(g)*hllRegisters + int(h>>hllQ)
			r := byte(bits.LeadingZeros64(h<<HLLPrecision|1<<(HLLPrecision-1)) + 1)
			regs[j] = max(regs[j], r)
		}
	}
	return nil
}

func (a *hllAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	return []arrow.Array{kernels.NewFixedArray(mem, hllStateType(), a.regs[lo*hllRegisters:hi*hllRegisters], hi-lo, nil)}, nil
}

func (a *hllAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	out := make([]int64, hi-lo)
	for g := lo; g < hi; g++ {
		out[g-lo] = hllEstimate(a.regs[g*hllRegisters : (g+1)*hllRegisters])
	}
	return kernels.NewFixedArray(mem, arrow.PrimitiveTypes.Int64, out, hi-lo, nil), nil
}

// hllEstimate returns the cardinality estimate of one sketch (a power of
// two registers, each indexed by a hash's top bits) with Ertl's improved
// estimator ("New cardinality estimation algorithms for HyperLogLog
// sketches", 2017), which needs no empirical bias correction.
func hllEstimate(regs []byte) int64 {
	q := 64 - bits.TrailingZeros(uint(len(regs))) // hash bits after the index
	var c [66]float64
	for _, r := range regs {
		c[r]++
	}
	m := float64(len(regs))
	if c[0] == m {
		return 0
	}
	z := m * hllTau(1-c[q+1]/m)
	for k := q; k >= 1; k-- {
		z = 0.5 * (z + c[k])
	}
	z += m * hllSigma(c[0]/m)
	const alphaInf = 0.5 / math.Ln2
	return int64(math.Round(alphaInf * m * m / z))
}

func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		prev := z
		z += x * y
		y += y
		if z == prev {
			return z
		}
	}
}

func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		d := 1 - x
		z -= d * d * y
		if z == prev {
			return z / 3
		}
	}
}
