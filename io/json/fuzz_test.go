package json

import (
	"bytes"
	"io"
	"math/rand/v2"
	"runtime/metrics"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// readAny infers and reads data under several schemas and modes, failing only
// on a panic, a leaked buffer or an error that is not sticky.
func readAny(t testing.TB, data []byte) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, mode := range []Mode{FailFast, Permissive, DropMalformed} {
		opts := Options{BatchSize: 3, Mem: mem, Mode: mode}
		s, err := InferSchema(bytes.NewReader(data), "f.json", opts)
		if err != nil {
			namesFile(t, err)
			continue
		}
		fields := append([]arrow.Field(nil), s.Fields()...)
		for k, typ := range []arrow.DataType{nil, &arrow.Decimal64Type{Precision: 6, Scale: 2}, &arrow.Decimal128Type{Precision: 25, Scale: 3},
			arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Float32, arrow.FixedWidthTypes.Date32, &arrow.TimestampType{Unit: arrow.Millisecond}} {
			if k > 0 {
				for i := range fields {
					fields[i].Type = typ
				}
			}
			r, err := NewReader(bytes.NewReader(data), "f.json", arrow.NewSchema(fields, nil), opts)
			if err != nil {
				t.Fatal(err)
			}
			for {
				b, err := r.Next()
				if err != nil {
					if err != io.EOF {
						namesFile(t, err)
						if _, err2 := r.Next(); err2 != err {
							t.Fatalf("error not sticky: %v then %v", err, err2)
						}
					}
					break
				}
				b.Release()
			}
			r.Close()
		}
	}
}

func TestGarbageNeverPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"{", "}", "[", "]", "\"a\"", "\"b\"", ":", ",", "1", "-0.5e3", "true", "null", "\"\\u00e9\"", "\"\\ud83d\"", "\n", " ", "\\", "x", "\"2020-01-01\""}
	for range 3000 {
		var b []byte
		for range rng.IntN(25) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		readAny(t, b)
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{"{\"a\": 1}\n{\"a\": 2.5}\n", "{\"a\": {\"b\": [1, {}]}}", "{\"a\": \"\\ud83d\\ude00\"}", "{", "[1]", "{\"a\": 1e400}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
		metrics.Read(sample)
		before := sample[0].Value.Uint64()
		readAny(t, data)
		metrics.Read(sample)
		// The fuzz worker runs one input at a time on this goroutine, so
		// the heap allocations between the samples are the read's.
		if n := sample[0].Value.Uint64() - before; n > fuzzAllocLimit {
			t.Fatalf("reading a %d-byte input allocated %d bytes (%.1f MiB), over the %d MiB bound",
				len(data), n, float64(n)/(1<<20), fuzzAllocLimit>>20)
		}
	})
}

// fuzzAllocLimit is the most that reading one fuzz input may allocate in
// total, its inference and every schema tried included.
const fuzzAllocLimit = 64 << 20

// namesFile fails unless a read error names the file it came from.
func namesFile(t testing.TB, err error) {
	t.Helper()
	if !strings.Contains(err.Error(), "f.json") {
		t.Fatalf("error does not name the file: %v", err)
	}
}
