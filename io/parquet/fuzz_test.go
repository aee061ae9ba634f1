package parquet

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// fuzzAllocLimit is the most that reading one fuzz input may allocate in
// total (issue 14: a damaged file must not make the reader allocate more
// than 64 MB, whatever its headers declare).
const fuzzAllocLimit = 64 << 20

// heapAllocated returns the bytes allocated on the heap since the program
// started (runtime/metrics' cumulative count, which includes memory freed
// since; the sample is passed in so reading it allocates nothing).
func heapAllocated(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// readAnyParquet opens data as a Parquet file named f.parquet and reads every
// row group, all columns together and each column alone, in batches of 61 rows.
// It fails on a panic, a leaked buffer, an error that does not name the
// file, or an error that is not sticky; errors are expected for garbage.
func readAnyParquet(t testing.TB, data []byte) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	f, err := Open(bytes.NewReader(data), int64(len(data)), "f.parquet")
	if err != nil {
		namesParquetFile(t, err)
		return
	}
	defer f.Close()
	// A valid file may declare billions of rows in a few bytes (all-null
	// RLE runs); decoding them is slow, not wrong, so such inputs stop here.
	if f.NumRows() > 1<<16 {
		return
	}
	// Likewise a nested column's values (list elements) are not bounded by
	// its rows: a chunk declaring millions of null elements in a few bytes
	// of level runs is valid, and reading it allocates for each.
	for _, rg := range f.pf.Metadata().RowGroups {
		for _, cc := range rg.Columns {
			if cc.MetaData.NumValues > 1<<20 && cc.MetaData.NumValues > rg.NumRows {
				return
			}
		}
	}
	sels := [][]int{nil}
	for i := range f.Schema().NumFields() {
		sels = append(sels, []int{i})
	}
	for rg := range f.NumRowGroups() {
		for _, sel := range sels {
			r, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{Columns: sel, BatchSize: 61, Mem: mem})
			if err != nil {
				namesParquetFile(t, err)
				continue
			}
			for {
				b, err := r.Next()
				if err != nil {
					if err != io.EOF {
						namesParquetFile(t, err)
						if _, err2 := r.Next(); err2 != err {
							t.Fatalf("error not sticky: %v then %v", err, err2)
						}
					}
					break
				}
				b.Release()
			}
			if err := r.Close(); err != nil {
				namesParquetFile(t, err)
			}
		}
		r, err := f.ReadRowGroup(context.Background(), rg, ReadOptions{BatchSize: 61, Mem: mem})
		if err != nil {
			namesParquetFile(t, err)
			continue
		}
		readByColumn(t, r)
		if err := r.Close(); err != nil {
			namesParquetFile(t, err)
		}
	}
}

// readByColumn reads r's batches column by column as a fused scan filter
// does: a third of the columns skipped, a third as dictionary codes, and
// the rest at every other row.
func readByColumn(t testing.TB, r *RowGroupReader) {
	for {
		n, err := r.NextRows()
		if err != nil {
			if err != io.EOF {
				namesParquetFile(t, err)
			}
			return
		}
		var odd []int32
		for i := 1; i < n; i += 2 {
			odd = append(odd, int32(i))
		}
		for c := range r.Schema().NumFields() {
			var a arrow.Array
			want := n
			switch {
			case c%3 == 0:
				continue
			case c%3 == 1:
				a, err = r.DictColumn(c, 64)
			case r.Selectable(c):
				a, err = r.Column(c, odd)
				want = len(odd)
			default:
				a, err = r.Column(c, nil)
			}
			if err != nil {
				namesParquetFile(t, err)
				if _, err2 := r.NextRows(); err2 != err {
					t.Fatalf("error not sticky: %v then %v", err, err2)
				}
				return
			}
			if a.Len() != want {
				t.Fatalf("column %d: %d values, want %d", c, a.Len(), want)
			}
			a.Release()
		}
	}
}

// readBounded runs readAnyParquet on data in a goroutine of its own and
// fails if it takes over 20 s or allocates more than fuzzAllocLimit bytes.
// The fuzz worker runs one input at a time and waits here while the read
// runs, so the heap allocations counted between the two samples are the
// read's (and a few hundred bytes for the goroutine and timer).
func readBounded(t *testing.T, data []byte) {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	before := heapAllocated(sample)
	done := make(chan struct{})
	go func() {
		defer close(done)
		readAnyParquet(t, data)
	}()
	timer := time.NewTimer(20 * time.Second)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		t.Fatalf("reading a %d-byte input took over 20s", len(data))
	}
	if n := heapAllocated(sample) - before; n > fuzzAllocLimit {
		t.Fatalf("reading a %d-byte input allocated %d bytes (%.1f MiB), over the %d MiB bound",
			len(data), n, float64(n)/(1<<20), fuzzAllocLimit>>20)
	}
}

