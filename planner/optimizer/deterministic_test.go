package optimizer

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// TestPushDownPredicatesKeepsNondeterministicAbove checks that a filter on
// an alias of rand() or monotonically_increasing_id() stays above the
// projection that computes it (evaluated below, the call would give other
// values than the ones the projection outputs), while a deterministic
// filter over the same projection moves down.
func TestPushDownPredicatesKeepsNondeterministicAbove(t *testing.T) {
	for _, fn := range []*logical.Func{
		{Name: "rand", Args: []logical.Expr{lit(int64(7), arrow.PrimitiveTypes.Int64)}},
		{Name: "monotonically_increasing_id"},
	} {
		proj := &logical.Project{List: []logical.Expr{col("l_orderkey"), &logical.Alias{E: fn, Name: "r"}},
			Child: &logical.UnresolvedRelation{Name: "lineitem"}}
		p := analyze(t, &logical.Filter{Cond: bin(logical.OpLt, col("r"), i32(3)), Child: proj})
		out, fired := applyRule(t, PushDownPredicates(), p)
		if _, ok := out.(*logical.Filter); fired || !ok {
			t.Errorf("%s: the filter moved:\n%s", fn.Name, logical.Format(out))
		}
		p = analyze(t, &logical.Filter{Cond: bin(logical.OpGt, col("l_orderkey"), i32(3)), Child: proj})
		if out, fired := applyRule(t, PushDownPredicates(), p); !fired {
			t.Errorf("%s: the deterministic filter stayed:\n%s", fn.Name, logical.Format(out))
		}
	}
}
