package parquet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/bits"
	"slices"
	"unsafe"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding/plain"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/pierrec/lz4/v4"
)

// chunkPages reads the pages of one column chunk: it frames the pages itself
// (page headers, checksums, decompression, definition levels) and decodes
// values with parquet-go's encodings, except DELTA_BINARY_PACKED, which it
// decodes itself.
//
// parquet-go's own page reader (FilePages) is not used because it reads two
// kinds of valid files wrongly without an error:
//   - a page whose decompressed size equals its uncompressed_page_size keeps
//     the pooled buffer it handed to the codec, even when the codec returned
//     its output in a new slice (the LZ4_RAW codec does whenever the buffer
//     is under three times the compressed size), so the page is decoded from
//     stale memory;
//   - DELTA_BINARY_PACKED INT32 values are unpacked into 32-bit integers,
//     although writers compute the deltas in 64 bits and may use miniblocks
//     of bit width 33.
type chunkPages struct {
	c     *column
	codec format.CompressionCodec
	dec   compress.Codec // for codecs other than UNCOMPRESSED and LZ4_RAW
	rbuf  *bufio.Reader
	thr   *thrift.Decoder
	left  int64 // values of the chunk not yet returned
	size  int64 // the chunk's compressed bytes, headers included

	raw    []byte // page bytes as stored
	unz    []byte // decompressed page (or values section of a v2 page)
	levels []byte
	reps   []byte

	i32   []int32
	i64   []int64
	f32   []float32
	f64   []float64
	bytes []byte
	offs  []uint32
	idx   []int32

	dict    dictValues
	hasDict bool
	dictGen int // incremented each time a dictionary page is read
	page    int // pages read so far (dictionary pages included)

	gz    *gzip.Reader // GZIP pages' decoder, reused across pages
	gzSrc bytes.Reader
}

// dictValues is a decoded dictionary page: n values, fixed-width in physical
// layout or byte arrays.
type dictValues struct {
	n     int
	fixed []byte
	bdata []byte
	boff  []uint32
}

// dataPage is one decoded data page of a flat column.
type dataPage struct {
	rows  int    // rows (= values, nulls included)
	nulls int    // rows with definition level 0
	defs  []byte // one level per row (value) when the column is optional
	reps  []byte // one repetition level per value of a nested leaf column
	idx   []int32
	fixed []byte // fixed-width values in physical layout (booleans bit-packed)
	bdata []byte
	boff  []uint32
}

// readBufferSize bounds the read-ahead buffer of each column chunk.
const readBufferSize = 256 << 10

// decodePadding is the spare capacity kept after a page's bytes: parquet-go's
// bit unpacking reads up to 16 bytes past its input, and copies a bit-packed
// run that ends at the end of its buffer (a whole page of dictionary indices)
// to a new, padded one when the buffer has no such room.
const decodePadding = 16

func newChunkPages(r io.ReaderAt, c *column, cc *format.ColumnChunk) (*chunkPages, error) {
	return reuseChunkPages(r, c, cc, nil)
}

