package analyzer

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/planner/functions"
	"github.com/gspark/gspark/planner/logical"
)

// generator is a select item that is a generator call, with the names it
// was given.
type generator struct {
	f         *logical.Func
	names     []string // from an alias or a multi-alias; nil for the defaults
	qualifier string   // LATERAL VIEW's table name
	kind      string   // explode, posexplode, inline or stack
	outer     bool
}

// generatorCall recognizes a select item that is a generator call (maybe aliased).
func generatorCall(e logical.Expr) *generator {
	g := &generator{}
	alias := ""
	if a, ok := e.(*logical.Alias); ok {
		e, alias = a.E, a.Name
	}
	if m, ok := e.(*logical.MultiAlias); ok {
		e, g.names, g.qualifier, alias = m.E, m.Names, m.Qualifier, ""
	}
	f, ok := e.(*logical.Func)
	if !ok {
		return nil
	}
	if alias != "" && alias != logical.OutputName(f) {
		g.names = []string{alias} // not the name the analyzer gives an item without an alias
	}
	g.f = f
	name := strings.ToLower(f.Name)
	g.kind, g.outer = strings.TrimSuffix(name, "_outer"), strings.HasSuffix(name, "_outer")
	switch g.kind {
	case "explode", "posexplode", "inline":
		return g
	case "stack":
		if !g.outer {
			return g
		}
	}
	return nil
}

// extractGenerator plans a select list holding a generator call: a Generate
// below a projection that reads its columns in the call's place.
func (a *Analyzer) extractGenerator(list []logical.Expr, child logical.Plan) (logical.Plan, bool, error) {
	at := -1
	for i, e := range list {
		if g := generatorCall(e); g != nil {
			if at >= 0 {
				return nil, false, logical.AnalysisErr("only one generator (explode, posexplode, inline, stack) is allowed per select list")
			}
			at = i
			continue
		}
		var nested *logical.Func
		logical.Walk(e, func(x logical.Expr) bool {
			if g := generatorCall(x); g != nil {
				nested = g.f
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
	g := generatorCall(list[at])
	var gen *logical.Generate
	var cols []logical.Expr
	var err error
	switch g.kind {
	case "inline", "stack":
		gen, cols, err = a.structGenerator(g, child)
	default:
		gen, cols, err = a.explodeGenerator(g, child)
	}
	if err != nil {
		return nil, false, err
	}
	out := make([]logical.Expr, 0, len(list)+len(cols))
	out = append(out, list[:at]...)
	out = append(out, cols...)
	out = append(out, list[at+1:]...)
	return &logical.Project{List: out, Child: gen}, true, nil
}

// explodeGenerator plans explode and posexplode: a column per element (the
// position first for posexplode), or the key and the value of a map entry.
func (a *Analyzer) explodeGenerator(g *generator, child logical.Plan) (*logical.Generate, []logical.Expr, error) {
	position := g.kind == "posexplode"
	input := g.f.Args[0]
	var names []string
	var types []arrow.DataType
	if position {
		names, types = append(names, "pos"), append(types, arrow.PrimitiveTypes.Int32)
	}
	switch t := input.DataType().(type) {
	case *arrow.MapType:
		names, types = append(names, "key", "value"), append(types, t.KeyType(), t.ItemType())
	case *arrow.ListType:
		names, types = append(names, "col"), append(types, t.Elem())
	}
	if err := g.rename(names); err != nil {
		return nil, nil, err
	}
	attrs := make([]*logical.Attribute, len(names))
	for i := range names {
		// The position and a map's key are null only for the outer row.
		null := true
		if i < len(names)-1 {
			null = g.outer
		}
		attrs[i] = &logical.Attribute{ID: a.IDs.Next(), Name: names[i], Qualifier: g.qualifier, Type: types[i], Null: null}
	}
	gen := &logical.Generate{Input: input, Outer: g.outer, Position: position, Attrs: attrs, Child: child}
	return gen, logical.AttrsAsExprs(attrs), nil
}

// rename applies the names the call was given to its default column names.
func (g *generator) rename(names []string) error {
	if g.names == nil {
		return nil
	}
	if len(g.names) != len(names) {
		return logical.AnalysisErr("%s makes %d columns (%s) but %d names were given (%s)", g.f.Name, len(names),
			strings.Join(names, ", "), len(g.names), strings.Join(g.names, ", "))
	}
	copy(names, g.names)
	return nil
}

// structGenerator plans inline (a row per struct of an array, a column per
// field) and stack(n, v1, …): n rows of the values taken in order, as the
// inline of an array of n structs (missing values are null).
func (a *Analyzer) structGenerator(g *generator, child logical.Plan) (*logical.Generate, []logical.Expr, error) {
	input := g.f.Args[0]
	if g.kind == "stack" {
		var err error
		if input, err = stackArray(g.f.Args); err != nil {
			return nil, nil, err
		}
	}
	st := input.DataType().(*arrow.ListType).Elem().(*arrow.StructType)
	elem := &logical.Attribute{ID: a.IDs.Next(), Name: "__generated", Type: st, Null: true}
	gen := &logical.Generate{Input: input, Outer: g.outer, Attrs: []*logical.Attribute{elem}, Child: child}
	names := make([]string, st.NumFields())
	for i, f := range st.Fields() {
		names[i] = f.Name
	}
	if err := g.rename(names); err != nil {
		return nil, nil, err
	}
	cols := make([]logical.Expr, len(names))
	for i, f := range st.Fields() {
		field, err := functions.TypeFunc(&logical.Func{Name: functions.SubscriptName,
			Args: []logical.Expr{elem, &logical.Literal{Value: f.Name, Type: arrow.BinaryTypes.String}}})
		if err != nil {
			return nil, nil, err
		}
		cols[i] = &logical.Alias{E: field, Name: names[i], ID: a.IDs.Next()}
	}
	return gen, cols, nil
}

// stackArray builds the array of structs stack(n, v1, …, vk) stands for:
// n structs of ceil(k/n) fields col0, col1, …; the values of a column must
// have one type (NULLs take it).
func stackArray(args []logical.Expr) (logical.Expr, error) {
	n, err := functions.StackRows(args)
	if err != nil {
		return nil, err
	}
	vals := args[1:]
	m := (len(vals) + n - 1) / n
	types := make([]arrow.DataType, m)
	for i, v := range vals {
		c := i % m
		t := v.DataType()
		if types[c] == nil || types[c].ID() == arrow.NULL {
			types[c] = t
			continue
		}
		// Spark requires one type per column; only NULLs adapt.
		if t.ID() != arrow.NULL && !arrow.TypeEqual(t, types[c]) {
			return nil, logical.AnalysisErr("stack: the values of column col%d have different types, %s and %s; cast them to one type",
				c, logical.TypeName(types[c]), logical.TypeName(t))
		}
	}
	rows := make([]logical.Expr, n)
	for r := range rows {
		fields := make([]logical.Expr, 0, 2*m)
		for c := 0; c < m; c++ {
			var v logical.Expr = &logical.Literal{Type: types[c]}
			if k := r*m + c; k < len(vals) {
				v = logical.CastTo(vals[k], types[c])
			}
			fields = append(fields, &logical.Literal{Value: fmt.Sprintf("col%d", c), Type: arrow.BinaryTypes.String}, v)
		}
		row, err := functions.TypeFunc(&logical.Func{Name: "named_struct", Args: fields})
		if err != nil {
			return nil, err
		}
		rows[r] = row
	}
	return functions.TypeFunc(&logical.Func{Name: "array", Args: rows})
}
