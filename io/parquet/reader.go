package parquet

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	pq "github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/gspark/gspark/values/vectors"
)

// DefaultBatchSize is the number of rows per batch when ReadOptions.BatchSize
// is not positive.
const DefaultBatchSize = 8192

// ReadOptions selects what ReadRowGroup decodes and how.
type ReadOptions struct {
	// Columns are indices into Schema(), in output order; nil means all.
	Columns []int
	// BatchSize is the number of rows per batch (DefaultBatchSize if <= 0).
	BatchSize int
	// Mem allocates the Arrow buffers (memory.DefaultAllocator if nil).
	Mem memory.Allocator
	// Reuse, when not nil, lends the reader the decoding buffers of the
	// readers closed before it and takes its own back when it is closed, so
	// that reading row group after row group does not allocate them again.
	Reuse *Buffers
}

// Buffers holds the decoding buffers (compressed and decompressed pages,
// levels, dictionary indices and values) of closed row group readers for
// the next reader to use. The batches a reader returns never share them.
// It serves one open reader at a time (a second reader opened meanwhile
// allocates its own) and is not safe for concurrent use: keep one per
// goroutine. The zero value is ready to use.
type Buffers struct {
	cols []*colReader // by position among the flat columns read
}

// take returns the column reader kept for position i (nil: none), which
// the caller then owns.
func (b *Buffers) take(i int) *colReader {
	if b == nil || i >= len(b.cols) {
		return nil
	}
	cr := b.cols[i]
	b.cols[i] = nil
	return cr
}

// give keeps the closed column reader cr for position i.
func (b *Buffers) give(i int, cr *colReader) {
	for len(b.cols) <= i {
		b.cols = append(b.cols, nil)
	}
	b.cols[i] = cr
}

// RowGroupReader returns the rows of one row group as record batches. It is
// not safe for concurrent use; open one reader per goroutine.
type RowGroupReader struct {
	ctx       context.Context
	f         *File
	rg        int
	mem       memory.Allocator
	batchSize int
	schema    *arrow.Schema
	cols      []*colReader
	remaining int64
	closed    bool
	err       error    // sticky: columns are out of step after a failed batch
	reuse     *Buffers // takes the decoding buffers back on Close (nil: dropped)

	// The batch NextRows began: its rows (0: none) and, per column,
	// whether Column decoded it (the others are skipped when the next
	// batch begins).
	batchN    int
	batchRead []bool
}

// ReadRowGroup starts decoding row group rg, returning a reader of batches
// holding the selected columns.
func (f *File) ReadRowGroup(ctx context.Context, rg int, opts ReadOptions) (r *RowGroupReader, err error) {
	if rg < 0 || rg >= f.NumRowGroups() {
		return nil, fmt.Errorf("read %s: row group %d out of range [0,%d)", f.name, rg, f.NumRowGroups())
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read %s: row group %d: %w", f.name, rg, err)
	}
	sel := opts.Columns
	if sel == nil {
		sel = make([]int, len(f.cols))
		for i := range sel {
			sel[i] = i
		}
	}
	fields := make([]arrow.Field, len(sel))
	for i, c := range sel {
		if c < 0 || c >= len(f.cols) {
			return nil, fmt.Errorf("read %s: column index %d out of range [0,%d)", f.name, c, len(f.cols))
		}
		fields[i] = f.schema.Field(c)
	}
	mem := opts.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	bs := opts.BatchSize
	if bs <= 0 {
		bs = DefaultBatchSize
	}
	f.decoded.Add(1)
	r = &RowGroupReader{
		ctx: ctx, f: f, rg: rg, mem: mem, batchSize: bs,
		schema:    arrow.NewSchema(fields, nil),
		remaining: f.RowGroupNumRows(rg),
	}
	defer func() {
		if p := recover(); p != nil {
			r.Close()
			r, err = nil, fmt.Errorf("read %s: row group %d: corrupt file: %v", f.name, rg, p)
		}
	}()
	chunks := f.pf.Metadata().RowGroups[rg].Columns
	for _, c := range sel {
		if err := f.cols[c].unsupported; err != nil {
			r.Close()
			return nil, fmt.Errorf("read %s: column %s: %w", f.name, f.cols[c].name, err)
		}
		if f.cols[c].nest != nil {
			r.cols = append(r.cols, &colReader{c: &f.cols[c], nestF: f, nestRG: rg, vecRows: int(r.remaining)})
			continue
		}
		if f.cols[c].vec != nil {
			r.cols = append(r.cols, &colReader{c: &f.cols[c], vecRG: f.pf.RowGroups()[rg], vecRows: int(r.remaining)})
			continue
		}
		old := opts.Reuse.take(len(r.cols))
		var oldPages *chunkPages
		if old != nil {
			oldPages = old.spent
		}
		pages, err := reuseChunkPages(f.r, &f.cols[c], &chunks[f.cols[c].leaf], oldPages)
		if nv := chunks[f.cols[c].leaf].MetaData.NumValues; err == nil && nv > r.remaining {
			// A flat column has one value (or null) per row; more would let
			// a page declare values (and levels to allocate) the row group
			// does not have.
			err = fmt.Errorf("column chunk declares %d values for %d rows", nv, r.remaining)
		}
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("read %s: row group %d: column %s: %w", f.name, rg, f.cols[c].name, err)
		}
		cr := &colReader{c: &f.cols[c], pages: pages}
		if old != nil {
			cr.scratch, cr.rdata, cr.roff = old.scratch[:0], old.rdata[:0], old.roff[:0]
			cr.dictFixed, cr.dictData, cr.dictOff = old.dictFixed[:0], old.dictData[:0], old.dictOff[:0]
			cr.boolVals = old.boolVals[:0]
		}
		r.cols = append(r.cols, cr)
	}
	r.reuse = opts.Reuse
	return r, nil
}

// Schema returns the schema of the batches (the selected columns).
func (r *RowGroupReader) Schema() *arrow.Schema { return r.schema }

// Next returns the next batch, or io.EOF after the last one. The caller owns
// (and must release) each batch; batches share no buffers.
func (r *RowGroupReader) Next() (b arrow.RecordBatch, err error) {
	n, err := r.NextRows()
	if err != nil {
		return nil, err
	}
	arrs := make([]arrow.Array, 0, len(r.cols))
	defer func() {
		for _, a := range arrs {
			a.Release()
		}
	}()
	for i := range r.cols {
		a, err := r.Column(i, nil)
		if err != nil {
			return nil, err
		}
		arrs = append(arrs, a)
	}
	return array.NewRecordBatch(r.schema, arrs, int64(n)), nil
}