// reuseChunkPages is newChunkPages keeping the buffers of old, a chunk's
// pages no longer read (nil: none), for their capacity.
func reuseChunkPages(r io.ReaderAt, c *column, cc *format.ColumnChunk, old *chunkPages) (*chunkPages, error) {
	md := &cc.MetaData
	if cc.CryptoMetadata.Value != nil || len(cc.EncryptedColumnMetadata) > 0 {
		return nil, errors.New("encrypted column chunks are not supported")
	}
	if cc.FilePath != "" {
		return nil, fmt.Errorf("column chunk in another file (%s) not supported", cc.FilePath)
	}
	start := md.DataPageOffset
	if md.DictionaryPageOffset > 0 && md.DictionaryPageOffset < start {
		start = md.DictionaryPageOffset
	}
	if start < 0 || md.TotalCompressedSize < 0 || md.NumValues < 0 {
		return nil, errors.New("invalid column chunk offsets")
	}
	p := &chunkPages{c: c, codec: md.Codec, left: md.NumValues, size: md.TotalCompressedSize}
	switch md.Codec {
	case format.Uncompressed, format.Lz4Raw, format.Lz4:
	case format.Gzip:
	case format.Snappy, format.Brotli, format.Zstd:
		p.dec = pq.LookupCompressionCodec(md.Codec)
	default:
		return nil, fmt.Errorf("compression codec %s not supported", md.Codec)
	}
	sec := io.NewSectionReader(r, start, md.TotalCompressedSize)
	if old != nil {
		p.raw, p.unz, p.levels, p.reps = old.raw[:0], old.unz[:0], old.levels[:0], old.reps[:0]
		p.i32, p.i64, p.f32, p.f64 = old.i32[:0], old.i64[:0], old.f32[:0], old.f64[:0]
		p.bytes, p.offs, p.idx = old.bytes[:0], old.offs[:0], old.idx[:0]
		p.dict = dictValues{fixed: old.dict.fixed[:0], bdata: old.dict.bdata[:0], boff: old.dict.boff[:0]}
		p.gz = old.gz
	}
	if old != nil && old.rbuf != nil && int64(old.rbuf.Size()) >= min(md.TotalCompressedSize, readBufferSize) {
		p.rbuf = old.rbuf
		p.rbuf.Reset(sec)
	} else {
		p.rbuf = bufio.NewReaderSize(sec, int(min(max(md.TotalCompressedSize, 16), readBufferSize)))
	}
	var proto thrift.CompactProtocol
	p.thr = thrift.NewDecoder(&boundedThrift{thriftReader: proto.NewReader(p.rbuf), limit: md.TotalCompressedSize})
	return p, nil
}

// next returns the next data page, reading any dictionary page before it.
// The page's slices stay valid until the next call. Errors name the page
// (counted from 0 within the column chunk, dictionary pages included). It
// looks at ctx after each page it reads, so that a dictionary page and the
// data page after it are not decoded in one go after a cancel.
func (p *chunkPages) next(ctx context.Context) (*dataPage, error) {
	dp, err := p.nextPage(ctx)
	if err != nil {
		return nil, fmt.Errorf("page %d: %w", p.page, err)
	}
	return dp, nil
}

func (p *chunkPages) nextPage(ctx context.Context) (*dataPage, error) {
	for ; ; p.page++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if p.left <= 0 {
			return nil, errors.New("column chunk has fewer values than the row group has rows")
		}
		var h format.PageHeader
		if err := p.thr.Decode(&h); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("column chunk ends before its last page")
			}
			return nil, fmt.Errorf("page header: %w", err)
		}
		if h.CompressedPageSize < 0 || h.UncompressedPageSize < 0 {
			return nil, fmt.Errorf("page header has negative sizes (%d, %d)", h.CompressedPageSize, h.UncompressedPageSize)
		}
		if int64(h.CompressedPageSize) > p.size {
			// Checked before allocating: a corrupt header must not make
			// the reader allocate more than the file holds.
			return nil, fmt.Errorf("page header says %d bytes, more than its column chunk's %d", h.CompressedPageSize, p.size)
		}
		p.raw = sizedFor(p.raw, int(h.CompressedPageSize), decodePadding)
		raw := p.raw
		if _, err := io.ReadFull(p.rbuf, raw); err != nil {
			return nil, fmt.Errorf("page data: %w", err)
		}
		if h.CRC != 0 && crc32.ChecksumIEEE(raw) != uint32(h.CRC) {
			return nil, fmt.Errorf("page checksum mismatch (crc32 %08x, header says %08x)", crc32.ChecksumIEEE(raw), uint32(h.CRC))
		}
		switch h.Type {
		case format.DictionaryPage:
			if err := p.readDict(&h, raw); err != nil {
				return nil, fmt.Errorf("dictionary page: %w", err)
			}
		case format.DataPage:
			dp, err := p.readV1(&h, raw)
			if err != nil {
				return nil, fmt.Errorf("data page: %w", err)
			}
			p.page++
			return dp, nil
		case format.DataPageV2:
			dp, err := p.readV2(&h, raw)
			if err != nil {
				return nil, fmt.Errorf("data page v2: %w", err)
			}
			p.page++
			return dp, nil
		case format.IndexPage:
		default:
			return nil, fmt.Errorf("unknown page type %d", h.Type)
		}
	}
}

