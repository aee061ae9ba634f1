package aggregate_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exectest"
)

// With a spill threshold of 0 the final aggregations write their groups to
// disk and aggregate them file by file: same answers as the reference, bytes
// spilled, no file left.
func TestSpillingFinalAggregation(t *testing.T) {
	groupings := [][]int{{0}, {0, 1}, {2, 1}, {7, 8}, {4}}
	for _, parts := range exectest.PartitionCounts(1, 3) {
		for _, groups := range groupings {
			t.Run(fmt.Sprintf("p%d_g%v", parts, groups), func(t *testing.T) {
				mem := exectest.Alloc(t)
				budget := exec.NewBudget(mem, 0, nil)
				budget.SetSpillThreshold(0)
				env := exec.NewEnv(budget)
				env.BatchSize = 5
				env.TempDir = t.TempDir()
				r := rand.New(rand.NewPCG(uint64(parts), uint64(len(groups))+7))
				src, rows := source(t, env, r, parts, 8)
				op := plan(t, env, src, groups, allSpecs)
				got := rowStrings(exectest.Rows(t, op))
				want := reference(rows, groups, allSpecs)
				if len(got) != len(want) {
					t.Fatalf("got %d groups, want %d", len(got), len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("row %d:\n got %s\nwant %s", i, got[i], want[i])
					}
				}
				if sp, ok := op.(exec.Spiller); !ok || sp.SpilledBytes() == 0 {
					t.Fatalf("the final aggregation did not spill")
				}
				if left, _ := os.ReadDir(env.TempDir); len(left) != 0 {
					t.Fatalf("%d spill files left", len(left))
				}
			})
		}
	}
}

// A stream closed before it is drained removes its files too.
func TestSpillingAggregationClosedEarly(t *testing.T) {
	mem := exectest.Alloc(t)
	budget := exec.NewBudget(mem, 0, nil)
	budget.SetSpillThreshold(0)
	env := exec.NewEnv(budget)
	env.BatchSize = 5
	env.TempDir = t.TempDir()
	src, _ := source(t, env, rand.New(rand.NewPCG(1, 2)), 1, 8)
	op := plan(t, env, src, []int{0}, []aggregate.Spec{{Func: aggregate.Count, Input: 1, Name: "n"}})
	s, err := op.Execute(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Next()
	if err != nil {
		t.Fatal(err)
	}
	b.Release()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(env.TempDir); len(left) != 0 {
		t.Fatalf("%d spill files left after an early close", len(left))
	}
}
