package join

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
)

// testEnv returns a plain Env, or when spilling one whose budget makes every
// hash join spill (threshold 0) into a fresh directory, never cancelling.
func testEnv(t *testing.T, mem memory.Allocator, batchSize int, spilling bool) *exec.Env {
	if !spilling {
		return &exec.Env{Mem: mem, BatchSize: batchSize}
	}
	b := exec.NewBudget(mem, 0, nil)
	b.SetSpillThreshold(0)
	env := exec.NewEnv(b)
	env.BatchSize = batchSize
	env.TempDir = t.TempDir()
	return env
}

// checkSpilled checks that op spilled when it must have and that no spill
// file is left.
func checkSpilled(t *testing.T, op exec.Operator, env *exec.Env, must bool) {
	t.Helper()
	if must && op.(exec.Spiller).SpilledBytes() == 0 {
		t.Errorf("%s: nothing spilled", op)
	}
	if env.TempDir == "" {
		return
	}
	es, err := os.ReadDir(env.TempDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 0 {
		t.Fatalf("%s: %d spill files left", op, len(es))
	}
}

// TestHashJoinSpillSplitsLeaves joins a build side many times larger than the
// leaf target, with a skewed key whose rows cannot be split, and checks the
// partition tree went deeper than one level.
func TestHashJoinSpillSplitsLeaves(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(31, 32))
	ls := arrow.NewSchema([]arrow.Field{{Name: "l", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "lv", Type: arrow.BinaryTypes.String}}, nil)
	rs := arrow.NewSchema([]arrow.Field{{Name: "r", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "rv", Type: arrow.BinaryTypes.String}}, nil)
	gen := func(r *rand.Rand) []any {
		k := r.Int64N(3000)
		if r.IntN(20) == 0 {
			k = 7 // a twentieth of the rows share one key
		}
		return []any{maybeNull(r, k), fmt.Sprint(r.IntN(100))}
	}
	left := source(t, mem, r, ls, genRows(r, 3000, gen), 3, nil)
	right := source(t, mem, r, rs, genRows(r, 1500, gen), 2, nil)
	lrows, rrows := exectest.Rows(t, left), exectest.Rows(t, right)
	kinds := []Kind{Inner, Full, LeftAnti}
	if testing.Short() {
		kinds = []Kind{Full} // the kind that emits both sides' unmatched rows
	}
	for _, kind := range kinds {
		env := testEnv(t, mem, 64, true)
		op, err := NewHashJoin(env, left, right, []int{0}, []int{0}, kind, BuildLeft)
		if err != nil {
			t.Fatal(err)
		}
		j := op.(*hashJoin)
		j.leafBytes = 20000
		want := refJoin(lrows, rrows, []int{0}, []int{0}, nil, kind, nil, 2, 2)
		if got := collectChecked(t, op, env.BatchSize); !slices.Equal(got, want) {
			t.Fatalf("%s: %d rows, want %d", kind, len(got), len(want))
		}
		// One file a leaf for the build side and for each of 2 probe
		// partitions, plus the files of the first level that were split.
		if files := j.SpillFiles(); files < 3*fanout*2 {
			t.Errorf("%s: %d spill files: leaves not split", kind, files)
		}
		if testing.Verbose() {
			t.Logf("%s: %d spill files, %d bytes", kind, j.SpillFiles(), j.SpilledBytes())
		}
		checkSpilled(t, op, env, true)
		if s := exec.NewMetered(op).String(); !strings.Contains(s, "spilled=") {
			t.Errorf("Metered: %s", s)
		}
	}
}

// TestHashJoinSpillUnderBudget spills only past the budget's threshold.
func TestHashJoinSpillUnderBudget(t *testing.T) {
	mem := exectest.Alloc(t)
	r := rand.New(rand.NewPCG(33, 34))
	s := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	gen := func(r *rand.Rand) []any { return []any{maybeNull(r, r.Int64N(500))} }
	b := exec.NewBudget(mem, 1<<30, nil)
	lsrc := source(t, mem, r, s, genRows(r, 2000, gen), 2, nil)
	rsrc := source(t, mem, r, s, genRows(r, 2000, gen), 2, nil)
	want := refJoin(exectest.Rows(t, lsrc), exectest.Rows(t, rsrc), []int{0}, []int{0}, nil, Full, nil, 1, 1)
	// The inputs allocate their batches through the budget, as scans do.
	left, right := copying{lsrc, b}, copying{rsrc, b}
	env := exec.NewEnv(b)
	env.BatchSize = 100
	env.TempDir = t.TempDir()
	for _, threshold := range []int64{math.MaxInt64, 5000} {
		b.SetSpillThreshold(threshold)
		op, err := NewHashJoin(env, left, right, []int{0}, []int{0}, Full, BuildRight)
		if err != nil {
			t.Fatal(err)
		}
		if got := collectChecked(t, op, env.BatchSize); !slices.Equal(got, want) {
			t.Fatalf("threshold %d: %d rows, want %d", threshold, len(got), len(want))
		}
		spilled := op.(exec.Spiller).SpilledBytes() > 0
		if spilled != (threshold != math.MaxInt64) {
			t.Errorf("threshold %d: spilled %v", threshold, spilled)
		}
		checkSpilled(t, op, env, false)
	}
	if env.Spill.Bytes() == 0 {
		t.Error("the query's spill counter is 0")
	}
}

// copying is an operator whose streams copy every batch of its input into
// buffers of mem.
type copying struct {
	exec.Operator
	mem memory.Allocator
}

func (c copying) Execute(ctx context.Context, p int) (exec.Stream, error) {
	s, err := c.Operator.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	return &copyStream{Stream: s, mem: c.mem}, nil
}

type copyStream struct {
	exec.Stream
	mem memory.Allocator
	idx []int32
}

func (c *copyStream) Next() (arrow.RecordBatch, error) {
	b, err := c.Stream.Next()
	if err != nil {
		return nil, err
	}
	defer b.Release()
	c.idx = c.idx[:0]
	for i := range int32(b.NumRows()) {
		c.idx = append(c.idx, i)
	}
	return takeBatch(c.mem, b, c.idx)
}

// TestHashJoinSpillErrors checks a join that cannot create its spill files
// fails cleanly.
func TestHashJoinSpillErrors(t *testing.T) {
	mem := exectest.Alloc(t)
	left, right := bigSources(t, mem, 2)
	env := testEnv(t, mem, 16, true)
	dir := env.TempDir
	env.TempDir += "/missing"
	for _, kind := range allKinds {
		op, err := NewHashJoin(env, left, right, []int{0}, []int{0}, kind, BuildRight)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := exec.Collect(t.Context(), op); err == nil {
			t.Errorf("%s: no error without a spill directory", kind)
		}
	}
	env.TempDir = dir
	checkSpilled(t, left, env, false)
}