// NextRows begins the next batch and returns its number of rows, or io.EOF
// after the last batch. Its columns are then decoded one at a time by
// Column; a column Column was not asked for is skipped (its values are not
// copied out) when the next batch begins. This lets a caller decode the
// columns of a filter first and the others only at the rows it keeps.
func (r *RowGroupReader) NextRows() (n int, err error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.closed {
		return 0, io.EOF
	}
	if err := r.skipUnread(); err != nil {
		r.err = err
		return 0, err
	}
	if r.remaining <= 0 {
		return 0, io.EOF
	}
	if err := r.ctx.Err(); err != nil {
		return 0, r.wrap(nil, err)
	}
	n = int(min(int64(r.batchSize), r.remaining))
	r.remaining -= int64(n)
	r.batchN = n
	if len(r.batchRead) != len(r.cols) {
		r.batchRead = make([]bool, len(r.cols))
	}
	clear(r.batchRead)
	return n, nil
}

// skipUnread moves the columns the current batch did not decode past it.
func (r *RowGroupReader) skipUnread() (err error) {
	n := r.batchN
	r.batchN = 0
	if n == 0 {
		return nil
	}
	var cur *colReader
	defer func() {
		if p := recover(); p != nil {
			err = r.wrap(cur, fmt.Errorf("corrupt file: %v", p))
		}
	}()
	for i, cr := range r.cols {
		if r.batchRead[i] {
			continue
		}
		cur = cr
		if err := r.ctx.Err(); err != nil {
			return r.wrap(cr, err)
		}
		if err := cr.skip(r.ctx, r.mem, n); err != nil {
			return r.wrap(cr, err)
		}
	}
	return nil
}

// Column decodes column col (a position among the selected columns) of
// the batch NextRows began: every row when sel is nil, else only the rows
// at positions sel (ascending, each in [0, rows)), in that order. Each
// column of a batch is decoded at most once. The caller owns the array.
func (r *RowGroupReader) Column(col int, sel []int32) (a arrow.Array, err error) {
	return r.column(col, sel, -1)
}

// DictColumn decodes string column col of the batch NextRows began whole,
// as Column does, but as a dictionary array (int32 indices into the page
// dictionary, shared by the batches of the row group) when every value of
// the batch is indexed in one dictionary of at most maxDict entries; the
// strings themselves are then not copied. Otherwise, and for columns that
// are not strings, it returns what Column returns.
func (r *RowGroupReader) DictColumn(col, maxDict int) (arrow.Array, error) {
	return r.column(col, nil, max(maxDict, 0))
}

func (r *RowGroupReader) column(col int, sel []int32, maxDict int) (a arrow.Array, err error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.closed {
		return nil, errors.New("read: reader closed")
	}
	if col < 0 || col >= len(r.cols) {
		return nil, fmt.Errorf("read %s: column position %d out of range [0,%d)", r.f.name, col, len(r.cols))
	}
	if r.batchN == 0 || r.batchRead[col] {
		return nil, fmt.Errorf("read %s: column %s: no batch begun, or the column already decoded", r.f.name, r.cols[col].c.name)
	}
	cr := r.cols[col]
	prev := int32(-1)
	for _, s := range sel {
		if s <= prev || int(s) >= r.batchN {
			return nil, fmt.Errorf("read %s: column %s: row positions not ascending in [0,%d)", r.f.name, cr.c.name, r.batchN)
		}
		prev = s
	}
	if sel != nil && !cr.flat() {
		return nil, fmt.Errorf("read %s: column %s: nested and vector columns are decoded whole", r.f.name, cr.c.name)
	}
	r.batchRead[col] = true
	defer func() {
		if p := recover(); p != nil {
			a, err = nil, r.wrap(cr, fmt.Errorf("corrupt file: %v", p))
		}
		if err != nil {
			r.err = err
		}
	}()
	if err := r.ctx.Err(); err != nil {
		return nil, r.wrap(cr, err)
	}
	a, err = cr.read(r.ctx, r.mem, r.batchN, sel, maxDict)
	if err != nil {
		return nil, r.wrap(cr, err)
	}
	return a, nil
}

// Selectable reports whether Column decodes column col at chosen rows
// (flat columns) rather than only whole (nested and vector columns).
func (r *RowGroupReader) Selectable(col int) bool {
	return col >= 0 && col < len(r.cols) && r.cols[col].flat()
}

func (r *RowGroupReader) wrap(cr *colReader, err error) error {
	if cr != nil {
		return fmt.Errorf("read %s: row group %d: column %s: %w", r.f.name, r.rg, cr.c.name, err)
	}
	return fmt.Errorf("read %s: row group %d: %w", r.f.name, r.rg, err)
}

// Close releases the buffers held by the reader. It is safe to call twice.
func (r *RowGroupReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	for i, cr := range r.cols {
		spent := cr.pages
		cr.close()
		if r.reuse != nil && spent != nil {
			cr.spent = spent
			r.reuse.give(i, cr)
		}
	}
	return nil
}

// colReader decodes one column chunk page by page.
type colReader struct {
	c        *column
	pages    *chunkPages
	havePage bool

	rows, rowPos, valPos, pageNulls int
	defs                            []byte

	// Current value source: fixed-width values already in Arrow layout, or
	// byte arrays (data + offsets); idx indirects through a dictionary.
	fixed []byte
	bdata []byte
	boff  []uint32
	idx   []int32

	scratch []byte // converted values of the current page

	rdata []byte   // rendered values of the current page (column.render)
	roff  []uint32 // their offsets

	dictGen    int // chunkPages.dictGen of the cached decode (0: none)
	dictLen    int
	dictFixed  []byte
	dictData   []byte
	dictOff    []uint32
	dictMaxLen int

	boolVals []byte // per-batch 0/1 booleans before packing

	// The dictionary codes of the last batch of a string column: codes[i]
	// is row i's index into the dictionary of generation codesGen (0 for a
	// null row), valid when codesOK (every value of the batch came from that
	// one dictionary). dictArr is that dictionary as a String array, built
	// on first use (dictArrGen: the generation it was built from).
	codes      []int32
	codesOK    bool
	codesGen   int
	dictArr    *array.String
	dictArrGen int

	// A vector column is decoded whole on its first read (vec) from the
	// row group's leaf columns (vecRG, vecRows rows).
	vecRG   pq.RowGroup
	vecRows int
	vec     *vecRows

	// A nested column is decoded whole on its first read (nest) from the
	// row group's leaf columns (nestF, nestRG, vecRows rows).
	nestF  *File
	nestRG int
	nest   *nestRows

	reps []byte // repetition levels of the current page (nested leaves)

	spent *chunkPages // a closed reader's pages, kept in Buffers for their buffers
}

// flat reports whether the column is decoded page by page (not a nested
// or vector column, which is decoded whole on its first read).
func (cr *colReader) flat() bool { return cr.c.nest == nil && cr.c.vec == nil }

