package mathfn

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/gspark/gspark/exec/expr"
)

// Murmur3 x86_32 written from the algorithm's description: 32-bit blocks
// mixed into the state, the tail, then the finalizer with the length.
const (
	mC1 = 0xcc9e2d51
	mC2 = 0x1b873593
)

func refScramble(k uint32) uint32 {
	k *= mC1
	k = k<<15 | k>>17
	return k * mC2
}

func refFinal(h uint32, length int) uint32 {
	h ^= uint32(length)
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	return h ^ h>>16
}

func refBlock(h, k uint32) uint32 {
	h ^= refScramble(k)
	h = h<<13 | h>>19
	return h*5 + 0xe6546b64
}

// refMurmur3 is standard Murmur3 x86_32.
func refMurmur3(data []byte, seed uint32) uint32 {
	h := seed
	nblocks := len(data) / 4
	for b := 0; b < nblocks; b++ {
		h = refBlock(h, uint32(data[4*b])|uint32(data[4*b+1])<<8|uint32(data[4*b+2])<<16|uint32(data[4*b+3])<<24)
	}
	tail := data[4*nblocks:]
	var k uint32
	for i := len(tail) - 1; i >= 0; i-- {
		k = k<<8 | uint32(tail[i])
	}
	if len(tail) > 0 {
		h ^= refScramble(k)
	}
	return refFinal(h, len(data))
}

// refSparkBytes is Spark's hashUnsafeBytes: standard blocks, then every
// trailing byte as a whole block of its sign-extended value.
func refSparkBytes(data []byte, seed uint32) uint32 {
	h := seed
	n := len(data) / 4 * 4
	for b := 0; b < n; b += 4 {
		h = refBlock(h, binary.LittleEndian.Uint32(data[b:]))
	}
	for _, c := range data[n:] {
		h = refBlock(h, uint32(int32(int8(c))))
	}
	return refFinal(h, len(data))
}

// refSparkValue hashes one non-null value the way Spark's Murmur3Hash does.
func refSparkValue(v any, t arrow.DataType, seed uint32) uint32 {
	le := func(x uint64, n int) []byte {
		b := make([]byte, 8)
		binary.LittleEndian.PutUint64(b, x)
		return b[:n]
	}
	switch t.ID() {
	case arrow.BOOL:
		x := uint64(0)
		if v.(bool) {
			x = 1
		}
		return refSparkBytes(le(x, 4), seed)
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.DATE32:
		return refSparkBytes(le(uint64(uint32(int32(v.(int64)))), 4), seed)
	case arrow.INT64, arrow.TIMESTAMP:
		return refSparkBytes(le(uint64(v.(int64)), 8), seed)
	case arrow.FLOAT32:
		f := float32(v.(float64))
		bits := math.Float32bits(f)
		if f == 0 {
			bits = 0
		} else if f != f {
			bits = 0x7fc00000
		}
		return refSparkBytes(le(uint64(bits), 4), seed)
	case arrow.FLOAT64:
		f := v.(float64)
		bits := math.Float64bits(f)
		if f == 0 {
			bits = 0
		} else if f != f {
			bits = 0x7ff8000000000000
		}
		return refSparkBytes(le(bits, 8), seed)
	case arrow.STRING:
		return refSparkBytes([]byte(v.(string)), seed)
	case arrow.BINARY:
		return refSparkBytes(v.([]byte), seed)
	case arrow.DECIMAL64:
		return refSparkBytes(le(v.(decimal128.Num).LowBits(), 8), seed)
	case arrow.DECIMAL128:
		return refSparkBytes(javaBytes(v.(decimal128.Num)), seed)
	}
	panic("refSparkValue " + t.String())
}

