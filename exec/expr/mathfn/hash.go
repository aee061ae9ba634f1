package mathfn

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/crc32"
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/values"
)

func mixK1(k uint32) uint32 {
	k *= 0xcc9e2d51
	k = bits.RotateLeft32(k, 15)
	return k * 0x1b873593
}

func mixH1(h, k uint32) uint32 {
	h ^= k
	h = bits.RotateLeft32(h, 13)
	return h*5 + 0xe6546b64
}

func fmix(h, n uint32) uint32 {
	h ^= n
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// hashInt is Spark's Murmur3_x86_32.hashInt.
func hashInt(v int32, seed uint32) uint32 {
	return fmix(mixH1(seed, mixK1(uint32(v))), 4)
}

// hashLong is Spark's Murmur3_x86_32.hashLong.
func hashLong(v int64, seed uint32) uint32 {
	h := mixH1(seed, mixK1(uint32(v)))
	h = mixH1(h, mixK1(uint32(uint64(v)>>32)))
	return fmix(h, 8)
}

// hashBytes is Spark's Murmur3_x86_32.hashUnsafeBytes: 4-byte little-endian
// blocks, then each trailing byte mixed as its own sign-extended block
// (Spark's legacy variant, not the standard Murmur3 tail).
func hashBytes(b []byte, seed uint32) uint32 {
	h := seed
	n := len(b)
	aligned := n - n%4
	for i := 0; i < aligned; i += 4 {
		h = mixH1(h, mixK1(binary.LittleEndian.Uint32(b[i:])))
	}
	for i := aligned; i < n; i++ {
		h = mixH1(h, mixK1(uint32(int32(int8(b[i])))))
	}
	return fmix(h, uint32(n))
}

// javaBigIntBytes is java.math.BigInteger.toByteArray of d: the minimal
// big-endian two's complement bytes.
func javaBigIntBytes(d decimal128.Num, buf []byte) []byte {
	var full [16]byte
	binary.BigEndian.PutUint64(full[:8], uint64(d.HighBits()))
	binary.BigEndian.PutUint64(full[8:], d.LowBits())
	i := 0
	for i < 15 {
		if (full[i] == 0 && full[i+1]&0x80 == 0) || (full[i] == 0xff && full[i+1]&0x80 != 0) {
			i++
			continue
		}
		break
	}
	return append(buf[:0], full[i:]...)
}

type hashExpr struct{ args []expr.Expr }

// HashSeed is the seed of Spark's hash function.
const HashSeed = 42

// Hash is Spark's hash(args...): Murmur3 x86_32 folded over the arguments
// from seed 42, skipping nulls; an INT, never null.
func Hash(args ...expr.Expr) (expr.Expr, error) {
	for _, a := range args {
		switch t := a.DataType(); t.ID() {
		case arrow.NULL, arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64,
			arrow.DATE32, arrow.TIMESTAMP, arrow.DECIMAL64, arrow.DECIMAL128, arrow.STRING, arrow.BINARY, arrow.DICTIONARY:
		default:
			return nil, fmt.Errorf("hash: %s has unsupported type %s", a, values.TypeName(t))
		}
	}
	return &hashExpr{args: args}, nil
}

func (e *hashExpr) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int32 }
func (e *hashExpr) String() string           { return expr.CallString("hash", e.args...) }

func (e *hashExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	in, err := expr.EvalArgs(mem, batch, e.args...)
	if err != nil {
		return nil, err
	}
	defer expr.ReleaseAll(in)
	buf, out := newFixed[int32](mem, n)
	h := make([]uint32, n)
	for i := range h {
		h[i] = HashSeed
	}
	var scratch []byte
	for _, a := range in {
		nulls := a.NullN() > 0
		switch a.DataType().ID() {
		case arrow.NULL:
		case arrow.BOOL:
			b := a.(*array.Boolean)
			for i := range h {
				if !nulls || b.IsValid(i) {
					v := int32(0)
					if b.Value(i) {
						v = 1
					}
					h[i] = hashInt(v, h[i])
				}
			}
		case arrow.INT8:
			hashInts(h, a, kernels.FixedValues[int8](a), nulls)
		case arrow.INT16:
			hashInts(h, a, kernels.FixedValues[int16](a), nulls)
		case arrow.INT32, arrow.DATE32:
			hashInts(h, a, kernels.FixedValues[int32](a), nulls)
		case arrow.INT64, arrow.TIMESTAMP, arrow.DECIMAL64:
			for i, v := range kernels.FixedValues[int64](a) {
				if !nulls || a.IsValid(i) {
					h[i] = hashLong(v, h[i])
				}
			}
		case arrow.FLOAT32:
			for i, f := range kernels.FixedValues[float32](a) {
				if !nulls || a.IsValid(i) {
					h[i] = hashInt(floatBits(f), h[i])
				}
			}
		case arrow.FLOAT64:
			for i, f := range kernels.FixedValues[float64](a) {
				if !nulls || a.IsValid(i) {
					h[i] = hashLong(doubleBits(f), h[i])
				}
			}
		case arrow.DECIMAL128:
			for i, d := range kernels.FixedValues[decimal128.Num](a) {
				if !nulls || a.IsValid(i) {
					scratch = javaBigIntBytes(d, scratch)
					h[i] = hashBytes(scratch, h[i])
				}
			}
		case arrow.STRING:
			s := a.(*array.String)
			data, offs := s.ValueBytes(), s.ValueOffsets()
			base := offs[0]
			for i := range h {
				if !nulls || s.IsValid(i) {
					h[i] = hashBytes(data[offs[i]-base:offs[i+1]-base], h[i])
				}
			}
		case arrow.BINARY:
			b := a.(*array.Binary)
			for i := range h {
				if !nulls || b.IsValid(i) {
					h[i] = hashBytes(b.Value(i), h[i])
				}
			}
		}
	}
	for i, x := range h {
		out[i] = int32(x)
	}
	v := &validity{mem: mem, n: n}
	return v.finish(arrow.PrimitiveTypes.Int32, buf), nil
}

