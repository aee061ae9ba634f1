package aggregate_test

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	"github.com/gspark/gspark/exec/exectest"
	"github.com/gspark/gspark/values"
)

// vecType is an extension type over struct<n:int,v:array<double>>, the
// shape ML vectors take.
type vecType struct{ arrow.ExtensionBase }

type vecArray struct{ array.ExtensionArrayBase }

func newVecType() *vecType {
	return &vecType{arrow.ExtensionBase{Storage: arrow.StructOf(
		arrow.Field{Name: "n", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "v", Type: arrow.ListOf(arrow.PrimitiveTypes.Float64), Nullable: true})}}
}

func (*vecType) ArrayType() reflect.Type { return reflect.TypeOf(vecArray{}) }
func (*vecType) ExtensionName() string   { return "vec" }
func (*vecType) Serialize() string       { return "" }
func (*vecType) Deserialize(arrow.DataType, string) (arrow.ExtensionType, error) {
	return newVecType(), nil
}
func (*vecType) ExtensionEquals(o arrow.ExtensionType) bool { _, ok := o.(*vecType); return ok }

func TestCollectListOfExtension(t *testing.T) {
	mem := exectest.Alloc(t)
	env := &exec.Env{Mem: mem, BatchSize: 2}
	s := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "v", Type: newVecType(), Nullable: true},
	}, nil)
	vec := func(n int32, xs ...any) any { return values.Struct{Names: []string{"n", "v"}, Values: []any{n, xs}} }
	rows := [][]any{{int64(1), vec(2, 1.0, 2.0)}, {int64(2), nil}, {int64(1), vec(1, 3.0)}, {int64(2), vec(0)}}
	var parts [][]arrow.RecordBatch
	for p := 0; p < 2; p++ {
		rb := array.NewRecordBuilder(mem, s)
		for i, row := range rows {
			if i%2 == p {
				for c, v := range row {
					if err := values.Append(rb.Field(c), v); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		parts = append(parts, []arrow.RecordBatch{rb.NewRecordBatch()})
		rb.Release()
	}
	src := exec.NewMemorySource(s, parts)
	for _, p := range parts {
		exec.ReleaseAll(p)
	}
	defer src.Release()
	spec := []aggregate.Spec{{Func: aggregate.CollectList, Input: 1, Name: "vs"}}
	fin := planOver(t, env, src, s, []int{0}, spec)
	if rt := fin.Schema().Field(1).Type; values.TypeName(rt) != "array<vec>" {
		t.Fatalf("result type %s", values.TypeName(rt))
	}
	got := exectest.Rows(t, fin)
	var res []string
	for _, r := range got {
		var items []string
		for _, x := range r[1].([]any) {
			items = append(items, values.FormatValue(x))
		}
		sort.Strings(items)
		res = append(res, fmt.Sprint(r[0], " ", items))
	}
	sort.Strings(res)
	if fmt.Sprint(res) != "[1 [{1, [3.0]} {2, [1.0, 2.0]}] 2 [{0, []}]]" {
		t.Errorf("got %v", res)
	}
}