// namesParquetFile fails unless a read error names the file it came from.
func namesParquetFile(t testing.TB, err error) {
	t.Helper()
	if !strings.Contains(err.Error(), "f.parquet") {
		t.Fatalf("error does not name the file: %v", err)
	}
}

// corpusFiles returns the name and bytes of each file of the conformance
// corpus (testdata/io/parquet) under max bytes.
func corpusFiles(tb testing.TB, max int) (names []string, files [][]byte) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "io", "parquet", "*"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		if len(data) < max {
			names = append(names, filepath.Base(p))
			files = append(files, data)
		}
	}
	if len(files) < 10 {
		tb.Fatalf("only %d corpus files under testdata/io/parquet", len(files))
	}
	return names, files
}

// Every damaged variant of the smaller corpus files reads without a panic,
// within 20 s and within the 64 MB allocation bound (FuzzRead's check); the
// fuzz target seeds a quarter of them.
func TestDamagedFilesBounded(t *testing.T) {
	names, files := corpusFiles(t, damagedSeedMax)
	total := 0
	for i, data := range files {
		for k, v := range damagedVariants(data) {
			t.Run(fmt.Sprintf("%s/%d", names[i], k), func(t *testing.T) { readBounded(t, v) })
			total++
		}
	}
	if total < 200 {
		t.Fatalf("only %d damaged variants", total)
	}
}

// FuzzRead mutates the files of the conformance corpus (testdata/io/parquet,
// those under 100 KB so each run stays fast) and damaged variants of the
// smaller ones (see damagedVariants: every fourth, rotating with the file
// so that each kind of damage seeds several files while CI's 10-second
// smoke stays short), and reads the result.
func FuzzRead(f *testing.F) {
	_, files := corpusFiles(f, 100<<10)
	damaged := 0
	for i, data := range files {
		f.Add(data)
		if len(data) < damagedSeedMax {
			for k, v := range damagedVariants(data) {
				if k%4 == i%4 {
					f.Add(v)
					damaged++
				}
			}
		}
	}
	if damaged < 50 {
		f.Fatalf("only %d damaged variants", damaged)
	}
	f.Add([]byte("PAR1"))
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	f.Fuzz(readBounded)
}

// damagedSeedMax bounds the corpus files that damaged variants are made of,
// so the seeds stay quick to run.
const damagedSeedMax = 24 << 10

