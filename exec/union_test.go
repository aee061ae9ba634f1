package exec_test

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
)

// Each partition of a union reads its own child's partition, whatever the
// children's partition counts; the rows come out in order.
func TestUnionMapsPartitionsToChildren(t *testing.T) {
	mem := exectest.Alloc(t)
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	var children []exec.Operator
	var want []int64
	v := int64(0)
	// Partition counts 2, 1, 3, 1, 4: every child's partitions numbered on.
	for _, parts := range []int{2, 1, 3, 1, 4} {
		ps := make([][]arrow.RecordBatch, parts)
		for p := range ps {
			b := exectest.Batch(mem, schema, [][]any{{v}})
			ps[p] = []arrow.RecordBatch{b}
			want = append(want, v)
			v++
		}
		src := exec.NewMemorySource(schema, ps)
		t.Cleanup(src.Release)
		for _, bs := range ps {
			exec.ReleaseAll(bs)
		}
		children = append(children, src)
	}
	u, err := exec.NewUnion(schema, children...)
	if err != nil {
		t.Fatal(err)
	}
	if u.Partitions() != len(want) {
		t.Fatalf("%d partitions, want %d", u.Partitions(), len(want))
	}
	rows := exectest.Rows(t, u)
	if got, w := fmt.Sprint(rows), fmt.Sprint(want); len(rows) != len(want) {
		t.Fatalf("rows %s, want %s", got, w)
	}
	for i, r := range rows {
		if r[0].(int64) != want[i] {
			t.Fatalf("row %d: %v, want %d", i, r, want[i])
		}
	}
	if _, err := u.Execute(t.Context(), len(want)); err == nil {
		t.Error("partition past the end: no error")
	}
}