// decompress returns the n bytes that src decompresses to.
func (p *chunkPages) decompress(src []byte, n int) ([]byte, error) {
	if n == 0 && len(src) == 0 {
		// An empty section some writers store without codec framing (a
		// v2 page holding only nulls).
		return src, nil
	}
	if n < 0 {
		return nil, fmt.Errorf("negative decompressed size %d", n)
	}
	if limit := maxDecompressed(p.codec, len(src)); p.codec != format.Uncompressed && int64(n) > limit {
		// Checked before allocating: a damaged header must not make the
		// reader allocate more than the page's bytes can expand to.
		return nil, fmt.Errorf("header says the %d-byte %s page decompresses to %d bytes, more than %s can expand it to (%d)",
			len(src), p.codec, n, p.codec, limit)
	}
	switch {
	case p.codec == format.Uncompressed:
		if len(src) != n {
			return nil, fmt.Errorf("uncompressed page holds %d bytes, header says %d", len(src), n)
		}
		return src, nil
	case p.codec == format.Lz4Raw:
		p.unz = sizedFor(p.unz, n, decodePadding)
		out := p.unz
		k, err := lz4.UncompressBlock(src, out)
		if err != nil {
			return nil, fmt.Errorf("LZ4_RAW: %w", err)
		}
		if k != n {
			return nil, fmt.Errorf("LZ4_RAW page decompressed to %d bytes, header says %d", k, n)
		}
		return out, nil
	case p.codec == format.Lz4:
		p.unz = sizedFor(p.unz, n, decodePadding)
		out := p.unz
		if k, ok := hadoopLZ4(src, out); ok && k == n {
			return out, nil
		}
		// Some writers store a bare LZ4 block under the deprecated codec.
		k, err := lz4.UncompressBlock(src, out)
		if err != nil {
			return nil, fmt.Errorf("LZ4 (neither Hadoop-framed nor a raw block): %w", err)
		}
		if k != n {
			return nil, fmt.Errorf("LZ4 page decompressed to %d bytes, header says %d", k, n)
		}
		return out, nil
	case p.codec == format.Gzip:
		p.unz = sizedFor(p.unz, n, decodePadding)
		out := p.unz
		if err := p.gunzip(src, out); err != nil {
			return nil, fmt.Errorf("GZIP: %w", err)
		}
		return out, nil
	default:
		if p.codec == format.Snappy {
			// Snappy allocates the length its stream declares.
			if dl, err := snappy.DecodedLen(src); err != nil || dl != n {
				return nil, fmt.Errorf("SNAPPY page declares %d bytes (%v), header says %d", dl, err, n)
			}
		}
		if p.codec == format.Zstd {
			// The zstd decoder allocates the size a frame declares.
			var zh zstd.Header
			if err := zh.Decode(src); err == nil && zh.HasFCS && zh.FrameContentSize > uint64(n) {
				return nil, fmt.Errorf("ZSTD frame declares %d bytes, page header says %d", zh.FrameContentSize, n)
			}
		}
		alloc := n
		if p.codec == format.Zstd || p.codec == format.Brotli {
			// These can expand far more than a damaged page should make
			// the reader allocate up front: the buffer starts at what
			// such pages typically need and grows with the output.
			alloc = min(n, max(len(src)*initialExpansion, 64<<10))
		}
		p.unz = sizedFor(p.unz, alloc, decodePadding)
		// Codecs may return their output in a new slice: use what they
		// return, never the buffer passed in.
		out, err := p.dec.Decode(p.unz[:min(n, cap(p.unz))], src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.codec, err)
		}
		if len(out) != n {
			return nil, fmt.Errorf("%s page decompressed to %d bytes, header says %d", p.codec, len(out), n)
		}
		if cap(out) > cap(p.unz) {
			p.unz = out[:0]
		}
		return out, nil
	}
}

