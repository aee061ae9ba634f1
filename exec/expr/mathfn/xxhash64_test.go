package mathfn

import (
	"encoding/binary"
	"math"
	"math/bits"
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/cespare/xxhash/v2"

	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

// refXXH64 is XXH64 written from its specification, independent of the
// library the kernel uses.
func refXXH64(b []byte, seed uint64) uint64 {
	const (
		p1 uint64 = 11400714785074694791
		p2 uint64 = 14029467366897019727
		p3 uint64 = 1609587929392839161
		p4 uint64 = 9650029242287828579
		p5 uint64 = 2870177450012600261
	)
	round := func(acc, in uint64) uint64 { return bits.RotateLeft64(acc+in*p2, 31) * p1 }
	n := uint64(len(b))
	var h uint64
	if len(b) >= 32 {
		v := [4]uint64{seed + p1 + p2, seed + p2, seed, seed - p1}
		for len(b) >= 32 {
			for i := range v {
				v[i] = round(v[i], binary.LittleEndian.Uint64(b[8*i:]))
			}
			b = b[32:]
		}
		h = bits.RotateLeft64(v[0], 1) + bits.RotateLeft64(v[1], 7) + bits.RotateLeft64(v[2], 12) + bits.RotateLeft64(v[3], 18)
		for _, x := range v {
			h = (h^round(0, x))*p1 + p4
		}
	} else {
		h = seed + p5
	}
	h += n
	for ; len(b) >= 8; b = b[8:] {
		h ^= round(0, binary.LittleEndian.Uint64(b))
		h = bits.RotateLeft64(h, 27)*p1 + p4
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * p1
		h = bits.RotateLeft64(h, 23)*p2 + p3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * p5
		h = bits.RotateLeft64(h, 11) * p1
	}
	h ^= h >> 33
	h *= p2
	h ^= h >> 29
	h *= p3
	h ^= h >> 32
	return h
}

func TestXxHash64SparkExample(t *testing.T) {
	// xxhash64('Spark', array(123), 2) = 5602566077635097486 in Spark's
	// function reference: the string's bytes, then the array's element,
	// then the int, each hash seeding the next from 42.
	h := &xxHasher{d: xxhash.NewWithSeed(0)}
	seed := h.bytes([]byte("Spark"), HashSeed)
	seed = h.int(123, seed)
	seed = h.int(2, seed)
	if int64(seed) != 5602566077635097486 {
		t.Fatalf("xxhash64('Spark', array(123), 2) = %d, want 5602566077635097486", int64(seed))
	}
}

func TestXxHash64AgainstReference(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(13, 5))
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "l", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "d", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	rows := make([][]any, 300)
	for i := range rows {
		row := []any{int32(r.Int32() - math.MaxInt32/2), r.Int64() - math.MaxInt64/2, []float64{0, math.Copysign(0, -1), math.NaN(), r.NormFloat64()}[r.IntN(4)], string(make([]byte, r.IntN(70)))}
		for j := range row {
			if r.IntN(6) == 0 {
				row[j] = nil
			}
		}
		rows[i] = row
	}
	b := exectest.Batch(mem, schema, rows)
	defer b.Release()
	cols := []expr.Expr{expr.Column(0, "i", arrow.PrimitiveTypes.Int32), expr.Column(1, "l", arrow.PrimitiveTypes.Int64),
		expr.Column(2, "d", arrow.PrimitiveTypes.Float64), expr.Column(3, "s", arrow.BinaryTypes.String)}
	e, err := XxHash64(cols...)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.Eval(mem, b)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	got := a.(*array.Int64)
	for i, row := range rows {
		seed := uint64(42)
		var buf [8]byte
		if row[0] != nil {
			binary.LittleEndian.PutUint32(buf[:4], uint32(row[0].(int32)))
			seed = refXXH64(buf[:4], seed)
		}
		if row[1] != nil {
			binary.LittleEndian.PutUint64(buf[:], uint64(row[1].(int64)))
			seed = refXXH64(buf[:], seed)
		}
		if row[2] != nil {
			f := row[2].(float64)
			bits := math.Float64bits(f)
			switch {
			case f == 0: // -0.0 hashes as 0.0
				bits = 0
			case f != f: // every NaN as Java's canonical NaN
				bits = 0x7ff8000000000000
			}
			binary.LittleEndian.PutUint64(buf[:], bits)
			seed = refXXH64(buf[:], seed)
		}
		if row[3] != nil {
			seed = refXXH64([]byte(row[3].(string)), seed)
		}
		if got.IsNull(i) || got.Value(i) != int64(seed) {
			t.Fatalf("row %d %v: xxhash64 = %d, want %d", i, row, got.Value(i), int64(seed))
		}
	}
}

func TestRandStr(t *testing.T) {
	mem := exectest.Alloc(t)
	e, err := RandStr(3, 0)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([][]any, 50)
	for i := range rows {
		rows[i] = []any{nil}
	}
	b := exectest.Batch(mem, arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int32, Nullable: true}}, nil), rows)
	defer b.Release()
	a, err := e.Eval(mem, b)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	s := a.(*array.String)
	// randstr(3, 0) is ceV in Spark's function reference.
	if s.Value(0) != "ceV" {
		t.Fatalf("randstr(3, 0) = %q, want ceV", s.Value(0))
	}
	ok := regexp.MustCompile(`^[0-9a-zA-Z]{3}$`)
	distinct := map[string]bool{}
	for i := range s.Len() {
		if !ok.MatchString(s.Value(i)) {
			t.Fatalf("row %d: %q", i, s.Value(i))
		}
		distinct[s.Value(i)] = true
	}
	if len(distinct) < 45 {
		t.Fatalf("only %d distinct strings in 50 draws", len(distinct))
	}
	if _, err := RandStr(-1, 0); err == nil {
		t.Fatal("a negative length was accepted")
	}
}
