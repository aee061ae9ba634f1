package sql

import (
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

func TestParseExpression(t *testing.T) {
	e, err := ParseExpression("id < 10")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.(*logical.Alias); ok {
		t.Fatalf("no alias was written: %v", e)
	}
	e, err = ParseExpression("sum(x) AS total")
	if err != nil {
		t.Fatal(err)
	}
	a, ok := e.(*logical.Alias)
	if !ok || a.Name != "total" {
		t.Fatalf("got %#v, want an alias named total", e)
	}
	if _, ok := a.E.(*logical.AggregateCall); !ok {
		t.Fatalf("sum(x) parsed as %T, want an aggregate call", a.E)
	}
	if _, err := ParseExpression("a b c"); err == nil {
		t.Fatal("trailing text accepted")
	}
}