// gunzip decompresses the GZIP page src into out, which must be exactly
// its decompressed size. (parquet-go's GZIP codec panics on a page whose
// gzip header is damaged, so the reader decodes GZIP itself.)
func (p *chunkPages) gunzip(src, out []byte) error {
	p.gzSrc.Reset(src)
	var err error
	if p.gz == nil {
		p.gz, err = gzip.NewReader(&p.gzSrc)
	} else {
		err = p.gz.Reset(&p.gzSrc)
	}
	if err != nil {
		return err
	}
	k, err := io.ReadFull(p.gz, out)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("page decompressed to %d bytes, header says %d", k, len(out))
		}
		return err
	}
	// The stream must end here (this also checks its CRC and length).
	var one [1]byte
	if m, err := p.gz.Read(one[:]); m > 0 {
		return fmt.Errorf("page decompresses to more than the %d bytes its header says", len(out))
	} else if err != nil && err != io.EOF {
		return err
	}
	return nil
}

// initialExpansion is the multiple of a compressed page's size allocated
// for its output before a ZSTD or BROTLI decoder grows it.
const initialExpansion = 16

// maxDecompressed returns the most bytes n compressed bytes of codec can
// decompress to, from each format's densest encoding: SNAPPY's 3-byte copy
// of 64 bytes (21.4x); an LZ4 sequence's match length growing by 255 per
// byte; DEFLATE's 258-byte matches in 2 bits (1032x); a ZSTD RLE block of
// 3 header bytes and 1 byte expanding to the 128 KiB block maximum
// (32768x). BROTLI has no such bound that helps (a few bits may copy
// megabytes), so it is bounded only by the int32 page size.
func maxDecompressed(codec format.CompressionCodec, n int) int64 {
	m := int64(n)
	switch codec {
	case format.Snappy:
		return 22*m + 16
	case format.Lz4, format.Lz4Raw:
		return 256*m + 64
	case format.Gzip:
		return 1032*m + 1032
	case format.Zstd:
		return 32768*m + 128<<10
	}
	return math.MaxInt32
}

// hadoopLZ4 decompresses src framed as Hadoop's Lz4Codec writes it (the
// deprecated Parquet LZ4 codec as parquet-mr uses it): blocks of a 4-byte
// big-endian decompressed size and a 4-byte big-endian compressed size
// followed by a raw LZ4 block. It returns the bytes written to out, and
// false when src is not framed that way.
func hadoopLZ4(src, out []byte) (int, bool) {
	w := 0
	for len(src) > 0 {
		if len(src) < 8 {
			return 0, false
		}
		usize := int(binary.BigEndian.Uint32(src[:4]))
		csize := int(binary.BigEndian.Uint32(src[4:8]))
		src = src[8:]
		if csize > len(src) || usize > len(out)-w {
			return 0, false
		}
		k, err := lz4.UncompressBlock(src[:csize], out[w:w+usize])
		if err != nil || k != usize {
			return 0, false
		}
		w += k
		src = src[csize:]
	}
	return w, true
}

func (p *chunkPages) readDict(h *format.PageHeader, raw []byte) error {
	dh, ok := h.DictionaryPageHeader.Get()
	if !ok {
		return errors.New("missing dictionary page header")
	}
	if dh.Encoding != format.Plain && dh.Encoding != format.PlainDictionary {
		return fmt.Errorf("dictionary encoding %s not supported", dh.Encoding)
	}
	if dh.NumValues < 0 {
		return errors.New("negative dictionary size")
	}
	data, err := p.decompress(raw, int(h.UncompressedPageSize))
	if err != nil {
		return err
	}
	n := int(dh.NumValues)
	var v dataPage
	if err := p.decodeValues(&v, format.Plain, data, n); err != nil {
		return err
	}
	// The dictionary outlives the page buffers: keep copies.
	d := &p.dict
	d.n = n
	if p.c.phys == format.ByteArray {
		d.bdata = append(d.bdata[:0], v.bdata...)
		d.boff = append(d.boff[:0], v.boff...)
		d.fixed = d.fixed[:0]
	} else {
		d.fixed = append(d.fixed[:0], v.fixed...)
	}
	p.hasDict = true
	p.dictGen++
	return nil
}

