package aggregate

import (
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/kernels"
	"github.com/gspark/gspark/exec/spill"
)

// spillParts is how many files a spilling final aggregation splits its
// groups into; each is then aggregated on its own, so the table holds about
// 1/spillParts of the groups at a time.
const spillParts = 16

// aggSpill is a final aggregation that ran out of memory: its table was
// written out as partial states, and every later input batch too, split by
// a hash of the group keys into spillParts files; at the end each file is
// aggregated alone. Final aggregation merges states, so the answer is the
// same whichever file a state went through.
type aggSpill struct {
	s       *aggStream
	writers []*spill.Writer
	files   []*spill.File
	cur     *aggStream // the aggregation of files[0]
	enc     []byte
	idx     [][]int32
}

// estimate is the memory the stream's table and accumulators hold: their
// Go memory as exec.GoBytes walks it (slice capacities, so the doubling of
// growing slices counts; per-group byte slices of string keys and values).
// Walking touches every element of slices that hold pointers, so the walk
// is redone only when the groups grew by an eighth since the last one, or
// after remeasureBatches batches (accumulators that grow within a group);
// in between the last walk's bytes per group scale with the groups.
func (s *aggStream) estimate() int64 {
	g := s.t.groups()
	s.sinceSized++
	if s.sizedGroups == 0 || g < s.sizedGroups || g >= s.sizedGroups+s.sizedGroups/8 || s.sinceSized >= remeasureBatches {
		s.sizedBytes = exec.GoBytes(s.t, s.accs)
		s.sizedGroups = max(g, 1)
		s.sinceSized = 0
		return s.sizedBytes
	}
	return s.sizedBytes * int64(g) / int64(s.sizedGroups)
}

// remeasureBatches is how many batches an aggregation counts its memory by
// scaling before walking its state again.
const remeasureBatches = 64

// maybeSpill switches a final aggregation with keys to spilling when its
// memory passes the query's spill threshold.
func (s *aggStream) maybeSpill() error {
	o := s.o
	if !o.final || s.noSpill || s.sp != nil || len(o.groups) == 0 || o.env.Budget == nil {
		return nil
	}
	if !o.env.ShouldSpill() { // the table is counted (s.held)
		return nil
	}
	sp := &aggSpill{s: s, idx: make([][]int32, spillParts)}
	for range spillParts {
		w, err := spill.NewWriter(o.env, o.child.Schema(), &o.spilled)
		if err != nil {
			sp.close()
			return err
		}
		sp.writers = append(sp.writers, w)
	}
	s.sp = sp
	// Write the table out as partial states.
	size := max(o.env.BatchSize, 1)
	for lo := 0; lo < s.t.groups(); lo += size {
		b, err := s.emit(lo, min(lo+size, s.t.groups()), false)
		if err != nil {
			return err
		}
		err = sp.route(b)
		b.Release()
		if err != nil {
			return err
		}
	}
	s.held.Set(0)
	return s.reset() // drop the table
}

// route writes the rows of a state batch to the files of their keys.
func (sp *aggSpill) route(b arrow.RecordBatch) error {
	n := int(b.NumRows())
	if n == 0 {
		return nil
	}
	o := sp.s.o
	encs := make([]func([]byte, int) []byte, len(o.groups))
	for k, g := range o.groups {
		e, err := kernels.KeyEncoder(b.Column(g))
		if err != nil {
			return err
		}
		encs[k] = e
	}
	for p := range sp.idx {
		sp.idx[p] = sp.idx[p][:0]
	}
	for i := 0; i < n; i++ {
		sp.enc = sp.enc[:0]
		for _, e := range encs {
			sp.enc = e(sp.enc, i)
		}
		h := uint64(14695981039346656037) // FNV-1a
		for _, c := range sp.enc {
			h = (h ^ uint64(c)) * 1099511628211
		}
		p := kernels.Mix64(h) % spillParts
		sp.idx[p] = append(sp.idx[p], int32(i))
	}
	for p, idx := range sp.idx {
		if len(idx) == 0 {
			continue
		}
		part, err := kernels.TakeBatch(o.env.Mem, b, idx)
		if err != nil {
			return err
		}
		err = sp.writers[p].Write(part)
		part.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// finish closes the files once the input is consumed.
func (sp *aggSpill) finish() error {
	for i, w := range sp.writers {
		f, err := w.Finish()
		sp.writers[i] = nil
		if err != nil {
			return err
		}
		sp.files = append(sp.files, f)
	}
	sp.writers = nil
	return nil
}

// next returns the results of the spilled groups, file after file.
func (sp *aggSpill) next() (arrow.RecordBatch, error) {
	s := sp.s
	for {
		if sp.cur == nil {
			if len(sp.files) == 0 {
				return nil, io.EOF
			}
			r, err := sp.files[0].Open(s.ctx, s.o.env.Mem)
			if err != nil {
				return nil, err
			}
			sp.cur = &aggStream{o: s.o, ctx: s.ctx, part: s.part, in: r, noSpill: true}
			if err := sp.cur.reset(); err != nil {
				return nil, err
			}
		}
		b, err := sp.cur.Next()
		if errors.Is(err, io.EOF) {
			err = sp.cur.Close()
			sp.cur = nil
			if rerr := sp.files[0].Remove(); err == nil {
				err = rerr
			}
			sp.files = sp.files[1:]
			if err != nil {
				return nil, err
			}
			continue
		}
		return b, err
	}
}

// close removes every file left, on early close or error.
func (sp *aggSpill) close() {
	if sp.cur != nil {
		sp.cur.Close()
		sp.cur = nil
	}
	for _, w := range sp.writers {
		if w != nil {
			w.Abort()
		}
	}
	sp.writers = nil
	for _, f := range sp.files {
		f.Remove()
	}
	sp.files = nil
}

// SpilledBytes implements exec.Spiller.
func (o *op) SpilledBytes() int64 { return o.spilled.Bytes() }

// SpillFiles implements exec.Spiller.
func (o *op) SpillFiles() int64 { return o.spilled.Files() }

var _ exec.Spiller = (*op)(nil)
