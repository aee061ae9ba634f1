package sort

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
)

type limitOp struct {
	child     exec.Operator
	n, offset int64
	global    bool
}

// NewLimit passes through the first n rows of each partition of child after
// skipping offset rows (a negative n means no limit), and stops reading the
// child once they are produced.
// global asserts the child has exactly one partition (Execute fails otherwise)
// and marks the final limit of a query; otherwise it is a per-partition pre-limit.
func NewLimit(child exec.Operator, n, offset int64, global bool) exec.Operator {
	return &limitOp{child: child, n: n, offset: offset, global: global}
}

// Schema implements exec.Operator.
func (l *limitOp) Schema() *arrow.Schema { return l.child.Schema() }

// Partitions implements exec.Operator: the child's.
func (l *limitOp) Partitions() int { return l.child.Partitions() }

// Children implements exec.Operator.
func (l *limitOp) Children() []exec.Operator { return []exec.Operator{l.child} }

// String implements exec.Operator.
func (l *limitOp) String() string {
	name := "LocalLimit"
	if l.global {
		name = "GlobalLimit"
	}
	if l.offset > 0 {
		return fmt.Sprintf("%s(n=%d, offset=%d)", name, l.n, l.offset)
	}
	return fmt.Sprintf("%s(n=%d)", name, l.n)
}

// Execute implements exec.Operator.
func (l *limitOp) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if err := exec.CheckPartition(l, p); err != nil {
		return nil, err
	}
	if l.offset < 0 {
		return nil, fmt.Errorf("%s: negative offset", l)
	}
	if l.global && l.child.Partitions() != 1 {
		return nil, fmt.Errorf("%s: global limit over %d partitions, want 1", l, l.child.Partitions())
	}
	ls := &limitStream{ctx: ctx, left: l.n, skip: l.offset}
	if l.n < 0 {
		ls.left = math.MaxInt64
	}
	if l.n == 0 {
		return ls, nil // the child is never opened
	}
	s, err := exec.Open(ctx, l.child, p)
	if err != nil {
		return nil, err
	}
	ls.child = s
	return ls, nil
}

type limitStream struct {
	ctx   context.Context
	child exec.Stream // nil once closed
	left  int64       // rows still to produce
	skip  int64       // rows still to skip
}

func (s *limitStream) Next() (arrow.RecordBatch, error) {
	for {
		if s.left <= 0 || s.child == nil {
			if err := s.closeChild(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		if err := s.ctx.Err(); err != nil {
			return nil, err
		}
		b, err := s.child.Next()
		if err != nil {
			return nil, err
		}
		rows := b.NumRows()
		if s.skip >= rows {
			s.skip -= rows
			b.Release()
			continue
		}
		start := s.skip
		end := start + min(rows-start, s.left)
		s.skip = 0
		s.left -= end - start
		out := b
		if start != 0 || end != rows {
			out = b.NewSlice(start, end)
			b.Release()
		}
		if s.left <= 0 {
			// Done: release the child now rather than on the next call.
			if err := s.closeChild(); err != nil {
				out.Release()
				return nil, err
			}
		}
		return out, nil
	}
}

func (s *limitStream) closeChild() error {
	if s.child == nil {
		return nil
	}
	err := s.child.Close()
	s.child = nil
	return err
}

func (s *limitStream) Close() error { return s.closeChild() }
