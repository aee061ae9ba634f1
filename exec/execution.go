package exec

import (
	"context"
	"sync"
)

// SharedState is what an operator shares between the streams of its
// partitions for one Execution (a hash join's build table, say).
type SharedState interface {
	// Release is called once when the execution ends; the state frees what
	// it holds then, or as soon as the last stream using it is closed.
	Release()
}

// Execution is one run of a physical plan. Operators whose partitions share
// work — a hash join builds one table for all its probe partitions, an
// exchange feeds all its output partitions from one set of producers — keep
// that state in the Execution, keyed by the operator, instead of in the
// operator: a plan executed twice gets two states, and whatever the streams
// left behind is released when the execution ends (early close, LIMIT,
// cancellation and errors included).
//
// The driver of a plan starts an execution, puts it in the context its
// partitions run under (WithExecution) and closes it once every stream has
// been closed. Collect does so when its context has none; the actions of
// package frame start one per action.
type Execution struct {
	mu     sync.Mutex
	states map[any]SharedState
	closed bool
}

// NewExecution starts an execution.
func NewExecution() *Execution { return &Execution{states: map[any]SharedState{}} }

type executionKey struct{}

// WithExecution returns ctx carrying e, for the streams of e's plan.
func WithExecution(ctx context.Context, e *Execution) context.Context {
	return context.WithValue(ctx, executionKey{}, e)
}

// ExecutionFrom returns the execution ctx carries, or nil.
func ExecutionFrom(ctx context.Context) *Execution {
	e, _ := ctx.Value(executionKey{}).(*Execution)
	return e
}

// State returns the state stored under key (an operator), or nil.
func (e *Execution) State(key any) SharedState {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.states[key]
}

// SetState stores s under key (a comparable value: the operator's pointer),
// replacing what was there: the owner of a replaced state releases it. It
// reports false, storing nothing, once the execution has ended.
func (e *Execution) SetState(key any, s SharedState) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return false
	}
	e.states[key] = s
	return true
}

// Close ends the execution and releases every state stored in it. Closing
// twice does nothing.
func (e *Execution) Close() {
	e.mu.Lock()
	states := e.states
	e.states, e.closed = nil, true
	e.mu.Unlock()
	for _, s := range states {
		s.Release()
	}
}
