package functions

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

func TestBindNamedArgs(t *testing.T) {
	lit := func(s string) logical.Expr { return &logical.Literal{Value: s, Type: arrow.BinaryTypes.String} }
	str := func(list []logical.Expr) string {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = e.String()
		}
		return strings.Join(parts, ", ")
	}
	got, err := BindNamedArgs("mask", []logical.Expr{lit("s"), &NamedArg{Name: "DIGITCHAR", Value: lit("d")}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "'s', 'X', 'x', 'd'"; str(got) != want {
		t.Errorf("got %s, want %s", str(got), want)
	}
	plain := []logical.Expr{lit("s")}
	if got, err := BindNamedArgs("upper", plain); err != nil || len(got) != 1 {
		t.Errorf("positional call changed: %v %v", got, err)
	}
	for _, bad := range [][]logical.Expr{
		{&NamedArg{Name: "upperChar", Value: lit("u")}},
		{lit("s"), &NamedArg{Name: "nope", Value: lit("u")}},
		{&NamedArg{Name: "str", Value: lit("s")}, lit("u")},
		{lit("s"), lit("a"), lit("b"), lit("c"), lit("d"), lit("e"), &NamedArg{Name: "str", Value: lit("s")}},
	} {
		if _, err := BindNamedArgs("mask", bad); err == nil {
			t.Errorf("mask(%s): want an error", str(bad))
		}
	}
}