func (p *chunkPages) readV1(h *format.PageHeader, raw []byte) (*dataPage, error) {
	dh, ok := h.DataPageHeader.Get()
	if !ok {
		return nil, errors.New("missing data page header")
	}
	if dh.NumValues < 0 {
		return nil, errors.New("negative value count")
	}
	if err := p.checkCount(int64(dh.NumValues)); err != nil {
		return nil, err
	}
	data, err := p.decompress(raw, int(h.UncompressedPageSize))
	if err != nil {
		return nil, err
	}
	dp := &dataPage{rows: int(dh.NumValues)}
	maxDef, maxRep := p.c.levels()
	if maxRep > 0 {
		if dh.RepetitionLevelEncoding != format.RLE {
			return nil, fmt.Errorf("repetition level encoding %s not supported", dh.RepetitionLevelEncoding)
		}
		if len(data) < 4 {
			return nil, errors.New("repetition levels truncated")
		}
		n := int(uint32(data[0]) | uint32(data[1])<<8 | uint32(data[2])<<16 | uint32(data[3])<<24)
		if n < 0 || n > len(data)-4 {
			return nil, errors.New("repetition levels length out of bounds")
		}
		if err := p.decodeReps(dp, data[4:4+n], maxRep); err != nil {
			return nil, err
		}
		data = data[4+n:]
	}
	if maxDef > 0 {
		if dh.DefinitionLevelEncoding != format.RLE {
			return nil, fmt.Errorf("definition level encoding %s not supported", dh.DefinitionLevelEncoding)
		}
		if len(data) < 4 {
			return nil, errors.New("definition levels truncated")
		}
		n := int(uint32(data[0]) | uint32(data[1])<<8 | uint32(data[2])<<16 | uint32(data[3])<<24)
		if n < 0 || n > len(data)-4 {
			return nil, errors.New("definition levels length out of bounds")
		}
		if err := p.decodeDefs(dp, data[4:4+n], maxDef); err != nil {
			return nil, err
		}
		data = data[4+n:]
	}
	return dp, p.finishData(dp, dh.Encoding, data)
}

func (p *chunkPages) readV2(h *format.PageHeader, raw []byte) (*dataPage, error) {
	dh, ok := h.DataPageHeaderV2.Get()
	if !ok {
		return nil, errors.New("missing data page v2 header")
	}
	if dh.NumValues < 0 || dh.NumNulls < 0 || dh.NumRows < 0 || dh.DefinitionLevelsByteLength < 0 || dh.RepetitionLevelsByteLength < 0 {
		return nil, errors.New("negative count in header")
	}
	if err := p.checkCount(int64(dh.NumValues)); err != nil {
		return nil, err
	}
	maxDef, maxRep := p.c.levels()
	if maxRep == 0 && dh.NumRows != dh.NumValues {
		return nil, fmt.Errorf("%d values in %d rows in a flat column", dh.NumValues, dh.NumRows)
	}
	rl, dl := int(dh.RepetitionLevelsByteLength), int(dh.DefinitionLevelsByteLength)
	if rl+dl > len(raw) || rl+dl > int(h.UncompressedPageSize) {
		return nil, errors.New("level lengths exceed the page size")
	}
	dp := &dataPage{rows: int(dh.NumValues)}
	// Flat columns have no repetition levels; some writers still write
	// (zero) levels, which are skipped.
	if maxRep > 0 {
		if err := p.decodeReps(dp, raw[:rl], maxRep); err != nil {
			return nil, err
		}
	}
	if maxDef > 0 {
		if err := p.decodeDefs(dp, raw[rl:rl+dl], maxDef); err != nil {
			return nil, err
		}
		if dp.nulls != int(dh.NumNulls) {
			return nil, fmt.Errorf("%d null definition levels, header says %d nulls", dp.nulls, dh.NumNulls)
		}
	} else if dh.NumNulls != 0 {
		return nil, errors.New("required column page has nulls")
	}
	vals := raw[rl+dl:]
	n := int(h.UncompressedPageSize) - rl - dl
	compressed := !dh.IsCompressed.Valid || dh.IsCompressed.V
	if compressed {
		var err error
		if vals, err = p.decompress(vals, n); err != nil {
			return nil, err
		}
	} else if len(vals) != n {
		return nil, fmt.Errorf("uncompressed values section holds %d bytes, header says %d", len(vals), n)
	}
	return dp, p.finishData(dp, dh.Encoding, vals)
}