// javaBytes is BigInteger.toByteArray: two's complement, big-endian, with
// the fewest bytes that keep the sign.
func javaBytes(d decimal128.Num) []byte {
	b := d.BigInt()
	if b.Sign() >= 0 {
		raw := b.Bytes()
		if len(raw) == 0 || raw[0]&0x80 != 0 {
			raw = append([]byte{0}, raw...)
		}
		return raw
	}
	// -x = ^(x-1): take (x-1) magnitude bytes and invert, adding a sign byte
	m := new(big.Int).Neg(b)
	m.Sub(m, big.NewInt(1))
	raw := m.Bytes()
	if len(raw) == 0 || raw[0]&0x80 != 0 {
		raw = append([]byte{0}, raw...)
	}
	for i := range raw {
		raw[i] = ^raw[i]
	}
	return raw
}

func TestMurmur3Reference(t *testing.T) {
	// published Murmur3 x86_32 test vectors, checking the test's reference
	for _, c := range []struct {
		s    string
		seed uint32
		want uint32
	}{
		{"", 0, 0}, {"", 1, 0x514e28b7}, {"", 0xffffffff, 0x81f16f39},
		{"Hello, world!", 1234, 0xfaf6cdb3}, {"The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd},
		{"aaaa", 0x9747b28c, 0x5a97808a}, {"abc", 0, 0xb3dd93fa},
	} {
		if got := refMurmur3([]byte(c.s), c.seed); got != c.want {
			t.Errorf("reference murmur3(%q, %#x) = %#x, want %#x", c.s, c.seed, got, c.want)
		}
		if got := uint32(murmur3Bytes([]byte(c.s), int32(c.seed))); got != c.want {
			t.Errorf("murmur3Bytes(%q, %#x) = %#x, want %#x", c.s, c.seed, got, c.want)
		}
	}
	// Spark's variant agrees with the standard on whole blocks
	for _, s := range []string{"", "abcd", "12345678"} {
		if refSparkBytes([]byte(s), 42) != refMurmur3([]byte(s), 42) {
			t.Errorf("Spark variant differs from standard on %q", s)
		}
	}
}

func TestHashRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	types := []arrow.DataType{arrow.FixedWidthTypes.Boolean, i8, i16, i32, i64, f32, f64, str, arrow.BinaryTypes.Binary,
		arrow.FixedWidthTypes.Date32, tsT, dec(10, 2), dec(30, 3)}
	for _, n := range sizes {
		for k := 0; k < 6; k++ {
			nargs := 1 + r.IntN(3)
			tys := make([]arrow.DataType, nargs)
			vals := make([][]any, nargs)
			arrs := make([]arrow.Array, nargs)
			cols := make([]expr.Expr, nargs)
			for a := range tys {
				tys[a] = types[r.IntN(len(types))]
				vals[a] = randVals(r, tys[a], n, 0.2)
				if tys[a] == str && r.IntN(2) == 0 {
					arrs[a] = buildDict(mem, vals[a])
				} else {
					arrs[a] = build(mem, tys[a], vals[a])
				}
				cols[a] = col(a, arrs[a])
			}
			e, err := Hash(cols...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := eval(mem, e, n, arrs...)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]any, n)
			for i := range want {
				h := uint32(HashSeed)
				for a := range vals {
					if v := vals[a][i]; v != nil {
						h = refSparkValue(v, tys[a], h)
					}
				}
				want[i] = int32(h)
			}
			expectValues(t, e.String(), got, want)
			got.Release()
			expr.ReleaseAll(arrs)
		}
	}
}

func TestHashSparkExample(t *testing.T) {
	mem := alloc(t)
	// Spark docs: SELECT hash('Spark', array(123), 2) → -1321691492. An
	// array hashes its elements in turn, so hash('Spark', 123, 2) is the same.
	s := build(mem, str, []any{"Spark"})
	a := build(mem, i32, []any{int64(123)})
	b := build(mem, i32, []any{int64(2)})
	defer expr.ReleaseAll([]arrow.Array{s, a, b})
	e, _ := Hash(col(0, s), col(1, a), col(2, b))
	got, err := eval(mem, e, 1, s, a, b)
	if err != nil {
		t.Fatal(err)
	}
	expectValues(t, e.String(), got, []any{int32(-1321691492)})
	got.Release()
	if _, err := Hash(expr.Column(0, "l", arrow.ListOf(i32))); err == nil {
		t.Fatal("hash of an array compiled")
	}
}

