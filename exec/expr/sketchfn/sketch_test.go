package sketchfn

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/expr"
)

// TestBucketAndPosition checks the two functions against a naive walk of
// the buckets: bucket b > 0 holds 32768(b-1)+1 .. 32768b at positions
// 0..32767; bucket b <= 0 holds -32768·(-b) .. down, position -v mod 32768.
func TestBucketAndPosition(t *testing.T) {
	for _, v := range []int64{1, 2, 123, 32767, 32768, 32769, 65536, 65537, 0, -1, -32767, -32768, -32769, math.MaxInt64, math.MinInt64 + 1} {
		var wantB, wantP int64
		if v > 0 {
			wantB = (v-1)/32768 + 1
			wantP = v - 1 - (wantB-1)*32768
		} else {
			wantB = -((-v) / 32768)
			wantP = -v - (-wantB)*32768
		}
		if b, p := BucketNumber(v), BitPosition(v); b != wantB || p != wantP {
			t.Errorf("%d: bucket %d position %d, want %d %d", v, b, p, wantB, wantP)
		}
	}
}

// TestBitmapKernels runs the bigint and binary kernels over random
// batches with nulls (and an empty one) against the row functions.
func TestBitmapKernels(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 100} {
		ib := array.NewInt64Builder(mem)
		bb := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
		for i := 0; i < n; i++ {
			if r.IntN(5) == 0 {
				ib.AppendNull()
				bb.AppendNull()
				continue
			}
			ib.Append(r.Int64N(200000) - 100000)
			b := make([]byte, r.IntN(10))
			for k := range b {
				b[k] = byte(r.Uint32())
			}
			bb.Append(b)
		}
		ints, bins := ib.NewArray(), bb.NewArray()
		ib.Release()
		bb.Release()
		batch := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "i", Type: ints.DataType(), Nullable: true}, {Name: "b", Type: bins.DataType(), Nullable: true}}, nil), []arrow.Array{ints, bins}, int64(n))
		check := func(e expr.Expr, in arrow.Array, naive func(i int) int64) {
			out, err := e.Eval(mem, batch)
			if err != nil {
				t.Fatal(err)
			}
			defer out.Release()
			got := out.(*array.Int64)
			for i := 0; i < n; i++ {
				if in.IsNull(i) != got.IsNull(i) || in.IsValid(i) && got.Value(i) != naive(i) {
					t.Fatalf("%s row %d: got %v", e, i, got.ValueStr(i))
				}
			}
		}
		ic, bc := ints.(*array.Int64), bins.(*array.Binary)
		check(BucketNumberExpr(expr.Column(0, "i", ints.DataType())), ints, func(i int) int64 { return BucketNumber(ic.Value(i)) })
		check(BitPositionExpr(expr.Column(0, "i", ints.DataType())), ints, func(i int) int64 { return BitPosition(ic.Value(i)) })
		check(CountExpr(expr.Column(1, "b", bins.DataType())), bins, func(i int) int64 {
			c := int64(0)
			for _, x := range bc.Value(i) {
				for k := 0; k < 8; k++ {
					c += int64(x >> k & 1)
				}
			}
			return c
		})
		batch.Release()
		ints.Release()
		bins.Release()
	}
}

// TestBitmapLayout pins Spark's layout: bit p is bit p%8 (from the least
// significant) of byte p/8; positions outside the bitmap are errors.
func TestBitmapLayout(t *testing.T) {
	b := make([]byte, BitmapBytes)
	for _, p := range []int64{0, 1, 2, 9, 32767} {
		if err := SetBit(b, p); err != nil {
			t.Fatal(err)
		}
	}
	if b[0] != 0x07 || b[1] != 0x02 || b[BitmapBytes-1] != 0x80 || Count(b) != 5 {
		t.Fatalf("bytes %x %x %x, count %d", b[0], b[1], b[BitmapBytes-1], Count(b))
	}
	for _, p := range []int64{-1, BitmapBits} {
		if err := SetBit(b, p); err == nil {
			t.Fatalf("position %d: no error", p)
		}
	}
	and := []byte{0xF0, 0xFF, 0xFF}
	AndInto(and, []byte{0x70})
	if and[0] != 0x70 || and[1] != 0 || and[2] != 0 {
		t.Fatalf("and %x", and)
	}
}