// decodeReps decodes the RLE/bit-packed repetition levels of dp.rows
// values of a nested column.
func (p *chunkPages) decodeReps(dp *dataPage, src []byte, maxRep int) error {
	lv, err := decodeLevels(p.reps[:0], src, bits.Len(uint(maxRep)), dp.rows)
	if cap(lv) > cap(p.reps) {
		p.reps = lv[:0]
	}
	if err != nil {
		return fmt.Errorf("repetition levels: %w", err)
	}
	if len(lv) < dp.rows {
		return fmt.Errorf("%d repetition levels for %d values", len(lv), dp.rows)
	}
	dp.reps = lv[:dp.rows]
	for _, r := range dp.reps {
		if int(r) > maxRep {
			return fmt.Errorf("repetition level %d above the maximum %d", r, maxRep)
		}
	}
	return nil
}

// decodeDefs decodes the RLE/bit-packed definition levels of dp.rows values
// and counts the nulls (levels under maxDef). A page whose levels open with
// one run of maxDef covering every value (an optional column without nulls,
// the common case) keeps no levels: dp.defs stays nil.
func (p *chunkPages) decodeDefs(dp *dataPage, src []byte, maxDef int) error {
	if allDefined(src, maxDef, dp.rows) {
		return nil
	}
	lv, err := decodeLevels(p.levels[:0], src, bits.Len(uint(maxDef)), dp.rows)
	if cap(lv) > cap(p.levels) {
		p.levels = lv[:0]
	}
	if err != nil {
		return fmt.Errorf("definition levels: %w", err)
	}
	if len(lv) < dp.rows {
		return fmt.Errorf("%d definition levels for %d values", len(lv), dp.rows)
	}
	dp.defs = lv[:dp.rows]
	md := byte(maxDef)
	for _, d := range dp.defs {
		if d < md {
			dp.nulls++
		} else if d > md {
			return fmt.Errorf("definition level %d above the maximum %d", d, maxDef)
		}
	}
	return nil
}

// allDefined reports whether the RLE/bit-packed levels in src open with a
// run of the value maxDef (1..255, so one byte wide) at least n long.
func allDefined(src []byte, maxDef, n int) bool {
	header, k := binary.Uvarint(src)
	if k <= 0 || header&1 != 0 || header>>1 < uint64(n) || k >= len(src) {
		return false
	}
	return int(src[k]) == maxDef
}

// checkCount refuses a page of more values than its column chunk has left,
// before anything is decompressed or allocated for it.
func (p *chunkPages) checkCount(n int64) error {
	if n > p.left {
		return fmt.Errorf("page has %d values, column chunk has %d left", n, p.left)
	}
	return nil
}

func (p *chunkPages) finishData(dp *dataPage, enc format.Encoding, data []byte) error {
	if int64(dp.rows) > p.left {
		return fmt.Errorf("page has %d values, column chunk has %d left", dp.rows, p.left)
	}
	p.left -= int64(dp.rows)
	return p.decodeValues(dp, enc, data, dp.rows-dp.nulls)
}

// sizedFor returns b resliced to length n, with room for at least extra
// elements after it. When b has too little, it returns a new slice of that
// size, or of a quarter more than b's when that is more: a column's pages,
// each a little larger than the last, then do not each allocate (and
// clear) a new buffer.
func sizedFor[T any](b []T, n, extra int) []T {
	if cap(b) >= n+extra {
		return b[:n]
	}
	return make([]T, n, max(n+extra, cap(b)+cap(b)/4))
}