func hashInts[T int8 | int16 | int32](h []uint32, a arrow.Array, vals []T, nulls bool) {
	for i, v := range vals {
		if !nulls || a.IsValid(i) {
			h[i] = hashInt(int32(v), h[i])
		}
	}
}

// floatBits is Java's floatToIntBits with -0.0 hashed as 0, as Spark does.
func floatBits(f float32) int32 {
	if f == 0 {
		return 0
	}
	if f != f {
		return 0x7fc00000
	}
	return int32(math.Float32bits(f))
}

// doubleBits is Java's doubleToLongBits with -0.0 hashed as 0.
func doubleBits(f float64) int64 {
	if f == 0 {
		return 0
	}
	if f != f {
		return 0x7ff8000000000000
	}
	return int64(math.Float64bits(f))
}

// Digest names a hex digest function.
type Digest int

// The digests of md5, sha1 and sha2.
const (
	MD5 Digest = iota
	SHA1
	SHA224
	SHA256
	SHA384
	SHA512
)

// SHA2Digest maps sha2's bit length to its digest (0 means 256); ok is false
// for lengths Spark answers with null.
func SHA2Digest(bitLength int64) (Digest, bool) {
	switch bitLength {
	case 0, 256:
		return SHA256, true
	case 224:
		return SHA224, true
	case 384:
		return SHA384, true
	case 512:
		return SHA512, true
	}
	return 0, false
}

func (d Digest) new() hash.Hash {
	switch d {
	case MD5:
		return md5.New()
	case SHA1:
		return sha1.New()
	case SHA224:
		return sha256.New224()
	case SHA256:
		return sha256.New()
	case SHA384:
		return sha512.New384()
	}
	return sha512.New()
}

func (d Digest) name() string {
	return [...]string{"md5", "sha1", "sha2_224", "sha2_256", "sha2_384", "sha2_512"}[d]
}

type digestExpr struct {
	x expr.Expr
	d Digest
}

// HexDigest is md5/sha1/sha2 of a STRING (its UTF-8 bytes) or BINARY as a
// lower-case hex STRING.
func HexDigest(x expr.Expr, d Digest) (expr.Expr, error) {
	if err := checkBytes(d.name(), x); err != nil {
		return nil, err
	}
	return &digestExpr{x: x, d: d}, nil
}

func checkBytes(name string, x expr.Expr) error {
	t := x.DataType()
	if dt, ok := t.(*arrow.DictionaryType); ok {
		t = dt.ValueType
	}
	if t.ID() != arrow.STRING && t.ID() != arrow.BINARY {
		return fmt.Errorf("%s needs a STRING or BINARY argument, %s is %s", name, x, values.TypeName(t))
	}
	return nil
}

func (e *digestExpr) DataType() arrow.DataType { return arrow.BinaryTypes.String }
func (e *digestExpr) String() string           { return expr.CallString(e.d.name(), e.x) }

// bytesOf calls f with the bytes of each valid row of a STRING or BINARY.
func bytesOf(a arrow.Array, f func(i int, b []byte)) {
	switch s := a.(type) {
	case *array.String:
		data, offs := s.ValueBytes(), s.ValueOffsets()
		base := offs[0]
		for i := 0; i < s.Len(); i++ {
			if s.IsValid(i) {
				f(i, data[offs[i]-base:offs[i+1]-base])
			}
		}
	case *array.Binary:
		for i := 0; i < s.Len(); i++ {
			if s.IsValid(i) {
				f(i, s.Value(i))
			}
		}
	}
}

func (e *digestExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	x, err := expr.EvalArg(mem, e.x, batch)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	n := x.Len()
	h := e.d.new()
	size := h.Size() * 2
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	b.ReserveData((n - x.NullN()) * size)
	sum := make([]byte, 0, h.Size())
	hexBuf := make([]byte, size)
	next := 0
	bytesOf(x, func(i int, v []byte) {
		for ; next < i; next++ {
			b.AppendNull()
		}
		h.Reset()
		h.Write(v)
		sum = h.Sum(sum[:0])
		hex.Encode(hexBuf, sum)
		b.BinaryBuilder.Append(hexBuf)
		next = i + 1
	})
	for ; next < n; next++ {
		b.AppendNull()
	}
	return b.NewArray(), nil
}

type crcExpr struct{ x expr.Expr }

// CRC32 is the CRC-32 (IEEE) of a STRING or BINARY as a BIGINT.
func CRC32(x expr.Expr) (expr.Expr, error) {
	if err := checkBytes("crc32", x); err != nil {
		return nil, err
	}
	return &crcExpr{x: x}, nil
}

func (e *crcExpr) DataType() arrow.DataType { return arrow.PrimitiveTypes.Int64 }
func (e *crcExpr) String() string           { return expr.CallString("crc32", e.x) }

func (e *crcExpr) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	x, err := expr.EvalArg(mem, e.x, batch)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	v := andValidity(mem, x.Len(), x)
	buf, out := newFixed[int64](mem, x.Len())
	clear(out)
	bytesOf(x, func(i int, b []byte) { out[i] = int64(crc32.ChecksumIEEE(b)) })
	return v.finish(arrow.PrimitiveTypes.Int64, buf), nil
}
