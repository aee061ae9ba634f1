package physical

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/planner/logical"
)

// hasSeeded reports whether e calls rand or randn, whose stream depends on
// the partition (Spark seeds partition p with seed+p).
func hasSeeded(es ...logical.Expr) bool {
	found := false
	for _, e := range es {
		logical.Walk(e, func(x logical.Expr) bool {
			if f, ok := x.(*logical.Func); ok && isSeeded(f) {
				found = true
			}
			return !found
		})
	}
	return found
}

func isSeeded(f *logical.Func) bool {
	switch strings.ToLower(f.Name) {
	case "rand", "random", "randn":
		return len(f.Args) == 1
	}
	return false
}

// seededFor returns e with every rand/randn seed moved to seed+p and the
// partition functions rewritten for partition p (partition_funcs.go).
func seededFor(e logical.Expr, p int) logical.Expr {
	out, _ := logical.Transform(e, func(x logical.Expr) (logical.Expr, bool) {
		f, ok := x.(*logical.Func)
		if ok && isPartitionFunc(f) {
			return partitionFuncFor(f, p), true
		}
		if !ok || !isSeeded(f) {
			return x, false
		}
		l, ok := f.Args[0].(*logical.Literal)
		if !ok {
			return x, false
		}
		seed, _ := logical.IntValue(l.Value)
		c := *f
		c.Args = []logical.Expr{&logical.Literal{Value: seed + int64(p), Type: arrow.PrimitiveTypes.Int64}}
		return &c, true
	})
	return out
}

// perPartition builds the operator of exprs over ph once per partition of
// ph, with rand/randn seeded per partition, when exprs call them; else once.
func (pp *PhysicalPlanner) perPartition(ph physical, exprs []logical.Expr, build func(exprs []logical.Expr) (exec.Operator, error)) (exec.Operator, error) {
	n := ph.op.Partitions()
	// The partition functions are rewritten even for one partition: unlike
	// rand, they cannot be compiled without knowing it.
	if !hasPartitionFunc(exprs...) && (n <= 1 || !hasSeeded(exprs...)) {
		return build(exprs)
	}
	ops := make([]exec.Operator, n)
	for p := range ops {
		es := make([]logical.Expr, len(exprs))
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