// decodeValues decodes n non-null values encoded with enc into v.
func (p *chunkPages) decodeValues(v *dataPage, enc format.Encoding, src []byte, n int) error {
	phys := p.c.phys
	if enc == format.PlainDictionary || enc == format.RLEDictionary {
		if !p.hasDict {
			return errors.New("dictionary-encoded page without a dictionary page")
		}
		// Sized up front, so that the decoder does not grow it by doubling
		// (the bit-packed groups of the last run may add up to 7 values);
		// a page whose runs declare more grows it as before.
		p.idx = sizedFor(p.idx, 0, min(n+8, 8*len(src)+64))
		idx, err := pq.LookupEncoding(format.RLEDictionary).DecodeInt32(p.idx[:0], src)
		if cap(idx) > cap(p.idx) {
			p.idx = idx[:0]
		}
		if err != nil {
			return fmt.Errorf("dictionary indices: %w", err)
		}
		if len(idx) < n {
			return fmt.Errorf("%d dictionary indices for %d values", len(idx), n)
		}
		v.idx = idx[:n]
		return nil
	}
	if enc == format.Plain {
		switch phys {
		case format.Boolean:
			if len(src)*8 < n {
				return fmt.Errorf("%d bytes of booleans for %d values", len(src), n)
			}
			v.fixed = src
			return nil
		case format.ByteArray:
			// Sized up front: the values take at most the page's bytes,
			// and each has a 4-byte length before it.
			p.bytes = sizedFor(p.bytes, 0, len(src))
			p.offs = sizedFor(p.offs, 0, min(n, len(src)/4)+1)
			b, o, err := (&plain.Encoding{}).DecodeByteArray(p.bytes[:0], src, p.offs[:0])
			p.keepBytes(b, o)
			if err != nil {
				return err
			}
			if len(o) != n+1 {
				return fmt.Errorf("page holds %d byte arrays, header says %d", len(o)-1, n)
			}
			v.bdata, v.boff = b, o
			return nil
		default:
			w := p.physWidth()
			if len(src) < n*w {
				return fmt.Errorf("%d bytes of values for %d values of %d bytes", len(src), n, w)
			}
			v.fixed = src[:n*w]
			return nil
		}
	}
	if enc == format.DeltaBinaryPacked {
		switch phys {
		case format.Int32:
			out, err := decodeDelta(p.i32[:0], src, n)
			p.i32 = out[:0]
			if err != nil {
				return err
			}
			v.fixed = bytesOf(out)
			return nil
		case format.Int64:
			out, err := decodeDelta(p.i64[:0], src, n)
			p.i64 = out[:0]
			if err != nil {
				return err
			}
			v.fixed = bytesOf(out)
			return nil
		}
		return fmt.Errorf("encoding %s on %s", enc, phys)
	}
	e := pq.LookupEncoding(enc)
	var err error
	switch phys {
	case format.Boolean:
		var b []byte
		b, err = e.DecodeBoolean(p.bytes[:0], src)
		p.keepBytes(b, nil)
		v.fixed = b
	case format.Int32:
		var out []int32
		out, err = e.DecodeInt32(p.i32[:0], src)
		p.i32 = out[:0]
		v.fixed = bytesOf(out)
	case format.Int64:
		var out []int64
		out, err = e.DecodeInt64(p.i64[:0], src)
		p.i64 = out[:0]
		v.fixed = bytesOf(out)
	case format.Float:
		var out []float32
		out, err = e.DecodeFloat(p.f32[:0], src)
		p.f32 = out[:0]
		v.fixed = bytesOf(out)
	case format.Double:
		var out []float64
		out, err = e.DecodeDouble(p.f64[:0], src)
		p.f64 = out[:0]
		v.fixed = bytesOf(out)
	case format.FixedLenByteArray:
		var b []byte
		b, err = e.DecodeFixedLenByteArray(p.bytes[:0], src, p.c.typeLen)
		p.keepBytes(b, nil)
		v.fixed = b
	case format.ByteArray:
		var b []byte
		var o []uint32
		b, o, err = e.DecodeByteArray(p.bytes[:0], src, p.offs[:0])
		p.keepBytes(b, o)
		v.bdata, v.boff = b, o
		if err == nil && len(o) < n+1 {
			err = fmt.Errorf("page holds %d byte arrays, header says %d", len(o)-1, n)
		}
		return err
	default:
		return fmt.Errorf("physical type %s not supported", phys)
	}
	if err != nil {
		return err
	}
	if phys == format.Boolean {
		if len(v.fixed)*8 < n {
			return fmt.Errorf("%d bytes of booleans for %d values", len(v.fixed), n)
		}
	} else if w := p.physWidth(); len(v.fixed) < n*w {
		return fmt.Errorf("%d bytes of values for %d values of %d bytes", len(v.fixed), n, w)
	}
	return nil
}

// keepBytes keeps grown decode buffers for the next page.
func (p *chunkPages) keepBytes(b []byte, o []uint32) {
	if cap(b) > cap(p.bytes) {
		p.bytes = b[:0]
	}
	if cap(o) > cap(p.offs) {
		p.offs = o[:0]
	}
}