// damagedVariants returns copies of a valid Parquet file damaged the ways a
// hostile or broken writer would: truncated footers, footer lengths that
// lie, huge declared row and value counts and chunk sizes, page headers
// whose sizes and counts lie, and nested level runs out of range. Files
// whose footer or pages do not parse yield only the footer variants.
func damagedVariants(data []byte) [][]byte {
	n := len(data)
	if n < 12 {
		return nil
	}
	flen := int(binary.LittleEndian.Uint32(data[n-8:]))
	var out [][]byte
	// Truncations: the file cut in half, the last byte (magic) cut, the
	// footer cut in half with its length left as it was.
	out = append(out, bytes.Clone(data[:n/2]), bytes.Clone(data[:n-1]))
	if flen > 2 && flen < n-8 {
		cut := append(bytes.Clone(data[:n-8-flen/2]), data[n-8:]...)
		out = append(out, cut)
	}
	// A footer length far beyond the file, and one just beyond it.
	for _, l := range []uint32{0x7fffffff, uint32(n - 7)} {
		v := bytes.Clone(data)
		binary.LittleEndian.PutUint32(v[n-8:], l)
		out = append(out, v)
	}
	if flen <= 0 || flen > n-12 {
		return out
	}
	var md format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), data[n-8-flen:n-8], &md); err != nil {
		return out
	}
	// Footer lies: huge row counts, value counts, chunk sizes and offsets.
	metaLies := []func(*format.FileMetaData){
		func(m *format.FileMetaData) {
			for i := range m.RowGroups {
				m.RowGroups[i].NumRows = 1 << 40
			}
		},
		func(m *format.FileMetaData) {
			eachChunk(m, func(c *format.ColumnMetaData) { c.NumValues = 1 << 40 })
		},
		func(m *format.FileMetaData) {
			eachChunk(m, func(c *format.ColumnMetaData) { c.TotalCompressedSize = 1 << 40 })
		},
		func(m *format.FileMetaData) {
			eachChunk(m, func(c *format.ColumnMetaData) { c.DictionaryPageOffset, c.DataPageOffset = 4, c.DataPageOffset+1 })
		},
	}
	for _, lie := range metaLies {
		m := md
		m.RowGroups = cloneRowGroups(md.RowGroups)
		lie(&m)
		if v, err := withFooter(data[:n-8-flen], &m); err == nil {
			out = append(out, v)
		}
	}
	// Page header lies, applied to every page of every chunk.
	pageLies := []func(h *format.PageHeader, body []byte, lv levelInfo) []byte{
		func(h *format.PageHeader, body []byte, _ levelInfo) []byte {
			h.UncompressedPageSize = 1 << 30
			return body
		},
		func(h *format.PageHeader, body []byte, _ levelInfo) []byte { h.UncompressedPageSize /= 2; return body },
		func(h *format.PageHeader, body []byte, _ levelInfo) []byte {
			h.CompressedPageSize = int32(len(body)) / 2
			return body
		},
		func(h *format.PageHeader, body []byte, _ levelInfo) []byte {
			h.DataPageHeader.V.NumValues = 1 << 30
			h.DataPageHeaderV2.V.NumValues, h.DataPageHeaderV2.V.NumRows = 1<<30, 1<<30
			h.DictionaryPageHeader.V.NumValues = 1 << 30
			return body
		},
		func(h *format.PageHeader, body []byte, _ levelInfo) []byte {
			h.DataPageHeaderV2.V.NumNulls = h.DataPageHeaderV2.V.NumValues + 1
			h.DataPageHeaderV2.V.DefinitionLevelsByteLength = 1 << 30
			h.DictionaryPageHeader.V.NumValues = -1
			return body
		},
		func(h *format.PageHeader, body []byte, _ levelInfo) []byte {
			h.Type = format.DictionaryPage
			h.DictionaryPageHeader = thrift.New(format.DictionaryPageHeader{NumValues: 1 << 30, Encoding: format.Plain})
			return body
		},
	}
	// Level runs out of range (nested columns): every repetition or
	// definition level of a page replaced by one run of a value above the
	// column's maximum, or by 1 (a page starting inside a row).
	for _, rep := range []bool{true, false} {
		for _, val := range []int{-1, -2, 1} {
			pageLies = append(pageLies, func(h *format.PageHeader, body []byte, lv levelInfo) []byte {
				return levelRun(h, body, lv, rep, val)
			})
		}
	}
	levels := schemaLevels(md.Schema)
	for _, lie := range pageLies {
		if v, err := rewritePages(data, &md, levels, lie); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// eachChunk calls fn on the metadata of every column chunk of m.
func eachChunk(m *format.FileMetaData, fn func(*format.ColumnMetaData)) {
	for i := range m.RowGroups {
		for j := range m.RowGroups[i].Columns {
			fn(&m.RowGroups[i].Columns[j].MetaData)
		}
	}
}

// cloneRowGroups copies row groups deeply enough to change their counts,
// sizes and offsets.
func cloneRowGroups(rgs []format.RowGroup) []format.RowGroup {
	out := make([]format.RowGroup, len(rgs))
	for i, rg := range rgs {
		out[i] = rg
		out[i].Columns = append([]format.ColumnChunk(nil), rg.Columns...)
	}
	return out
}

// withFooter returns body (a file's bytes before its footer) followed by
// the footer m, its length and the magic.
func withFooter(body []byte, m *format.FileMetaData) ([]byte, error) {
	footer, err := thrift.Marshal(new(thrift.CompactProtocol), m)
	if err != nil {
		return nil, err
	}
	out := append(bytes.Clone(body), footer...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(footer)))
	return append(out, "PAR1"...), nil
}

// levelInfo is what a damaged-page function knows of its column.
type levelInfo struct {
	maxRep, maxDef int
	codec          format.CompressionCodec
}

// schemaLevels returns the maximum repetition and definition levels of each
// leaf column of a flattened Parquet schema, in column chunk order.
func schemaLevels(schema []format.SchemaElement) []levelInfo {
	var out []levelInfo
	i := 1 // after the root
	var walk func(rep, def int)
	walk = func(rep, def int) {
		if i >= len(schema) {
			return
		}
		e := schema[i]
		i++
		switch e.RepetitionType.V {
		case format.Optional:
			def++
		case format.Repeated:
			def++
			rep++
		}
		if e.NumChildren.V <= 0 {
			out = append(out, levelInfo{maxRep: rep, maxDef: def})
			return
		}
		for range e.NumChildren.V {
			walk(rep, def)
		}
	}
	for i < len(schema) {
		walk(0, 0)
	}
	return out
}

