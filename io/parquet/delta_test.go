package parquet

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parquet-go/parquet-go/encoding/delta"
)

// TestDecodeDeltaRoundTrip decodes streams written by parquet-go's encoder
// (an independent writer): random, extreme and short inputs, every length
// around block and miniblock boundaries.
func TestDecodeDeltaRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var enc delta.BinaryPackedEncoding
	gens := map[string]func(i int) int64{
		"random":   func(int) int64 { return int64(r.Uint64()) },
		"small":    func(int) int64 { return int64(r.IntN(100)) - 50 },
		"extremes": func(i int) int64 { return []int64{math.MaxInt64, math.MinInt64, 0, -1}[r.IntN(4)] },
		"sorted":   func(i int) int64 { return int64(i) * 3 },
		"constant": func(int) int64 { return 7 },
	}
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 31, 32, 33, 127, 128, 129, 130, 300, 1000} {
			v64 := make([]int64, n)
			v32 := make([]int32, n)
			for i := range v64 {
				v64[i] = gen(i)
				v32[i] = int32(v64[i])
			}
			b64, err := enc.EncodeInt64(nil, v64)
			if err != nil {
				t.Fatal(err)
			}
			got64, err := decodeDelta[int64](nil, b64, n)
			if err != nil {
				t.Fatalf("%s n=%d int64: %v", name, n, err)
			}
			b32, err := enc.EncodeInt32(nil, v32)
			if err != nil {
				t.Fatal(err)
			}
			got32, err := decodeDelta[int32](nil, b32, n)
			if err != nil {
				t.Fatalf("%s n=%d int32: %v", name, n, err)
			}
			for i := range n {
				if got64[i] != v64[i] || got32[i] != v32[i] {
					t.Fatalf("%s n=%d value %d: got %d/%d, want %d/%d", name, n, i, got64[i], got32[i], v64[i], v32[i])
				}
			}
		}
	}
}

func TestDecodeDeltaErrors(t *testing.T) {
	var enc delta.BinaryPackedEncoding
	want := []int64{1, 5, 9, 100, -4}
	b, _ := enc.EncodeInt64(nil, want)
	for i := 0; i < len(b); i++ {
		if got, err := decodeDelta[int64](nil, b[:i], 5); err == nil {
			t.Errorf("stream cut to %d of %d bytes decodes to %v", i, len(b), got)
		}
	}
	if _, err := decodeDelta[int64](nil, b, 6); err == nil {
		t.Error("asking for more values than the stream holds is not an error")
	}
	if _, err := decodeDelta[int64](nil, []byte{0, 4, 1, 0}, 1); err == nil {
		t.Error("zero block size is not an error")
	}
}
