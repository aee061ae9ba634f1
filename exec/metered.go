package exec

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// Metered wraps an operator and counts, over all its partitions, the rows and
// batches it produces and the time spent in its streams' Next calls (its
// children's time included), for EXPLAIN ANALYZE.
type Metered struct {
	Op      Operator
	rows    atomic.Int64
	batches atomic.Int64
	nanos   atomic.Int64
}

// NewMetered wraps op.
func NewMetered(op Operator) *Metered { return &Metered{Op: op} }

// Schema implements Operator.
func (m *Metered) Schema() *arrow.Schema { return m.Op.Schema() }

// Partitions implements Operator.
func (m *Metered) Partitions() int { return m.Op.Partitions() }

// Children implements Operator: the wrapped operator's children.
func (m *Metered) Children() []Operator { return m.Op.Children() }

// String implements Operator: the wrapped operator with its counts so far.
// An operator that spilled (a Spiller) also shows the bytes and files it wrote.
func (m *Metered) String() string {
	spilled := ""
	if sp, ok := m.Op.(Spiller); ok && sp.SpilledBytes() > 0 {
		spilled = fmt.Sprintf(", spilled=%d bytes in %d files", sp.SpilledBytes(), sp.SpillFiles())
	}
	return fmt.Sprintf("%s (rows=%d, batches=%d, time=%s%s)", m.Op.String(), m.rows.Load(), m.batches.Load(),
		time.Duration(m.nanos.Load()).Round(time.Microsecond), spilled)
}

// Rows is the number of rows produced so far.
func (m *Metered) Rows() int64 { return m.rows.Load() }

// Execute implements Operator.
func (m *Metered) Execute(ctx context.Context, p int) (Stream, error) {
	start := time.Now()
	s, err := Open(ctx, m.Op, p)
	m.nanos.Add(int64(time.Since(start)))
	if err != nil {
		return nil, err
	}
	return &meteredStream{m: m, in: s}, nil
}

type meteredStream struct {
	m  *Metered
	in Stream
}

func (s *meteredStream) Next() (arrow.RecordBatch, error) {
	start := time.Now()
	b, err := s.in.Next()
	s.m.nanos.Add(int64(time.Since(start)))
	if err == nil {
		s.m.rows.Add(b.NumRows())
		s.m.batches.Add(1)
	}
	return b, err
}

func (s *meteredStream) Close() error { return s.in.Close() }

// SpilledBytes implements Spiller: the wrapped operator's, 0 when it never spills.
func (m *Metered) SpilledBytes() int64 {
	if sp, ok := m.Op.(Spiller); ok {
		return sp.SpilledBytes()
	}
	return 0
}

// SpillFiles implements Spiller: the wrapped operator's, 0 when it never spills.
func (m *Metered) SpillFiles() int64 {
	if sp, ok := m.Op.(Spiller); ok {
		return sp.SpillFiles()
	}
	return 0
}
