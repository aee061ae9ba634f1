package parquet

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// A page header claiming more bytes than its column chunk holds is an
// error before anything is allocated for it (a corrupt or hostile header
// must not make the reader allocate gigabytes).
func TestPageLargerThanChunk(t *testing.T) {
	h := format.PageHeader{Type: format.DataPage, CompressedPageSize: 1 << 30, UncompressedPageSize: 1 << 30,
		DataPageHeader: thrift.New(format.DataPageHeader{NumValues: 1})}
	hdr, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
	if err != nil {
		t.Fatal(err)
	}
	chunk := append(hdr, make([]byte, 16)...)
	cc := &format.ColumnChunk{MetaData: format.ColumnMetaData{
		Type: format.Int32, Codec: format.Uncompressed, NumValues: 1,
		TotalCompressedSize: int64(len(chunk)), DataPageOffset: 0,
	}}
	p, err := newChunkPages(bytes.NewReader(chunk), &column{name: "x", phys: format.Int32}, cc)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.next()
	if err == nil || !strings.Contains(err.Error(), "more than its column chunk's") {
		t.Fatalf("got %v, want an error about the page size", err)
	}
}

// Damaged lengths are refused or bounded before they are allocated: a page
// header's binary field longer than its column chunk (a fuzzed file made
// parquet-go allocate hundreds of megabytes per header), and a level run
// declaring far more levels than its page holds (decoded only up to the
// page's count). Both inputs were found by FuzzRead.
func TestDamagedLengthsBounded(t *testing.T) {
	for _, seed := range []string{"0a5533c470a62ed9", "4e078be17c87fb6d"} {
		raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzRead", seed))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		lit := strings.TrimSuffix(strings.TrimPrefix(lines[len(lines)-1], "[]byte("), ")")
		data, err := strconv.Unquote(lit)
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		readAnyParquet(t, []byte(data))
		runtime.ReadMemStats(&after)
		if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 64 {
			t.Errorf("%s: reading a %d-byte file allocated %d MiB", seed, len(data), mb)
		}
	}
}
