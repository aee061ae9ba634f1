package aggregate

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr/mathfn"
	"github.com/gspark/gspark/exec/kernels"
)

// count_min_sketch(x, eps, confidence, seed): Spark's CountMinSketchImpl,
// serialized as Spark serializes it (version 1, the total count, depth,
// width, the depth hash multipliers, then the table row by row, all
// big-endian), so that its bytes equal Spark's. Integers are hashed as
// longs (a·x mod 2³¹-1, then mod width), strings and binaries by two
// Murmur3 hashes of their bytes.

// cmsParams are a sketch's dimensions and hash multipliers.
type cmsParams struct {
	depth, width int
	hashA        []int64
}

// newCMSParams derives Spark's dimensions from eps and confidence and the
// multipliers from java.util.Random(seed).
func newCMSParams(eps, confidence float64, seed int64) (cmsParams, error) {
	if !(eps > 0) {
		return cmsParams{}, fmt.Errorf("count_min_sketch: the relative error eps must be positive, got %v", eps)
	}
	if !(confidence > 0 && confidence < 1) {
		return cmsParams{}, fmt.Errorf("count_min_sketch: the confidence must be between 0.0 and 1.0 (exclusive), got %v", confidence)
	}
	w := math.Ceil(2 / eps)
	d := math.Ceil(-math.Log(1-confidence) / math.Log(2))
	if w*d > 1<<24 {
		return cmsParams{}, fmt.Errorf("count_min_sketch: eps %v and confidence %v make a %v x %v table, too large", eps, confidence, d, w)
	}
	p := cmsParams{depth: int(d), width: int(w)}
	r := newJavaRandom(seed)
	for i := 0; i < p.depth; i++ {
		p.hashA = append(p.hashA, int64(r.nextInt(math.MaxInt32)))
	}
	return p, nil
}

// javaRandom is java.util.Random's linear congruential generator.
type javaRandom struct{ seed int64 }

const javaRandomMask = 1<<48 - 1

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ 0x5DEECE66D) & javaRandomMask}
}

func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*0x5DEECE66D + 0xB) & javaRandomMask
	return int32(uint64(r.seed) >> (48 - bits))
}

// nextInt is Random.nextInt(bound) for a bound that is not a power of two.
func (r *javaRandom) nextInt(bound int32) int32 {
	m := bound - 1
	u := r.next(31)
	v := u % bound
	for u-v+m < 0 {
		u = r.next(31)
		v = u % bound
	}
	return v
}

// cmsAcc keeps a sketch per group: its table and total count.
type cmsAcc struct {
	merge bool
	p     cmsParams
	table [][]int64
	total []int64
}

func (a *cmsAcc) grow(n int) {
	for len(a.table) < n {
		a.table = append(a.table, make([]int64, a.p.depth*a.p.width))
		a.total = append(a.total, 0)
	}
}

func (a *cmsAcc) addLong(g uint32, x int64) {
	t := a.table[g]
	for i := 0; i < a.p.depth; i++ {
		h := a.p.hashA[i] * x
		h += h >> 32
		h &= math.MaxInt32
		t[i*a.p.width+int(int32(h)%int32(a.p.width))]++
	}
	a.total[g]++
}

func (a *cmsAcc) addBytes(g uint32, b []byte) {
	t := a.table[g]
	h1 := int32(mathfn.SparkHashBytes(b, 0))
	h2 := int32(mathfn.SparkHashBytes(b, uint32(h1)))
	for i := 0; i < a.p.depth; i++ {
		k := (h1 + int32(i)*h2) % int32(a.p.width)
		if k < 0 {
			k = -k
		}
		t[i*a.p.width+int(k)]++
	}
	a.total[g]++
}

func (a *cmsAcc) update(gids []uint32, cols []arrow.Array) error {
	c := cols[0]
	if a.merge {
		s, ok := c.(*array.Binary)
		if !ok {
			return fmt.Errorf("count_min_sketch: state type %s, expected binary", c.DataType())
		}
		for i, g := range gids {
			if s.IsValid(i) {
				if err := a.mergeSketch(g, s.Value(i)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if d, ok := c.(*array.Dictionary); ok {
		plain, err := kernels.DecodeDictionary(memory.DefaultAllocator, d)
		if err != nil {
			return fmt.Errorf("count_min_sketch: %w", err)
		}
		defer plain.Release()
		c = plain
	}
	for i, g := range gids {
		if c.IsNull(i) {
			continue
		}
		switch v := c.(type) {
		case *array.Int64:
			a.addLong(g, v.Value(i))
		case *array.String:
			a.addBytes(g, []byte(v.Value(i)))
		case *array.Binary:
			a.addBytes(g, v.Value(i))
		default:
			return fmt.Errorf("count_min_sketch: input type %s, expected bigint, string or binary", c.DataType())
		}
	}
	return nil
}

// mergeSketch adds a serialized sketch of the same dimensions to group g.
func (a *cmsAcc) mergeSketch(g uint32, b []byte) error {
	head := 4 + 8 + 4 + 4 + 8*a.p.depth
	if len(b) != head+8*a.p.depth*a.p.width {
		return fmt.Errorf("count_min_sketch: a partial sketch of %d bytes, expected %d", len(b), head+8*a.p.depth*a.p.width)
	}
	a.total[g] += int64(binary.BigEndian.Uint64(b[4:]))
	t := a.table[g]
	for k := range t {
		t[k] += int64(binary.BigEndian.Uint64(b[head+8*k:]))
	}
	return nil
}

// serialize writes group g's sketch in Spark's layout.
func (a *cmsAcc) serialize(g int) []byte {
	out := binary.BigEndian.AppendUint32(nil, 1)
	out = binary.BigEndian.AppendUint64(out, uint64(a.total[g]))
	out = binary.BigEndian.AppendUint32(out, uint32(a.p.depth))
	out = binary.BigEndian.AppendUint32(out, uint32(a.p.width))
	for _, h := range a.p.hashA {
		out = binary.BigEndian.AppendUint64(out, uint64(h))
	}
	for _, v := range a.table[g] {
		out = binary.BigEndian.AppendUint64(out, uint64(v))
	}
	return out
}

func (a *cmsAcc) sketches(mem memory.Allocator, lo, hi int) arrow.Array {
	b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	defer b.Release()
	for g := lo; g < hi; g++ {
		b.Append(a.serialize(g))
	}
	return b.NewArray()
}

func (a *cmsAcc) state(mem memory.Allocator, lo, hi int) ([]arrow.Array, error) {
	return []arrow.Array{a.sketches(mem, lo, hi)}, nil
}

// result is the serialized sketch; a group without values has an empty
// sketch (Spark's count_min_sketch is never null).
func (a *cmsAcc) result(mem memory.Allocator, lo, hi int) (arrow.Array, error) {
	return a.sketches(mem, lo, hi), nil
}
