package optimizer

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// Rule is a named plan rewrite. Apply returns the rewritten plan and whether
// it changed anything; the plan's output schema must not change.
type Rule struct {
	Name  string
	Apply func(logical.Plan) (logical.Plan, bool, error)
}

// DefaultRules are the optimizer rules in the order they run in each pass.
func DefaultRules() []Rule {
	return []Rule{
		ConstantFolding(),
		CombineFilters(),
		FactorDisjunctions(),
		PushDownPredicates(),
		ReorderJoins(),
		PushDownSemiJoins(),
		LimitPushdown(),
		ColumnPruning(),
	}
}

// maxPasses bounds the fixpoint iteration.
const maxPasses = 100

// Optimizer runs rules to a fixpoint.
type Optimizer struct {
	// Once are rules applied once, before the passes of Rules.
	Once  []Rule
	Rules []Rule
	// Fired counts how often each rule changed the plan in the last run.
	Fired map[string]int
}

// NewOptimizer returns an optimizer with the default rules.
func NewOptimizer() *Optimizer {
	return &Optimizer{Once: []Rule{InferDisjunctionFilters()}, Rules: DefaultRules()}
}

// Optimize applies the rules pass after pass until none changes the plan.
func (o *Optimizer) Optimize(p logical.Plan) (logical.Plan, error) {
	o.Fired = map[string]int{}
	want := logical.Schema(p)
	for _, r := range o.Once {
		np, changed, err := r.Apply(p)
		if err != nil {
			return nil, fmt.Errorf("optimizer rule %s: %w", r.Name, err)
		}
		if changed {
			o.Fired[r.Name]++
			p = np
		}
	}
	for pass := 0; pass < maxPasses; pass++ {
		changedAny := false
		for _, r := range o.Rules {
			np, changed, err := r.Apply(p)
			if err != nil {
				return nil, fmt.Errorf("optimizer rule %s: %w", r.Name, err)
			}
			if !changed {
				continue
			}
			if got := logical.Schema(np); !sameColumns(want, got) {
				return nil, fmt.Errorf("optimizer rule %s changed the plan's schema from %s to %s", r.Name, want, got)
			}
			o.Fired[r.Name]++
			p = np
			changedAny = true
		}
		if !changedAny {
			return p, nil
		}
	}
	return p, nil
}

func sameColumns(a, b *arrow.Schema) bool {
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i := range a.Fields() {
		fa, fb := a.Field(i), b.Field(i)
		if fa.Name != fb.Name || !arrow.TypeEqual(fa.Type, fb.Type) {
			return false
		}
	}
	return true
}
