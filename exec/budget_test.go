package exec

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestBudgetSpillThreshold(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	b := NewBudget(mem, 1000, cancel)
	if b.Limit() != 1000 || b.SpillThreshold() != 600 {
		t.Fatalf("limit %d, threshold %d", b.Limit(), b.SpillThreshold())
	}
	buf := b.Allocate(599)
	if b.ShouldSpill() {
		t.Error("spill below the threshold")
	}
	buf = b.Reallocate(600, buf)
	if !b.ShouldSpill() {
		t.Error("no spill at the threshold")
	}
	if ctx.Err() != nil {
		t.Error("cancelled below the limit")
	}
	buf = b.Reallocate(1001, buf)
	if !errors.Is(context.Cause(ctx), ErrMemoryLimit) {
		t.Errorf("cause %v, want ErrMemoryLimit", context.Cause(ctx))
	}
	b.Free(buf)
	if b.ShouldSpill() || b.Used() != 0 || b.Peak() != 1001 {
		t.Errorf("after free: spill %v, used %d, peak %d", b.ShouldSpill(), b.Used(), b.Peak())
	}
	b.SetSpillThreshold(0)
	if !b.ShouldSpill() {
		t.Error("threshold 0 must always spill")
	}
	b.SetSpillThreshold(-1)
	if b.ShouldSpill() {
		t.Error("negative threshold must never spill")
	}
	if NewBudget(mem, 0, nil).ShouldSpill() {
		t.Error("a budget without a limit spills")
	}
	var nilBudget *Budget
	if nilBudget.ShouldSpill() {
		t.Error("a nil budget spills")
	}
}

func TestEnvSpill(t *testing.T) {
	b := NewBudget(memory.NewGoAllocator(), 100, nil)
	env := NewEnv(b)
	if env.Budget != b || env.TempDir != os.TempDir() || env.Spill == nil {
		t.Fatalf("NewEnv: budget %v, temp dir %q, spill %v", env.Budget, env.TempDir, env.Spill)
	}
	if NewEnv(nil).Budget != nil {
		t.Error("NewEnv(nil) has a budget")
	}
	if (&Env{}).SpillDir() != os.TempDir() || (&Env{TempDir: "/x"}).SpillDir() != "/x" {
		t.Error("SpillDir")
	}
	if (&Env{}).ShouldSpill() {
		t.Error("an Env without a budget spills")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { env.Spill.Add(10) })
	}
	wg.Wait()
	if env.Spill.Bytes() != 80 || env.Spill.Files() != 8 {
		t.Errorf("stats: %d bytes, %d files", env.Spill.Bytes(), env.Spill.Files())
	}
	var nilStats *SpillStats
	nilStats.Add(5)
	if nilStats.Bytes() != 0 || nilStats.Files() != 0 {
		t.Error("nil stats count")
	}
}

type spilling struct {
	*MemorySource
}

func (spilling) SpilledBytes() int64 { return 1234 }
func (spilling) SpillFiles() int64   { return 3 }

func TestMeteredShowsSpill(t *testing.T) {
	src := NewMemorySource(arrow.NewSchema(nil, nil), nil)
	m := NewMetered(spilling{src})
	if s := m.String(); !strings.Contains(s, "spilled=1234 bytes in 3 files") {
		t.Errorf("String() = %q", s)
	}
	if m.SpilledBytes() != 1234 || m.SpillFiles() != 3 {
		t.Error("Metered does not forward the spill counts")
	}
	plain := NewMetered(src)
	if strings.Contains(plain.String(), "spilled") || plain.SpilledBytes() != 0 || plain.SpillFiles() != 0 {
		t.Errorf("no spill: %q", plain.String())
	}
}

func TestBudgetCountsHeldMemory(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	b := NewBudget(memory.NewGoAllocator(), 1000, cancel)
	h := NewHeld(b)
	h.Set(500)
	if b.Used() != 500 || b.ShouldSpill() {
		t.Fatalf("used %d, spill %v", b.Used(), b.ShouldSpill())
	}
	h.Set(700) // grows by 200, not 700
	if b.Used() != 700 || !b.ShouldSpill() || ctx.Err() != nil {
		t.Fatalf("used %d, spill %v, cancelled %v", b.Used(), b.ShouldSpill(), ctx.Err())
	}
	h2 := NewHeld(b)
	h2.Set(400)
	if !errors.Is(context.Cause(ctx), ErrMemoryLimit) {
		t.Errorf("held memory past the limit did not cancel: cause %v", context.Cause(ctx))
	}
	h.Set(0)
	h2.Set(0)
	if b.Used() != 0 || b.Peak() != 1100 {
		t.Errorf("used %d, peak %d", b.Used(), b.Peak())
	}
	var none Held
	none.Set(1 << 40) // counts nothing, no panic
	if none.Bytes() != 0 {
		t.Errorf("a zero Held counted %d", none.Bytes())
	}
}

// A Budget over a Pool counts what the pool's buffers take (their size
// rounded up to a power of two, 8192 bytes for 5000) and the free buffers
// the pool keeps, so that the spill threshold sees the memory as it is.
func TestBudgetCountsPoolCapacity(t *testing.T) {
	pool := NewPool(0)
	b := NewBudget(pool, 100000, nil)
	buf := b.Allocate(5000)
	if b.Used() != 8192 {
		t.Errorf("used %d after allocating 5000 bytes from a pool, want 8192", b.Used())
	}
	buf = b.Reallocate(6000, buf) // fits the 8192 bytes it has
	if b.Used() != 8192 {
		t.Errorf("used %d after growing in place, want 8192", b.Used())
	}
	b.Free(buf)
	if b.Used() != 0 {
		t.Errorf("used %d after freeing, want 0", b.Used())
	}
	// The pool now keeps 8192 free bytes: a threshold of 8000 is passed.
	b.SetSpillThreshold(8000)
	if !b.ShouldSpill() {
		t.Errorf("no spill with the pool keeping %d free bytes over a threshold of 8000", pool.Held())
	}
}