// skip moves past the next n rows without copying their values out.
func (cr *colReader) skip(ctx context.Context, mem memory.Allocator, n int) error {
	cr.codesOK = false
	if !cr.flat() {
		a, err := cr.read(ctx, mem, n, nil, -1)
		if err != nil {
			return err
		}
		a.Release()
		return nil
	}
	for done := 0; done < n; {
		if !cr.havePage || cr.rowPos >= cr.rows {
			if err := cr.nextPage(ctx); err != nil {
				return err
			}
			continue
		}
		k := min(n-done, cr.rows-cr.rowPos)
		cr.valPos += cr.present(k)
		cr.rowPos += k
		done += k
	}
	return nil
}

// present is the number of non-null values among the next k rows of the
// current page.
func (cr *colReader) present(k int) int {
	if cr.pageNulls == 0 {
		return k
	}
	c := 0
	for _, d := range cr.defs[cr.rowPos : cr.rowPos+k] {
		if d != 0 {
			c++
		}
	}
	return c
}

func (cr *colReader) close() {
	cr.vec, cr.vecRG = nil, nil
	cr.nest, cr.nestF = nil, nil
	cr.pages = nil
	cr.havePage = false
}

// nextPage loads the next data page and sets up the value source.
func (cr *colReader) nextPage(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cr.havePage = false
	if cr.pages == nil {
		return errors.New("reader closed")
	}
	p, err := cr.pages.next(ctx)
	if err != nil {
		return err
	}
	cr.havePage = true
	cr.rows = p.rows
	cr.rowPos, cr.valPos = 0, 0
	cr.pageNulls = p.nulls
	cr.defs = p.defs
	cr.reps = p.reps
	nonNull := cr.rows - cr.pageNulls
	if p.idx != nil {
		if cr.dictGen != cr.pages.dictGen {
			// Between decoding the dictionary page and copying it.
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := cr.loadDict(&cr.pages.dict); err != nil {
				return fmt.Errorf("dictionary: %w", err)
			}
			cr.dictGen = cr.pages.dictGen
		}
		cr.idx = p.idx
		// Indices are not pre-validated: every gather is bounds-checked, and
		// Next turns an out-of-range index into an error (buffers released).
		cr.fixed, cr.bdata, cr.boff = cr.dictFixed, cr.dictData, cr.dictOff
		return nil
	}
	cr.idx = nil
	switch {
	case cr.c.kind == kBinary && cr.c.render != nil:
		cr.bdata, cr.boff, err = cr.renderFixed(p.fixed, nonNull, &cr.rdata, &cr.roff)
	case cr.c.kind == kBinary:
		cr.bdata, cr.boff, err = byteArrays(p.bdata, p.boff, nonNull)
	case cr.c.phys == format.ByteArray:
		var bd []byte
		var bo []uint32
		if bd, bo, err = byteArrays(p.bdata, p.boff, nonNull); err == nil {
			cr.fixed, err = cr.convertBA(bd, bo, nonNull, &cr.scratch)
		}
	default:
		cr.fixed, err = cr.convert(p.fixed, nonNull, &cr.scratch)
	}
	return err
}

func (cr *colReader) loadDict(d *dictValues) error {
	n := d.n
	cr.dictGen, cr.dictLen = 0, 0
	if cr.c.kind == kBinary {
		var bd []byte
		var bo []uint32
		var err error
		if cr.c.render != nil {
			var tmpData []byte
			var tmpOff []uint32
			bd, bo, err = cr.renderFixed(d.fixed, n, &tmpData, &tmpOff)
		} else {
			bd, bo, err = byteArrays(d.bdata, d.boff, n)
		}
		if err != nil {
			return err
		}
		// Rebase to 0 and pad so short values can be moved 8 bytes at a time.
		base := bo[0]
		if need := int(bo[n]-base) + 8; cap(cr.dictData) < need {
			cr.dictData = make([]byte, 0, need)
		}
		cr.dictData = append(cr.dictData[:0], bd[base:bo[n]]...)
		cr.dictData = append(cr.dictData, 0, 0, 0, 0, 0, 0, 0, 0)
		if cap(cr.dictOff) < n+1 {
			cr.dictOff = make([]uint32, 0, n+1)
		}
		cr.dictOff = cr.dictOff[:0]
		cr.dictMaxLen = 0
		for i := 0; i <= n; i++ {
			cr.dictOff = append(cr.dictOff, bo[i]-base)
			if i > 0 {
				cr.dictMaxLen = max(cr.dictMaxLen, int(bo[i]-bo[i-1]))
			}
		}
	} else {
		var tmp []byte
		var fx []byte
		var err error
		if cr.c.phys == format.ByteArray {
			var bd []byte
			var bo []uint32
			if bd, bo, err = byteArrays(d.bdata, d.boff, n); err == nil {
				fx, err = cr.convertBA(bd, bo, n, &tmp)
			}
		} else {
			fx, err = cr.convert(d.fixed, n, &tmp)
		}
		if err != nil {
			return err
		}
		cr.dictFixed = append(cr.dictFixed[:0], fx[:n*cr.c.kind.outWidth()]...)
	}
	cr.dictLen = n
	return nil
}

// byteArrays returns the data and n+1 offsets of n byte-array values,
// checking that the offsets are ordered and in bounds.
func byteArrays(data []byte, off []uint32, n int) ([]byte, []uint32, error) {
	if n == 0 {
		return data, []uint32{0}, nil
	}
	if len(off) < n+1 {
		return nil, nil, fmt.Errorf("%d byte array offsets for %d values", len(off), n)
	}
	off = off[:n+1]
	prev := off[0]
	for _, o := range off[1:] {
		if o < prev {
			return nil, nil, errors.New("byte array offsets out of order")
		}
		prev = o
	}
	if int(prev) > len(data) {
		return nil, nil, errors.New("byte array offsets out of bounds")
	}
	return data, off, nil
}

