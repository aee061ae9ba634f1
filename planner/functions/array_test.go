package functions

import (
	"testing"

	"github.com/gspark/gspark/planner/logical"
)

// call types name(args...) through the registry, failing the test on error.
func call(t *testing.T, name string, args ...logical.Expr) logical.Expr {
	t.Helper()
	e, err := TypeFunc(&logical.Func{Name: name, Args: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return e
}
