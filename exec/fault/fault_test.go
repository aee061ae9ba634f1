package fault

import (
	"errors"
	"fmt"
	"testing"
)

func TestInternalErrorNamesFunctionAndOperator(t *testing.T) {
	err := error(InFunc("boom", "UDF f(x)"))
	if got := err.Error(); got != "internal error in UDF f(x): boom" {
		t.Errorf("function only: %q", got)
	}
	wrapped := fmt.Errorf("context: %w", err)
	named := WithOp(wrapped, "Project [f(x)]")
	if got := named.Error(); got != "internal error in UDF f(x) in Project [f(x)]: boom" {
		t.Errorf("with operator: %q", got)
	}
	var ie *InternalError
	if !errors.As(err, &ie) || ie.Op != "" {
		t.Errorf("WithOp changed the original error: %+v", ie)
	}
	// An operator already named stays; other errors pass through.
	if again := WithOp(named, "Sort"); again != named {
		t.Errorf("renamed: %v", again)
	}
	plain := errors.New("plain")
	if WithOp(plain, "Sort") != plain || WithOp(nil, "Sort") != nil {
		t.Error("WithOp changed an error that is not internal")
	}
	if !errors.Is(named, ErrInternal) {
		t.Error("not ErrInternal")
	}
	if New(err, "x") != err {
		t.Error("New wrapped an internal error again")
	}
}
