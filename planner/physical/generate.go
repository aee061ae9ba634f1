package physical

import (
	"github.com/gspark/gspark/exec/generate"
	"github.com/gspark/gspark/planner/logical"
)

// planGenerate evaluates the generator's input next to the child's columns
// and explodes it.
func (pp *PhysicalPlanner) planGenerate(n *logical.Generate) (physical, error) {
	child, err := pp.plan(n.Child)
	if err != nil {
		return physical{}, err
	}
	in := pp.tempAttr("__generator_input", n.Input.DataType(), true)
	list := append(logical.AttrsAsExprs(child.attrs), &logical.Alias{E: n.Input, Name: in.Name, ID: in.ID})
	pre, err := pp.project(child, list)
	if err != nil {
		return physical{}, err
	}
	names := make([]string, len(n.Attrs))
	for i, at := range n.Attrs {
		names[i] = at.Name
	}
	op, err := generate.NewExplode(pp.Env, pre.op, len(child.attrs), n.Outer, n.Position, names...)
	if err != nil {
		return physical{}, err
	}
	return physical{op: op, attrs: n.Output()}, nil
}
