package aggregate_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exectest"
)

// TestPercentileApproxSketchError forces the sketch to compact (accuracy 1
// gives the smallest level capacity, 64) and checks that every answer is an
// input value whose rank is within the documented bound of the exact rank,
// for a global and a grouped aggregate over several partitions.
func TestPercentileApproxSketchError(t *testing.T) {
	const n, parts, capacity = 20000, 3, 64
	r := rand.New(rand.NewPCG(9, 9))
	s := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	perm := r.Perm(n)
	ps := []float64{0, 0.01, 0.25, 0.5, 0.9, 0.999, 1}
	for _, groups := range [][]int{nil, {0}} {
		t.Run(fmt.Sprint(groups), func(t *testing.T) {
			mem := exectest.Alloc(t)
			env := &exec.Env{Mem: mem, BatchSize: 1000}
			batches := make([][]arrow.RecordBatch, parts)
			var rows [][]any
			for i, v := range perm {
				k := int64(0)
				if groups != nil {
					k = int64(v % 2)
				}
				rows = append(rows, []any{k, int64(v)})
				if len(rows) == 997 || i == n-1 {
					p := i % parts
					batches[p] = append(batches[p], exectest.Batch(mem, s, rows))
					rows = nil
				}
			}
			src := exec.NewMemorySource(s, batches)
			for _, b := range batches {
				exec.ReleaseAll(b)
			}
			defer src.Release()
			spec := aggregate.Spec{Func: aggregate.PercentileApproxArray, Input: 1, Name: "p", Percentages: ps, Accuracy: 1}
			got := exectest.Rows(t, planOver(t, env, src, s, groups, []aggregate.Spec{spec}))
			for _, row := range got {
				res := row[len(groups)].([]any)
				// values of a group, in order: 0..n-1 (global) or k, k+2, ... (grouped)
				m, step, first := n, 1, 0
				if groups != nil {
					m, step, first = n/2, 2, int(row[0].(int64))
				}
				levels := math.Ceil(math.Log2(float64(m)/capacity)) + 2
				bound := levels * float64(m) / capacity
				for j, p := range ps {
					v := int(res[j].(int64))
					if (v-first)%step != 0 || v < 0 || v >= n {
						t.Fatalf("p=%v: %d is not an input value of the group", p, v)
					}
					rank := (v-first)/step + 1
					want := max(int(math.Ceil(p*float64(m))), 1)
					if (p == 0 || p == 1) && rank != want {
						t.Errorf("p=%v: rank %d, the extremes must be exact (%d)", p, rank, want)
					}
					if math.Abs(float64(rank-want)) > bound {
						t.Errorf("p=%v: rank %d, exact %d, bound %.0f", p, rank, want, bound)
					}
				}
			}
		})
	}
}
