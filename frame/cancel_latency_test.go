//go:build unix

package frame_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/frame"
	F "github.com/gspark/gspark/frame/functions"
)

// cancelBound is the latency the test accepts between cancelling a query's
// context and the action returning with every goroutine of the query gone.
// The target is 100 ms on a quiet machine; the bound leaves room for a
// loaded CI box, while an operator loop that never looks at its context runs
// for seconds and fails it.
//
// On a box so loaded that the process gets a small share of a core, wall
// time alone would flake: a latency over cancelBound fails the test only
// when the process also spent more than cancelCPUBound of CPU time (all
// threads, so garbage collection too) between the cancel and the return,
// that is when the query kept working after it was cancelled. A query still
// running after stuckBound fails whatever the CPU time.
const (
	cancelBound    = time.Second
	cancelCPUBound = 500 * time.Millisecond
	stuckBound     = 10 * time.Second
)

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cancelCase is one operator kind: run starts a query over a source big
// enough to keep the operator busy for seconds, and returns when the query
// ends.
type cancelCase struct {
	name string
	opts []frame.Option
	// minDelay and maxDelay bound the random point, after the action
	// started, at which the context is cancelled.
	minDelay, maxDelay time.Duration
	run                func(ctx context.Context, s *frame.Session) error
	// knownSlow, when set, names an open problem: a latency over the bound
	// is logged with it instead of failing the test.
	knownSlow string
}

// drain runs df and drops its batches.
func drain(ctx context.Context, df *frame.DataFrame) error {
	return df.ForEachBatch(ctx, func(arrow.RecordBatch) error { return nil })
}

func sqlDrain(q string) func(ctx context.Context, s *frame.Session) error {
	return func(ctx context.Context, s *frame.Session) error { return drain(ctx, s.SQL(q)) }
}

// TestCancelLatency cancels a long query of each operator kind at a random
// point after it started and checks that the action returns, and that all
// of the query's goroutines are gone, within cancelBound.
func TestCancelLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("long queries")
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	files := t.TempDir()
	pq := filepath.Join(files, "pq")
	csvDir := filepath.Join(files, "csv")
	{
		s := frame.NewSession(frame.WithPartitions(4))
		src := s.SQL(`SELECT id, CAST(id * 7 % 1000 AS DOUBLE) AS x, concat('row-', CAST(id % 100000 AS STRING)) AS s
			FROM range(4000000)`).Repartition(4)
		if err := src.Write().Parquet(context.Background(), pq); err != nil {
			t.Fatal(err)
		}
		if err := src.Write().Option("header", "true").CSV(context.Background(), csvDir); err != nil {
			t.Fatal(err)
		}
	}
	// Each file scan reads its files several times over, so that it is
	// still reading when the context is cancelled.
	readMany := func(df func() *frame.DataFrame, k int) *frame.DataFrame {
		u := df()
		for range k - 1 {
			u = u.UnionAll(df())
		}
		return u
	}

	const big = "range(0, 4000000000, 1, 4)"
	noBroadcast := frame.WithBroadcastThreshold(-1)
	cases := []cancelCase{
		{name: "scan", run: sqlDrain("SELECT id FROM " + big)},
		{name: "filter", run: sqlDrain("SELECT id FROM " + big + " WHERE id % 7 = 3")},
		{name: "project", run: sqlDrain("SELECT id * 2 + 1 AS a, id % 13 AS b FROM " + big)},
		{name: "aggregate-few-groups", run: sqlDrain("SELECT id % 8 AS k, sum(id), count(*) FROM " + big + " GROUP BY 1")},
		{name: "aggregate-many-groups", run: sqlDrain("SELECT id * 7919 % 50000000 AS k, sum(id) FROM range(0, 200000000, 1, 4) GROUP BY 1")},
		{name: "count-distinct", run: sqlDrain("SELECT count(DISTINCT id * 7919 % 100000000) FROM range(0, 200000000, 1, 4)")},
		{name: "count-distinct-grouped", run: sqlDrain("SELECT id % 4 AS k, count(DISTINCT id * 7919 % 100000000) FROM range(0, 200000000, 1, 4) GROUP BY 1")},
		{name: "hash-join-build", opts: []frame.Option{noBroadcast},
			run: sqlDrain("SELECT count(*) FROM range(0, 30000000, 1, 4) a JOIN range(0, 30000000, 1, 4) b ON a.id = b.id * 3")},
		{name: "hash-join-probe", opts: []frame.Option{noBroadcast}, minDelay: 800 * time.Millisecond, maxDelay: 1200 * time.Millisecond,
			run: sqlDrain("SELECT count(*) FROM " + big + " a JOIN range(0, 100000, 1, 4) b ON a.id % 1000003 = b.id")},
		{name: "broadcast-join", run: sqlDrain("SELECT count(*) FROM " + big + " a JOIN range(0, 1000, 1, 1) b ON a.id % 100003 = b.id")},
		{name: "sort", run: sqlDrain("SELECT id FROM range(0, 100000000, 1, 4) ORDER BY id * 7919 % 100000000")},
		{name: "sort-spill", opts: []frame.Option{frame.WithMemoryLimit(256 << 20), frame.WithSpillThreshold(32 << 20)},
			run: sqlDrain("SELECT id FROM range(0, 100000000, 1, 4) ORDER BY id * 7919 % 100000000")},
		{name: "top-k", run: sqlDrain("SELECT id FROM " + big + " ORDER BY id * 7919 % 100000000 LIMIT 10")},
		{name: "window", run: sqlDrain("SELECT id, sum(id) OVER (PARTITION BY id % 100 ORDER BY id) AS s FROM range(0, 100000000, 1, 4)")},
		{name: "window-rank", run: sqlDrain("SELECT id, row_number() OVER (ORDER BY id * 7919 % 100000000) AS r FROM range(0, 100000000, 1, 4)")},
		{name: "union", run: sqlDrain("SELECT id FROM " + big + " UNION ALL SELECT id FROM " + big)},
		{name: "distinct", run: sqlDrain("SELECT DISTINCT id * 7919 % 100000000 FROM range(0, 200000000, 1, 4)")},
		{name: "repartition", run: func(ctx context.Context, s *frame.Session) error {
			return drain(ctx, s.SQL("SELECT id FROM "+big).Repartition(8, F.Col("id")))
		}},
		{name: "coalesce", run: func(ctx context.Context, s *frame.Session) error {
			return drain(ctx, s.SQL("SELECT id FROM "+big).Coalesce(1))
		}},
		{name: "limit", run: sqlDrain("SELECT id FROM " + big + " WHERE id = -1 LIMIT 5")},
		{name: "parquet-scan", run: func(ctx context.Context, s *frame.Session) error {
			return drain(ctx, readMany(func() *frame.DataFrame { return s.Read().Parquet(pq) }, 50))
		}},
		{name: "csv-scan", run: func(ctx context.Context, s *frame.Session) error {
			return drain(ctx, readMany(func() *frame.DataFrame {
				return s.Read().Option("header", "true").Option("inferSchema", "false").CSV(csvDir)
			}, 50))
		}},
		{name: "write", run: func(ctx context.Context, s *frame.Session) error {
			return s.SQL("SELECT id, id % 13 AS b FROM "+big).Write().Parquet(ctx, filepath.Join(t.TempDir(), "out"))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lo, hi := c.minDelay, c.maxDelay
			if lo == 0 {
				lo, hi = 200*time.Millisecond, 600*time.Millisecond
			}
			delay := lo + time.Duration(rng.Int64N(int64(hi-lo)+1))
			m := measureCancel(t, append([]frame.Option{frame.WithPartitions(4)}, c.opts...), delay, c.run)
			t.Logf("%-24s cancelled after %v: returned in %v, goroutines gone in %v, CPU after cancel %v", c.name,
				delay.Round(time.Millisecond), m.returned.Round(100*time.Microsecond), m.gone.Round(100*time.Microsecond),
				m.cpu.Round(time.Millisecond))
			slow := m.gone > stuckBound || (m.gone > cancelBound && m.cpu > cancelCPUBound)
			if slow && c.knownSlow != "" {
				t.Logf("%s: over the bound, a known problem: %s", c.name, c.knownSlow)
			} else if slow {
				t.Errorf("%s: %v from cancel until the query's goroutines were gone, %v of CPU time; want at most %v (or %v of CPU)",
					c.name, m.gone, m.cpu, cancelBound, cancelCPUBound)
			}
		})
	}
}