// levelRun replaces the repetition (rep) or definition levels of a data
// page whose levels are stored uncompressed (v2 pages, and v1 pages of an
// uncompressed chunk) by one RLE run of val: -1 for the column's maximum
// plus one, -2 for 0xff, else val itself. Pages of columns without such
// levels are returned unchanged.
func levelRun(h *format.PageHeader, body []byte, lv levelInfo, rep bool, val int) []byte {
	maxLevel := lv.maxDef
	if rep {
		maxLevel = lv.maxRep
	}
	if maxLevel == 0 || lv.maxRep == 0 {
		return body
	}
	switch val {
	case -1:
		val = maxLevel + 1
	case -2:
		val = 0xff
	}
	width := (bits.Len(uint(maxLevel)) + 7) / 8
	fill := func(sec []byte, count int) {
		run := binary.AppendUvarint(nil, uint64(count)<<1)
		run = append(run, byte(val))
		for range width - 1 {
			run = append(run, 0)
		}
		if len(run) <= len(sec) {
			clear(sec)
			copy(sec, run)
		}
	}
	body = bytes.Clone(body)
	switch {
	case h.Type == format.DataPageV2:
		v2 := h.DataPageHeaderV2.V
		rl, dl := int(v2.RepetitionLevelsByteLength), int(v2.DefinitionLevelsByteLength)
		if rl < 0 || dl < 0 || rl+dl > len(body) {
			return body
		}
		if rep {
			fill(body[:rl], int(v2.NumValues))
		} else {
			fill(body[rl:rl+dl], int(v2.NumValues))
		}
	case h.Type == format.DataPage && lv.codec == format.Uncompressed:
		// v1: [4-byte length, repetition levels] then the same for
		// definition levels.
		off := 0
		if !rep {
			if len(body) < 4 {
				return body
			}
			off = 4 + int(binary.LittleEndian.Uint32(body))
		}
		if off+4 > len(body) {
			return body
		}
		l := int(binary.LittleEndian.Uint32(body[off:]))
		if l < 0 || off+4+l > len(body) {
			return body
		}
		fill(body[off+4:off+4+l], int(h.DataPageHeader.V.NumValues))
	}
	return body
}

// rewritePages rebuilds a Parquet file page by page, letting damage change
// each page's header and body; chunk offsets and sizes are updated so the
// file stays framed (the damage is in what the pages say, not where they
// are), checksums are recomputed and page indexes dropped.
func rewritePages(data []byte, md *format.FileMetaData, levels []levelInfo, damage func(*format.PageHeader, []byte, levelInfo) []byte) ([]byte, error) {
	m := *md
	m.RowGroups = cloneRowGroups(md.RowGroups)
	out := []byte("PAR1")
	for i := range m.RowGroups {
		for j := range m.RowGroups[i].Columns {
			cc := &m.RowGroups[i].Columns[j]
			c := &cc.MetaData
			start := c.DataPageOffset
			if c.DictionaryPageOffset > 0 && c.DictionaryPageOffset < start {
				start = c.DictionaryPageOffset
			}
			if start < 4 || c.TotalCompressedSize <= 0 || start+c.TotalCompressedSize > int64(len(data)) || j >= len(levels) {
				return nil, fmt.Errorf("chunk %d.%d out of the file", i, j)
			}
			lv := levels[j]
			lv.codec = c.Codec
			chunk := data[start : start+c.TotalCompressedSize]
			newStart := int64(len(out))
			c.DictionaryPageOffset, c.IndexPageOffset = 0, 0
			c.DataPageOffset = -1
			for len(chunk) > 0 {
				var h format.PageHeader
				r := bytes.NewReader(chunk)
				if err := thrift.NewDecoder(new(thrift.CompactProtocol).NewReader(r)).Decode(&h); err != nil {
					return nil, err
				}
				hlen := len(chunk) - r.Len()
				if h.CompressedPageSize < 0 || hlen+int(h.CompressedPageSize) > len(chunk) {
					return nil, fmt.Errorf("page out of its chunk")
				}
				body := chunk[hlen : hlen+int(h.CompressedPageSize)]
				chunk = chunk[hlen+int(h.CompressedPageSize):]
				isDict := h.Type == format.DictionaryPage
				nb := damage(&h, body, lv)
				if h.CRC != 0 {
					h.CRC = int32(crc32.ChecksumIEEE(nb))
				}
				if h.CompressedPageSize == int32(len(body)) {
					h.CompressedPageSize = int32(len(nb))
				}
				hdr, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
				if err != nil {
					return nil, err
				}
				if isDict && c.DictionaryPageOffset == 0 {
					c.DictionaryPageOffset = int64(len(out))
				} else if c.DataPageOffset < 0 {
					c.DataPageOffset = int64(len(out))
				}
				out = append(out, hdr...)
				out = append(out, nb...)
			}
			if c.DataPageOffset < 0 {
				c.DataPageOffset = newStart
			}
			c.TotalCompressedSize = int64(len(out)) - newStart
			cc.FileOffset = newStart
			cc.OffsetIndexOffset, cc.OffsetIndexLength, cc.ColumnIndexOffset, cc.ColumnIndexLength = 0, 0, 0, 0
		}
		m.RowGroups[i].FileOffset = 0
	}
	return withFooter(out, &m)
}
