package logical

import (
	"errors"
	"fmt"
)

// ErrPlanTooLarge marks a query refused before analysis because its
// expressions pass a planning limit (Limits).
var ErrPlanTooLarge = errors.New("query too large to plan")

// The default planning limits: far above any query written by hand, low
// enough that analysis, optimization and the recursive walks over a
// left-deep expression (1 + 1 + … + 1) stay within memory and stack.
const (
	DefaultMaxExpressionNodes = 1_000_000
	DefaultMaxExpressionDepth = 200_000
)

// Limits bounds the size of a query the planner accepts. A zero field
// stands for its default.
type Limits struct {
	// MaxExpressionNodes bounds the number of expression nodes of the
	// whole query, subqueries included.
	MaxExpressionNodes int
	// MaxExpressionDepth bounds the nesting of one expression (a chain
	// a + b + c nests one level per operator).
	MaxExpressionDepth int
	// NodesSetting and DepthSetting name the settings that raise the
	// limits, for the error message ("" leaves them out).
	NodesSetting, DepthSetting string
}

// CheckLimits walks p, its expressions and the plans of their subqueries
// without recursion, and returns an error wrapping ErrPlanTooLarge as soon
// as a limit of l is passed; the error names the limit and how to raise it.
func CheckLimits(p Plan, l Limits) error {
	maxNodes, maxDepth := l.MaxExpressionNodes, l.MaxExpressionDepth
	if maxNodes <= 0 {
		maxNodes = DefaultMaxExpressionNodes
	}
	if maxDepth <= 0 {
		maxDepth = DefaultMaxExpressionDepth
	}
	type item struct {
		e     Expr
		depth int
	}
	plans := []Plan{p}
	var exprs []item
	nodes := 0
	for len(plans) > 0 {
		n := plans[len(plans)-1]
		plans = plans[:len(plans)-1]
		plans = append(plans, n.Children()...)
		for _, e := range n.Expressions() {
			exprs = append(exprs[:0], item{e, 1})
			for len(exprs) > 0 {
				it := exprs[len(exprs)-1]
				exprs = exprs[:len(exprs)-1]
				nodes++
				if nodes > maxNodes {
					return limitErr(fmt.Sprintf("more than %d expression nodes", maxNodes), l.NodesSetting)
				}
				if it.depth > maxDepth {
					return limitErr(fmt.Sprintf("an expression nested more than %d levels deep", maxDepth), l.DepthSetting)
				}
				if s, ok := it.e.(*Subquery); ok && s.Plan != nil {
					plans = append(plans, s.Plan)
				}
				for _, c := range it.e.Children() {
					exprs = append(exprs, item{c, it.depth + 1})
				}
			}
		}
	}
	return nil
}

func limitErr(what, setting string) error {
	if setting == "" {
		return fmt.Errorf("%w: %s", ErrPlanTooLarge, what)
	}
	return fmt.Errorf("%w: %s (the limit is the setting %s; simplify the query, e.g. an IN list as a join with a table of values, or raise the limit with SET %s=<n>)", ErrPlanTooLarge, what, setting, setting)
}
