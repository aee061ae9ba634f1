package exec_test

import (
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/exec/expr"
)

func TestExpandEmitsEveryProjectionOfEveryBatch(t *testing.T) {
	mem := exectest.Alloc(t)
	env := exec.NewEnv(mem)
	i64 := arrow.PrimitiveTypes.Int64
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: i64, Nullable: true}}, nil)
	b1 := exectest.Batch(mem, schema, [][]any{{1}, {nil}})
	b2 := exectest.Batch(mem, schema, [][]any{{3}})
	empty := exectest.Batch(mem, schema, nil)
	src := exec.NewMemorySource(schema, [][]arrow.RecordBatch{{b1, empty}, {b2}})
	b1.Release()
	b2.Release()
	empty.Release()
	defer src.Release()
	null, err := expr.Literal(nil, i64)
	if err != nil {
		t.Fatal(err)
	}
	zero, _ := expr.Literal(int64(0), i64)
	one, _ := expr.Literal(int64(1), i64)
	col := expr.Column(0, "a", i64)
	e := exec.NewExpand(env, src, [][]expr.Expr{{col, zero}, {null, one}}, []string{"a", "gid"}, []arrow.DataType{i64, i64}, []bool{true, false})
	got := exectest.Rows(t, e)
	want := [][]any{{int64(1), int64(0)}, {nil, int64(0)}, {nil, int64(1)}, {nil, int64(1)}, {int64(3), int64(0)}, {nil, int64(1)}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestPerPartitionChecksItsOperators(t *testing.T) {
	if _, err := exec.NewPerPartition(nil); err == nil {
		t.Fatal("no operators should be an error")
	}
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64}}, nil)
	src := exec.NewMemorySource(schema, [][]arrow.RecordBatch{nil, nil})
	defer src.Release()
	if _, err := exec.NewPerPartition([]exec.Operator{src}); err == nil {
		t.Fatal("one operator for two partitions should be an error")
	}
}
