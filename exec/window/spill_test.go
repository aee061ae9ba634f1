package window

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	xsort "github.com/gspark/gspark/exec/sort"
)

// spillRows is randRows with few partition values, so that window
// partitions span many batches: p in 0..2 or null, order keys with many ties.
func spillRows(r *rand.Rand, n int) [][]any {
	rows := randRows(r, n)
	for _, row := range rows {
		if row[1] != nil {
			row[1] = row[1].(int64) % 3
		}
	}
	return rows
}

// streamSpecs are the functions and frames a window partition too big for
// memory is evaluated with from disk.
func streamSpecs(def arrow.Array, ordered bool) []Spec {
	ub := Bound{Kind: UnboundedPreceding}
	uf := Bound{Kind: UnboundedFollowing}
	cur := Bound{Kind: CurrentRow}
	frames := []Frame{{Start: ub, End: cur}, {Start: ub, End: uf}}
	specs := []Spec{{Func: RowNumber}, {Func: Ntile, N: 3}, {Func: Ntile, N: 700},
		{Func: Lag, Input: 3, N: 1}, {Func: Lag, Input: 5, N: 2}, {Func: Lag, Input: 3, N: 50, Default: def}}
	if ordered {
		specs = append(specs, Spec{Func: Rank}, Spec{Func: DenseRank}, Spec{Func: PercentRank}, Spec{Func: CumeDist})
		frames = append(frames, DefaultFrame(true), Frame{Range: true, Start: ub, End: uf})
	}
	for _, f := range frames {
		specs = append(specs,
			Spec{Func: FirstValue, Input: 3, Frame: f}, Spec{Func: FirstValue, Input: 3, Frame: f, IgnoreNulls: true},
			Spec{Func: LastValue, Input: 5, Frame: f}, Spec{Func: LastValue, Input: 5, Frame: f, IgnoreNulls: true},
			Spec{Func: Count, Input: 3, Frame: f}, Spec{Func: CountStar, Frame: f},
			Spec{Func: Sum, Input: 3, Frame: f}, Spec{Func: Sum, Input: 4, Frame: f},
			Spec{Func: Avg, Input: 3, Frame: f}, Spec{Func: Avg, Input: 4, Frame: f},
			Spec{Func: Min, Input: 5, Frame: f}, Spec{Func: Max, Input: 4, Frame: f},
			Spec{Func: Min, Input: 3, Frame: f}, Spec{Func: Max, Input: 5, Frame: f})
	}
	return specs
}

// otherSpecs need whole partitions in memory.
func otherSpecs(def arrow.Array) []Spec {
	f := Frame{Start: Bound{Kind: Preceding, Offset: 2}, End: Bound{Kind: Following, Offset: 1}}
	return []Spec{{Func: Lead, Input: 3, N: 2, Default: def}, {Func: NthValue, Input: 4, N: 2, Frame: f},
		{Func: Sum, Input: 4, Frame: f}, {Func: Min, Input: 5, Frame: f}}
}

// runWindow evaluates specs over rows in one partition and returns the
// output rows by id, and what the operator spilled.
func runWindow(t *testing.T, env *exec.Env, rows [][]any, partCols []int, order []xsort.Key, specs []Spec) (map[int64][]any, int64, int64) {
	t.Helper()
	r := rand.New(rand.NewPCG(5, 6))
	src, _ := source(r, env.Mem, rows, 1, false)
	defer src.Release()
	op, err := New(env, src, partCols, order, specs)
	if err != nil {
		t.Fatal(err)
	}
	got := exectest.Rows(t, op)
	if len(got) != len(rows) {
		t.Fatalf("got %d rows, want %d", len(got), len(rows))
	}
	byID := make(map[int64][]any, len(got))
	for _, row := range got {
		byID[row[0].(int64)] = row
	}
	sp, ok := op.(exec.Spiller)
	if !ok {
		t.Fatal("the window operator does not report its spilling")
	}
	return byID, op.(*windowOp).stats.Files(), sp.SpillFiles()
}

