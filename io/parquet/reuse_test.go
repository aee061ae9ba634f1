package parquet

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec/exectest"
)

// Row groups read one after the other through one Buffers, across files of
// different columns and codecs and with projections that move columns
// around, give the rows pqarrow reads; a reader that keeps the buffers of
// the one before allocates less.
func TestReuseBuffersAcrossRowGroupsAndFiles(t *testing.T) {
	mem := exectest.Alloc(t)
	s := allTypesSchema()
	r := rand.New(rand.NewPCG(5, 6))
	var in []arrow.RecordBatch
	for _, n := range []int{700, 1500, 20, 900} {
		in = append(in, randBatch(mem, s, n, r, false))
	}
	in = append(in, randBatch(mem, s, 300, r, true))
	defer release(in)
	snappy := writeFile(t, s, in, WriterOptions{RowGroupRows: 600})
	zstd := writeFile(t, s, in, WriterOptions{Compression: "zstd", RowGroupRows: 1100})
	lineitem := lineitemLike(t, 20000)
	var bufs Buffers
	for _, c := range []struct {
		name string
		data []byte
		cols []int
	}{
		{"snappy", snappy, nil},
		{"lineitem", lineitem, nil},
		{"zstd reversed", zstd, []int{17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
		{"snappy strings", snappy, []int{14, 13, 15}},
		{"snappy again", snappy, nil},
	} {
		_, got := readAll(t, c.data, ReadOptions{Columns: c.cols, BatchSize: 500, Mem: mem, Reuse: &bufs})
		want := pqarrowRows(t, c.data)
		if c.cols != nil {
			for i, row := range want {
				p := make([]any, len(c.cols))
				for j, k := range c.cols {
					p[j] = row[k]
				}
				want[i] = p
			}
		}
		compareRows(t, rowsOf(got), want)
		release(got)
	}

	// Go memory allocated by a second pass over the file, with and without
	// the buffers of the first.
	allocated := func(reuse *Buffers) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, got := readAll(t, snappy, ReadOptions{Mem: memory.DefaultAllocator, Reuse: reuse})
		runtime.ReadMemStats(&after)
		release(got)
		return after.TotalAlloc - before.TotalAlloc
	}
	without := allocated(nil)
	with := allocated(&bufs)
	if with*10 > without*7 {
		t.Fatalf("a second pass with the buffers kept allocated %d bytes, without %d: want at most 70%%", with, without)
	}
}