// TestHLLExactAndApproximate: exact counts while few, within a few
// standard errors (1.04/√K) after, through Marshal/Unmarshal and merges.
func TestHLLExactAndApproximate(t *testing.T) {
	for _, lgK := range []int{4, 12, 16} {
		for _, n := range []int{0, 1, 2, 7, 100, 5000, 200000} {
			s := NewHLL(lgK)
			half := NewHLL(lgK)
			for i := 0; i < n; i++ {
				s.Add(HashInt64(int64(i)))
				s.Add(HashInt64(int64(i))) // duplicates count once
				if i%2 == 0 {
					half.Add(HashInt64(int64(i)))
				}
			}
			rt, err := UnmarshalHLL(s.Marshal())
			if err != nil {
				t.Fatal(err)
			}
			est := rt.Estimate()
			if n <= (1<<lgK)/8 {
				if est != float64(n) {
					t.Errorf("lgK %d n %d: estimate %v, want exact", lgK, n, est)
				}
			} else if tol := 4 * 1.04 / math.Sqrt(float64(int(1)<<lgK)); math.Abs(est-float64(n)) > tol*float64(n) {
				t.Errorf("lgK %d n %d: estimate %v beyond %.1f%%", lgK, n, est, 100*tol)
			}
			if err := half.Merge("t", rt, false); err != nil {
				t.Fatal(err)
			}
			if m := half.Estimate(); m != est {
				t.Errorf("lgK %d n %d: merged estimate %v, want %v", lgK, n, m, est)
			}
		}
	}
}

// TestHLLDownsample: a sketch folded to fewer registers equals one built
// with those registers from the same values.
func TestHLLDownsample(t *testing.T) {
	big, small := NewHLL(14), NewHLL(10)
	for i := 0; i < 50000; i++ {
		big.Add(HashInt64(int64(i)))
		small.Add(HashInt64(int64(i)))
	}
	u := NewHLL(10)
	if err := u.Merge("t", big, false); err == nil {
		t.Fatal("different lgConfigK merged without allowDifferent")
	}
	if err := u.Merge("t", big, true); err != nil {
		t.Fatal(err)
	}
	if u.LgConfigK() != 10 || string(u.Marshal()) != string(small.Marshal()) {
		t.Fatalf("downsampled sketch differs: lgK %d, estimates %v vs %v", u.LgConfigK(), u.Estimate(), small.Estimate())
	}
}

// TestUnmarshalRejects: foreign or damaged bytes are ErrBadSketch.
func TestUnmarshalRejects(t *testing.T) {
	good := NewHLL(4)
	good.Add(1)
	for _, b := range [][]byte{nil, {0x02, 0x01, 0x07, 0x0c, 0x03, 0x08, 0, 0}, []byte("GHLL\x01\x03\x00\x00"), []byte("GHLL\x01\x04\x02\x00"),
		good.Marshal()[:len(good.Marshal())-1], append(good.Marshal(), 0)} {
		if _, err := UnmarshalHLL(b); !errors.Is(err, ErrBadSketch) {
			t.Errorf("%x: error %v", b, err)
		}
	}
	if err := CheckLgConfigK("hll_sketch_agg", 3); err == nil {
		t.Fatal("lgConfigK 3 accepted")
	}
}

// FuzzUnmarshalHLL: any bytes give a sketch or an error, never a panic,
// and a sketch read back marshals to the same bytes.
func FuzzUnmarshalHLL(f *testing.F) {
	s := NewHLL(4)
	f.Add(s.Marshal())
	s.Add(5)
	s.Add(7)
	f.Add(s.Marshal())
	s.Add(9)
	f.Add(s.Marshal())
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := UnmarshalHLL(b)
		if err != nil {
			return
		}
		h.Estimate()
		if string(h.Marshal()) != string(b) {
			t.Fatalf("%x read back as %x", b, h.Marshal())
		}
	})
}
