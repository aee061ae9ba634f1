package exec

import (
	"context"
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/fault"
)

// ErrInternal is matched (errors.Is) by every *InternalError: a query failed
// because of a bug inside the engine or a panicking user function, not
// because of its input.
var ErrInternal = fault.ErrInternal

// InternalError is a panic inside a query turned into an error (see package
// fault): it names the operator, and the function when a user function
// panicked, and carries the panic value and the stack.
type InternalError = fault.InternalError

// Recover, deferred at the top of a goroutine or of any function that must
// not let a panic through, turns a panic into an *InternalError naming where
// (an Operator, or a string naming a part of the engine) and stores it in
// *err. It must be deferred directly: defer exec.Recover(&err, op).
func Recover(err *error, where any) {
	if v := recover(); v != nil {
		*err = fault.New(v, where)
	}
}

// Open executes partition p of op and guards its stream: a panic in op's
// Execute, or in the Next or Close of the stream, becomes an *InternalError
// naming op. Operators open their children with Open, and every driver of a
// plan (Collect, the exchanges, a join's build) opens the operators it runs
// with it, so a panic surfaces as an error at the operator that raised it
// and travels up like any other error, cancelling the query and releasing
// its resources on the way.
func Open(ctx context.Context, op Operator, p int) (s Stream, err error) {
	defer Recover(&err, op)
	s, err = op.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	if _, ok := s.(*guarded); ok {
		return s, nil
	}
	return &guarded{op: op, in: s}, nil
}

// guarded is a stream whose panics become errors; after one, Next keeps
// returning that error.
type guarded struct {
	op     Operator
	in     Stream
	failed error
}

func (g *guarded) Next() (b arrow.RecordBatch, err error) {
	if g.failed != nil {
		return nil, g.failed
	}
	defer func() {
		if v := recover(); v != nil {
			b, g.failed = nil, fault.New(v, g.op)
			err = g.failed
		}
	}()
	b, err = g.in.Next()
	if err != nil && !errors.Is(err, io.EOF) {
		// An internal error raised by a function inside the operator
		// learns which operator it was.
		err = fault.WithOp(err, g.op)
	}
	return b, err
}

func (g *guarded) Close() (err error) {
	defer Recover(&err, g.op)
	return g.in.Close()
}
