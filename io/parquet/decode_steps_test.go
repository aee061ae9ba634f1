package parquet

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	pq "github.com/parquet-go/parquet-go"
)

// cancelAfter is a context whose Err reports context.Canceled from its
// (n+1)th call on.
type cancelAfter struct {
	context.Context
	n     int32
	calls atomic.Int32
}

func (c *cancelAfter) Err() error {
	if c.calls.Add(1) > c.n {
		return context.Canceled
	}
	return nil
}

// dictChunk writes rows strings taking 1000 distinct values, uncompressed
// (dictionary-encoded, the dictionary page first), and returns the column
// chunk's page reader.
func dictChunk(t *testing.T, rows int) *chunkPages {
	t.Helper()
	type row struct {
		V string `parquet:"v,dict"`
	}
	rs := make([]row, rows)
	for i := range rs {
		rs[i].V = "row-" + strconv.Itoa(i*7919%1000)
	}
	var buf bytes.Buffer
	w := pq.NewGenericWriter[row](&buf, pq.Compression(&pq.Uncompressed), pq.PageBufferSize(4<<20))
	if _, err := w.Write(rs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	f, err := Open(bytes.NewReader(data), int64(len(data)), "dict.parquet")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	cc := &f.pf.Metadata().RowGroups[0].Columns[f.cols[0].leaf]
	p, err := newChunkPages(f.r, &f.cols[0], cc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A cancel that comes while the dictionary page is read stops the reader
// before it decodes the data page after it.
func TestCancelBetweenDictionaryAndDataPage(t *testing.T) {
	p := dictChunk(t, 50000)
	ctx := &cancelAfter{Context: context.Background(), n: 1}
	dp, err := p.next(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got a page of %d rows (error %v), want context.Canceled", dp.rows, err)
	}
	if p.dictGen != 1 {
		t.Fatalf("%d dictionary pages read before the cancel was seen, want 1", p.dictGen)
	}
	if p.left != 50000 {
		t.Fatalf("%d values left after the cancel, want all 50000: a data page was decoded", p.left)
	}
}

// A fresh reader decodes a page of dictionary indices into one allocation
// of the page's values: neither grown by doubling nor preceded by a padded
// copy of the page.
func TestDictionaryIndicesDecodedWithoutGrowing(t *testing.T) {
	const rows = 200000
	p := dictChunk(t, rows)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	dp, err := p.next(context.Background())
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if dp.idx == nil {
		t.Fatal("the first data page is not dictionary-encoded")
	}
	// What the page needs: its bytes as read (1000 distinct values, so
	// 10-bit indices: 5 bytes for 4 values, plus run headers), the
	// dictionary page as read and copied (1000 values of at most 8 bytes and
	// a 4-byte length or offset, three times) and 4 bytes an index.
	n := dp.rows
	need := uint64(5*n/4 + 4*(n+8) + 3*12*1000 + 64<<10)
	got := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d bytes allocated for a page of %d indices (bound %d)", got, n, need)
	if got > need {
		t.Errorf("reading a page of %d dictionary indices allocated %d bytes, want at most %d", n, got, need)
	}
}
