package exec

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
)

// Coalesce narrows its child to n partitions without moving rows between
// goroutines: partition i reads the child's partitions i, i+n, i+2n, … one
// after another (Spark's coalesce).
type Coalesce struct {
	child Operator
	n     int
}

// NewCoalesce returns child read as at most n partitions.
func NewCoalesce(child Operator, n int) *Coalesce {
	return &Coalesce{child: child, n: max(1, min(n, child.Partitions()))}
}

// Schema implements Operator.
func (c *Coalesce) Schema() *arrow.Schema { return c.child.Schema() }

// Partitions implements Operator.
func (c *Coalesce) Partitions() int { return c.n }

// Children implements Operator.
func (c *Coalesce) Children() []Operator { return []Operator{c.child} }

// String implements Operator.
func (c *Coalesce) String() string { return fmt.Sprintf("Coalesce(n=%d)", c.n) }

// Execute implements Operator.
func (c *Coalesce) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(c, p); err != nil {
		return nil, err
	}
	return &coalesceStream{c: c, ctx: ctx, next: p}, nil
}

type coalesceStream struct {
	c    *Coalesce
	ctx  context.Context
	next int // the next child partition to open
	cur  Stream
}

func (s *coalesceStream) Next() (arrow.RecordBatch, error) {
	for {
		if s.cur == nil {
			if s.next >= s.c.child.Partitions() {
				return nil, io.EOF
			}
			st, err := Open(s.ctx, s.c.child, s.next)
			if err != nil {
				return nil, err
			}
			s.cur, s.next = st, s.next+s.c.n
		}
		b, err := s.cur.Next()
		if errors.Is(err, io.EOF) {
			err = s.cur.Close()
			s.cur = nil
			if err != nil {
				return nil, err
			}
			continue
		}
		return b, err
	}
}

func (s *coalesceStream) Close() error {
	s.next = s.c.child.Partitions()
	if s.cur != nil {
		err := s.cur.Close()
		s.cur = nil
		return err
	}
	return nil
}