// TestSpillMatchesInMemory evaluates every window function and frame kind
// with a spill threshold of 0, so that every window partition spanning more
// than one batch goes through disk, and without a budget, and compares the
// results row by row.
func TestSpillMatchesInMemory(t *testing.T) {
	orders := [][]xsort.Key{
		{{Col: 2, NullsFirst: true}},
		{{Col: 2}, {Col: 4, Desc: true, NullsFirst: true}},
		{{Col: 4, Desc: true}},
		nil,
	}
	n := 0
	for _, partCols := range [][]int{{1}, nil} {
		for oi, order := range orders {
			for _, kind := range []string{"stream", "memory"} {
				if n++; !exectest.Sampled(n, 2) {
					continue
				}
				t.Run(fmt.Sprintf("pcols=%v/order=%d/%s", partCols, oi, kind), func(t *testing.T) {
					mem := exectest.Alloc(t)
					def := func() arrow.Array {
						b := array.NewInt64Builder(memory.DefaultAllocator)
						defer b.Release()
						b.Append(99)
						return b.NewArray()
					}()
					specs := streamSpecs(def, order != nil)
					if kind == "memory" {
						specs = append(specs, otherSpecs(def)...)
					}
					rows := spillRows(rand.New(rand.NewPCG(uint64(oi), 9)), 2500)
					want, _, _ := runWindow(t, &exec.Env{Mem: mem, BatchSize: 37}, rows, partCols, order, specs)
					b := exec.NewBudget(mem, 0, nil)
					b.SetSpillThreshold(0)
					dir := t.TempDir()
					got, files, all := runWindow(t, &exec.Env{Mem: b, Budget: b, BatchSize: 37, TempDir: dir}, rows, partCols, order, specs)
					if kind == "stream" && files == 0 {
						t.Fatal("no window partition was spilled")
					}
					if order != nil && all <= files {
						t.Fatalf("the window reports %d spill files, its own %d: the sort's are missing", all, files)
					}
					if kind == "memory" && files != 0 {
						t.Fatalf("%d window partitions spilled with functions that cannot stream", files)
					}
					for id, w := range want {
						g := got[id]
						for i := range w {
							if !exactValue(g[i], w[i]) {
								sp := Spec{}
								if i >= 6 {
									sp = specs[i-6]
								}
								t.Fatalf("id %d column %d %s (frame %s): got %v, want %v", id, i, sp.Func, sp.Frame, g[i], w[i])
							}
						}
					}
					if left, _ := os.ReadDir(dir); len(left) != 0 {
						t.Errorf("%d spill files left", len(left))
					}
					if b.Used() != 0 {
						t.Errorf("budget holds %d bytes after the query", b.Used())
					}
				})
			}
		}
	}
}

// exactValue reports whether a and b are the same value; floats must have
// the same bits (or both be NaN): streaming must sum in the same order.
func exactValue(a, b any) bool {
	if x, ok := a.(float64); ok {
		y, ok := b.(float64)
		return ok && (math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y))
	}
	return a == b
}

// TestSpillMemoryLimit checks that a window partition bigger than the memory
// limit fails with a memory-limit error naming the function that cannot
// stream, rather than growing past the limit.
func TestSpillMemoryLimit(t *testing.T) {
	mem := exectest.Alloc(t)
	rows := spillRows(rand.New(rand.NewPCG(3, 4)), 20000)
	r := rand.New(rand.NewPCG(5, 6))
	src, _ := source(r, mem, rows, 1, false)
	defer src.Release()
	b := exec.NewBudget(mem, 1<<20, nil)
	env := &exec.Env{Mem: b, Budget: b, BatchSize: 256, TempDir: t.TempDir()}
	op, err := New(env, src, nil, []xsort.Key{{Col: 0}}, []Spec{{Func: RowNumber}, {Func: Lead, Input: 3, N: 1}})
	if err != nil {
		t.Fatal(err)
	}
	bs, err := exec.Collect(t.Context(), op)
	exec.ReleaseAll(bs)
	if !errors.Is(err, exec.ErrMemoryLimit) || !strings.Contains(err.Error(), "memory limit exceeded in window lead") {
		t.Fatalf("got error %v, want a memory limit error naming lead", err)
	}
}
