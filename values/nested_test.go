package values

import (
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// testExt is an extension type over struct<a:int,b:string>; withStr selects
// the variant whose arrays implement ValueStr.
type testExt struct {
	arrow.ExtensionBase
	withStr bool
}

func newTestExt(withStr bool) *testExt {
	return &testExt{ExtensionBase: arrow.ExtensionBase{Storage: arrow.StructOf(
		arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true})}, withStr: withStr}
}

func (e *testExt) ArrayType() reflect.Type {
	if e.withStr {
		return reflect.TypeOf(testExtStrArray{})
	}
	return reflect.TypeOf(testExtArray{})
}
func (e *testExt) ExtensionName() string { return "pair" }
func (e *testExt) Serialize() string     { return "" }
func (e *testExt) Deserialize(storage arrow.DataType, data string) (arrow.ExtensionType, error) {
	return newTestExt(e.withStr), nil
}
func (e *testExt) ExtensionEquals(o arrow.ExtensionType) bool {
	x, ok := o.(*testExt)
	return ok && x.withStr == e.withStr
}

type testExtArray struct{ array.ExtensionArrayBase }

type testExtStrArray struct{ array.ExtensionArrayBase }

func (a *testExtStrArray) ValueStr(i int) string { return "pair!" }

func build(t *testing.T, mem memory.Allocator, dt arrow.DataType, vals ...any) arrow.Array {
	t.Helper()
	b := array.NewBuilder(mem, dt)
	defer b.Release()
	for _, v := range vals {
		if err := Append(b, v); err != nil {
			t.Fatal(err)
		}
	}
	return b.NewArray()
}

func TestNestedValueFormatAndTypeName(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	i32, str := arrow.PrimitiveTypes.Int32, arrow.BinaryTypes.String
	st := arrow.StructOf(arrow.Field{Name: "a", Type: i32, Nullable: true}, arrow.Field{Name: "b", Type: str, Nullable: true})
	cases := []struct {
		dt       arrow.DataType
		v        any
		text     string
		typeName string
	}{
		{arrow.ListOf(i32), []any{int32(1), int32(2), nil}, "[1, 2, null]", "array<int>"},
		{arrow.ListOf(arrow.PrimitiveTypes.Float64), []any{1.0, 2.5}, "[1.0, 2.5]", "array<double>"},
		{arrow.ListOf(str), []any{}, "[]", "array<string>"},
		{st, Struct{Names: []string{"a", "b"}, Values: []any{int32(1), "a"}}, "{1, a}", "struct<a:int,b:string>"},
		{st, Struct{Names: []string{"a", "b"}, Values: []any{nil, nil}}, "{null, null}", "struct<a:int,b:string>"},
		{arrow.MapOf(str, i32), Map{Keys: []any{"a", "b"}, Values: []any{int32(1), nil}}, "{a -> 1, b -> null}", "map<string,int>"},
		{arrow.ListOf(arrow.ListOf(st)), []any{[]any{Struct{Names: []string{"a", "b"}, Values: []any{int32(3), "x"}}}, nil, []any{}}, "[[{3, x}], null, []]", "array<array<struct<a:int,b:string>>>"},
		{arrow.FixedSizeListOf(2, i32), []any{int32(4), int32(5)}, "[4, 5]", "array<int>"},
	}
	for _, c := range cases {
		a := build(t, mem, c.dt, c.v, nil)
		if got := Value(a, 0); !reflect.DeepEqual(got, c.v) {
			t.Errorf("%s: value %#v, want %#v", c.dt, got, c.v)
		}
		if Value(a, 1) != nil || Format(a, 1) != "NULL" {
			t.Errorf("%s: a null must be nil and print NULL", c.dt)
		}
		if got := FormatValue(Value(a, 0)); got != c.text {
			t.Errorf("%s: prints %q, want %q", c.dt, got, c.text)
		}
		if got := Format(a, 0); got != c.text {
			t.Errorf("%s: Format %q, want %q", c.dt, got, c.text)
		}
		if got := TypeName(c.dt); got != c.typeName {
			t.Errorf("type name %q, want %q", got, c.typeName)
		}
		a.Release()
	}
	if err := Append(array.NewInt32Builder(mem), "x"); err == nil {
		t.Error("appending a string to an int builder must fail")
	}
}

func TestExtensionValueAndFormat(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, withStr := range []bool{false, true} {
		et := newTestExt(withStr)
		a := build(t, mem, et, []any{int32(7), "q"}, nil)
		want := Struct{Names: []string{"a", "b"}, Values: []any{int32(7), "q"}}
		if got := Value(a, 0); !reflect.DeepEqual(got, want) {
			t.Errorf("extension value %#v, want the storage's %#v", got, want)
		}
		text := "{7, q}"
		if withStr {
			text = "pair!"
		}
		if got := Format(a, 0); got != text {
			t.Errorf("withStr=%v: Format %q, want %q", withStr, got, text)
		}
		if Format(a, 1) != "NULL" || TypeName(et) != "pair" {
			t.Errorf("null %q, type name %q", Format(a, 1), TypeName(et))
		}
		a.Release()
	}
}
