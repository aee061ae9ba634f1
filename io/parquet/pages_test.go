package parquet

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"unsafe"

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
	_, err = p.next(context.Background())
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

// A page header's decompressed size is checked against what its bytes can
// expand to before anything is allocated for it: a SNAPPY or GZIP page of
// 64 bytes claiming 1 GiB, a SNAPPY stream declaring another length than
// its page header, and a ZSTD frame declaring more than its page header
// (the zstd decoder allocates the size a frame declares). A damaged gzip
// header is an error (parquet-go's GZIP codec panicked on it).
func TestDecompressedSizeBounded(t *testing.T) {
	zstdFrame := []byte{0x28, 0xb5, 0x2f, 0xfd, 0xe0} // magic; single segment, 8-byte content size
	zstdFrame = binary.LittleEndian.AppendUint64(zstdFrame, 1<<30)
	for _, tc := range []struct {
		codec format.CompressionCodec
		page  []byte
		size  int32
		want  string
	}{
		{format.Snappy, make([]byte, 64), 1 << 30, "more than SNAPPY can expand it to"},
		{format.Gzip, make([]byte, 64), 1 << 30, "more than GZIP can expand it to"},
		{format.Snappy, binary.AppendUvarint(nil, 1000), 100, "SNAPPY page declares 1000 bytes"},
		{format.Zstd, append(zstdFrame, make([]byte, 51)...), 1 << 20, "ZSTD frame declares 1073741824 bytes"},
		{format.Gzip, make([]byte, 64), 100, "GZIP: gzip: invalid header"},
	} {
		page := append(tc.page, make([]byte, 64-len(tc.page))...)
		h := format.PageHeader{Type: format.DataPage, CompressedPageSize: int32(len(page)), UncompressedPageSize: tc.size,
			DataPageHeader: thrift.New(format.DataPageHeader{NumValues: 1})}
		hdr, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
		if err != nil {
			t.Fatal(err)
		}
		chunk := append(hdr, page...)
		cc := &format.ColumnChunk{MetaData: format.ColumnMetaData{
			Type: format.Int32, Codec: tc.codec, NumValues: 1, TotalCompressedSize: int64(len(chunk)),
		}}
		p, err := newChunkPages(bytes.NewReader(chunk), &column{name: "x", phys: format.Int32}, cc)
		if err != nil {
			t.Fatal(err)
		}
		sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
		before := heapAllocated(sample)
		_, err = p.next(context.Background())
		if n := heapAllocated(sample) - before; n > 1<<20 {
			t.Errorf("%s: reading a damaged page allocated %d bytes", tc.codec, n)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "page 0") {
			t.Errorf("%s: got %v, want an error naming page 0 and containing %q", tc.codec, err, tc.want)
		}
	}
}

// Page buffers grow with room to spare: a column whose pages each come a
// little larger than the last (here 1% a page, 40 pages) replaces its
// buffer a few times, not at every page; a buffer with room is resliced,
// never replaced.
func TestPageBuffersGrowWithRoom(t *testing.T) {
	var b []byte
	replaced := 0
	for i := range 40 {
		n := 100_000 + 1000*i
		old := unsafe.SliceData(b)
		b = sizedFor(b, n, decodePadding)
		if len(b) != n || cap(b) < n+decodePadding {
			t.Fatalf("page %d: len %d cap %d, want len %d and room for %d more", i, len(b), cap(b), n, decodePadding)
		}
		if unsafe.SliceData(b) != old {
			replaced++
		}
	}
	if replaced > 3 {
		t.Errorf("buffer replaced %d times over 40 pages growing by 1%%, want at most 3", replaced)
	}
	small := sizedFor(b, 10, decodePadding)
	if unsafe.SliceData(small) != unsafe.SliceData(b) || len(small) != 10 {
		t.Errorf("a smaller page got a new buffer (or length %d)", len(small))
	}
}
