package exec_test

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
)

func TestCoalesceKeepsEveryRowOnce(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	var parts [][]arrow.RecordBatch
	want := map[int64]bool{}
	for p := 0; p < 7; p++ {
		var bs []arrow.RecordBatch
		for b := 0; b < p%3; b++ { // some partitions are empty
			rows := [][]any{{int64(p*100 + b*10)}, {int64(p*100 + b*10 + 1)}}
			want[int64(p*100+b*10)], want[int64(p*100+b*10+1)] = true, true
			bs = append(bs, exectest.Batch(mem, schema, rows))
		}
		parts = append(parts, bs)
	}
	src := exec.NewMemorySource(schema, parts)
	defer src.Release()
	for _, bs := range parts {
		exec.ReleaseAll(bs) // the source holds its own references
	}
	for _, n := range []int{1, 3, 7, 20} {
		c := exec.NewCoalesce(src, n)
		if c.Partitions() != min(n, 7) {
			t.Fatalf("coalesce(%d) has %d partitions", n, c.Partitions())
		}
		got := map[int64]bool{}
		for _, r := range exectest.Rows(t, c) {
			v := r[0].(int64)
			if got[v] {
				t.Fatalf("coalesce(%d): row %d twice", n, v)
			}
			got[v] = true
		}
		if len(got) != len(want) {
			t.Fatalf("coalesce(%d): %d rows, want %d", n, len(got), len(want))
		}
	}
}
