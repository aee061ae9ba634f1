package aggregate_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exectest"
)

func TestHLLAccuracy(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 4096}
	s := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	const distinct = 100000
	const parts = 7
	ps := make([][]arrow.RecordBatch, parts)
	for p := range ps {
		ib := array.NewInt64Builder(mem)
		sb := array.NewStringBuilder(mem)
		// Every value twice, in two different partitions.
		for v := p; v < 2*distinct; v += parts {
			ib.Append(int64(v % distinct))
			sb.Append("value-" + strconv.Itoa(v%distinct))
		}
		ia, sa := ib.NewArray(), sb.NewArray()
		ps[p] = []arrow.RecordBatch{array.NewRecordBatch(s, []arrow.Array{ia, sa}, int64(ia.Len()))}
		ia.Release()
		sa.Release()
		ib.Release()
		sb.Release()
	}
	src := exec.NewMemorySource(s, ps)
	for _, p := range ps {
		exec.ReleaseAll(p)
	}
	defer src.Release()
	specs := []aggregate.Spec{
		{Func: aggregate.ApproxCountDistinct, Input: 0, Name: "ai"},
		{Func: aggregate.ApproxCountDistinct, Input: 1, Name: "as"},
	}
	got := exectest.Rows(t, planOver(t, env, src, s, nil, specs))
	for j, sp := range specs {
		n := got[0][j].(int64)
		if rel := math.Abs(float64(n)-distinct) / distinct; rel > 3*0.05 {
			t.Errorf("%s = %d, relative error %.3f", sp.Name, n, rel)
		} else {
			t.Logf("%s = %d, relative error %.4f", sp.Name, n, rel)
		}
	}
}
