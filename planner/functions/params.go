package functions

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// Param is a named parameter of a function: calls may pass it by name,
// f(name => value). A parameter with a Default may be left out.
type Param struct {
	Name    string
	Default logical.Expr
}

// NamedArg is an argument passed by name, name => value, before
// BindNamedArgs puts it in its place.
type NamedArg struct {
	Name  string
	Value logical.Expr
}

func (e *NamedArg) String() string { return e.Name + " => " + e.Value.String() }

// Children implements logical.Expr.
func (e *NamedArg) Children() []logical.Expr { return []logical.Expr{e.Value} }

// WithChildren implements logical.Expr.
func (e *NamedArg) WithChildren(c []logical.Expr) logical.Expr {
	return &NamedArg{Name: e.Name, Value: c[0]}
}

// DataType implements logical.Expr.
func (e *NamedArg) DataType() arrow.DataType { return e.Value.DataType() }

// Nullable implements logical.Expr.
func (e *NamedArg) Nullable() bool { return e.Value.Nullable() }

// BindNamedArgs puts the named arguments of a call of name in their
// parameters' places, as Spark does: positional arguments come first, each
// parameter is given at most once, and the parameters left out take their
// defaults (a required one left out is an error). A call without named
// arguments is returned as it is.
func BindNamedArgs(name string, args []logical.Expr) ([]logical.Expr, error) {
	named := false
	for _, a := range args {
		if _, ok := a.(*NamedArg); ok {
			named = true
		}
	}
	if !named {
		return args, nil
	}
	def, ok := builtins().Lookup(name)
	if !ok || len(def.Params) == 0 {
		return nil, fmt.Errorf("%s does not take named arguments (name => value)", name)
	}
	params := def.Params
	out := make([]logical.Expr, len(params))
	given := make([]bool, len(params))
	seenNamed := false
	for i, a := range args {
		na, ok := a.(*NamedArg)
		if !ok {
			if seenNamed {
				return nil, fmt.Errorf("%s: positional argument %d comes after a named argument", name, i+1)
			}
			if i >= len(params) {
				return nil, fmt.Errorf("%s takes at most %d arguments, got %d", name, len(params), len(args))
			}
			out[i], given[i] = a, true
			continue
		}
		seenNamed = true
		k := -1
		names := make([]string, len(params))
		for j, p := range params {
			names[j] = p.Name
			if strings.EqualFold(p.Name, na.Name) {
				k = j
			}
		}
		if k < 0 {
			return nil, fmt.Errorf("%s has no parameter %s (parameters: %s)%s", name, na.Name, strings.Join(names, ", "), logical.Suggest(na.Name, names))
		}
		if given[k] {
			return nil, fmt.Errorf("%s: parameter %s is given twice", name, params[k].Name)
		}
		out[k], given[k] = na.Value, true
	}
	// Trailing parameters left out are simply not passed; others take their default.
	last := len(params) - 1
	for last >= 0 && !given[last] {
		last--
	}
	for j := 0; j <= last; j++ {
		if given[j] {
			continue
		}
		if params[j].Default == nil {
			return nil, fmt.Errorf("%s: required parameter %s is missing", name, params[j].Name)
		}
		out[j] = params[j].Default
	}
	if last < 0 || (len(out) > 0 && !given[0] && params[0].Default == nil) {
		return nil, fmt.Errorf("%s: required parameter %s is missing", name, params[0].Name)
	}
	return out[:last+1], nil
}

// maskParams are mask's parameters and Spark's defaults.
func maskParams() []Param {
	str := func(s string) logical.Expr { return &logical.Literal{Value: s, Type: arrow.BinaryTypes.String} }
	return []Param{{Name: "str"}, {Name: "upperChar", Default: str("X")}, {Name: "lowerChar", Default: str("x")},
		{Name: "digitChar", Default: str("n")}, {Name: "otherChar", Default: &logical.Literal{Type: arrow.BinaryTypes.String}}}
}
