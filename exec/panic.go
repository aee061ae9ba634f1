package exec

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/apache/arrow-go/v18/arrow"
)

// ErrInternal is matched (errors.Is) by every *InternalError: a query failed
// because of a bug inside the engine or a panicking user function, not
// because of its input.
var ErrInternal = errors.New("internal error")

// InternalError is a panic inside a query turned into an error: the query
// fails and is cancelled, its memory and spill files are released, and the
// process goes on.
type InternalError struct {
	// Op names the operator, or the part of the engine, that panicked.
	Op string
	// Value is the value the code panicked with.
	Value any
	// Stack is the stack of the panicking goroutine.
	Stack []byte
}

// Error implements error.
func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error in %s: %v", e.Op, e.Value)
}

// Is makes errors.Is(err, ErrInternal) true.
func (e *InternalError) Is(target error) bool { return target == ErrInternal }

// Unwrap returns the panic value when it is an error (a runtime.Error, say).
func (e *InternalError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// NewInternalError makes the error of a panic with value v in where (an
// Operator, or a string naming a part of the engine), with the current
// goroutine's stack. An *InternalError value is returned as it is.
func NewInternalError(v any, where any) *InternalError {
	if ie, ok := v.(*InternalError); ok {
		return ie
	}
	name := "gspark"
	if where != nil {
		name = fmt.Sprint(where)
	}
	return &InternalError{Op: name, Value: v, Stack: debug.Stack()}
}

// Recover, deferred at the top of a goroutine or of any function that must
// not let a panic through, turns a panic into an *InternalError naming where
// (an Operator, or a string naming a part of the engine) and stores it in
// *err. It must be deferred directly: defer exec.Recover(&err, op).
func Recover(err *error, where any) {
	if v := recover(); v != nil {
		*err = NewInternalError(v, where)
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
			b, g.failed = nil, NewInternalError(v, g.op)
			err = g.failed
		}
	}()
	return g.in.Next()
}

func (g *guarded) Close() (err error) {
	defer Recover(&err, g.op)
	return g.in.Close()
}
