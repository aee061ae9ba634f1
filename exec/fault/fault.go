// Package fault turns panics into errors. It owns the error type of a panic
// inside a query (InternalError), so that every layer of the engine, the
// expressions that run user functions included, reports a panic the same way;
// package exec re-exports it.
package fault

import (
	"errors"
	"fmt"
	"runtime/debug"
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
	// Func, when not empty, is the function (a user-defined function, say)
	// that panicked inside Op.
	Func string
	// Value is the value the code panicked with.
	Value any
	// Stack is the stack of the panicking goroutine.
	Stack []byte
}

// Error implements error: "internal error in <op>: <panic value>".
func (e *InternalError) Error() string {
	where := e.Op
	switch {
	case e.Func != "" && e.Op != "":
		where = e.Func + " in " + e.Op
	case e.Func != "":
		where = e.Func
	case where == "":
		where = "gspark"
	}
	return fmt.Sprintf("internal error in %s: %v", where, e.Value)
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

// New makes the error of a panic with value v in op (an operator or any
// value that prints as the name of a part of the engine), with the current
// goroutine's stack. A panic value that is already an *InternalError is
// returned as it is.
func New(v any, op any) *InternalError {
	if ie, ok := v.(*InternalError); ok {
		return ie
	}
	name := ""
	if op != nil {
		name = fmt.Sprint(op)
	}
	return &InternalError{Op: name, Value: v, Stack: debug.Stack()}
}

// InFunc makes the error of a panic with value v in the function fn
// (printed as its name), the operator left for the caller to fill in.
func InFunc(v any, fn any) *InternalError {
	if ie, ok := v.(*InternalError); ok {
		return ie
	}
	return &InternalError{Func: fmt.Sprint(fn), Value: v, Stack: debug.Stack()}
}

// WithOp returns err with the operator of its *InternalError set to op when
// it has none; a copy, so that an error already shared is never changed.
// Other errors, and internal errors that name their operator, are returned
// as they are.
func WithOp(err error, op any) error {
	var ie *InternalError
	if err == nil || !errors.As(err, &ie) || ie.Op != "" {
		return err
	}
	cp := *ie
	cp.Op = fmt.Sprint(op)
	return &cp
}
