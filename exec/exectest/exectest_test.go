package exectest_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	gexec "github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exchange"
	"github.com/gspark/gspark/exec/exectest"
)

var schema = arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)

// recorder is a testing.TB that keeps its cleanups and failures to itself,
// so a test can run Alloc's checks and look at their verdict.
type recorder struct {
	testing.TB
	cleanups []func()
	failures []string
}

func (r *recorder) Helper()          {}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Error(args ...any) {
	r.failures = append(r.failures, fmt.Sprint(args...))
}
func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// finish runs the cleanups the way the testing package does: last first.
func (r *recorder) finish() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

// leaky passes its child through, with the bug the goroutine check exists to
// catch: every Execute starts a goroutine that outlives the stream (here it
// runs until stop is closed).
type leaky struct {
	gexec.Operator
	stop chan struct{}
}

func (l *leaky) Execute(ctx context.Context, p int) (gexec.Stream, error) {
	go func() { <-l.stop }()
	return l.Operator.Execute(ctx, p)
}

// collect runs op to the end, checking the rows count, and releases the result.
func collect(t *testing.T, op gexec.Operator, want int64) {
	t.Helper()
	bs, err := gexec.Collect(t.Context(), op)
	if err != nil {
		t.Fatal(err)
	}
	defer gexec.ReleaseAll(bs)
	var n int64
	for _, b := range bs {
		n += b.NumRows()
	}
	if n != want {
		t.Fatalf("got %d rows, want %d", n, want)
	}
}

// runChecked runs op (built on Alloc's allocator) under a recorder and
// returns what Alloc's checks reported at the end of the "test".
func runChecked(t *testing.T, build func(env *gexec.Env, src gexec.Operator) gexec.Operator) []string {
	t.Helper()
	rec := &recorder{TB: t}
	mem := exectest.Alloc(rec)
	b := exectest.Batch(mem, schema, [][]any{{1}, {2}, {3}})
	src := gexec.NewMemorySource(schema, [][]arrow.RecordBatch{{b}, {b}})
	b.Release()
	collect(t, build(gexec.NewEnv(mem), src), 6)
	src.Release()
	rec.finish()
	return rec.failures
}

func TestAllocReportsALeakedGoroutine(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	failures := runChecked(t, func(_ *gexec.Env, src gexec.Operator) gexec.Operator {
		return &leaky{Operator: src, stop: stop}
	})
	if len(failures) != 1 || !strings.Contains(failures[0], "found unexpected goroutines") ||
		!strings.Contains(failures[0], "(*leaky).Execute") {
		t.Fatalf("want one report of the goroutine leaky started, got %q", failures)
	}
}

func TestAllocPassesWhenEveryGoroutineEnds(t *testing.T) {
	// A goroutine that was running before Alloc and still runs after the
	// test is not the test's leak.
	stop := make(chan struct{})
	defer close(stop)
	go func() { <-stop }()
	failures := runChecked(t, func(env *gexec.Env, src gexec.Operator) gexec.Operator {
		// The exchange starts producers that end with its streams.
		return exchange.NewGather(env, src)
	})
	if len(failures) != 0 {
		t.Fatalf("want no failure, got %q", failures)
	}
}

func TestAllocReportsALeakedBuffer(t *testing.T) {
	rec := &recorder{TB: t}
	mem := exectest.Alloc(rec)
	b := exectest.Batch(mem, schema, [][]any{{1}})
	rec.finish()
	b.Release()
	if len(rec.failures) == 0 || !strings.Contains(rec.failures[len(rec.failures)-1], "invalid memory size exp=0") {
		t.Fatalf("want one report of the unreleased batch, got %q", rec.failures)
	}
}

// leakEnv makes TestLeakForTestMain leak a goroutine, so that
// TestTestMainReportsALeak can see the package's TestMain fail.
const leakEnv = "GSPARK_EXECTEST_LEAK_ON_PURPOSE"

func TestLeakForTestMain(t *testing.T) {
	if os.Getenv(leakEnv) == "" {
		t.Skip("only run by TestTestMainReportsALeak")
	}
	go func() { select {} }()
}

func TestTestMainReportsALeak(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestLeakForTestMain$", "-test.count=1")
	cmd.Env = append(os.Environ(), leakEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the test binary passed with a leaked goroutine:\n%s", out)
	}
	if !strings.Contains(string(out), "found unexpected goroutines") ||
		!strings.Contains(string(out), "TestLeakForTestMain") {
		t.Fatalf("want goleak's report of the goroutine TestLeakForTestMain started, got %v:\n%s", err, out)
	}
}

// PartitionCounts keeps every count in a plain run and only the most
// concurrent under -short; Sampled keeps one grid case in every under -short.
func TestPartitionCountsAndSampled(t *testing.T) {
	got := exectest.PartitionCounts(1, 2, 7)
	want := []int{1, 2, 7}
	if testing.Short() {
		want = []int{7}
	}
	if !slices.Equal(got, want) {
		t.Errorf("PartitionCounts(1, 2, 7) = %v, want %v", got, want)
	}
	n := 0
	for i := range 9 {
		if exectest.Sampled(i, 3) {
			n++
		}
	}
	if want := map[bool]int{false: 9, true: 3}[testing.Short()]; n != want {
		t.Errorf("Sampled(i, 3) kept %d of 9 cases, want %d", n, want)
	}
}
