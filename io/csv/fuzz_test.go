package csv

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

// readAny parses data with inference and then reads it, failing only on a
// panic or a leaked buffer; errors are expected for garbage.
func readAny(t testing.TB, data []byte, header bool) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opts := Options{Header: header, InferSchema: true, BatchSize: 3, Mem: mem}
	s, err := InferSchema(bytes.NewReader(data), "f.csv", opts)
	if err != nil {
		namesFile(t, err)
		return
	}
	fields := append([]arrow.Field(nil), s.Fields()...)
	// Also try the stricter types on every column.
	for k, typ := range []arrow.DataType{nil, &arrow.Decimal64Type{Precision: 6, Scale: 2}, &arrow.Decimal128Type{Precision: 25, Scale: 3}, arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Float32} {
		if k > 0 {
			for i := range fields {
				fields[i].Type = typ
			}
		}
		r, err := NewReader(bytes.NewReader(data), "f.csv", arrow.NewSchema(fields, nil), opts)
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

func TestGarbageNeverPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("a1,;\"\\\n\r\t .-+eE0:TZ9NA")
	for range 3000 {
		data := make([]byte, rng.IntN(60))
		for i := range data {
			data[i] = alphabet[rng.IntN(len(alphabet))]
		}
		readAny(t, data, rng.IntN(2) == 0)
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\"x\ny\",1\n", "1.5,2020-01-01,true\n", "\"", "a,\"b\"c\n", "-0.0001,1e400\n"} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, header bool) {
		sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
		metrics.Read(sample)
		before := sample[0].Value.Uint64()
		readAny(t, data, header)
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
	if !strings.Contains(err.Error(), "f.csv") {
		t.Fatalf("error does not name the file: %v", err)
	}
}
