package planner

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr"
	"github.com/gspark/gspark/exec/generate"
)

// Generate turns each row of its child into one row per element of an array
// or map expression (explode, posexplode and their outer forms): the output
// is the child's columns followed by Attrs — the position (posexplode), then
// the element, or the key and the value of a map.
type Generate struct {
	Input    Expr
	Outer    bool
	Position bool
	Attrs    []*Attribute
	Child    Plan
}

// Output implements Plan.
func (p *Generate) Output() []*Attribute {
	return append(append([]*Attribute{}, p.Child.Output()...), p.Attrs...)
}

// Children implements Plan.
func (p *Generate) Children() []Plan { return []Plan{p.Child} }

// WithChildren implements Plan.
func (p *Generate) WithChildren(c []Plan) Plan {
	out := *p
	out.Child = c[0]
	return &out
}

// Expressions implements Plan.
func (p *Generate) Expressions() []Expr { return []Expr{p.Input} }

// WithExpressions implements Plan.
func (p *Generate) WithExpressions(e []Expr) Plan {
	out := *p
	out.Input = e[0]
	return &out
}

func (p *Generate) String() string {
	return fmt.Sprintf("Generate %s(%s) %s", generatorName(p.Outer, p.Position), p.Input, exprList(attrsAsExprs(p.Attrs)))
}

func generatorName(outer, position bool) string {
	name := "explode"
	if position {
		name = "posexplode"
	}
	if outer {
		name += "_outer"
	}
	return name
}

// generatorFunctions are explode and its forms: the analyzer lifts a call in
// a select list into a Generate; anywhere else it is an error.
func generatorFunctions() []FunctionDef {
	var defs []FunctionDef
	for _, outer := range []bool{false, true} {
		for _, pos := range []bool{false, true} {
			defs = append(defs, FunctionDef{Name: generatorName(outer, pos), MinArgs: 1, MaxArgs: 1,
				Resolve: func(name string, args []Expr) (Expr, error) {
					switch t := args[0].DataType().(type) {
					case *arrow.ListType:
						return &Func{Name: name, Args: args, Type: t.Elem(), MayBeNull: true}, nil
					case *arrow.MapType:
						return &Func{Name: name, Args: args, Type: t.ItemType(), MayBeNull: true}, nil
					}
					return nil, ArgError(name, args[0], "an array or a map")
				},
				Compile: func(call *Func, _ []expr.Expr) (expr.Expr, error) {
					return nil, analysisErr("%s is allowed only as a top-level item of a select list", call.Name)
				}})
		}
	}
	return defs
}

// generatorCall recognizes a select item that is a generator call (maybe aliased).
func generatorCall(e Expr) (f *Func, alias string, outer, position bool) {
	if a, ok := e.(*Alias); ok {
		e, alias = a.E, a.Name
	}
	f, ok := e.(*Func)
	if !ok {
		return nil, "", false, false
	}
	if alias == outputName(f) {
		alias = "" // the name the analyzer gives an item without an alias
	}
	switch strings.ToLower(f.Name) {
	case "explode":
		return f, alias, false, false
	case "explode_outer":
		return f, alias, true, false
	case "posexplode":
		return f, alias, false, true
	case "posexplode_outer":
		return f, alias, true, true
	}
	return nil, "", false, false
}

// extractGenerator plans a select list holding a generator call: a Generate
// below a projection that reads its columns in the call's place.
func (a *Analyzer) extractGenerator(list []Expr, child Plan) (Plan, bool, error) {
	at := -1
	for i, e := range list {
		if f, _, _, _ := generatorCall(e); f != nil {
			if at >= 0 {
				return nil, false, analysisErr("only one generator (explode, posexplode) is allowed per select list")
			}
			at = i
			continue
		}
		var nested *Func
		Walk(e, func(x Expr) bool {
			if g, _, _, _ := generatorCall(x); g != nil {
				nested = g
			}
			return nested == nil
		})
		if nested != nil {
			return nil, false, analysisErr("%s must be a whole item of the select list, not inside %s", nested.Name, stripIDs(e.String()))
		}
	}
	if at < 0 {
		return nil, false, nil
	}
	f, alias, outer, position := generatorCall(list[at])
	input := f.Args[0]
	var attrs []*Attribute
	if position {
		attrs = append(attrs, &Attribute{ID: a.IDs.Next(), Name: "pos", Type: arrow.PrimitiveTypes.Int32, Null: outer})
	}
	switch t := input.DataType().(type) {
	case *arrow.MapType:
		attrs = append(attrs, &Attribute{ID: a.IDs.Next(), Name: "key", Type: t.KeyType(), Null: outer},
			&Attribute{ID: a.IDs.Next(), Name: "value", Type: t.ItemType(), Null: true})
		if alias != "" {
			return nil, false, analysisErr("%s of a map makes two columns, key and value: a single alias %s is not supported", f.Name, alias)
		}
	case *arrow.ListType:
		name := "col"
		if alias != "" {
			name = alias
		}
		attrs = append(attrs, &Attribute{ID: a.IDs.Next(), Name: name, Type: t.Elem(), Null: true})
	}
	gen := &Generate{Input: input, Outer: outer, Position: position, Attrs: attrs, Child: child}
	out := make([]Expr, 0, len(list)+len(attrs))
	out = append(out, list[:at]...)
	out = append(out, attrsAsExprs(attrs)...)
	out = append(out, list[at+1:]...)
	return &Project{List: out, Child: gen}, true, nil
}

// planGenerate evaluates the generator's input next to the child's columns
// and explodes it.
func (pp *PhysicalPlanner) planGenerate(n *Generate) (physical, error) {
	child, err := pp.plan(n.Child)
	if err != nil {
		return physical{}, err
	}
	in := pp.tempAttr("__generator_input", n.Input.DataType(), true)
	list := append(attrsAsExprs(child.attrs), &Alias{E: n.Input, Name: in.Name, ID: in.ID})
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