// convert turns n physical values into Arrow layout, without copying when
// the layouts agree.
func (cr *colReader) convert(raw []byte, n int, scratch *[]byte) ([]byte, error) {
	k := cr.c.kind
	ow := k.outWidth()
	in := 0
	switch k {
	case kCopy4, kInt8, kInt16, kInt32To64, kInt32To128, kUint8, kUint16, kUint32:
		in = 4
	case kCopy8, kInt64To128, kTsMillis, kTsNanos, kUint64:
		in = 8
	case kInt96:
		in = 12
	case kFloat16:
		in = 2
	case kFLBA64, kFLBA128:
		in = cr.c.typeLen
	case kBool:
		if len(raw)*8 < n {
			return nil, fmt.Errorf("%d bytes of booleans for %d values", len(raw), n)
		}
	}
	if in > 0 && len(raw) < n*in {
		return nil, fmt.Errorf("%d bytes of values for %d values of %d bytes", len(raw), n, in)
	}
	if k == kCopy4 || k == kCopy8 {
		return raw[:n*ow], nil
	}
	if cap(*scratch) < n*ow {
		*scratch = make([]byte, n*ow+ow)
	}
	out := (*scratch)[:n*ow]
	switch k {
	case kBool:
		for i := range out {
			out[i] = (raw[i>>3] >> (i & 7)) & 1
		}
	case kInt8:
		src, dst := as[int32](raw)[:n], as[int8](out)
		for i, x := range src {
			dst[i] = int8(x)
		}
	case kInt16:
		src, dst := as[int32](raw)[:n], as[int16](out)
		for i, x := range src {
			dst[i] = int16(x)
		}
	case kInt32To64:
		src, dst := as[int32](raw)[:n], as[int64](out)
		for i, x := range src {
			dst[i] = int64(x)
		}
	case kInt32To128:
		src, dst := as[int32](raw)[:n], as[[2]uint64](out)
		for i, x := range src {
			dst[i] = [2]uint64{uint64(int64(x)), uint64(int64(x) >> 63)}
		}
	case kInt64To128:
		src, dst := as[int64](raw)[:n], as[[2]uint64](out)
		for i, x := range src {
			dst[i] = [2]uint64{uint64(x), uint64(x >> 63)}
		}
	case kTsMillis:
		src, dst := as[int64](raw)[:n], as[int64](out)
		for i, x := range src {
			dst[i] = x * 1000
		}
	case kTsNanos:
		src, dst := as[int64](raw)[:n], as[int64](out)
		for i, x := range src {
			if x%1000 != 0 {
				return nil, fmt.Errorf("TIMESTAMP(NANOS) value %d has nanoseconds, which gspark's microsecond timestamps cannot hold", x)
			}
			dst[i] = x / 1000
		}
	case kInt96:
		dst := as[int64](out)
		for i := range dst {
			dst[i] = int96Micros(raw[i*12 : (i+1)*12])
		}
	case kUint8:
		src, dst := as[int32](raw)[:n], as[int16](out)
		for i, x := range src {
			dst[i] = int16(uint8(x))
		}
	case kUint16:
		src, dst := as[int32](raw)[:n], as[int32](out)
		for i, x := range src {
			dst[i] = int32(uint16(x))
		}
	case kUint32:
		src, dst := as[int32](raw)[:n], as[int64](out)
		for i, x := range src {
			dst[i] = int64(uint32(x))
		}
	case kUint64:
		src, dst := as[int64](raw)[:n], as[[2]uint64](out)
		for i, x := range src {
			dst[i] = [2]uint64{uint64(x), 0}
		}
	case kFloat16:
		dst := as[float32](out)
		for i := range dst {
			dst[i] = float16To32(raw[i*2 : i*2+2])
		}
	case kFLBA64:
		dst := as[int64](out)
		w := cr.c.typeLen
		if w > 8 {
			for i := range dst {
				hi, lo := beToInt128(raw[i*w : (i+1)*w])
				if hi != lo>>63 {
					return nil, errors.New("decimal value does not fit 64 bits")
				}
				dst[i] = lo
			}
		} else {
			for i := range dst {
				_, dst[i] = beToInt128(raw[i*w : (i+1)*w])
			}
		}
	case kFLBA128:
		dst := as[[2]uint64](out)
		w := cr.c.typeLen
		for i := range dst {
			hi, lo := beToInt128(raw[i*w : (i+1)*w])
			dst[i] = [2]uint64{uint64(lo), uint64(hi)}
		}
	default:
		return nil, fmt.Errorf("unexpected column kind %d", k)
	}
	return out, nil
}

func floorDiv(x, d int64) int64 {
	q := x / d
	if x%d != 0 && x < 0 {
		q--
	}
	return q
}

// beToInt128 decodes a big-endian two's complement integer of 1..16 bytes.
func beToInt128(b []byte) (hi, lo int64) {
	var buf [16]byte
	fill := byte(0)
	if len(b) > 0 && b[0]&0x80 != 0 {
		fill = 0xff
	}
	pad := 16 - len(b)
	for i := 0; i < pad; i++ {
		buf[i] = fill
	}
	copy(buf[pad:], b)
	var h, l uint64
	for i := 0; i < 8; i++ {
		h = h<<8 | uint64(buf[i])
		l = l<<8 | uint64(buf[8+i])
	}
	return int64(h), int64(l)
}

// as reinterprets a byte slice as a slice of T (little-endian layout).
func as[T any](b []byte) []T {
	var z T
	sz := int(unsafe.Sizeof(z))
	if len(b) < sz {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/sz)
}

