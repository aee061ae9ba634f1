// Package progress carries a progress callback through a context.Context to
// the long loops of model fitting: L-BFGS iterations (ml/optim.Minimize),
// trees of random forests and gradient-boosted trees, folds of
// cross-validation. Attach a callback with WithFunc; the fitting code calls
// Report, which does nothing when the context has no callback.
//
//	ctx := progress.WithFunc(ctx, func(e progress.Event) {
//		fmt.Fprintf(os.Stderr, "\r%s %d/%d", e.Unit, e.Done, e.Total)
//	})
//	model, err := estimator.Fit(ctx, df)
//
// The callback runs on the fitting goroutine, synchronously: it should be
// quick. Nested loops (the iterations of each fold's fit) report through the
// same callback, told apart by Unit.
package progress

import "context"

// Event is one step of a long loop.
type Event struct {
	// Unit names what is counted: "iteration", "tree" or "fold".
	Unit string
	// Done counts the steps finished so far, from 1.
	Done int
	// Total is the number of steps planned, or an upper bound (an
	// optimizer may converge before its maximum of iterations); 0 when
	// unknown.
	Total int
}

// Func receives progress events.
type Func func(Event)

type key struct{}

// WithFunc returns a context that carries fn; the fits run with it report
// their progress to fn. A nil fn removes the callback.
func WithFunc(ctx context.Context, fn Func) context.Context {
	return context.WithValue(ctx, key{}, fn)
}

// Report calls the context's callback, if any, with an event.
func Report(ctx context.Context, unit string, done, total int) {
	if ctx == nil {
		return
	}
	if fn, ok := ctx.Value(key{}).(Func); ok && fn != nil {
		fn(Event{Unit: unit, Done: done, Total: total})
	}
}