func TestDigestsRandom(t *testing.T) {
	mem := alloc(t)
	r := newRand(t)
	refs := map[Digest]func([]byte) []byte{
		MD5:    func(b []byte) []byte { s := md5.Sum(b); return s[:] },
		SHA1:   func(b []byte) []byte { s := sha1.Sum(b); return s[:] },
		SHA224: func(b []byte) []byte { s := sha256.Sum224(b); return s[:] },
		SHA256: func(b []byte) []byte { s := sha256.Sum256(b); return s[:] },
		SHA384: func(b []byte) []byte { s := sha512.Sum384(b); return s[:] },
		SHA512: func(b []byte) []byte { s := sha512.Sum512(b); return s[:] },
	}
	for d, ref := range refs {
		for _, typ := range []arrow.DataType{str, arrow.BinaryTypes.Binary} {
			for _, n := range sizes {
				vals := randVals(r, typ, n, 0.2)
				var in arrow.Array
				if typ == str && n%2 == 0 {
					in = buildDict(mem, vals)
				} else {
					in = build(mem, typ, vals)
				}
				e, err := HexDigest(col(0, in), d)
				if err != nil {
					t.Fatal(err)
				}
				got, err := eval(mem, e, n, in)
				if err != nil {
					t.Fatal(err)
				}
				c, err := CRC32(col(0, in))
				if err != nil {
					t.Fatal(err)
				}
				gotCRC, err := eval(mem, c, n, in)
				if err != nil {
					t.Fatal(err)
				}
				want := make([]any, n)
				wantCRC := make([]any, n)
				for i, v := range vals {
					var b []byte
					switch x := v.(type) {
					case nil:
						continue
					case string:
						b = []byte(x)
					case []byte:
						b = x
					}
					want[i] = hex.EncodeToString(ref(b))
					wantCRC[i] = int64(crc32.ChecksumIEEE(b))
				}
				expectValues(t, e.String(), got, want)
				expectValues(t, c.String(), gotCRC, wantCRC)
				got.Release()
				gotCRC.Release()
				in.Release()
			}
		}
	}
}

func TestDigestSparkExamples(t *testing.T) {
	mem := alloc(t)
	in := build(mem, str, []any{"Spark"})
	defer in.Release()
	// Spark docs: md5('Spark'), sha1('Spark'), sha2('Spark', 256), crc32('Spark')
	for d, want := range map[Digest]string{
		MD5:    "8cde774d6f7333752ed72cacddb05126",
		SHA1:   "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c",
		SHA256: "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b",
	} {
		e, _ := HexDigest(col(0, in), d)
		got, err := eval(mem, e, 1, in)
		if err != nil {
			t.Fatal(err)
		}
		expectValues(t, e.String(), got, []any{want})
		got.Release()
	}
	c, _ := CRC32(col(0, in))
	got, err := eval(mem, c, 1, in)
	if err != nil {
		t.Fatal(err)
	}
	expectValues(t, c.String(), got, []any{int64(1557323817)})
	got.Release()
	for _, bits := range []int64{0, 224, 256, 384, 512} {
		if _, ok := SHA2Digest(bits); !ok {
			t.Errorf("sha2 bit length %d rejected", bits)
		}
	}
	if _, ok := SHA2Digest(100); ok {
		t.Error("sha2 bit length 100 accepted (Spark returns null)")
	}
	if _, err := HexDigest(expr.Column(0, "i", i32), MD5); err == nil || !strings.Contains(err.Error(), "md5") {
		t.Errorf("md5 of INT: %v", err)
	}
}
