package aggregate

import (
	"errors"
	"io"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/spill"
)

// A final aggregation with keys reads the first part of its input before
// it aggregates any of it, estimates how many distinct keys that part has,
// and sizes its table and accumulators for them at once (table.presize,
// reserver). Grown by doubling, a table of a million groups is rebuilt
// fifteen times on its way there, and the slot arrays and state slices
// of all the smaller sizes are allocated, written and dropped: about as
// much memory again as the final table, each page of it a page fault the
// first time it is written. Sized ahead, the memory is allocated once.
//
// The estimate is a HyperLogLog sketch of the keys' table hashes, with a
// sixteenth added for its error: the input's row count alone is no guide,
// since a key comes once from every partial aggregation, and from every
// flush of one, that saw it.
const (
	// readAheadRows and readAheadBytes bound the input held back: the
	// rows are counted for the estimate, the bytes bound what is held in
	// memory on top of the table.
	readAheadRows  = 1 << 21
	readAheadBytes = 64 << 20
	// presizeMin is the fewest rows read ahead for which the table is
	// sized: below it doubling is cheap, and no key is hashed twice.
	presizeMin = 1 << 16
)

// sketchPrecision is the number of index bits of keySketch: 4,096
// registers, a relative error of about 1.6% (1.04/√4096).
const sketchPrecision = 12

// keySketch is a HyperLogLog sketch of table hashes, read by hllEstimate.
type keySketch [1 << sketchPrecision]byte

// add records the rows whose table hashes are hs.
func (k *keySketch) add(hs []uint64) {
	for _, h := range hs {
		j := h >> (64 - sketchPrecision)
		r := byte(bits.LeadingZeros64(h<<sketchPrecision|1<<(sketchPrecision-1)) + 1)
		k[j] = max(k[j], r)
	}
}

// readAhead reads the input of a final aggregation with keys up to
// readAheadRows rows or readAheadBytes, or to its end (eof), and when
// that is presizeMin rows or more sizes the table for the distinct keys
// among them. It returns the batches read, which the caller aggregates
// before reading on, and releases them itself on error.
func (s *aggStream) readAhead() (pending []arrow.RecordBatch, eof bool, err error) {
	defer func() {
		if err != nil {
			for _, b := range pending {
				b.Release()
			}
			pending = nil
		}
	}()
	limit := readAheadRows
	if s.o.aheadRows > 0 {
		limit = s.o.aheadRows
	}
	rows, size := 0, int64(0)
	for rows < limit && size < readAheadBytes && !s.o.env.ShouldSpill() {
		if err := s.ctx.Err(); err != nil {
			return pending, false, err
		}
		b, err := s.in.Next()
		if errors.Is(err, io.EOF) {
			eof = true
			break
		}
		if err != nil {
			return pending, false, err
		}
		pending = append(pending, b)
		rows += int(b.NumRows())
		size += spill.Size(b)
	}
	if rows < presizeMin {
		return pending, eof, nil
	}
	var sk keySketch
	keys := make([]arrow.Array, len(s.o.groups))
	for _, b := range pending {
		for k, g := range s.o.groups {
			keys[k] = b.Column(g)
		}
		hs, err := s.t.hashRows(keys, int(b.NumRows()))
		if err != nil {
			return pending, false, err
		}
		sk.add(hs)
	}
	est := hllEstimate(sk[:])
	n := int(min(int64(rows), est+est/16))
	if n < presizeMin || s.o.env.ShouldSpillWith(s.presizeBytes(n)) {
		return pending, eof, nil
	}
	if err := s.t.presize(s.ctx, n); err != nil {
		return pending, false, err
	}
	for _, a := range s.accs {
		if r, ok := a.(reserver); ok {
			r.reserve(n)
		}
	}
	s.presized = n
	return pending, eof, nil
}

// presizeBytes is about the memory the table and accumulators hold at n
// groups when sized for them: the slots, and per group a hash, each key's
// word and null flag, and each aggregate's value and flag.
func (s *aggStream) presizeBytes(n int) int64 {
	perGroup := int64(8 + 9*len(s.t.cols) + 17*len(s.accs))
	return int64(tableSize(n))*s.t.slotBytes() + int64(n)*perGroup
}
