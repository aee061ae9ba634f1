package expr

import (
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ErrUserRaised is the error raise_error and a failed assert_true return
// (Spark's USER_RAISED_EXCEPTION); errors.Is finds it.
var ErrUserRaised = errors.New("USER_RAISED_EXCEPTION")

type raiseError struct{ msg Expr }

// RaiseError is Spark's raise_error(msg): evaluated over any row it fails
// with the message of the first row (NULL reads as "null"); over no rows it
// is an empty NULL column, so a CASE branch no row takes never fails.
func RaiseError(msg Expr) (Expr, error) {
	if msg.DataType().ID() != arrow.STRING {
		return nil, fmt.Errorf("raise_error needs a STRING message, %s is %s", msg, msg.DataType())
	}
	return &raiseError{msg: msg}, nil
}

func (e *raiseError) DataType() arrow.DataType { return arrow.Null }
func (e *raiseError) String() string           { return CallString("raise_error", e.msg) }

func (e *raiseError) Eval(mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	n := int(batch.NumRows())
	if n == 0 {
		return array.NewNull(0), nil
	}
	m, err := e.msg.Eval(mem, batch)
	if err != nil {
		return nil, err
	}
	defer m.Release()
	text := "null"
	if s, ok := m.(*array.String); ok && s.IsValid(0) {
		text = s.Value(0)
	}
	return nil, fmt.Errorf("[%w] %s SQLSTATE: P0001", ErrUserRaised, text)
}
