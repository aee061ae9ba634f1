package planner

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestFunctionRegistry(t *testing.T) {
	r := Builtins()
	d, ok := r.Lookup("SUBSTR")
	if !ok || d.Name != "substring" {
		t.Fatalf("substr must be an alias of substring, got %v %v", d, ok)
	}
	names := r.Names()
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Fatalf("names not sorted and unique at %q, %q", names[i-1], names[i])
		}
	}
	s := &Attribute{ID: 1, Name: "s", Type: arrow.BinaryTypes.String}
	n := &Attribute{ID: 2, Name: "n", Type: arrow.PrimitiveTypes.Int64}
	for _, c := range []struct {
		f    *Func
		want string
	}{
		{&Func{Name: "uper", Args: []Expr{s}}, "unknown function uper; did you mean upper?"},
		{&Func{Name: "upper", Args: []Expr{s, s}}, "function upper takes 1 argument(s), got 2"},
		{&Func{Name: "substring", Args: []Expr{s}}, "function substring takes 2 to 3 argument(s), got 1"},
		{&Func{Name: "upper", Args: []Expr{n}}, "upper needs a string argument, n has type bigint"},
	} {
		_, err := typeFunc(c.f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.f, err, c.want)
		}
	}
	typed, err := typeFunc(&Func{Name: "LOWER", Args: []Expr{s}})
	if err != nil || typed.DataType().ID() != arrow.STRING || typed.(*Func).Name != "lower" {
		t.Fatalf("lower(s): %v %v", typed, err)
	}
}

func TestAggregateNamesAllResolve(t *testing.T) {
	for _, n := range AggregateNames() {
		if _, ok := LookupAggregate(n); !ok {
			t.Errorf("AggregateNames lists %s, which LookupAggregate does not know", n)
		}
		if _, ok := Builtins().Lookup(n); ok {
			t.Errorf("%s is both an aggregate and a scalar function", n)
		}
	}
}

func TestConstantFoldingLeavesNondeterministicCalls(t *testing.T) {
	call, err := typeFunc(&Func{Name: "rand", Args: []Expr{lit(int64(11), arrow.PrimitiveTypes.Int64)}})
	if err != nil {
		t.Fatal(err)
	}
	if out, changed := foldExpr(call); changed {
		t.Fatalf("rand(11) was folded to %s", out)
	}
	if out, changed := foldExpr(&Func{Name: "abs", Args: []Expr{lit(int64(-3), arrow.PrimitiveTypes.Int64)}, Type: arrow.PrimitiveTypes.Int64}); !changed || out.(*Literal).Value != int64(3) {
		t.Fatalf("abs(-3) should fold to 3, got %v", out)
	}
}