// cancelTimes is what measureCancel measures from the cancel on.
type cancelTimes struct {
	returned time.Duration // until the action returned
	gone     time.Duration // until the query's goroutines were gone
	cpu      time.Duration // CPU time of the process until the action returned
}

// measureCancel runs the query, cancels its context after delay and returns
// the time from the cancel until the action returned and until the number of
// goroutines fell back to what it was before the query started.
func measureCancel(t *testing.T, opts []frame.Option, delay time.Duration, run func(context.Context, *frame.Session) error) (m cancelTimes) {
	t.Helper()
	s := frame.NewSession(opts...)
	runtime.GC()
	base := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, s) }()
	select {
	case err := <-done:
		t.Fatalf("the query ended before it was cancelled after %v: %v", delay, err)
	case <-time.After(delay):
	}
	start, cpu0 := time.Now(), cpuTime(t)
	cancel()
	// GSPARK_CANCEL_PROFILE=DIR writes a CPU profile of the time from the
	// cancel until the action returned (what kept running), one file per
	// run, so that the runs of -count N can be read together.
	stopProfile := func() {}
	if dir := os.Getenv("GSPARK_CANCEL_PROFILE"); dir != "" {
		f, err := os.CreateTemp(dir, filepath.Base(t.Name())+"-*.prof")
		if err != nil {
			t.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(3 * stuckBound):
		t.Fatalf("the query had not returned %v after it was cancelled", 3*stuckBound)
	}
	m.returned, m.cpu = time.Since(start), cpuTime(t)-cpu0
	stopProfile()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	for runtime.NumGoroutine() > base {
		if time.Since(start) > 30*time.Second {
			t.Fatalf("%d goroutines still running 30 s after cancel (%d before the query)", runtime.NumGoroutine(), base)
		}
		time.Sleep(200 * time.Microsecond)
	}
	m.gone = time.Since(start)
	return m
}