// read decodes the next n rows of the column into a new Arrow array: all
// of them (sel nil), or those at the ascending positions sel of a flat
// column.
//
// A string column read whole with maxDict >= 0 comes as a dictionary array
// over its page dictionary when every value of the batch is indexed in one
// dictionary of at most maxDict entries: the strings are not copied.
func (cr *colReader) read(ctx context.Context, mem memory.Allocator, n int, sel []int32, maxDict int) (arr arrow.Array, err error) {
	if cr.c.nest != nil {
		if cr.nest == nil {
			if cr.nestF == nil {
				return nil, errors.New("reader closed")
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if cr.nest, err = decodeNested(ctx, cr.nestF, cr.nestRG, cr.c, cr.vecRows); err != nil {
				return nil, err
			}
		}
		return cr.nest.next(mem, n)
	}
	if cr.c.vec != nil {
		if cr.vec == nil {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if cr.vec, err = decodeVectors(cr.vecRG, cr.c, cr.vecRows); err != nil {
				return nil, err
			}
		}
		return cr.vec.next(mem, n, vectors.IsVector(cr.c.typ))
	}
	var valid *memory.Buffer
	ok := false
	defer func() {
		if !ok && valid != nil {
			valid.Release()
		}
	}()
	m := n
	if sel != nil {
		m = len(sel)
	}
	if cr.c.optional {
		valid = memory.NewResizableBuffer(mem)
		valid.Resize(int(bitutil.BytesForBits(int64(m))))
	}
	var data arrow.ArrayData
	switch {
	case sel != nil && cr.c.kind == kBinary:
		data, err = cr.readBinarySel(ctx, mem, valid, n, sel)
	case sel != nil:
		data, err = cr.readFixedSel(ctx, mem, valid, n, sel)
	case cr.c.kind == kBinary:
		data, err = cr.readBinary(ctx, mem, valid, n, maxDict)
	default:
		data, err = cr.readFixed(ctx, mem, valid, n)
	}
	if err != nil {
		return nil, err
	}
	ok = true
	if valid != nil {
		valid.Release()
	}
	arr = array.MakeFromData(data)
	data.Release()
	return arr, nil
}

func (cr *colReader) validBytes(valid *memory.Buffer) []byte {
	if valid == nil {
		return nil
	}
	return valid.Bytes()
}

// fixedOut sizes vbuf for rows values of a fixed-width column and returns
// the bytes to decode them into: vbuf itself, or for booleans a byte per
// value that fixedData packs into vbuf's bits.
func (cr *colReader) fixedOut(vbuf *memory.Buffer, rows int) []byte {
	if cr.c.kind == kBool {
		vbuf.Resize(int(bitutil.BytesForBits(int64(rows))))
		if cap(cr.boolVals) < rows {
			cr.boolVals = make([]byte, rows)
		}
		return cr.boolVals[:rows]
	}
	vbuf.Resize(rows * cr.c.kind.outWidth())
	return vbuf.Bytes()
}

// fixedData finishes a fixed-width column decoded into out (fixedOut): it
// packs booleans into vbuf's bits and returns the array data of rows values
// with nulls nulls, taking over the reference to vbuf.
func (cr *colReader) fixedData(vbuf *memory.Buffer, out []byte, valid *memory.Buffer, rows, nulls int) arrow.ArrayData {
	if cr.c.kind == kBool {
		bits := vbuf.Bytes()
		clear(bits)
		for i, v := range out {
			if v != 0 {
				bitutil.SetBit(bits, i)
			}
		}
	}
	var vv *memory.Buffer
	if nulls > 0 {
		vv = valid
	}
	d := array.NewData(cr.c.typ, rows, []*memory.Buffer{vv, vbuf}, nil, nulls, 0)
	vbuf.Release()
	return d
}

func (cr *colReader) readFixed(ctx context.Context, mem memory.Allocator, valid *memory.Buffer, n int) (arrow.ArrayData, error) {
	k := cr.c.kind
	ow := k.outWidth()
	vbuf := memory.NewResizableBuffer(mem)
	ok := false
	defer func() {
		if !ok {
			vbuf.Release()
		}
	}()
	out := cr.fixedOut(vbuf, n)
	vb := cr.validBytes(valid)
	nulls, filled := 0, 0
	for filled < n {
		if !cr.havePage || cr.rowPos >= cr.rows {
			if err := cr.nextPage(ctx); err != nil {
				return nil, err
			}
			continue
		}
		k := min(n-filled, cr.rows-cr.rowPos)
		dst := out[filled*ow : (filled+k)*ow]
		if cr.pageNulls == 0 {
			if cr.idx == nil {
				copy(dst, cr.fixed[cr.valPos*ow:(cr.valPos+k)*ow])
			} else {
				gatherW(ow, dst, cr.fixed, cr.idx[cr.valPos:cr.valPos+k])
			}
			if vb != nil {
				bitutil.SetBitsTo(vb, int64(filled), int64(k), true)
			}
			cr.valPos += k
		} else {
			var nn int
			cr.valPos, nn = scatterW(ow, dst, cr.fixed, cr.idx, cr.valPos, cr.defs[cr.rowPos:cr.rowPos+k], vb, filled)
			nulls += nn
		}
		cr.rowPos += k
		filled += k
	}
	ok = true
	return cr.fixedData(vbuf, out, valid, n, nulls), nil
}

func gatherW(ow int, dst, src []byte, idx []int32) {
	switch ow {
	case 1:
		gather(dst, src, idx)
	case 2:
		gather(as[uint16](dst), as[uint16](src), idx)
	case 4:
		gather(as[uint32](dst), as[uint32](src), idx)
	case 8:
		gather(as[uint64](dst), as[uint64](src), idx)
	case 16:
		gather(as[[2]uint64](dst), as[[2]uint64](src), idx)
	}
}

func gather[T any](dst, src []T, idx []int32) {
	dst = dst[:len(idx)]
	for i, j := range idx {
		dst[i] = src[j]
	}
}

func scatterW(ow int, dst, src []byte, idx []int32, vpos int, defs, valid []byte, off int) (int, int) {
	switch ow {
	case 1:
		return scatter(dst, src, idx, vpos, defs, valid, off)
	case 2:
		return scatter(as[uint16](dst), as[uint16](src), idx, vpos, defs, valid, off)
	case 4:
		return scatter(as[uint32](dst), as[uint32](src), idx, vpos, defs, valid, off)
	case 8:
		return scatter(as[uint64](dst), as[uint64](src), idx, vpos, defs, valid, off)
	default:
		return scatter(as[[2]uint64](dst), as[[2]uint64](src), idx, vpos, defs, valid, off)
	}
}

// scatter places the non-null values of a run of definition levels (1 =
// present) into dst, zeroing null slots and setting validity bits from off.
func scatter[T any](dst, src []T, idx []int32, vpos int, defs, valid []byte, off int) (int, int) {
	var zero T
	nulls := 0
	dst = dst[:len(defs)]
	for i, d := range defs {
		if d != 0 {
			j := vpos
			if idx != nil {
				j = int(idx[vpos])
			}
			dst[i] = src[j]
			vpos++
			bitutil.SetBit(valid, off+i)
		} else {
			dst[i] = zero
			bitutil.ClearBit(valid, off+i)
			nulls++
		}
	}
	return vpos, nulls
}

// readFixedSel is readFixed keeping only the rows at positions sel of the
// next n: the values of the other rows are passed over, not copied.
func (cr *colReader) readFixedSel(ctx context.Context, mem memory.Allocator, valid *memory.Buffer, n int, sel []int32) (arrow.ArrayData, error) {
	k := cr.c.kind
	ow := k.outWidth()
	m := len(sel)
	vbuf := memory.NewResizableBuffer(mem)
	ok := false
	defer func() {
		if !ok {
			vbuf.Release()
		}
	}()
	out := cr.fixedOut(vbuf, m)
	vb := cr.validBytes(valid)
	nulls, filled, si := 0, 0, 0
	for filled < n {
		if !cr.havePage || cr.rowPos >= cr.rows {
			if err := cr.nextPage(ctx); err != nil {
				return nil, err
			}
			continue
		}
		k := min(n-filled, cr.rows-cr.rowPos)
		sj := si
		for sj < m && int(sel[sj]) < filled+k {
			sj++
		}
		if sj > si {
			dst := out[si*ow : sj*ow]
			if cr.pageNulls == 0 {
				pickW(ow, dst, cr.fixed, cr.idx, cr.valPos-filled, sel[si:sj])
				if vb != nil {
					bitutil.SetBitsTo(vb, int64(si), int64(sj-si), true)
				}
			} else {
				nulls += pickNullsW(ow, dst, cr.fixed, cr.idx, cr.valPos, cr.defs[cr.rowPos:cr.rowPos+k], filled, sel[si:sj], vb, si)
			}
		}
		cr.valPos += cr.present(k)
		cr.rowPos += k
		filled += k
		si = sj
	}
	ok = true
	return cr.fixedData(vbuf, out, valid, m, nulls), nil
}

func pickW(ow int, dst, src []byte, idx []int32, base int, rows []int32) {
	switch ow {
	case 1:
		pickRows(dst, src, idx, base, rows)
	case 2:
		pickRows(as[uint16](dst), as[uint16](src), idx, base, rows)
	case 4:
		pickRows(as[uint32](dst), as[uint32](src), idx, base, rows)
	case 8:
		pickRows(as[uint64](dst), as[uint64](src), idx, base, rows)
	case 16:
		pickRows(as[[2]uint64](dst), as[[2]uint64](src), idx, base, rows)
	}
}

// pickRows copies the values of rows (batch positions) of a page without
// nulls: row r's value is src[base+r], or src[idx[base+r]] through a
// dictionary.
func pickRows[T any](dst, src []T, idx []int32, base int, rows []int32) {
	dst = dst[:len(rows)]
	if idx == nil {
		for i, r := range rows {
			dst[i] = src[base+int(r)]
		}
		return
	}
	for i, r := range rows {
		dst[i] = src[idx[base+int(r)]]
	}
}

func pickNullsW(ow int, dst, src []byte, idx []int32, vpos int, defs []byte, first int, rows []int32, valid []byte, off int) int {
	switch ow {
	case 1:
		return pickNulls(dst, src, idx, vpos, defs, first, rows, valid, off)
	case 2:
		return pickNulls(as[uint16](dst), as[uint16](src), idx, vpos, defs, first, rows, valid, off)
	case 4:
		return pickNulls(as[uint32](dst), as[uint32](src), idx, vpos, defs, first, rows, valid, off)
	case 8:
		return pickNulls(as[uint64](dst), as[uint64](src), idx, vpos, defs, first, rows, valid, off)
	default:
		return pickNulls(as[[2]uint64](dst), as[[2]uint64](src), idx, vpos, defs, first, rows, valid, off)
	}
}

// pickNulls is pickRows on a page with nulls: defs are the definition levels
// of the page's rows from batch position first, whose first value is
// vpos; output slot i's validity is bit off+i of valid. It returns the
// nulls picked.
func pickNulls[T any](dst, src []T, idx []int32, vpos int, defs []byte, first int, rows []int32, valid []byte, off int) int {
	var zero T
	nulls, walked := 0, 0
	dst = dst[:len(rows)]
	for i, r := range rows {
		for at := int(r) - first; walked < at; walked++ {
			if defs[walked] != 0 {
				vpos++
			}
		}
		if defs[walked] == 0 {
			dst[i] = zero
			bitutil.ClearBit(valid, off+i)
			nulls++
			continue
		}
		j := vpos
		if idx != nil {
			j = int(idx[vpos])
		}
		dst[i] = src[j]
		bitutil.SetBit(valid, off+i)
	}
	return nulls
}

// growStrings makes room in dbuf for need more bytes of string data after
// the used bytes of dat (dbuf's whole capacity), at least doubling it, and
// returns dbuf's new capacity; string offsets are int32, so the data may
// not pass 2 GiB.
func growStrings(dbuf *memory.Buffer, dat []byte, used, need int) ([]byte, error) {
	if used+need <= len(dat) {
		return dat, nil
	}
	c := max(2*len(dat), used+need, 256)
	if c > math.MaxInt32 {
		if used+need > math.MaxInt32 {
			return dat, errors.New("batch string data exceeds 2 GiB")
		}
		c = math.MaxInt32
	}
	dbuf.Reserve(c)
	return dbuf.Buf(), nil
}

// newStringBuffers returns the offsets and data buffers of a byte-array
// column of rows rows, the offsets sized and the first one zero.
func newStringBuffers(mem memory.Allocator, rows int) (obuf, dbuf *memory.Buffer, offs []int32) {
	obuf = memory.NewResizableBuffer(mem)
	dbuf = memory.NewResizableBuffer(mem)
	obuf.Resize((rows + 1) * 4)
	offs = as[int32](obuf.Bytes())[:rows+1]
	offs[0] = 0
	return obuf, dbuf, offs
}

// firstStringRoom is the data bytes to make room for first, for rows
// values: the average width of the current page's values (or dictionary)
// times rows.
func (cr *colReader) firstStringRoom(rows int) int {
	avg := 8
	if cnt := len(cr.boff) - 1; cnt > 0 {
		avg = int(cr.boff[cnt]-cr.boff[0])/cnt + 1
	}
	return avg * rows
}

// finishStrings makes the array of a byte-array column of type typ from
// its buffers (dlen bytes of data; valid, when some of the rows are null),
// and releases the caller's references to them.
func finishStrings(typ arrow.DataType, rows int, valid *memory.Buffer, nulls int, obuf, dbuf *memory.Buffer, dlen int) arrow.ArrayData {
	dbuf.ResizeNoShrink(dlen)
	var vv *memory.Buffer
	if nulls > 0 {
		vv = valid
	}
	d := array.NewData(typ, rows, []*memory.Buffer{vv, obuf, dbuf}, nil, nulls, 0)
	obuf.Release()
	dbuf.Release()
	return d
}

// readBinarySel is readBinary keeping only the rows at positions sel of
// the next n: the strings of the other rows are not copied.
func (cr *colReader) readBinarySel(ctx context.Context, mem memory.Allocator, valid *memory.Buffer, n int, sel []int32) (arrow.ArrayData, error) {
	m := len(sel)
	obuf, dbuf, offs := newStringBuffers(mem, m)
	ok := false
	defer func() {
		if !ok {
			obuf.Release()
			dbuf.Release()
		}
	}()
	vb := cr.validBytes(valid)
	var dat []byte // full capacity of dbuf
	dlen := 0
	grow := func(need int) (err error) {
		dat, err = growStrings(dbuf, dat, dlen, need)
		return err
	}
	cr.codesOK = false
	nulls, filled, si := 0, 0, 0
	for filled < n {
		if !cr.havePage || cr.rowPos >= cr.rows {
			if err := cr.nextPage(ctx); err != nil {
				return nil, err
			}
			if len(dat) == 0 && cr.rows > 0 {
				if err := grow(cr.firstStringRoom(m)); err != nil {
					return nil, err
				}
			}
			continue
		}
		k := min(n-filled, cr.rows-cr.rowPos)
		sj := si
		for sj < m && int(sel[sj]) < filled+k {
			sj++
		}
		rows := sel[si:sj]
		switch {
		case len(rows) == 0:
		case cr.pageNulls == 0 && cr.idx != nil && cr.dictMaxLen <= 8:
			// Dictionary of short values: fixed 8-byte moves (the
			// dictionary data is padded by 8 bytes).
			if err := grow(len(rows)*cr.dictMaxLen + 8); err != nil {
				return nil, err
			}
			doff, ddata := cr.dictOff, cr.dictData
			idx, base := cr.idx, cr.valPos-filled
			o := offs[si+1 : sj+1]
			for i, r := range rows {
				j := idx[base+int(r)]
				s, e := doff[j], doff[j+1]
				binary.LittleEndian.PutUint64(dat[dlen:dlen+8], binary.LittleEndian.Uint64(ddata[s:s+8]))
				dlen += int(e - s)
				o[i] = int32(dlen)
			}
			if vb != nil {
				bitutil.SetBitsTo(vb, int64(si), int64(len(rows)), true)
			}
		default:
			vpos, walked := cr.valPos, 0
			var defs []byte
			if cr.pageNulls != 0 {
				defs = cr.defs[cr.rowPos : cr.rowPos+k]
			}
			for i, r := range rows {
				at := int(r) - filled
				if defs == nil {
					vpos, walked = cr.valPos+at, at
				} else {
					for ; walked < at; walked++ {
						if defs[walked] != 0 {
							vpos++
						}
					}
					if defs[walked] == 0 {
						bitutil.ClearBit(vb, si+i)
						nulls++
						offs[si+i+1] = int32(dlen)
						continue
					}
				}
				j := vpos
				if cr.idx != nil {
					j = int(cr.idx[j])
				}
				s, e := cr.boff[j], cr.boff[j+1]
				l := int(e - s)
				if err := grow(l); err != nil {
					return nil, err
				}
				copy(dat[dlen:dlen+l], cr.bdata[s:e])
				dlen += l
				offs[si+i+1] = int32(dlen)
				if vb != nil {
					bitutil.SetBit(vb, si+i)
				}
			}
		}
		cr.valPos += cr.present(k)
		cr.rowPos += k
		filled += k
		si = sj
	}
	ok = true
	return finishStrings(cr.c.typ, m, valid, nulls, obuf, dbuf, dlen), nil
}

// readBinary decodes the next n rows of a byte-array column. With maxDict
// >= 0 and a string column it keeps only the dictionary codes while every
// page indexes the one dictionary (of at most maxDict entries) and returns
// a dictionary array; when a page breaks that, the strings of the rows
// before it are filled in from the codes and the batch goes on as strings.
func (cr *colReader) readBinary(ctx context.Context, mem memory.Allocator, valid *memory.Buffer, n int, maxDict int) (arrow.ArrayData, error) {
	coding := maxDict >= 0 && cr.c.typ.ID() == arrow.STRING
	var d0 *array.String // the dictionary the codes index (coding)
	obuf, dbuf, offs := newStringBuffers(mem, n)
	ok := false
	defer func() {
		if !ok {
			obuf.Release()
			dbuf.Release()
		}
	}()
	vb := cr.validBytes(valid)
	var dat []byte // full capacity of dbuf
	dlen := 0
	grow := func(need int) (err error) {
		dat, err = growStrings(dbuf, dat, dlen, need)
		return err
	}
	if cap(cr.codes) < n {
		cr.codes = make([]int32, n)
	}
	cr.codes = cr.codes[:n]
	cr.codesOK, cr.codesGen = true, 0
	nulls, filled := 0, 0
	for filled < n {
		if !cr.havePage || cr.rowPos >= cr.rows {
			if err := cr.nextPage(ctx); err != nil {
				return nil, err
			}
			if !coding && len(dat) == 0 && cr.rows > 0 {
				if err := grow(cr.firstStringRoom(n)); err != nil {
					return nil, err
				}
			}
			continue
		}
		k := min(n-filled, cr.rows-cr.rowPos)
		if coding && (cr.idx == nil || cr.dictLen > maxDict || (d0 != nil && cr.codesGen != cr.dictGen)) {
			// Codes no longer do: the rows so far get their strings.
			coding = false
			for i := 0; i < filled; i++ {
				if vb == nil || bitutil.BitIsSet(vb, i) {
					v := d0.Value(int(cr.codes[i]))
					if err := grow(len(v)); err != nil {
						return nil, err
					}
					dlen += copy(dat[dlen:], v)
				}
				offs[i+1] = int32(dlen)
			}
		}
		if coding {
			cr.noteCodes()
			if d0 == nil {
				d0 = cr.dictArray()
			}
			codes := cr.codes[filled : filled+k]
			if cr.pageNulls == 0 {
				copy(codes, cr.idx[cr.valPos:cr.valPos+k])
				for _, c := range codes {
					// Checked here: gathers through the codes are not.
					if uint32(c) >= uint32(cr.dictLen) {
						return nil, fmt.Errorf("dictionary index %d out of range [0,%d)", c, cr.dictLen)
					}
				}
				if vb != nil {
					bitutil.SetBitsTo(vb, int64(filled), int64(k), true)
				}
				cr.valPos += k
			} else {
				for i, d := range cr.defs[cr.rowPos : cr.rowPos+k] {
					if d == 0 {
						bitutil.ClearBit(vb, filled+i)
						nulls++
						codes[i] = 0
						continue
					}
					codes[i] = cr.idx[cr.valPos]
					if uint32(codes[i]) >= uint32(cr.dictLen) {
						return nil, fmt.Errorf("dictionary index %d out of range [0,%d)", codes[i], cr.dictLen)
					}
					cr.valPos++
					bitutil.SetBit(vb, filled+i)
				}
			}
			cr.rowPos += k
			filled += k
			continue
		}
		if cr.pageNulls == 0 && cr.idx == nil {
			cr.codesOK = false
			s, e := cr.boff[cr.valPos], cr.boff[cr.valPos+k]
			if err := grow(int(e - s)); err != nil {
				return nil, err
			}
			copy(dat[dlen:], cr.bdata[s:e])
			base := int32(dlen) - int32(s)
			for i, o := range cr.boff[cr.valPos+1 : cr.valPos+k+1] {
				offs[filled+i+1] = base + int32(o)
			}
			dlen += int(e - s)
			if vb != nil {
				bitutil.SetBitsTo(vb, int64(filled), int64(k), true)
			}
			cr.valPos += k
		} else if cr.pageNulls == 0 && cr.dictMaxLen <= 8 {
			// Dictionary of short values: fixed 8-byte moves, no per-value
			// capacity checks (the dictionary data is padded by 8 bytes).
			if err := grow(k*cr.dictMaxLen + 8); err != nil {
				return nil, err
			}
			doff, ddata := cr.dictOff, cr.dictData
			o := offs[filled+1 : filled+k+1]
			cr.noteCodes()
			copy(cr.codes[filled:filled+k], cr.idx[cr.valPos:cr.valPos+k])
			for i, j := range cr.idx[cr.valPos : cr.valPos+k] {
				s, e := doff[j], doff[j+1]
				binary.LittleEndian.PutUint64(dat[dlen:dlen+8], binary.LittleEndian.Uint64(ddata[s:s+8]))
				dlen += int(e - s)
				o[i] = int32(dlen)
			}
			if vb != nil {
				bitutil.SetBitsTo(vb, int64(filled), int64(k), true)
			}
			cr.valPos += k
		} else {
			var defs []byte
			if cr.pageNulls != 0 {
				defs = cr.defs[cr.rowPos : cr.rowPos+k]
			}
			if cr.idx == nil {
				cr.codesOK = false
			} else {
				cr.noteCodes()
			}
			codes := cr.codes[filled : filled+k]
			for i := 0; i < k; i++ {
				if defs != nil && defs[i] == 0 {
					bitutil.ClearBit(vb, filled+i)
					nulls++
					offs[filled+i+1] = int32(dlen)
					codes[i] = 0
					continue
				}
				j := cr.valPos
				if cr.idx != nil {
					j = int(cr.idx[j])
				}
				codes[i] = int32(j)
				cr.valPos++
				s, e := cr.boff[j], cr.boff[j+1]
				l := int(e - s)
				if dlen+l > len(dat) {
					if err := grow(l); err != nil {
						return nil, err
					}
				}
				copy(dat[dlen:dlen+l], cr.bdata[s:e])
				dlen += l
				offs[filled+i+1] = int32(dlen)
				if vb != nil {
					bitutil.SetBit(vb, filled+i)
				}
			}
		}
		cr.rowPos += k
		filled += k
	}
	ok = true
	if coding {
		obuf.Release()
		dbuf.Release()
		var vv *memory.Buffer
		if nulls > 0 {
			vv = valid
		}
		ibuf := memory.NewResizableBuffer(mem)
		ibuf.Resize(4 * n)
		copy(as[int32](ibuf.Bytes()), cr.codes[:n])
		dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
		d := array.NewDataWithDictionary(dt, n, []*memory.Buffer{vv, ibuf}, nulls, 0, d0.Data().(*array.Data))
		ibuf.Release()
		return d, nil
	}
	return finishStrings(cr.c.typ, n, valid, nulls, obuf, dbuf, dlen), nil
}

// noteCodes records that the batch being read takes values from the
// current dictionary: its codes stay valid while every page of the batch
// indexes the same dictionary.
func (cr *colReader) noteCodes() {
	switch cr.codesGen {
	case 0:
		cr.codesGen = cr.dictGen
	case cr.dictGen:
	default:
		cr.codesOK = false
	}
}

// Codes returns, for column col of the batch Next last returned, the
// dictionary its strings came from and each row's index into it (0 for a
// null row). ok is false when the column is not a string column or some of
// the batch's values were not dictionary-encoded. The codes are the
// reader's and valid until the next call of Next or Close; the dictionary
// is immutable and may be kept.
func (r *RowGroupReader) Codes(col int) (dict arrow.Array, codes []int32, ok bool) {
	if r.closed || col < 0 || col >= len(r.cols) {
		return nil, nil, false
	}
	cr := r.cols[col]
	if cr.c.kind != kBinary || cr.c.typ.ID() != arrow.STRING || !cr.codesOK || cr.codesGen == 0 ||
		cr.codesGen != cr.dictGen || len(cr.codes) == 0 {
		return nil, nil, false
	}
	return cr.dictArray(), cr.codes, true
}

// dictArray returns the current dictionary as a String array, made once
// per dictionary: the batches of a row group share it.
func (cr *colReader) dictArray() *array.String {
	if cr.dictArr == nil || cr.dictArrGen != cr.dictGen {
		n := cr.dictLen
		offs := make([]int32, n+1)
		for i, o := range cr.dictOff[:n+1] {
			offs[i] = int32(o)
		}
		data := slices.Clone(cr.dictData[:cr.dictOff[n]])
		d := array.NewData(arrow.BinaryTypes.String, n,
			[]*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offs)), memory.NewBufferBytes(data)}, nil, 0, 0)
		cr.dictArr = array.NewStringData(d)
		d.Release()
		cr.dictArrGen = cr.dictGen
	}
	return cr.dictArr
}

