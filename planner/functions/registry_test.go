package functions

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
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
	s := &logical.Attribute{ID: 1, Name: "s", Type: arrow.BinaryTypes.String}
	n := &logical.Attribute{ID: 2, Name: "n", Type: arrow.PrimitiveTypes.Int64}
	for _, c := range []struct {
		f    *logical.Func
		want string
	}{
		{&logical.Func{Name: "uper", Args: []logical.Expr{s}}, "unknown function uper; did you mean upper?"},
		{&logical.Func{Name: "upper", Args: []logical.Expr{s, s}}, "function upper takes 1 argument(s), got 2"},
		{&logical.Func{Name: "substring", Args: []logical.Expr{s}}, "function substring takes 2 to 3 argument(s), got 1"},
		{&logical.Func{Name: "upper", Args: []logical.Expr{n}}, "upper needs a string argument, n has type bigint"},
	} {
		_, err := TypeFunc(c.f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.f, err, c.want)
		}
	}
	typed, err := TypeFunc(&logical.Func{Name: "LOWER", Args: []logical.Expr{s}})
	if err != nil || typed.DataType().ID() != arrow.STRING || typed.(*logical.Func).Name != "lower" {
		t.Fatalf("lower(s): %v %v", typed, err)
	}
}

func TestAggregateNamesAllResolve(t *testing.T) {
	for _, n := range logical.AggregateNames() {
		if _, ok := logical.LookupAggregate(n); !ok {
			t.Errorf("AggregateNames lists %s, which LookupAggregate does not know", n)
		}
		if _, ok := Builtins().Lookup(n); ok {
			t.Errorf("%s is both an aggregate and a scalar function", n)
		}
	}
}
