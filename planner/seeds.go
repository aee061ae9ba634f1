package planner

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
)

// hasSeeded reports whether e calls rand or randn, whose stream depends on
// the partition (Spark seeds partition p with seed+p).
func hasSeeded(es ...Expr) bool {
	found := false
	for _, e := range es {
		Walk(e, func(x Expr) bool {
			if f, ok := x.(*Func); ok && isSeeded(f) {
				found = true
			}
			return !found
		})
	}
	return found
}

func isSeeded(f *Func) bool {
	switch strings.ToLower(f.Name) {
	case "rand", "random", "randn":
		return len(f.Args) == 1
	}
	return false
}

// seededFor returns e with every rand/randn seed moved to seed+p.
func seededFor(e Expr, p int) Expr {
	out, _ := Transform(e, func(x Expr) (Expr, bool) {
		f, ok := x.(*Func)
		if !ok || !isSeeded(f) {
			return x, false
		}
		l, ok := f.Args[0].(*Literal)
		if !ok {
			return x, false
		}
		seed, _ := intValue(l.Value)
		c := *f
		c.Args = []Expr{&Literal{Value: seed + int64(p), Type: arrow.PrimitiveTypes.Int64}}
		return &c, true
	})
	return out
}

// perPartition builds the operator of exprs over ph once per partition of
// ph, with rand/randn seeded per partition, when exprs call them; else once.
func (pp *PhysicalPlanner) perPartition(ph physical, exprs []Expr, build func(exprs []Expr) (exec.Operator, error)) (exec.Operator, error) {
	n := ph.op.Partitions()
	if n <= 1 || !hasSeeded(exprs...) {
		return build(exprs)
	}
	ops := make([]exec.Operator, n)
	for p := range ops {
		es := make([]Expr, len(exprs))
		for i, e := range exprs {
			es[i] = seededFor(e, p)
		}
		op, err := build(es)
		if err != nil {
			return nil, err
		}
		ops[p] = op
	}
	return exec.NewPerPartition(ops)
}