// physWidth is the byte width of one physical value of a fixed-width type.
func (p *chunkPages) physWidth() int { return physWidth(p.c) }

// physWidth is the byte width of one physical value of column c (0 for
// BOOLEAN and BYTE_ARRAY).
func physWidth(c *column) int {
	switch c.phys {
	case format.Int32, format.Float:
		return 4
	case format.Int64, format.Double:
		return 8
	case format.Int96:
		return 12
	case format.FixedLenByteArray:
		return c.typeLen
	}
	return 0
}

// bytesOf views a slice of fixed-width numbers as its bytes.
func bytesOf[T int32 | int64 | float32 | float64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(z)))
}

// thriftReader is embedded under its own name so that boundedThrift keeps
// the Reader method.
type thriftReader = thrift.Reader

// boundedThrift refuses a page header's binary or string field longer than
// its column chunk before allocating it: parquet-go allocates the length a
// header declares (up to 2 GiB) before reading the bytes, so a damaged
// length would cost that much memory.
type boundedThrift struct {
	thriftReader
	limit int64
	extra int // bytes read by ReadBytes beyond those the wrapped reader counts
}

// ReadBytes reads a length-prefixed binary field no longer than the limit.
func (r *boundedThrift) ReadBytes() ([]byte, error) {
	n, err := r.thriftReader.ReadLength()
	if err != nil {
		return nil, err
	}
	if int64(n) > r.limit {
		return nil, fmt.Errorf("page header field of %d bytes exceeds its %d-byte column chunk", n, r.limit)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r.thriftReader.Reader(), b); err != nil {
		return nil, err
	}
	r.extra += n
	return b, nil
}

// ReadString reads a string field as ReadBytes does.
func (r *boundedThrift) ReadString() (string, error) {
	b, err := r.ReadBytes()
	return string(b), err
}

// BytesRead counts the bytes read, binary fields included.
func (r *boundedThrift) BytesRead() int { return r.thriftReader.BytesRead() + r.extra }

// decodeLevels decodes up to n levels of bitWidth bits (1..8) from the
// RLE/bit-packed hybrid encoding into dst. It stops at n, so a run that
// declares more levels than the page holds costs nothing (a few bytes can
// declare billions).
func decodeLevels(dst, src []byte, bitWidth, n int) ([]byte, error) {
	if bitWidth < 1 || bitWidth > 8 {
		return dst, fmt.Errorf("level bit width %d not supported", bitWidth)
	}
	dst = dst[:0]
	// A run may declare far more levels than the page holds: the buffer
	// grows with the levels decoded (at most n) rather than starting at
	// the header's count.
	if c := min(n, 8*len(src)+64); cap(dst) < c {
		dst = make([]byte, 0, c)
	}
	for len(dst) < n && len(src) > 0 {
		header, k := binary.Uvarint(src)
		if k <= 0 {
			return dst, errors.New("corrupt level run header")
		}
		src = src[k:]
		if header&1 == 0 {
			count := header >> 1
			w := (bitWidth + 7) / 8
			if len(src) < w {
				return dst, errors.New("level run truncated")
			}
			v := src[0]
			src = src[w:]
			take := int(min(count, uint64(n-len(dst))))
			dst = slices.Grow(dst, take)
			run := dst[len(dst) : len(dst)+take]
			for i := range run {
				run[i] = v
			}
			dst = dst[:len(dst)+take]
			continue
		}
		groups := header >> 1
		if groups > uint64(len(src)) {
			return dst, errors.New("bit-packed levels truncated")
		}
		nbytes := int(groups) * bitWidth
		if nbytes > len(src) {
			return dst, errors.New("bit-packed levels truncated")
		}
		packed := src[:nbytes]
		src = src[nbytes:]
		take := min(int(groups)*8, n-len(dst))
		mask := uint16(1)<<bitWidth - 1
		for i := range take {
			bit := i * bitWidth
			b := bit >> 3
			v := uint16(packed[b])
			if b+1 < len(packed) {
				v |= uint16(packed[b+1]) << 8
			}
			dst = append(dst, byte(v>>(bit&7)&mask))
		}
	}
	return dst, nil
}
