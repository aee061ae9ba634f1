package logical

import (
	"testing"
)

func TestSuggest(t *testing.T) {
	if s := Suggest("l_quantiy", []string{"l_orderkey", "l_quantity"}); s != "; did you mean l_quantity?" {
		t.Errorf("Suggest(l_quantiy) = %q", s)
	}
	if s := Suggest("zzzzzz", []string{"l_quantity"}); s != "" {
		t.Errorf("far names should not be suggested: %q", s)
	}
}
