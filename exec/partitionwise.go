package exec

import (
	"context"
	"fmt"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
)

// PartitionWise runs one operator per partition over the matching partitions
// of its inputs: partition p of its output is what build makes of partition p
// of every input, each seen as a one-partition operator. Over inputs
// hash-partitioned by the same keys it is a partitioned (shuffle) join,
// whose per-partition tables build in parallel.
type PartitionWise struct {
	inputs []Operator
	ops    []Operator
	views  [][]*partitionView // per partition, one per input
	label  string
}

// NewPartitionWise builds one operator per partition of inputs, which must
// all have the same number of partitions; each operator built must have one
// partition and the same schema. label prefixes the operator in EXPLAIN.
func NewPartitionWise(label string, inputs []Operator, build func(parts []Operator) (Operator, error)) (*PartitionWise, error) {
	if len(inputs) == 0 {
		return nil, fmt.Errorf("%s: no inputs", label)
	}
	n := inputs[0].Partitions()
	for _, in := range inputs[1:] {
		if in.Partitions() != n {
			return nil, fmt.Errorf("%s: inputs with %d and %d partitions", label, n, in.Partitions())
		}
	}
	pw := &PartitionWise{inputs: inputs, label: label, ops: make([]Operator, n), views: make([][]*partitionView, n)}
	for p := range pw.ops {
		parts := make([]Operator, len(inputs))
		for i, in := range inputs {
			v := &partitionView{op: in, p: p}
			pw.views[p] = append(pw.views[p], v)
			parts[i] = v
		}
		op, err := build(parts)
		if err != nil {
			return nil, err
		}
		if op.Partitions() != 1 {
			return nil, fmt.Errorf("%s: the operator of partition %d has %d partitions, want 1", label, p, op.Partitions())
		}
		if p > 0 && !op.Schema().Equal(pw.ops[0].Schema()) {
			return nil, fmt.Errorf("%s: partitions with different schemas", label)
		}
		pw.ops[p] = op
	}
	return pw, nil
}

// Schema implements Operator.
func (pw *PartitionWise) Schema() *arrow.Schema { return pw.ops[0].Schema() }

// Partitions implements Operator.
func (pw *PartitionWise) Partitions() int { return len(pw.ops) }

// Children implements Operator: the inputs.
func (pw *PartitionWise) Children() []Operator { return pw.inputs }

// String implements Operator: the label and partition 0's operator.
func (pw *PartitionWise) String() string { return pw.label + " " + pw.ops[0].String() }

// Execute implements Operator.
func (pw *PartitionWise) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(pw, p); err != nil {
		return nil, err
	}
	// The inputs run under this stream's context, not under whatever
	// shorter-lived context the operator of the partition reads them with
	// (a join's build ends before its probe): an exchange's run lives as
	// long as the context of its first Execute.
	for _, v := range pw.views[p] {
		v.setContext(ctx)
	}
	return Open(ctx, pw.ops[p], 0)
}

// partitionView shows one partition of an operator as a one-partition operator.
type partitionView struct {
	op  Operator
	p   int
	mu  sync.Mutex
	ctx context.Context // the PartitionWise stream's, set by its Execute
}

func (v *partitionView) setContext(ctx context.Context) {
	v.mu.Lock()
	v.ctx = ctx
	v.mu.Unlock()
}

func (v *partitionView) Schema() *arrow.Schema { return v.op.Schema() }
func (v *partitionView) Partitions() int       { return 1 }
func (v *partitionView) Children() []Operator  { return nil }
func (v *partitionView) String() string        { return fmt.Sprintf("partition %d of %s", v.p, v.op) }
func (v *partitionView) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(v, p); err != nil {
		return nil, err
	}
	v.mu.Lock()
	if v.ctx != nil {
		ctx = v.ctx
	}
	v.mu.Unlock()
	return Open(ctx, v.op, v.p)
}

// Labeled shows an operator under a label in EXPLAIN and is otherwise the
// operator itself: same partitions, children and streams.
type Labeled struct {
	Operator
	label string
}

// NewLabeled prefixes op's line in EXPLAIN with label.
func NewLabeled(label string, op Operator) *Labeled { return &Labeled{Operator: op, label: label} }

// String implements Operator.
func (l *Labeled) String() string { return l.label + " " + l.Operator.String() }

// PerPartition runs, for each partition p of its output, partition p of
// ops[p]: operators that differ only in per-partition details (rand's seed
// is seed+p, as in Spark) over the same child. Every op must have the same
// schema and partition count.
type PerPartition struct {
	ops []Operator
}

// NewPerPartition combines ops, one per partition.
func NewPerPartition(ops []Operator) (*PerPartition, error) {
	if len(ops) == 0 {
		return nil, fmt.Errorf("per-partition operator: no operators")
	}
	if len(ops) != ops[0].Partitions() {
		return nil, fmt.Errorf("per-partition operator: %d operators for %d partitions", len(ops), ops[0].Partitions())
	}
	return &PerPartition{ops: ops}, nil
}

// Schema implements Operator.
func (pp *PerPartition) Schema() *arrow.Schema { return pp.ops[0].Schema() }

// Partitions implements Operator.
func (pp *PerPartition) Partitions() int { return len(pp.ops) }

// Children implements Operator.
func (pp *PerPartition) Children() []Operator { return pp.ops[0].Children() }

// String implements Operator: partition 0's operator.
func (pp *PerPartition) String() string { return pp.ops[0].String() + " (per partition)" }

// Execute implements Operator.
func (pp *PerPartition) Execute(ctx context.Context, p int) (Stream, error) {
	if err := checkPartition(pp, p); err != nil {
		return nil, err
	}
	return Open(ctx, pp.ops[p], p)
}
