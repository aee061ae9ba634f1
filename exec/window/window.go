package window

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec"
	"github.com/gspark/gspark/exec/aggregate"
	xsort "github.com/gspark/gspark/exec/sort"
)

// windowOp evaluates window functions over a child whose partitions each hold
// whole window partitions.
type windowOp struct {
	env       *exec.Env
	child     exec.Operator
	partCols  []int
	order     []xsort.Key
	funcs     []Spec
	schema    *arrow.Schema
	sortKeys  []xsort.Key
	rangeKind keyKind
	stats     exec.SpillStats

	mu    sync.Mutex     // guards sorts
	sorts []exec.Spiller // the sorts of the executed partitions
}

// New returns the window operator: every partition of child is sorted by
// (partitionCols, order), and each spec is evaluated per window partition.
// The output is the child's columns, in that order, followed by one column per
// spec. All rows of a window partition must be in the same child partition.
func New(env *exec.Env, child exec.Operator, partitionCols []int, order []xsort.Key, funcs []Spec) (exec.Operator, error) {
	if env == nil || child == nil {
		return nil, errors.New("window: nil env or child")
	}
	if env.BatchSize <= 0 {
		return nil, fmt.Errorf("window: batch size %d", env.BatchSize)
	}
	in := child.Schema()
	n := in.NumFields()
	op := &windowOp{env: env, child: child, partCols: slices.Clone(partitionCols), order: slices.Clone(order), funcs: slices.Clone(funcs)}
	for _, c := range partitionCols {
		if c < 0 || c >= n {
			return nil, fmt.Errorf("window: partition column %d out of range", c)
		}
		op.sortKeys = append(op.sortKeys, xsort.Key{Col: c, NullsFirst: true})
	}
	for _, k := range order {
		if k.Col < 0 || k.Col >= n {
			return nil, fmt.Errorf("window: order column %d out of range", k.Col)
		}
	}
	op.sortKeys = append(op.sortKeys, order...)
	fields := slices.Clone(in.Fields())
	for i, sp := range funcs {
		var it arrow.DataType
		if sp.Func.NeedsInput() {
			if sp.Input < 0 || sp.Input >= n {
				return nil, fmt.Errorf("window %s %s: input column %d out of range", sp.Name, sp.Func, sp.Input)
			}
			it = in.Field(sp.Input).Type
		}
		var rt arrow.DataType
		var err error
		if sp.Func == Agg {
			rt, err = aggResultType(sp, in)
		} else {
			rt, err = ResultType(sp.Func, it)
		}
		if err != nil {
			return nil, fmt.Errorf("window %s: %w", sp.Name, err)
		}
		switch sp.Func {
		case Ntile, NthValue:
			if sp.N <= 0 {
				return nil, fmt.Errorf("window %s: %s needs a positive argument, got %d", sp.Name, sp.Func, sp.N)
			}
		case Lag, Lead:
			if sp.Default != nil && (sp.Default.Len() != 1 || !arrow.TypeEqual(sp.Default.DataType(), it)) {
				return nil, fmt.Errorf("window %s: %s default must be one value of type %s", sp.Name, sp.Func, it)
			}
		}
		if sp.Func.UsesFrame() {
			if err := op.checkFrame(sp.Frame); err != nil {
				return nil, fmt.Errorf("window %s: %w", sp.Name, err)
			}
		}
		name := sp.Name
		if name == "" {
			name = fmt.Sprintf("_w%d", i)
		}
		fields = append(fields, arrow.Field{Name: name, Type: rt, Nullable: true})
	}
	md := in.Metadata()
	op.schema = arrow.NewSchema(fields, &md)
	return op, nil
}

// aggResultType checks the inputs of the generic aggregate sp over the
// child schema in and returns its result type.
func aggResultType(sp Spec, in *arrow.Schema) (arrow.DataType, error) {
	it := in.Field(sp.Input).Type
	var it2 arrow.DataType
	if sp.Agg.Func.TwoInputs() {
		if sp.Input2 < 0 || sp.Input2 >= in.NumFields() {
			return nil, fmt.Errorf("%s: second input column %d out of range", sp.Agg.Func, sp.Input2)
		}
		it2 = in.Field(sp.Input2).Type
	}
	return aggregate.ResultType2(sp.Agg.Func, it, it2)
}

func (op *windowOp) checkFrame(f Frame) error {
	for _, b := range []Bound{f.Start, f.End} {
		if b.Kind < UnboundedPreceding || b.Kind > UnboundedFollowing {
			return fmt.Errorf("frame %s: bad bound kind %d", f, int(b.Kind))
		}
	}
	if f.Start.Kind == UnboundedFollowing || f.End.Kind == UnboundedPreceding {
		return fmt.Errorf("frame %s: invalid bounds", f)
	}
	if !f.Range || (f.Start.Kind != Preceding && f.Start.Kind != Following && f.End.Kind != Preceding && f.End.Kind != Following) {
		return nil
	}
	if len(op.order) != 1 {
		return fmt.Errorf("frame %s: a RANGE frame with offsets needs exactly one ORDER BY key", f)
	}
	kk, err := rangeKeyKind(op.child.Schema().Field(op.order[0].Col).Type)
	if err != nil {
		return fmt.Errorf("frame %s: %w", f, err)
	}
	op.rangeKind = kk
	return nil
}

// Schema implements exec.Operator.
func (op *windowOp) Schema() *arrow.Schema { return op.schema }

// Partitions implements exec.Operator.
func (op *windowOp) Partitions() int { return op.child.Partitions() }

// Children implements exec.Operator.
func (op *windowOp) Children() []exec.Operator { return []exec.Operator{op.child} }

// String implements exec.Operator.
func (op *windowOp) String() string {
	fs := make([]string, len(op.funcs))
	for i, sp := range op.funcs {
		fs[i] = sp.Func.String()
		switch {
		case sp.Func == Agg && sp.Agg.Func.TwoInputs():
			fs[i] = fmt.Sprintf("%s(#%d, #%d)", sp.Agg.Func, sp.Input, sp.Input2)
		case sp.Func == Agg:
			fs[i] = fmt.Sprintf("%s(#%d)", sp.Agg.Func, sp.Input)
		case sp.Func.NeedsInput():
			fs[i] += fmt.Sprintf("(#%d)", sp.Input)
		}
		if sp.Func.UsesFrame() {
			fs[i] += " " + sp.Frame.String()
		}
	}
	ord := make([]string, len(op.order))
	for i, k := range op.order {
		ord[i] = k.String()
	}
	return fmt.Sprintf("Window(partition=%v, order=[%s], funcs=[%s])", op.partCols, strings.Join(ord, ", "), strings.Join(fs, ", "))
}
