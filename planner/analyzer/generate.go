package analyzer

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/logical"
)

// generatorCall recognizes a select item that is a generator call (maybe aliased).
func generatorCall(e logical.Expr) (f *logical.Func, alias string, outer, position bool) {
	if a, ok := e.(*logical.Alias); ok {
		e, alias = a.E, a.Name
	}
	f, ok := e.(*logical.Func)
	if !ok {
		return nil, "", false, false
	}
	if alias == logical.OutputName(f) {
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
func (a *Analyzer) extractGenerator(list []logical.Expr, child logical.Plan) (logical.Plan, bool, error) {
	at := -1
	for i, e := range list {
		if f, _, _, _ := generatorCall(e); f != nil {
			if at >= 0 {
				return nil, false, logical.AnalysisErr("only one generator (explode, posexplode) is allowed per select list")
			}
			at = i
			continue
		}
		var nested *logical.Func
		logical.Walk(e, func(x logical.Expr) bool {
			if g, _, _, _ := generatorCall(x); g != nil {
				nested = g
			}
			return nested == nil
		})
		if nested != nil {
			return nil, false, logical.AnalysisErr("%s must be a whole item of the select list, not inside %s", nested.Name, logical.StripIDs(e.String()))
		}
	}
	if at < 0 {
		return nil, false, nil
	}
	f, alias, outer, position := generatorCall(list[at])
	input := f.Args[0]
	var attrs []*logical.Attribute
	if position {
		attrs = append(attrs, &logical.Attribute{ID: a.IDs.Next(), Name: "pos", Type: arrow.PrimitiveTypes.Int32, Null: outer})
	}
	switch t := input.DataType().(type) {
	case *arrow.MapType:
		attrs = append(attrs, &logical.Attribute{ID: a.IDs.Next(), Name: "key", Type: t.KeyType(), Null: outer},
			&logical.Attribute{ID: a.IDs.Next(), Name: "value", Type: t.ItemType(), Null: true})
		if alias != "" {
			return nil, false, logical.AnalysisErr("%s of a map makes two columns, key and value: a single alias %s is not supported", f.Name, alias)
		}
	case *arrow.ListType:
		name := "col"
		if alias != "" {
			name = alias
		}
		attrs = append(attrs, &logical.Attribute{ID: a.IDs.Next(), Name: name, Type: t.Elem(), Null: true})
	}
	gen := &logical.Generate{Input: input, Outer: outer, Position: position, Attrs: attrs, Child: child}
	out := make([]logical.Expr, 0, len(list)+len(attrs))
	out = append(out, list[:at]...)
	out = append(out, logical.AttrsAsExprs(attrs)...)
	out = append(out, list[at+1:]...)
	return &logical.Project{List: out, Child: gen}, true, nil
}