// Bytes is the memory the decoding buffers kept in b take (their
// capacity): Go memory outside any Arrow allocator, which a caller counting
// a query's memory adds to it. A nil Buffers holds nothing.
func (b *Buffers) Bytes() int64 {
	if b == nil {
		return 0
	}
	var n int64
	for _, cr := range b.cols {
		n += cr.bufferBytes()
	}
	return n
}

// BufferBytes is the memory the reader's decoding buffers take (pages as
// read and decompressed, levels, dictionary indices and values): Go memory
// outside the Arrow allocator of ReadOptions.Mem, which a caller counting a
// query's memory adds to it. The buffers are handed to ReadOptions.Reuse on
// Close, where Buffers.Bytes counts them.
func (r *RowGroupReader) BufferBytes() int64 {
	if r == nil || r.closed {
		return 0
	}
	var n int64
	for _, cr := range r.cols {
		n += cr.bufferBytes()
	}
	return n
}

// bufferBytes is the capacity of the decoding buffers of cr and of its
// column chunk's pages (or of the spent pages it keeps for reuse).
func (cr *colReader) bufferBytes() int64 {
	if cr == nil {
		return 0
	}
	n := int64(cap(cr.scratch) + cap(cr.rdata) + 4*cap(cr.roff) + cap(cr.dictFixed) + cap(cr.dictData) +
		4*cap(cr.dictOff) + cap(cr.boolVals) + cap(cr.reps) + 4*cap(cr.codes))
	p := cr.pages
	if p == nil {
		p = cr.spent
	}
	return n + p.bufferBytes()
}

// bufferBytes is the capacity of the page buffers of p (nil: none).
func (p *chunkPages) bufferBytes() int64 {
	if p == nil {
		return 0
	}
	n := int64(cap(p.raw) + cap(p.unz) + cap(p.levels) + cap(p.reps) + 4*cap(p.i32) + 8*cap(p.i64) +
		4*cap(p.f32) + 8*cap(p.f64) + cap(p.bytes) + 4*cap(p.offs) + 4*cap(p.idx) +
		cap(p.dict.fixed) + cap(p.dict.bdata) + 4*cap(p.dict.boff))
	if p.rbuf != nil {
		n += int64(p.rbuf.Size())
	}
	return n
}
