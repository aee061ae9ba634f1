package optim

import (
	"context"
	"reflect"
	"testing"

	"github.com/gspark/gspark/ml/progress"
)

// recordProgress returns a context reporting to a list of events.
func recordProgress() (context.Context, *[]progress.Event) {
	var events []progress.Event
	return progress.WithFunc(context.Background(), func(e progress.Event) { events = append(events, e) }), &events
}

// counted is the list of events 1..n of unit with total.
func counted(unit string, n, total int) []progress.Event {
	var out []progress.Event
	for i := 1; i <= n; i++ {
		out = append(out, progress.Event{Unit: unit, Done: i, Total: total})
	}
	return out
}

// TestMinimizeReportsIterations: one event per L-BFGS iteration, counting
// up to the iterations of the result, with the maximum as total.
func TestMinimizeReportsIterations(t *testing.T) {
	f := func(x, g []float64) (float64, error) {
		a, b := 1-x[0], x[1]-x[0]*x[0]
		g[0] = -2*a - 400*x[0]*b
		g[1] = 200 * b
		return a*a + 100*b*b, nil
	}
	ctx, events := recordProgress()
	r, err := Minimize(ctx, f, []float64{-1.2, 1}, nil, Config{MaxIter: 1000, Tol: 1e-14})
	if err != nil {
		t.Fatal(err)
	}
	if r.Iterations < 10 {
		t.Fatalf("only %d iterations", r.Iterations)
	}
	if want := counted("iteration", r.Iterations, 1000); !reflect.DeepEqual(*events, want) {
		t.Fatalf("events %v, want %v", *events, want)
	}
}

// TestTreesReportProgress: one event per tree of a forest and of boosting.
func TestTreesReportProgress(t *testing.T) {
	b := &Block{N: 8, D: 1, X: []float64{1, 2, 3, 4, 5, 6, 7, 8}, Y: []float64{1, 1, 2, 2, 5, 5, 9, 9}, W: []float64{1, 1, 1, 1, 1, 1, 1, 1}}
	tc := TreeConfig{MaxDepth: 2, MaxBins: 8, MinInstancesPerNode: 1, Impurity: "variance"}
	ctx, events := recordProgress()
	if _, err := GrowForest(ctx, []*Block{b}, ForestConfig{Tree: tc, NumTrees: 4, Bootstrap: true, SubsamplingRate: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if want := counted("tree", 4, 4); !reflect.DeepEqual(*events, want) {
		t.Fatalf("forest events %v, want %v", *events, want)
	}
	ctx, events = recordProgress()
	ident := func(y float64) float64 { return y }
	if _, _, err := Boost(ctx, []*Block{b}, tc, 5, 0.1, ident, func(y, f float64) float64 { return y - f }); err != nil {
		t.Fatal(err)
	}
	if want := counted("tree", 5, 5); !reflect.DeepEqual(*events, want) {
		t.Fatalf("boosting events %v, want %v", *events, want)
	}
}
