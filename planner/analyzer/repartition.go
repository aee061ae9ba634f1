package analyzer

import (
	"github.com/gspark/gspark/planner/logical"
)

func (a *Analyzer) resolveRepartition(n *logical.Repartition) (logical.Plan, error) {
	if n.N < 1 {
		return nil, logical.AnalysisErr("repartition needs at least one partition, got %d", n.N)
	}
	keys := make([]logical.Expr, len(n.Keys))
	for i, k := range n.Keys {
		r, err := a.resolveExpr(k, n.Child.Output(), "Repartition")
		if err != nil {
			return nil, err
		}
		if al, ok := r.(*logical.Alias); ok {
			r = al.E
		}
		keys[i] = r
	}
	out := *n
	out.Keys = keys
	return &out, nil
}
